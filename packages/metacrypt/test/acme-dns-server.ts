// A tiny authoritative DNS server for the DNS-01 tests: one zone on 127.0.0.1 (UDP and TCP),
// answering SOA and NS at the apex, A for any name in the zone (127.0.0.1), and the TXT records
// the test (or an ACME client's hook) sets. Names outside the zone are REFUSED. With `recordsDir`,
// a file named after a record (e.g. `_acme-challenge.web.example.test`) adds one TXT value per
// line: lego's exec provider writes those from a shell script.
import { createSocket, type Socket } from 'node:dgram';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createServer, type Server } from 'node:net';
import * as dnsPacket from 'dns-packet';

/** TestDns is a running zone server. */
export interface TestDns {
  /** "127.0.0.1:<port>", as Metacrypt's acme.dns_resolver and lego's --dns.resolvers take it */
  readonly address: string;
  readonly port: number;
  setTxt(name: string, value: string): void;
  deleteTxt(name: string): void;
  /** the TXT values at name (for tests) */
  txt(name: string): readonly string[];
  close(): Promise<void>;
}

/** startTestDns serves `zone` on an ephemeral port (the same one on UDP and TCP). */
export async function startTestDns(zone: string, opts: { recordsDir?: string } = {}): Promise<TestDns> {
  const apex = zone.toLowerCase().replace(/\.$/, '');
  const records = new Map<string, string[]>();
  const norm = (name: string) => name.toLowerCase().replace(/\.$/, '');
  const inZone = (name: string) => name === apex || name.endsWith(`.${apex}`);
  const fileTxt = (name: string): string[] => {
    if (opts.recordsDir === undefined || !/^[a-z0-9_.-]+$/.test(name)) return [];
    try {
      return readFileSync(join(opts.recordsDir, name), 'utf8')
        .split('\n')
        .filter((l) => l !== '');
    } catch {
      return [];
    }
  };
  const soa: dnsPacket.Answer = {
    type: 'SOA',
    name: apex,
    ttl: 5,
    data: { mname: `ns.${apex}`, rname: `hostmaster.${apex}`, serial: 1, refresh: 60, retry: 60, expire: 600, minimum: 5 },
  };

  const answer = (query: Buffer): Buffer => {
    const req = dnsPacket.decode(query);
    const q = req.questions?.[0];
    const base = { id: req.id, type: 'response' as const, questions: req.questions ?? [] };
    if (!q) return dnsPacket.encode({ ...base, flags: dnsPacket.AUTHORITATIVE_ANSWER | 1 });
    const name = norm(q.name);
    if (!inZone(name)) return dnsPacket.encode({ ...base, flags: 5 }); // REFUSED
    const answers: dnsPacket.Answer[] = [];
    if (q.type === 'TXT')
      for (const v of [...(records.get(name) ?? []), ...fileTxt(name)])
        answers.push({ type: 'TXT', name: q.name, ttl: 1, data: v });
    if (q.type === 'SOA' && name === apex) answers.push(soa);
    if (q.type === 'NS' && name === apex) answers.push({ type: 'NS', name: apex, ttl: 5, data: `ns.${apex}` });
    if (q.type === 'A') answers.push({ type: 'A', name: q.name, ttl: 5, data: '127.0.0.1' });
    return dnsPacket.encode({
      ...base,
      flags: dnsPacket.AUTHORITATIVE_ANSWER,
      answers,
      authorities: answers.length === 0 ? [soa] : [],
    });
  };

  const udp: Socket = createSocket('udp4');
  udp.on('message', (msg, rinfo) => {
    try {
      udp.send(answer(msg), rinfo.port, rinfo.address);
    } catch {
      // an undecodable packet gets no answer, as from a real server
    }
  });
  await new Promise<void>((resolve) => udp.bind(0, '127.0.0.1', () => resolve()));
  const port = udp.address().port;

  const tcp: Server = createServer((sock) => {
    let buf = Buffer.alloc(0);
    sock.on('data', (d: Buffer) => {
      buf = Buffer.concat([buf, d]);
      while (buf.length >= 2 && buf.length >= 2 + buf.readUInt16BE(0)) {
        const len = buf.readUInt16BE(0);
        try {
          const out = answer(buf.subarray(2, 2 + len));
          const framed = Buffer.alloc(2 + out.length);
          framed.writeUInt16BE(out.length, 0);
          out.copy(framed, 2);
          sock.write(framed);
        } catch {
          sock.destroy();
        }
        buf = buf.subarray(2 + len);
      }
    });
    sock.on('error', () => undefined);
  });
  await new Promise<void>((resolve, reject) => {
    tcp.once('error', reject);
    tcp.listen(port, '127.0.0.1', () => resolve());
  });

  return {
    address: `127.0.0.1:${port}`,
    port,
    setTxt: (name, value) => records.set(norm(name), [...(records.get(norm(name)) ?? []), value]),
    deleteTxt: (name) => void records.delete(norm(name)),
    txt: (name) => records.get(norm(name)) ?? [],
    close: async () => {
      await new Promise<void>((resolve) => udp.close(() => resolve()));
      await new Promise<void>((resolve) => tcp.close(() => resolve()));
    },
  };
}
