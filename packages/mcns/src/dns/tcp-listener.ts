import net from 'node:net';
import type { Logger } from '@metacircular/mcdsl';
import type { QueryEngine, Reply } from './query-engine.js';
import type { BoundListener } from './udp-listener.js';

/** TcpLimits bound what one client can hold open (RFC 7766 6.2). */
export interface TcpLimits {
  /** connections open at once; more are closed at accept (default 512) */
  readonly maxConnections?: number;
  /** a connection with nothing to read or write for this long is closed (default 10 s) */
  readonly idleTimeoutMs?: number;
  /** queries of one connection being answered at once before reading pauses (default 64) */
  readonly maxPipelined?: number;
}

/**
 * bindTcp serves DNS over TCP on `host:port`: 2-byte length framing, any number of queries per
 * connection (pipelined; answers may come back out of order, as RFC 7766 allows), an idle
 * timeout, and a cap on open connections. A zero-length frame ends the connection.
 */
export function bindTcp(
  host: string,
  port: number,
  engine: QueryEngine,
  logger: Logger,
  limits: TcpLimits = {},
): Promise<BoundListener> {
  const sockets = new Set<net.Socket>();
  const server = net.createServer({ noDelay: true }, (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    serveTcpConnection(socket, engine, logger, limits);
  });
  server.maxConnections = limits.maxConnections ?? 512;
  const close = (): Promise<void> =>
    new Promise((resolve) => {
      server.close(() => resolve());
      for (const socket of sockets) socket.destroy();
    });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen({ host, port, exclusive: true }, () => {
      server.off('error', reject);
      server.on('error', (err) => logger.warn({ err }, 'dns: tcp listener error'));
      resolve({ port: (server.address() as net.AddressInfo).port, close });
    });
  });
}

/**
 * serveTcpConnection answers the framed queries of one connection. Reading pauses while
 * `maxPipelined` forwarded queries are outstanding, and while the answers already written have
 * not been taken by the client (the socket needs a drain): a client that sends queries but never
 * reads its answers would otherwise grow this process's memory without bound, by up to 64 KiB
 * per query of a few dozen bytes.
 */
export function serveTcpConnection(
  socket: net.Socket,
  engine: Pick<QueryEngine, 'answer'>,
  logger: Logger,
  limits: TcpLimits = {},
): void {
  const maxPipelined = limits.maxPipelined ?? 64;
  socket.on('error', (err) => logger.debug({ err }, 'dns: tcp connection error'));
  socket.setTimeout(limits.idleTimeoutMs ?? 10_000, () => socket.destroy());
  const client = socket.remoteAddress ?? '';
  let pending: Buffer = Buffer.alloc(0);
  let inFlight = 0;
  let awaitingDrain = false;
  const write = (reply: Reply): void => {
    if (reply === null || socket.destroyed) return;
    const messages = Array.isArray(reply) ? reply : [reply];
    socket.cork();
    for (const message of messages) {
      const frame = Buffer.allocUnsafe(2 + message.length);
      frame.writeUInt16BE(message.length, 0);
      message.copy(frame, 2);
      socket.write(frame);
    }
    socket.uncork();
  };
  const waitForDrain = (): void => {
    if (awaitingDrain) return;
    awaitingDrain = true;
    socket.pause();
    socket.once('drain', () => {
      awaitingDrain = false;
      socket.resume();
      drain();
    });
  };
  const drain = (): void => {
    while (pending.length >= 2 && !socket.destroyed) {
      if (socket.writableNeedDrain) return waitForDrain();
      if (inFlight >= maxPipelined) {
        socket.pause(); // resumed when an answer settles
        return;
      }
      const length = pending.readUInt16BE(0);
      if (length === 0) {
        socket.end();
        return;
      }
      if (pending.length < 2 + length) return;
      const msg = pending.subarray(2, 2 + length);
      pending = pending.subarray(2 + length);
      const reply = engine.answer(msg, 'tcp', client);
      if (reply instanceof Promise) {
        inFlight++;
        void reply.then((r) => {
          inFlight--;
          write(r);
          if (!awaitingDrain && !socket.destroyed) {
            socket.resume();
            drain();
          }
        });
      } else {
        write(reply);
      }
    }
  };
  socket.on('data', (chunk: Buffer) => {
    pending = pending.length === 0 ? chunk : Buffer.concat([pending, chunk]);
    drain();
  });
}
