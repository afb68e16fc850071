import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { onShutdownSignals } from './shutdown-signals.js';

// SIGUSR2 stands in for SIGTERM: emitting it on `process` only calls listeners, and the test
// runner does not listen to it, so nothing outside the test reacts.
const signal = 'SIGUSR2' as const;

function gate(): { promise: Promise<void>; open: () => void } {
  let open!: () => void;
  const promise = new Promise<void>((resolve) => (open = resolve));
  return { promise, open };
}

describe('onShutdownSignals', () => {
  it('stops once, exits on a second signal, and removes its handlers after stopping', async () => {
    const exits: number[] = [];
    const release = gate();
    let stops = 0;
    const before = process.listenerCount(signal);
    const handle = onShutdownSignals(
      async () => {
        stops += 1;
        await release.promise;
      },
      { signals: [signal], exit: (code) => exits.push(code) },
    );
    assert.equal(process.listenerCount(signal), before + 1);
    process.emit(signal, signal);
    process.emit(signal, signal);
    assert.deepEqual(exits, [1]);
    release.open();
    await handle.stopped;
    assert.equal(stops, 1);
    assert.equal(process.listenerCount(signal), before);
  });

  it('exits with 1 when stopping fails', async () => {
    const exited = gate();
    const exits: number[] = [];
    const before = process.listenerCount(signal);
    const handle = onShutdownSignals(() => Promise.reject(new Error('db close failed')), {
      signals: [signal],
      exit: (code) => {
        exits.push(code);
        exited.open();
      },
    });
    process.emit(signal, signal);
    await exited.promise;
    assert.deepEqual(exits, [1]);
    handle.dispose();
    assert.equal(process.listenerCount(signal), before);
  });
});
