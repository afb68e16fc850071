import { spawn } from 'node:child_process';
import { Duplex } from 'node:stream';
import { UnavailableError } from '../errors/index.js';

/**
 * ZstdCliStream pipes data through the `zstd` program (stdin to stdout), for Node versions
 * whose zlib has no zstd (before 22.15). Its readable side ends only after zstd has exited
 * with status 0, so a corrupt input or a crash is an error on the stream, never a silently
 * truncated output. A missing binary is an UnavailableError saying to install zstd.
 */
export class ZstdCliStream extends Duplex {
  readonly #child;
  #stderr = '';
  #exited = false;

  constructor(args: readonly string[], command = 'zstd') {
    super();
    this.#child = spawn(command, [...args], { stdio: ['pipe', 'pipe', 'pipe'] });
    const child = this.#child;
    child.on('error', (err: NodeJS.ErrnoException) => {
      this.#exited = true;
      this.destroy(
        err.code === 'ENOENT'
          ? new UnavailableError(
              `zstd compression needs the zstd program on Node < 22.15, and ${command} was not found: install the zstd package (e.g. apt-get install zstd)`,
              { code: 'ERR_ZSTD_MISSING', cause: err },
            )
          : err,
      );
    });
    child.stdout.on('data', (chunk: Buffer) => {
      if (!this.push(chunk)) child.stdout.pause();
    });
    child.stderr.on('data', (chunk: Buffer) => {
      if (this.#stderr.length < 4096) this.#stderr += chunk.toString('utf8');
    });
    // An early exit makes stdin writes fail with EPIPE; the exit status below is the real error.
    child.stdin.on('error', () => undefined);
    child.on('close', (code, signal) => {
      this.#exited = true;
      if (code === 0) this.push(null);
      else {
        const why = this.#stderr.trim().split('\n').pop() ?? '';
        this.destroy(new Error(`zstd ${args.join(' ')} failed (${signal ?? `exit ${String(code)}`})${why ? `: ${why}` : ''}`));
      }
    });
  }

  override _read(): void {
    this.#child.stdout.resume();
  }

  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: (err?: Error | null) => void): void {
    if (this.#child.stdin.write(chunk)) callback();
    else this.#child.stdin.once('drain', () => callback());
  }

  override _final(callback: (err?: Error | null) => void): void {
    this.#child.stdin.end(() => callback());
  }

  override _destroy(err: Error | null, callback: (err?: Error | null) => void): void {
    if (!this.#exited) this.#child.kill('SIGKILL');
    callback(err);
  }
}
