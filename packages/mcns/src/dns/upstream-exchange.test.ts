import assert from 'node:assert/strict';
import { createSocket, type Socket } from 'node:dgram';
import { connect, createServer, type Server } from 'node:net';
import { after, describe, it } from 'node:test';
import { QType } from './dns-constants.js';
import { questionBytes } from './response-writer.js';
import { exchangeTcp, exchangeUdp, upstreamQuery } from './upstream-exchange.js';

const send = (socket: Socket, msg: Buffer, port: number, host: string): Promise<void> =>
  new Promise((resolve) => socket.send(msg, port, host, () => resolve()));

const bound = (host = '127.0.0.1'): Promise<Socket> =>
  new Promise((resolve) => {
    const s = createSocket(host.includes(':') ? 'udp6' : 'udp4');
    s.bind(0, host, () => resolve(s));
  });

/** answerTo turns a query into a response with `rcode`, the rest as asked. */
function answerTo(query: Buffer, rcode: number): Buffer {
  const reply = Buffer.from(query);
  reply[2] = reply[2]! | 0x80;
  reply[3] = (reply[3]! & 0xf0) | rcode;
  return reply;
}

describe('exchangeUdp (forwarding, cache poisoning)', () => {
  const sockets: Socket[] = [];
  after(() => {
    for (const s of sockets) s.close();
  });

  it('takes only the answer from the upstream address and port, with our ID and our question, as a response', async () => {
    const upstream = await bound();
    const spoofer = await bound();
    sockets.push(upstream, spoofer);
    upstream.once('message', (msg, rinfo) => {
      void (async () => {
        // Each forgery answers NXDOMAIN; only the genuine answer says NOERROR.
        await send(spoofer, answerTo(msg, 3), rinfo.port, rinfo.address); // right bytes, wrong source port
        const wrongId = answerTo(msg, 3);
        wrongId[0] = wrongId[0]! ^ 0xff;
        await send(upstream, wrongId, rinfo.port, rinfo.address);
        const wrongName = answerTo(msg, 3);
        wrongName[13] = 'x'.charCodeAt(0); // first letter of the question name
        await send(upstream, wrongName, rinfo.port, rinfo.address);
        const notResponse = answerTo(msg, 3);
        notResponse[2] = notResponse[2]! & 0x7f;
        await send(upstream, notResponse, rinfo.port, rinfo.address);
        await send(upstream, answerTo(msg, 0), rinfo.port, rinfo.address);
      })();
    });
    const question = questionBytes('www.example.test', QType.A);
    const query = upstreamQuery(question, false, false, 1232);
    const signal = new AbortController().signal;
    const reply = await exchangeUdp({ host: '127.0.0.1', port: upstream.address().port }, query, question.length, 5000, signal);
    assert.ok(reply, 'the genuine answer was taken');
    assert.equal(reply[3]! & 0xf, 0, 'and none of the forgeries');
  });

  it('takes the answer of an upstream whose IPv6 address is configured in another spelling', async () => {
    const upstream = await bound('::1');
    sockets.push(upstream);
    upstream.once('message', (msg, rinfo) => void send(upstream, answerTo(msg, 0), rinfo.port, rinfo.address));
    const question = questionBytes('www.example.test', QType.A);
    const query = upstreamQuery(question, false, false, 1232);
    const signal = new AbortController().signal;
    // The reply's source is reported as "::1"; the configuration says the same address longhand.
    const reply = await exchangeUdp(
      { host: '0:0:0:0:0:0:0:1', port: upstream.address().port },
      query,
      question.length,
      2000,
      signal,
    );
    assert.ok(reply, 'the answer from the upstream was taken');
  });

  it('gives up by the deadline when nothing acceptable comes', async () => {
    const upstream = await bound();
    sockets.push(upstream);
    const question = questionBytes('www.example.test', QType.A);
    const query = upstreamQuery(question, false, false, 1232);
    const reply = await exchangeUdp(
      { host: '127.0.0.1', port: upstream.address().port },
      query,
      question.length,
      50,
      new AbortController().signal,
    );
    assert.equal(reply, undefined);
  });
});

describe('exchangeUdp and exchangeTcp after shutdown began', () => {
  const servers: Server[] = [];
  const sockets: Socket[] = [];
  after(() => {
    for (const s of servers) s.close();
    for (const s of sockets) s.close();
  });

  it('send nothing and settle at once when the signal is already aborted', async () => {
    // The forwarder's TCP retry can start after close() aborted the signal: an abort listener
    // added then never fires, so the exchange must look at the signal before it connects.
    let connections = 0;
    const tcp = createServer((socket) => {
      connections++;
      socket.on('error', () => undefined);
    });
    servers.push(tcp);
    await new Promise<void>((r) => tcp.listen(0, '127.0.0.1', () => r()));
    const udp = await bound();
    sockets.push(udp);
    let datagrams = 0;
    udp.on('message', () => datagrams++);
    const question = questionBytes('www.example.test', QType.A);
    const query = upstreamQuery(question, false, false, 1232);
    const controller = new AbortController();
    controller.abort();
    const tcpPort = (tcp.address() as { port: number }).port;
    const [viaTcp, viaUdp] = await Promise.all([
      exchangeTcp({ host: '127.0.0.1', port: tcpPort }, query, question.length, 300, controller.signal),
      exchangeUdp({ host: '127.0.0.1', port: udp.address().port }, query, question.length, 300, controller.signal),
    ]);
    assert.equal(viaTcp, undefined);
    assert.equal(viaUdp, undefined);
    // Probes through the same server and socket: once a probe is seen, an earlier exchange's
    // connection or datagram would have been seen too.
    await new Promise<void>((resolve) => {
      tcp.once('connection', () => resolve());
      const probe = connect(tcpPort, '127.0.0.1', () => probe.destroy());
    });
    const prober = await bound();
    sockets.push(prober);
    await new Promise<void>((resolve) => {
      udp.once('message', () => resolve());
      prober.send(Buffer.from('probe'), udp.address().port, '127.0.0.1');
    });
    assert.equal(connections, 1, 'no connection but the probe was made');
    assert.equal(datagrams, 1, 'no datagram but the probe was sent');
  });
});
