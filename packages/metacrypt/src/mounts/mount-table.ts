import {
  ConflictError,
  InvalidRequestError,
  NotFoundError,
  SealedError,
  UnavailableError,
  type Logger,
} from '@metacircular/mcdsl';
import { enginePrefix, type Barrier } from '../barrier/index.js';
import type { BarrierView, Engine, EngineDeps, EngineProvider, EngineType, MountInfo } from '../engine/index.js';
import { checkMountName } from './mount-name.js';

/** MountEntry is the stored form of a mount (`sys/mounts/{name}`, sealed with the MEK). */
interface MountEntry {
  name: string;
  type: EngineType;
  config: Record<string, unknown>;
  /** the mount's DEK wrapped by the MEK with aad "metacrypt:dek:{name}", base64 */
  wrapped_dek: string;
  created_at: string;
}

/** LiveMount is an open mount, or one whose engine failed to open (its error is logged). */
interface LiveMount {
  readonly info: MountInfo;
  readonly engine: Engine | undefined;
}

/**
 * MountTable is the registry of spec §5: the stored mount table plus the live engines of an
 * unsealed Metacrypt. Creating a mount validates its config through the engine's provider,
 * generates its DEK and runs the provider's initialize and open in the same SQLite
 * transaction, so a failure leaves nothing behind; deleting wipes `engine/{name}/*` and the DEK.
 */
export class MountTable {
  readonly #barrier: Barrier;
  readonly #providers: ReadonlyMap<EngineType, EngineProvider>;
  readonly #now: () => Date;
  readonly #logger: Logger;
  readonly #live = new Map<string, LiveMount>();

  constructor(opts: { barrier: Barrier; providers: readonly EngineProvider[]; now: () => Date; logger: Logger }) {
    this.#barrier = opts.barrier;
    this.#providers = new Map(opts.providers.map((p) => [p.type, p]));
    this.#now = opts.now;
    this.#logger = opts.logger;
  }

  /** types lists the engine types mounts can have. */
  get types(): EngineType[] {
    return [...this.#providers.keys()];
  }

  #entries(): BarrierView {
    return this.#barrier.coreView('mounts/');
  }

  /** list returns every mount, sorted by name (SealedError while sealed). */
  list(): MountInfo[] {
    const view = this.#entries();
    return view
      .list('')
      .map((name) => view.getJSON<MountEntry>(name))
      .filter((e): e is MountEntry => e !== undefined)
      .map(infoOf);
  }

  /** create adds a mount and opens its engine. */
  create(input: { name: string; type: string; config?: unknown }): MountInfo {
    const name = checkMountName(input.name);
    const provider = this.#providers.get(input.type as EngineType);
    if (!provider) {
      throw new InvalidRequestError(`type must be one of ${this.types.join(', ')}`, { code: 'ERR_MOUNT_TYPE' });
    }
    const entries = this.#entries();
    if (entries.get(name) !== undefined) throw new ConflictError(`a mount named ${name} already exists`);
    const config = provider.validateConfig(input.config ?? {});
    const { dek, wrapped } = this.#barrier.newDEK(name);
    const entry: MountEntry = {
      name,
      type: provider.type,
      config,
      wrapped_dek: wrapped,
      created_at: this.#now().toISOString(),
    };
    const info = infoOf(entry);
    this.#barrier.addDEK(name, dek);
    let engine: Engine | undefined;
    try {
      engine = this.#barrier.store.transaction(() => {
        // Nothing should be left from an earlier mount of this name; make sure of it.
        this.#barrier.store.deletePrefix(enginePrefix(name));
        entries.putJSON(name, entry);
        const view = this.#barrier.mountView(name);
        provider.initialize(info, view, this.#deps(name));
        return provider.open(info, view, this.#deps(name));
      });
    } catch (err) {
      this.#barrier.dropDEK(name);
      throw err;
    }
    this.#live.set(name, { info, engine });
    this.#logger.info({ mount: name, type: info.type }, 'mount created');
    return info;
  }

  /** delete removes a mount: its engine is sealed, its data and DEK wiped. */
  delete(name: string): void {
    const entries = this.#entries();
    if (entries.get(checkMountName(name)) === undefined) throw new NotFoundError(`no mount named ${name}`);
    const wiped = this.#barrier.store.transaction(() => {
      const n = this.#barrier.store.deletePrefix(enginePrefix(name));
      entries.delete(name);
      return n;
    });
    this.#live.get(name)?.engine?.seal();
    this.#live.delete(name);
    this.#barrier.dropDEK(name);
    this.#logger.info({ mount: name, entries: wiped }, 'mount deleted');
  }

  /**
   * openAll runs after the MEK is back: it unwraps every mount's DEK and opens its engine. A
   * mount that fails to open is logged and answers 503 until the next unseal; the others work.
   */
  openAll(): void {
    const view = this.#entries();
    for (const name of view.list('')) {
      let info: MountInfo | undefined;
      try {
        const entry = view.getJSON<MountEntry>(name);
        if (!entry) continue;
        info = infoOf(entry);
        const provider = this.#providers.get(entry.type);
        if (!provider) throw new Error(`no provider for engine type ${entry.type}`);
        this.#barrier.loadDEK(name, entry.wrapped_dek);
        const engine = provider.open(info, this.#barrier.mountView(name), this.#deps(name));
        this.#live.set(name, { info, engine });
      } catch (err) {
        this.#logger.error({ mount: name, err: errorText(err) }, 'mount failed to open');
        if (info) this.#live.set(name, { info, engine: undefined });
      }
    }
  }

  /** closeAll calls seal() on every open engine and forgets them (the barrier zeroes the DEKs). */
  closeAll(): void {
    for (const [name, live] of this.#live) {
      try {
        live.engine?.seal();
      } catch (err) {
        this.#logger.error({ mount: name, err: errorText(err) }, 'engine failed to seal');
      }
    }
    this.#live.clear();
  }

  /**
   * engine returns the live engine of a mount: SealedError while sealed, NotFoundError for an
   * unknown mount, InvalidRequestError for a mount of another type, UnavailableError for a
   * mount whose engine failed to open.
   */
  engine(name: string, type: EngineType): Engine {
    if (this.#barrier.state !== 'unsealed') throw new SealedError('metacrypt is sealed; unseal it first');
    const live = this.#live.get(name);
    if (!live) throw new NotFoundError(`no mount named ${name}`);
    if (live.info.type !== type) {
      throw new InvalidRequestError(`mount ${name} is a ${live.info.type} mount, not ${type}`, { code: 'ERR_MOUNT_TYPE' });
    }
    if (!live.engine) throw new UnavailableError(`mount ${name} failed to open; see the server log`);
    return live.engine;
  }

  #deps(mount: string): EngineDeps {
    return { now: this.#now, logger: this.#logger.child({ mount }) };
  }
}

function infoOf(e: MountEntry): MountInfo {
  return Object.freeze({
    name: e.name,
    type: e.type,
    config: Object.freeze({ ...e.config }),
    createdAt: new Date(e.created_at),
  });
}

function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
