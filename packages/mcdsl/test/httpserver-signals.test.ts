import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { pino } from 'pino';
import { createHttpServer } from '../src/httpserver/index.js';
import type { HttpServer } from '../src/httpserver/index.js';
import { loadTLSFiles } from '../src/tls/index.js';
import { createTestPKI } from '../src/testing/index.js';
import type { TestPKI } from '../src/testing/index.js';

// SIGUSR2 stands in for SIGTERM so the test runner's own handlers never see the signal.
const signal = 'SIGUSR2' as const;

describe('HttpServer.handleSignals', () => {
  let pki: TestPKI;
  let server: HttpServer;
  before(async () => {
    pki = await createTestPKI();
    // A real pino logger (silenced) checks that the platform's logger type fits the server.
    server = createHttpServer({
      tls: await loadTLSFiles({ cert: pki.certPath, key: pki.keyPath }),
      access: {},
      logger: pino({ level: 'silent' }),
    });
    await server.listen('127.0.0.1:0');
  });
  after(async () => {
    await server.close();
    await pki.cleanup();
  });

  it('closes the server first, then runs onStop, once', async () => {
    const exits: number[] = [];
    const events: string[] = [];
    const onStop = () => {
      events.push(server.app.server.listening ? 'stop while listening' : 'stop after close');
    };
    const stopped = server.handleSignals(onStop, { signals: [signal], exit: (code) => exits.push(code) });
    assert.equal(server.handleSignals(onStop), stopped, 'a second call installs nothing new');
    assert.equal(process.listenerCount(signal), 1);
    process.emit(signal, signal);
    await stopped;
    assert.deepEqual(events, ['stop after close']);
    assert.deepEqual(exits, []);
    assert.equal(process.listenerCount(signal), 0);
  });
});
