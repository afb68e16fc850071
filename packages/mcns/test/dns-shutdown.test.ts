// Closing the DNS server while forwarded queries are still waiting for their upstream: their
// clients are abandoned quietly. The late SERVFAIL must not be sent on the closed socket (a
// synchronous throw there would be an unhandled rejection and take the process down).
import assert from 'node:assert/strict';
import { createSocket, type Socket } from 'node:dgram';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { after, before, describe, it } from 'node:test';
import dnsPacket from 'dns-packet';
import { startDnsFixture, type DnsFixture } from './dns-harness.js';

describe('closing with forwards in flight', () => {
  let silent: Socket;
  let client: Socket;
  let dns: DnsFixture | undefined;
  const forwarded: Array<() => void> = [];
  before(async () => {
    silent = createSocket('udp4'); // an upstream that never answers
    silent.on('message', () => forwarded.shift()?.());
    await new Promise<void>((r) => silent.bind(0, '127.0.0.1', () => r()));
    client = createSocket('udp4');
    await new Promise<void>((r) => client.bind(0, '127.0.0.1', () => r()));
    dns = await startDnsFixture({ dns: { upstreams: [`127.0.0.1:${silent.address().port}`], forward_timeout: '30s' } });
  });
  after(async () => {
    await dns?.close();
    silent.close();
    client.close();
  });

  it('abandons them without an unhandled rejection', async () => {
    const rejections: unknown[] = [];
    const onRejection = (reason: unknown): void => {
      rejections.push(reason);
    };
    process.on('unhandledRejection', onRejection);
    try {
      const reached = new Promise<void>((r) => forwarded.push(r));
      const query = dnsPacket.encode({ type: 'query', id: 7, questions: [{ name: 'outside.example', type: 'A', class: 'IN' }] });
      client.send(query, dns!.port, '127.0.0.1');
      await reached; // the question is waiting on the upstream
      await dns!.close();
      dns = undefined;
      for (let i = 0; i < 10; i++) await nextTurn();
      assert.deepEqual(rejections, []);
    } finally {
      process.off('unhandledRejection', onRejection);
    }
  });
});
