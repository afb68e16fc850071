import assert from 'node:assert/strict';
import { createSocket, type Socket } from 'node:dgram';
import { after, describe, it } from 'node:test';
import { QType } from './dns-constants.js';
import { questionBytes } from './response-writer.js';
import { exchangeUdp, upstreamQuery } from './upstream-exchange.js';

const send = (socket: Socket, msg: Buffer, port: number, host: string): Promise<void> =>
  new Promise((resolve) => socket.send(msg, port, host, () => resolve()));

const bound = (): Promise<Socket> =>
  new Promise((resolve) => {
    const s = createSocket('udp4');
    s.bind(0, '127.0.0.1', () => resolve(s));
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
