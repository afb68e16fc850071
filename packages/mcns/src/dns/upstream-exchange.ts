import { randomInt } from 'node:crypto';
import dgram from 'node:dgram';
import net, { isIP } from 'node:net';
import { sameAddress } from './address-list.js';
import { EDNS_DO, Flag, QType } from './dns-constants.js';
import type { DnsEndpoint } from './dns-config.js';

/**
 * One question to one upstream: over UDP from a fresh socket (a random source port and a random
 * ID per query make spoofed answers hard to land), or over TCP when the UDP answer was
 * truncated. An answer is accepted only if it comes from the upstream's address and port, has
 * our ID, is a response and repeats our question (letter case aside); anything else is ignored
 * until the deadline. Every path ends by the deadline: the socket is closed and the promise
 * settles with undefined.
 */

/** upstreamQuery builds the query sent upstream: RD, the client's question, our OPT with DO. */
export function upstreamQuery(question: Uint8Array, checkingDisabled: boolean, dnssecOk: boolean, udpSize: number): Buffer {
  const out = Buffer.alloc(12 + question.length + 11);
  out.writeUInt16BE(randomInt(0, 0x10000), 0);
  out.writeUInt16BE(Flag.RD | (checkingDisabled ? Flag.CD : 0), 2);
  out.writeUInt16BE(1, 4);
  out.writeUInt16BE(1, 10);
  out.set(question, 12);
  const o = 12 + question.length;
  out[o] = 0;
  out.writeUInt16BE(QType.OPT, o + 1);
  out.writeUInt16BE(udpSize, o + 3);
  out.writeUInt16BE(dnssecOk ? EDNS_DO : 0, o + 7);
  return out;
}

/** matchesQuery tells whether `reply` answers `query` (ID, QR, same question ignoring case). */
export function matchesQuery(reply: Buffer, query: Buffer, questionLength: number): boolean {
  if (reply.length < 12 + questionLength) return false;
  if (reply[0] !== query[0] || reply[1] !== query[1] || (reply[2]! & 0x80) === 0) return false;
  if (reply[4] !== 0 || reply[5] !== 1) return false;
  for (let i = 12; i < 12 + questionLength; i++) {
    let a = reply[i]!;
    let b = query[i]!;
    if (a >= 65 && a <= 90) a += 32;
    if (b >= 65 && b <= 90) b += 32;
    if (a !== b) return false;
  }
  return true;
}

/** exchangeUdp sends `query` to the upstream and resolves with its answer, or undefined. */
export function exchangeUdp(
  upstream: DnsEndpoint,
  query: Buffer,
  questionLength: number,
  timeoutMs: number,
  signal: AbortSignal,
): Promise<Buffer | undefined> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve(undefined); // an abort listener added now would never fire
    const socket = dgram.createSocket(isIP(upstream.host) === 6 ? 'udp6' : 'udp4');
    let done = false;
    const finish = (reply: Buffer | undefined): void => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      signal.removeEventListener('abort', onAbort);
      socket.close();
      resolve(reply);
    };
    const onAbort = (): void => finish(undefined);
    const timer = setTimeout(() => finish(undefined), timeoutMs);
    signal.addEventListener('abort', onAbort);
    socket.on('error', () => finish(undefined));
    socket.on('message', (reply, rinfo) => {
      if (rinfo.port !== upstream.port || !sameAddress(rinfo.address, upstream.host)) return;
      if (matchesQuery(reply, query, questionLength)) finish(reply);
    });
    socket.send(query, upstream.port, upstream.host, (err) => {
      if (err) finish(undefined);
    });
  });
}

/** exchangeTcp sends `query` over a new TCP connection and resolves with the first answer. */
export function exchangeTcp(
  upstream: DnsEndpoint,
  query: Buffer,
  questionLength: number,
  timeoutMs: number,
  signal: AbortSignal,
): Promise<Buffer | undefined> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve(undefined); // an abort listener added now would never fire
    const socket = net.connect({ host: upstream.host, port: upstream.port });
    let pending: Buffer = Buffer.alloc(0);
    let done = false;
    const finish = (reply: Buffer | undefined): void => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      signal.removeEventListener('abort', onAbort);
      socket.destroy();
      resolve(reply);
    };
    const onAbort = (): void => finish(undefined);
    const timer = setTimeout(() => finish(undefined), timeoutMs);
    signal.addEventListener('abort', onAbort);
    socket.on('error', () => finish(undefined));
    socket.on('close', () => finish(undefined));
    socket.on('connect', () => {
      const frame = Buffer.alloc(2 + query.length);
      frame.writeUInt16BE(query.length, 0);
      query.copy(frame, 2);
      socket.write(frame);
    });
    socket.on('data', (chunk: Buffer) => {
      pending = pending.length === 0 ? chunk : Buffer.concat([pending, chunk]);
      while (pending.length >= 2) {
        const length = pending.readUInt16BE(0);
        if (pending.length < 2 + length) return;
        const reply = pending.subarray(2, 2 + length);
        pending = pending.subarray(2 + length);
        if (matchesQuery(reply, query, questionLength)) return finish(Buffer.from(reply));
      }
    });
  });
}
