import { InvalidRequestError } from '@metacircular/mcdsl';
import type { BarrierView } from '../engine/index.js';
import type { BarrierStore } from '../store/index.js';
import { openBlob, sealBlob } from './aead.js';

/**
 * encryptedView is the real BarrierView: paths are confined below `base` (e.g. "engine/pki/"
 * or "sys/policy/"), and every value is sealed with `key()` bound to its full storage path as
 * AAD, so a value copied to another path (or another mount) fails to decrypt. `key` is asked
 * on every call and throws SealedError once the barrier is sealed, so a view an engine kept
 * stops working the moment the keys are zeroed.
 */
export function encryptedView(store: BarrierStore, base: string, key: () => Buffer, now: () => Date): BarrierView {
  const full = (path: string): string => {
    if (path.length === 0 || path.length > 1024 || path.includes('\0')) {
      throw new InvalidRequestError('barrier path must be 1 to 1024 characters without NUL');
    }
    return base + path;
  };
  const view: BarrierView = {
    get(path) {
      const p = full(path);
      const k = key();
      const blob = store.get(p);
      return blob === undefined ? undefined : openBlob(k, blob, p);
    },
    put(path, value) {
      const p = full(path);
      store.put(p, sealBlob(key(), value, p), now());
    },
    delete(path) {
      const p = full(path);
      key();
      store.delete(p);
    },
    list(prefix) {
      key();
      return store.list(base + prefix).map((p) => p.slice(base.length));
    },
    getJSON<T>(path: string): T | undefined {
      const plain = view.get(path);
      if (plain === undefined) return undefined;
      try {
        return JSON.parse(plain.toString('utf8')) as T;
      } finally {
        plain.fill(0);
      }
    },
    putJSON(path, value) {
      const plain = Buffer.from(JSON.stringify(value), 'utf8');
      try {
        view.put(path, plain);
      } finally {
        plain.fill(0);
      }
    },
    transaction: (fn) => store.transaction(fn),
    sub: (prefix) => encryptedView(store, base + prefix, key, now),
  };
  return view;
}
