import assert from 'node:assert/strict';
import { createSocket, type Socket } from 'node:dgram';
import { after, describe, it } from 'node:test';
import dnsPacket from 'dns-packet';
import { createLogger } from '@metacircular/mcdsl';
import type { DnsZone } from './dns-store.js';
import { Notifier } from './notifier.js';

const zone: DnsZone = {
  id: 1,
  name: 'notify.test',
  primaryNs: 'ns1.notify.test',
  adminEmail: 'hostmaster@notify.test',
  refresh: 3600,
  retry: 600,
  expire: 86400,
  minimumTtl: 300,
  serial: 2026113001,
};
const logger = createLogger({ service: 'mcns-test', level: 'error' });

/** A fake secondary: it records every NOTIFY and answers from the `answerFrom`-th on. */
function secondary(
  answerFrom: number,
  host = '127.0.0.1',
): Promise<{ socket: Socket; port: number; seen: dnsPacket.DecodedPacket[]; done: Promise<void> }> {
  const socket = createSocket(host.includes(':') ? 'udp6' : 'udp4');
  const seen: dnsPacket.DecodedPacket[] = [];
  let finish!: () => void;
  const done = new Promise<void>((r) => (finish = r));
  socket.on('message', (msg, rinfo) => {
    const packet = dnsPacket.decode(msg);
    seen.push(packet);
    if (seen.length >= answerFrom) {
      const reply = Buffer.from(msg);
      reply[2] = reply[2]! | 0x80; // QR: the same message back as the acknowledgement
      socket.send(reply, rinfo.port, rinfo.address, () => finish());
    }
  });
  return new Promise((resolve) => socket.bind(0, host, () => resolve({ socket, port: socket.address().port, seen, done })));
}

describe('Notifier', () => {
  const sockets: Socket[] = [];
  let notifier: Notifier | undefined;
  after(() => {
    notifier?.close();
    for (const s of sockets) s.close();
  });

  it('sends a NOTIFY with the SOA and retries until the secondary answers', async () => {
    const target = await secondary(3);
    sockets.push(target.socket);
    notifier = new Notifier({
      secondaries: [{ host: '127.0.0.1', port: target.port }],
      logger,
      retryDelaysMs: [5, 5, 5, 5],
      attemptTimeoutMs: 50,
    });
    notifier.notify(zone);
    await target.done;
    assert.equal(target.seen.length, 3);
    const first = target.seen[0]!;
    assert.equal((first as { opcode?: string }).opcode, 'NOTIFY');
    assert.equal(first.flag_aa, true);
    assert.deepEqual(first.questions, [{ name: 'notify.test', type: 'SOA', class: 'IN' }]);
    assert.equal((first.answers![0] as dnsPacket.SoaAnswer).data.serial, zone.serial);
  });

  it('ignores an acknowledgement that does not come from the secondary, and keeps retrying', async () => {
    // The secondary stays silent on the first NOTIFY, but another socket answers it with a
    // perfect copy (our ID and question): only the source address and port can tell them apart.
    const spoofer = createSocket('udp4');
    sockets.push(spoofer);
    await new Promise<void>((r) => spoofer.bind(0, '127.0.0.1', () => r()));
    const target = await secondary(2);
    sockets.push(target.socket);
    target.socket.once('message', (msg, rinfo) => {
      const forged = Buffer.from(msg);
      forged[2] = forged[2]! | 0x80;
      spoofer.send(forged, rinfo.port, rinfo.address);
    });
    let acknowledged!: () => void;
    const acked = new Promise<void>((r) => (acknowledged = r));
    const watching = createLogger({ service: 'mcns-test', level: 'info' });
    watching.info = (...args: unknown[]): void => {
      if (String(args[1]).includes('acknowledged')) acknowledged();
    };
    const n = new Notifier({
      secondaries: [{ host: '127.0.0.1', port: target.port }],
      logger: watching,
      retryDelaysMs: [5, 5, 5, 5],
      attemptTimeoutMs: 100,
    });
    n.notify(zone);
    await acked;
    assert.equal(target.seen.length, 2, 'the forged answer was ignored: the NOTIFY was sent again');
    n.close();
  });

  it('takes the acknowledgement of a secondary whose IPv6 address is configured in another spelling', async () => {
    const target = await secondary(1, '::1');
    sockets.push(target.socket);
    let settled!: (outcome: string) => void;
    const outcome = new Promise<string>((r) => (settled = r));
    const watching = createLogger({ service: 'mcns-test', level: 'info' });
    watching.info = (...args: unknown[]): void => settled(String(args[1]));
    watching.warn = (...args: unknown[]): void => settled(String(args[1]));
    const n = new Notifier({
      secondaries: [{ host: '0:0:0:0:0:0:0:1', port: target.port }], // the socket reports "::1"
      logger: watching,
      retryDelaysMs: [5],
      attemptTimeoutMs: 200,
    });
    n.notify(zone);
    assert.match(await outcome, /acknowledged/);
    assert.equal(target.seen.length, 1, 'the first acknowledgement ended the sequence');
    n.close();
  });

  it('gives up after the last retry', async () => {
    const silent = await secondary(Number.POSITIVE_INFINITY);
    sockets.push(silent.socket);
    let warned!: () => void;
    const gaveUp = new Promise<void>((r) => (warned = r));
    const watching = createLogger({ service: 'mcns-test', level: 'warn' });
    const warn = (...args: unknown[]): void => {
      if (String(args[1]).includes('giving up')) warned();
    };
    watching.warn = warn;
    const n = new Notifier({
      secondaries: [{ host: '127.0.0.1', port: silent.port }],
      logger: watching,
      retryDelaysMs: [5, 5],
      attemptTimeoutMs: 30,
    });
    n.notify(zone);
    await gaveUp;
    // The third datagram was sent before the last attempt timed out; let its delivery be read.
    while (silent.seen.length < 3) await new Promise((r) => silent.socket.once('message', r));
    assert.equal(silent.seen.length, 3, 'one attempt and two retries');
    n.close();
  });
});
