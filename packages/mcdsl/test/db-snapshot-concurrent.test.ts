import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import Database from 'better-sqlite3';
import { migrate, openDatabase, snapshotDatabase } from '../src/db/index.js';

// The writer runs in a worker thread with its own connection to the same file, as another
// process would: WAL lets it commit while the main thread's VACUUM INTO reads. Every write
// transaction keeps two invariants: the balances always sum to ACCOUNTS * START, and the
// `events` counter row equals the number of rows in `events`.
const ACCOUNTS = 10;
const START = 1000;
const SNAPSHOTS = 12;
const MAX_WRITES = 200_000;

const writerSource = `
const { workerData, parentPort } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.path);
db.pragma('busy_timeout = 5000');
const progress = new Int32Array(workerData.progress);
const debit = db.prepare('UPDATE accounts SET balance = balance - ? WHERE id = ?');
const credit = db.prepare('UPDATE accounts SET balance = balance + ? WHERE id = ?');
const event = db.prepare('INSERT INTO events (payload) VALUES (randomblob(512))');
const count = db.prepare("UPDATE counters SET value = value + 1 WHERE name = 'events'");
const move = db.transaction((from, to, amount) => {
  debit.run(amount, from);
  event.run();
  credit.run(amount, to);
  count.run();
});
let i = 0;
while (Atomics.load(progress, 1) === 0 && i < workerData.max) {
  move(1 + (i % ${ACCOUNTS}), 1 + ((i * 7 + 3) % ${ACCOUNTS}), 1 + (i % 97));
  i++;
  Atomics.store(progress, 0, i);
  Atomics.notify(progress, 0);
}
db.close();
parentPort.postMessage(i);
`;

let dir: string;
before(() => {
  dir = mkdtempSync(join(tmpdir(), 'mcdsl-snapshot-concurrent-'));
});
after(() => rmSync(dir, { recursive: true, force: true }));

describe('snapshotDatabase under concurrent writes', () => {
  it('every snapshot opens, passes integrity_check and keeps the writer invariants', async () => {
    const path = join(dir, 'live.db');
    const db = openDatabase(path);
    migrate(db, [
      {
        version: 1,
        name: 'ledger',
        up: `CREATE TABLE accounts (id INTEGER PRIMARY KEY, balance INTEGER NOT NULL);
             CREATE TABLE events (id INTEGER PRIMARY KEY, payload BLOB);
             CREATE TABLE counters (name TEXT PRIMARY KEY, value INTEGER NOT NULL);
             INSERT INTO counters VALUES ('events', 0);`,
      },
    ]);
    const insert = db.prepare('INSERT INTO accounts (id, balance) VALUES (?, ?)');
    for (let id = 1; id <= ACCOUNTS; id++) insert.run(id, START);

    const progress = new Int32Array(new SharedArrayBuffer(8));
    const worker = new Worker(writerSource, {
      eval: true,
      workerData: {
        driver: createRequire(import.meta.url).resolve('better-sqlite3'),
        path,
        progress: progress.buffer,
        max: MAX_WRITES,
      },
    });
    const finished = new Promise<number>((resolve, reject) => {
      worker.once('message', (n: number) => resolve(n));
      worker.once('error', reject);
      worker.once('exit', (code) => {
        if (code !== 0) reject(new Error(`writer exited with ${code}`));
      });
    });

    const snapshots: string[] = [];
    try {
      // The writer publishes its commit count after each commit, so a snapshot taken when the
      // count read `seen` holds at most commit seen + 1; waiting (no sleeping) for seen + 2
      // guarantees the next snapshot starts after a commit the previous one cannot hold.
      let seen = -1;
      for (let i = 0; i < SNAPSHOTS; i++) {
        for (let now = Atomics.load(progress, 0); now < seen + 2; now = Atomics.load(progress, 0)) {
          if (Atomics.wait(progress, 0, now, 30_000) === 'timed-out') assert.fail('writer made no progress');
        }
        const dest = join(dir, 'backups', `snap-${i}.db`);
        snapshotDatabase(db, dest);
        snapshots.push(dest);
        seen = Atomics.load(progress, 0);
      }
    } finally {
      Atomics.store(progress, 1, 1);
    }
    const writes = await finished;
    assert.ok(writes > 0);

    const counters: number[] = [];
    for (const snap of snapshots) {
      assert.equal(statSync(snap).mode & 0o777, 0o600);
      assert.ok(!existsSync(`${snap}-wal`), 'a snapshot is self-contained');
      // Restore: open the snapshot as the service would and check it.
      const copy = openDatabase(snap);
      try {
        assert.equal(copy.pragma('integrity_check', { simple: true }), 'ok', snap);
        assert.equal(copy.prepare('SELECT SUM(balance) FROM accounts').pluck().get(), ACCOUNTS * START, snap);
        const counter = copy.prepare("SELECT value FROM counters WHERE name = 'events'").pluck().get() as number;
        assert.equal(copy.prepare('SELECT COUNT(*) FROM events').pluck().get(), counter, snap);
        counters.push(counter);
      } finally {
        copy.close();
      }
    }
    // The writer committed between every two snapshots, so each saw a later state.
    for (let i = 1; i < counters.length; i++) assert.ok((counters[i] ?? 0) > (counters[i - 1] ?? 0), String(counters));

    assert.equal(db.prepare("SELECT value FROM counters WHERE name = 'events'").pluck().get(), writes);
    db.close();
    const final = new Database(path, { readonly: true });
    assert.equal(final.pragma('integrity_check', { simple: true }), 'ok');
    final.close();
  });
});
