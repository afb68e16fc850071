import { NotFoundError } from '@metacircular/mcdsl';
import type { BarrierView } from '../../engine/index.js';
import { LiveKey } from './live-key.js';
import { keyPath, type StoredKey } from './stored-key.js';

/**
 * TransitKeyStore is the engine's access to its keys: the barrier is the source of truth and
 * every change reads the stored record afresh inside a transaction; the LiveKey cache in front
 * of it only serves the hot path (encrypt, decrypt, sign...), and an entry is replaced only
 * after its write has committed. clear() drops everything when the engine seals.
 */
export class TransitKeyStore {
  private readonly cache = new Map<string, LiveKey>();

  constructor(
    private readonly view: BarrierView,
    private readonly mount: string,
  ) {}

  /** live returns the key ready for use, or NotFoundError. */
  live(name: string): LiveKey {
    const cached = this.cache.get(name);
    if (cached) return cached;
    const stored = this.view.getJSON<StoredKey>(keyPath(name));
    if (!stored) throw this.notFound(name);
    const key = new LiveKey(stored);
    this.cache.set(name, key);
    return key;
  }

  /** names lists every key name, sorted. */
  names(): string[] {
    return this.view.list('keys/').map((p) => p.slice('keys/'.length));
  }

  /** exists says whether a key is stored under name. */
  exists(name: string): boolean {
    return this.cache.has(name) || this.view.get(keyPath(name)) !== undefined;
  }

  /** create writes a new key (the caller checked that the name is free). */
  create(stored: StoredKey): LiveKey {
    this.view.putJSON(keyPath(stored.name), stored);
    return this.refresh(stored);
  }

  /**
   * update applies change to the stored record in one transaction and returns the new live key;
   * change may throw to refuse, and then nothing is written and the cache keeps the old key.
   */
  update(name: string, change: (stored: StoredKey) => void): LiveKey {
    const stored = this.view.transaction(() => {
      const current = this.view.getJSON<StoredKey>(keyPath(name));
      if (!current) throw this.notFound(name);
      change(current);
      this.view.putJSON(keyPath(name), current);
      return current;
    });
    return this.refresh(stored);
  }

  /** remove deletes a key after check(stored) passes (check throws to refuse). */
  remove(name: string, check: (stored: StoredKey) => void): void {
    this.view.transaction(() => {
      const current = this.view.getJSON<StoredKey>(keyPath(name));
      if (!current) throw this.notFound(name);
      check(current);
      this.view.delete(keyPath(name));
    });
    this.cache.delete(name);
  }

  /** clear forgets every imported key (on seal). */
  clear(): void {
    this.cache.clear();
  }

  private refresh(stored: StoredKey): LiveKey {
    this.cache.delete(stored.name);
    const key = new LiveKey(stored);
    this.cache.set(stored.name, key);
    return key;
  }

  private notFound(name: string): NotFoundError {
    return new NotFoundError(`transit key "${name}" not found in mount ${this.mount}`);
  }
}
