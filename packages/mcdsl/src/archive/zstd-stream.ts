import type { Duplex } from 'node:stream';
import zlib from 'node:zlib';
import { ZstdCliStream } from './zstd-cli-stream.js';

/**
 * zstd for archives: Node's own zlib zstd when it exists (Node >= 22.15), else the `zstd`
 * program through a pipe (Node 20, which CI runs). Both produce and read standard .zst frames,
 * so archives move freely between the two and the `zstd`/`tar --zstd` tools.
 */

/** ZstdOptions picks the implementation; tests use it to run both. */
export interface ZstdOptions {
  /** 'auto' (default) prefers zlib; 'cli' forces the zstd program */
  readonly implementation?: 'auto' | 'zlib' | 'cli';
  /** the zstd program to run; default 'zstd' from PATH */
  readonly command?: string;
}

type ZstdFactory = () => Duplex;
const zlibZstd = zlib as unknown as { createZstdCompress?: ZstdFactory; createZstdDecompress?: ZstdFactory };

/** hasZlibZstd is true when this Node's zlib can do zstd itself. */
export function hasZlibZstd(): boolean {
  return typeof zlibZstd.createZstdCompress === 'function' && typeof zlibZstd.createZstdDecompress === 'function';
}

/** zstdCompressStream returns a stream that compresses what is written to it. */
export function zstdCompressStream(options: ZstdOptions = {}): Duplex {
  const fromZlib = pick(options) === 'zlib' ? zlibZstd.createZstdCompress : undefined;
  return fromZlib !== undefined ? fromZlib() : new ZstdCliStream(['-q', '-c', '-3'], options.command);
}

/** zstdDecompressStream returns a stream that decompresses what is written to it. */
export function zstdDecompressStream(options: ZstdOptions = {}): Duplex {
  const fromZlib = pick(options) === 'zlib' ? zlibZstd.createZstdDecompress : undefined;
  return fromZlib !== undefined ? fromZlib() : new ZstdCliStream(['-d', '-q', '-c'], options.command);
}

function pick(options: ZstdOptions): 'zlib' | 'cli' {
  const wanted = options.implementation ?? 'auto';
  if (wanted === 'cli') return 'cli';
  if (hasZlibZstd()) return 'zlib';
  if (wanted === 'zlib') throw new Error(`this Node (${process.version}) has no zstd in zlib`);
  return 'cli';
}
