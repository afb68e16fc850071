import { StringDecoder } from 'node:string_decoder';
import { InvalidRequestError } from '../errors/index.js';

/** ReadPasswordOptions lets tests and CLIs pick the terminal streams. */
export interface ReadPasswordOptions {
  /** the terminal to read from; default process.stdin */
  readonly input?: NodeJS.ReadStream;
  /** where the prompt goes; default process.stderr, so stdout stays the command's output */
  readonly output?: NodeJS.WriteStream;
}

/**
 * readPassword prompts on a terminal and reads one line with echo off. The order matters:
 *
 *   1. refuse unless input is a TTY (a pipe would be read by a line scanner, and a terminal
 *      would echo: use --password-stdin or --password-file instead);
 *   2. switch the terminal to raw mode (no echo, no line editing) BEFORE writing the prompt, so
 *      nothing typed after the prompt appears can ever be echoed;
 *   3. read keys: Enter ends, Backspace/DEL deletes a character, Ctrl-U clears the line,
 *      Ctrl-C rejects with code ERR_INTERRUPTED (CLIs exit 130 on it), Ctrl-D on an empty
 *      line rejects (end of input); other control keys and escape sequences are ignored;
 *   4. restore the previous mode and write the newline the user's Enter did not echo, on
 *      every path, including errors.
 */
export function readPassword(prompt: string, options: ReadPasswordOptions = {}): Promise<string> {
  const input = options.input ?? process.stdin;
  const output = options.output ?? process.stderr;
  if (!input.isTTY) {
    return Promise.reject(
      new InvalidRequestError(
        'cannot prompt for a password: standard input is not a terminal; use --password-stdin or --password-file',
        { code: 'ERR_NOT_A_TERMINAL' },
      ),
    );
  }
  const wasRaw = input.isRaw;
  // A fresh stdin is neither paused nor flowing (readableFlowing === null); leaving it flowing
  // after the prompt would keep the process alive, so only a stream that was flowing stays so.
  const wasFlowing = input.readableFlowing === true;
  return new Promise<string>((resolve, reject) => {
    const decoder = new StringDecoder('utf8');
    const chars: string[] = [];
    let escape = false;
    const finish = (err: Error | undefined): void => {
      input.off('data', onData);
      input.off('end', onEnd);
      input.off('error', onError);
      input.setRawMode(wasRaw);
      if (!wasFlowing) input.pause();
      output.write('\n');
      if (err !== undefined) reject(err);
      else resolve(chars.join(''));
      chars.fill('');
    };
    const onData = (chunk: Buffer | string): void => {
      const text = typeof chunk === 'string' ? chunk : decoder.write(chunk);
      for (const ch of text) {
        if (escape) {
          // Skip an escape sequence (arrow keys and the like) up to its final letter or '~'.
          if (/[A-Za-z~]/.test(ch)) escape = false;
          continue;
        }
        switch (ch) {
          case '\r':
          case '\n':
            finish(undefined);
            return;
          case '\x03':
            finish(new InvalidRequestError('interrupted', { code: 'ERR_INTERRUPTED' }));
            return;
          case '\x04':
            if (chars.length === 0) {
              finish(new InvalidRequestError('no password entered (end of input)', { code: 'ERR_NO_PASSWORD' }));
              return;
            }
            break;
          case '\x7f':
          case '\b':
            chars.pop();
            break;
          case '\x15':
            chars.length = 0;
            break;
          case '\x1b':
            escape = true;
            break;
          default:
            if (ch >= ' ') chars.push(ch);
        }
      }
    };
    const onEnd = (): void => finish(new InvalidRequestError('no password entered (end of input)', { code: 'ERR_NO_PASSWORD' }));
    const onError = (err: Error): void => finish(err);
    try {
      input.setRawMode(true);
    } catch (err) {
      reject(err instanceof Error ? err : new Error(String(err)));
      return;
    }
    input.on('data', onData);
    input.on('end', onEnd);
    input.on('error', onError);
    input.resume();
    output.write(prompt);
  });
}
