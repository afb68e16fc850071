// DNS over TCP (RFC 7766): several queries per connection, pipelined; a zero-length frame or
// the idle timeout ends a connection; connections beyond the limit are closed at once.
import assert from 'node:assert/strict';
import { connect, type Socket } from 'node:net';
import { after, before, describe, it } from 'node:test';
import dnsPacket from 'dns-packet';
import { startDnsFixture, type DnsFixture } from './dns-harness.js';

const zone = 'tcp.test';

function frame(id: number, name: string): Buffer {
  const msg = dnsPacket.encode({ type: 'query', id, questions: [{ name, type: 'A', class: 'IN' }] });
  const out = Buffer.alloc(2 + msg.length);
  out.writeUInt16BE(msg.length, 0);
  msg.copy(out, 2);
  return out;
}

/** Client reads framed answers from one connection and reports when the server closes it. */
class Client {
  readonly socket: Socket;
  readonly answers: dnsPacket.DecodedPacket[] = [];
  readonly closed: Promise<void>;
  #pending = Buffer.alloc(0);
  #waiters: Array<() => void> = [];

  constructor(port: number) {
    this.socket = connect(port, '127.0.0.1');
    this.socket.on('error', () => {});
    this.closed = new Promise((resolve) => this.socket.once('close', () => resolve()));
    this.socket.on('data', (chunk: Buffer) => {
      this.#pending = Buffer.concat([this.#pending, chunk]);
      while (this.#pending.length >= 2 && this.#pending.length >= 2 + this.#pending.readUInt16BE(0)) {
        const length = this.#pending.readUInt16BE(0);
        this.answers.push(dnsPacket.decode(this.#pending.subarray(2, 2 + length)));
        this.#pending = this.#pending.subarray(2 + length);
      }
      for (const w of this.#waiters.splice(0)) w();
    });
  }

  async waitFor(count: number): Promise<void> {
    while (this.answers.length < count) {
      await Promise.race([new Promise<void>((r) => this.#waiters.push(r)), this.closed]);
      if (this.socket.destroyed && this.answers.length < count) throw new Error('connection closed early');
    }
  }
}

describe('DNS over TCP', () => {
  let dns: DnsFixture;
  before(async () => {
    dns = await startDnsFixture({
      seed: {
        zones: [{ name: zone, primaryNs: `ns1.${zone}`, adminEmail: `hostmaster@${zone}` }],
        records: [
          { zone, name: 'a', type: 'A', value: '192.0.2.1' },
          { zone, name: 'b', type: 'A', value: '192.0.2.2' },
        ],
      },
      tcp: { maxConnections: 3, idleTimeoutMs: 1500 },
    });
  });
  after(async () => {
    await dns?.close();
  });

  it('answers several pipelined queries on one connection, even split across writes', async () => {
    const client = new Client(dns.port);
    const all = Buffer.concat([frame(1, `a.${zone}`), frame(2, `b.${zone}`), frame(3, `nope.${zone}`)]);
    client.socket.write(all.subarray(0, 5));
    client.socket.write(all.subarray(5));
    await client.waitFor(3);
    const byId = new Map(client.answers.map((a) => [a.id, a]));
    assert.equal((byId.get(1)!.answers![0] as { data: string }).data, '192.0.2.1');
    assert.equal((byId.get(2)!.answers![0] as { data: string }).data, '192.0.2.2');
    assert.equal((byId.get(3) as { rcode?: string }).rcode, 'NXDOMAIN');
    client.socket.write(Buffer.from([0, 0])); // a zero-length frame: goodbye
    await client.closed;
  });

  it('closes idle connections and refuses connections beyond the limit', async () => {
    const idle = new Client(dns.port);
    await idle.closed; // the 1.5 s idle timeout closes it; nothing else would
    const held = [new Client(dns.port), new Client(dns.port), new Client(dns.port)];
    for (const [i, c] of held.entries()) {
      c.socket.write(frame(10 + i, `a.${zone}`));
      await c.waitFor(1);
    }
    const extra = new Client(dns.port);
    extra.socket.write(frame(99, `a.${zone}`));
    await extra.closed;
    assert.equal(extra.answers.length, 0, 'the fourth connection got no answer');
    for (const c of held) c.socket.destroy();
  });
});
