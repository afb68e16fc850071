import dgram from 'node:dgram';
import { isIP } from 'node:net';
import type { Logger } from '@metacircular/mcdsl';
import type { QueryEngine } from './query-engine.js';

/** BoundListener is one bound socket: its port (the kernel's pick for port 0) and how to close it. */
export interface BoundListener {
  readonly port: number;
  /** the UDP socket, to hand to worker processes (undefined for TCP) */
  readonly udp?: dgram.Socket;
  close(): Promise<void>;
}

/**
 * bindUdp opens one UDP socket on `host:port` ('::' is dual-stack: IPv4 clients arrive as
 * IPv4-mapped addresses) and answers its datagrams through the engine. Receive and send buffers
 * are raised (the kernel caps them at net.core.[rw]mem_max) so bursts queue instead of being
 * dropped.
 */
export function bindUdp(host: string, port: number, engine: QueryEngine, logger: Logger): Promise<BoundListener> {
  const socket = dgram.createSocket({ type: isIP(host) === 6 ? 'udp6' : 'udp4', ipv6Only: false, lookup: literalLookup });
  return new Promise((resolve, reject) => {
    const onListenError = (err: Error): void => {
      socket.close();
      reject(err);
    };
    socket.once('error', onListenError);
    socket.bind({ address: host, port, exclusive: true }, () => {
      socket.off('error', onListenError);
      try {
        socket.setRecvBufferSize(4 * 1024 * 1024);
        socket.setSendBufferSize(4 * 1024 * 1024);
      } catch {
        // not allowed here; the defaults work, just with less headroom for bursts
      }
      attachUdp(socket, engine, logger);
      const close = (): Promise<void> => new Promise((done) => socket.close(() => done()));
      resolve({ port: socket.address().port, udp: socket, close });
    });
  });
}

/**
 * attachUdp answers every datagram of a bound socket through the engine. The synchronous path
 * (every authoritative answer) sends before the next datagram is read; forwarded answers are
 * sent when their promise settles. After bind, socket errors are per datagram (an ICMP
 * unreachable after a send): logged at debug, and serving goes on.
 */
export function attachUdp(socket: dgram.Socket, engine: QueryEngine, logger: Logger): void {
  socket.on('error', (err) => logger.debug({ err }, 'dns: udp socket error'));
  socket.on('message', (msg, rinfo) => {
    const reply = engine.answer(msg, 'udp', rinfo.address);
    if (reply === null) return;
    if (reply instanceof Uint8Array) {
      socket.send(reply, rinfo.port, rinfo.address);
      return;
    }
    if (Array.isArray(reply)) return; // zone transfers are TCP-only; the engine never does this
    void reply.then((r) => {
      if (!(r instanceof Uint8Array)) return;
      try {
        socket.send(r, rinfo.port, rinfo.address);
      } catch {
        // The socket was closed (shutdown) while the upstream was being asked: send throws
        // synchronously, which here would be an unhandled rejection. The client is abandoned.
      }
    });
  });
}

/**
 * literalLookup is the socket's address "resolver": replies only ever go to the address a
 * datagram came from, always an IP literal, so it is handed straight back instead of going
 * through dns.lookup and a process.nextTick.
 */
function literalLookup(
  address: string,
  family: unknown,
  callback: (err: NodeJS.ErrnoException | null, address: string, family: number) => void,
): void {
  callback(null, address, family === 6 ? 6 : 4);
}
