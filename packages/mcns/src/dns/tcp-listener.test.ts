import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import type net from 'node:net';
import { describe, it } from 'node:test';
import { createLogger } from '@metacircular/mcdsl';
import type { Reply } from './query-engine.js';
import { serveTcpConnection } from './tcp-listener.js';

const logger = createLogger({ service: 'mcns-test', level: 'error' });

/**
 * FakeSocket is the part of net.Socket serveTcpConnection uses, with a client that reads only
 * when told to (flush): it shows exactly how much the server buffers for a client that does not
 * read, which a real socket hides behind kernel buffers of unknown size.
 */
class FakeSocket extends EventEmitter {
  readonly remoteAddress = '127.0.0.1';
  destroyed = false;
  paused = false;
  writableLength = 0;
  maxUnsent = 0;
  frames = 0;
  get writableNeedDrain(): boolean {
    return this.writableLength >= 16_384; // net.Socket's default highWaterMark
  }
  setTimeout(): this {
    return this;
  }
  cork(): void {}
  uncork(): void {}
  pause(): this {
    this.paused = true;
    return this;
  }
  resume(): this {
    this.paused = false;
    return this;
  }
  write(frame: Buffer): boolean {
    this.writableLength += frame.length;
    this.maxUnsent = Math.max(this.maxUnsent, this.writableLength);
    this.frames++;
    return !this.writableNeedDrain;
  }
  end(): void {}
  destroy(): void {
    this.destroyed = true;
  }
  /** flush is the client reading everything written so far. */
  flush(): void {
    this.writableLength = 0;
    this.emit('drain');
  }
}

function frames(count: number): Buffer {
  const query = Buffer.alloc(29); // the size hardly matters: the engine below ignores it
  const one = Buffer.alloc(2 + query.length);
  one.writeUInt16BE(query.length, 0);
  query.copy(one, 2);
  return Buffer.concat(Array.from({ length: count }, () => one));
}

describe('serveTcpConnection', () => {
  it('stops reading while the client leaves its answers unread, and goes on once it reads', () => {
    const socket = new FakeSocket();
    let answered = 0;
    const engine = {
      answer: (): Reply => {
        answered++;
        return Buffer.alloc(4000); // a big answer to a small query: amplification
      },
    };
    serveTcpConnection(socket as unknown as net.Socket, engine, logger);
    socket.emit('data', frames(1000));
    assert.ok(answered <= 5, `${answered} queries answered for a client that reads nothing`);
    assert.equal(socket.paused, true, 'reading paused');
    assert.ok(socket.maxUnsent < 16_384 + 4002, `${socket.maxUnsent} bytes held for the client`);
    for (let i = 0; i < 1000 && answered < 1000; i++) socket.flush();
    assert.equal(answered, 1000, 'every query is answered once the client reads');
    assert.equal(socket.frames, 1000);
    assert.ok(socket.maxUnsent < 16_384 + 4002, `${socket.maxUnsent} bytes held for the client`);
  });

  it('answers at most maxPipelined slow (forwarded) queries at once', async () => {
    const socket = new FakeSocket();
    const waiting: Array<() => void> = [];
    const engine = {
      answer: (): Promise<Reply> =>
        new Promise<Reply>((resolve) => {
          waiting.push(() => resolve(Buffer.alloc(50)));
        }),
    };
    serveTcpConnection(socket as unknown as net.Socket, engine, logger, { maxPipelined: 2 });
    socket.emit('data', frames(5));
    assert.equal(waiting.length, 2);
    assert.equal(socket.paused, true);
    waiting.shift()!();
    await new Promise((r) => setImmediate(r));
    assert.equal(waiting.length, 2, 'one answered, the next query taken');
    assert.equal(socket.frames, 1);
    while (waiting.length > 0) {
      waiting.shift()!();
      await new Promise((r) => setImmediate(r));
    }
    assert.equal(socket.frames, 5);
  });
});
