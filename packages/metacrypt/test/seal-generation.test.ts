// A seal wins over an init or unseal that was issued before it: the derivation (Argon2id on the
// thread pool) is caught mid-flight through a wrapper around Barrier.unseal / init that signals
// when it starts, the seal runs while the key is being derived, and the finishing call must
// leave Metacrypt sealed with the MEK dropped (views answer SealedError). Real SQLite, real KDF
// (tiny parameters); ordering by promises, no sleeps.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLogger, migrate, openDatabase, PreconditionError, SealedError, type SqliteDatabase } from '@metacircular/mcdsl';
import { Barrier } from '../src/barrier/index.js';
import { MountTable } from '../src/mounts/index.js';
import { SealManager, UnsealThrottle } from '../src/seal/index.js';
import { BarrierStore, migrations, SealConfigStore } from '../src/store/index.js';

const kdf = { time: 1, memoryKib: 256, parallelism: 1 };
const password = 'correct horse battery staple';

describe('seal during init or unseal', () => {
  let dir: string;
  const dbs: SqliteDatabase[] = [];

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'metacrypt-seal-gen-'));
  });
  after(async () => {
    for (const db of dbs) db.close();
    await rm(dir, { recursive: true, force: true });
  });

  function setup(name: string) {
    const db = openDatabase(join(dir, `${name}.db`));
    dbs.push(db);
    migrate(db, migrations);
    const now = () => new Date();
    const logger = createLogger({ service: 'test', level: 'error', destination: join(dir, `${name}.log`) });
    const barrier = new Barrier({ store: new BarrierStore(db), sealConfig: new SealConfigStore(db), now });
    const mounts = new MountTable({ barrier, providers: [], now, logger });
    const manager = new SealManager({ barrier, mounts, throttle: new UnsealThrottle(), kdf, logger });
    // started(): resolves when the barrier begins deriving its key for the next unseal/init.
    const started = (method: 'unseal' | 'init') =>
      new Promise<void>((resolve) => {
        const target = barrier as unknown as Record<string, (...args: unknown[]) => Promise<void>>;
        const original = target[method]!.bind(barrier);
        target[method] = (...args) => {
          resolve();
          return original(...args);
        };
      });
    const isSealedView = () => assert.throws(() => barrier.coreView('probe/').get('x'), SealedError);
    return { barrier, manager, started, isSealedView };
  }

  it('an unseal deriving its key when seal() arrives leaves metacrypt sealed', async () => {
    const { barrier, manager, started, isSealedView } = setup('unseal');
    await manager.init(password);
    manager.seal();
    const deriving = started('unseal');
    const unseal = manager.unseal(password);
    await deriving;
    manager.seal();
    await assert.rejects(unseal, (e: unknown) => e instanceof PreconditionError && /sealed while this unseal/.test(e.message));
    assert.equal(barrier.state, 'sealed');
    assert.equal(manager.state, 'sealed');
    isSealedView();
    assert.equal(await manager.unseal(password), 'unsealed', 'a later unseal works');
  });

  it('an unseal queued behind another when seal() arrives does not undo the seal', async () => {
    const { manager, isSealedView } = setup('queued');
    await manager.init(password);
    manager.seal();
    const first = manager.unseal(password);
    const second = manager.unseal(password);
    assert.equal(await first, 'unsealed');
    manager.seal();
    await assert.rejects(second, PreconditionError);
    assert.equal(manager.state, 'sealed');
    isSealedView();
  });

  it('an init deriving its key when seal() arrives is stored but left sealed', async () => {
    const { manager, started, isSealedView } = setup('init');
    const deriving = started('init');
    const init = manager.init(password);
    await deriving;
    manager.seal();
    assert.equal(await init, 'sealed');
    isSealedView();
    assert.equal(await manager.unseal(password), 'unsealed');
  });
});
