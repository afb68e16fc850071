import { readFile, stat } from 'node:fs/promises';
import type { Command } from 'commander';
import { InvalidRequestError, UnauthenticatedError } from '@metacircular/mcdsl';
import { McnsApi } from './mcns-api.js';

/** GlobalOptions are the options given before (or after) the command; see mcnsctl --help. */
export interface GlobalOptions {
  server?: string;
  caCert?: string;
  tokenFile?: string;
  json?: boolean;
}

/** tokenHint is what every failure about the token suggests. */
export const tokenHint =
  'pass --token-file <path> (e.g. the one `mciasctl login` writes, ~/.config/mciasctl/token) or set MCNS_TOKEN';

/**
 * Ctl is what every command needs from the global options: the output mode and a connected
 * client. It reads the options when a command runs, and env vars fill what was not given:
 * MCNS_SERVER, MCNS_CA_CERT, MCNS_TOKEN_FILE, and MCNS_TOKEN (the token itself, for scripts).
 * Tokens come from a file or the environment, never from argv, where every local user sees them.
 */
export class Ctl {
  readonly #program: Command;
  readonly #env: NodeJS.ProcessEnv;

  constructor(program: Command, env: NodeJS.ProcessEnv = process.env) {
    this.#program = program;
    this.#env = env;
  }

  get #globals(): GlobalOptions {
    return this.#program.opts<GlobalOptions>();
  }

  /** json reports whether --json was given. */
  get json(): boolean {
    return this.#globals.json === true;
  }

  /** withApi runs `fn` with a connected client and closes its connections afterwards. */
  async withApi<T>(fn: (api: McnsApi) => Promise<T>): Promise<T> {
    const server = this.#globals.server ?? nonEmpty(this.#env.MCNS_SERVER);
    if (server === undefined) {
      throw new InvalidRequestError('no server: pass --server https://<host>:<port> or set MCNS_SERVER', { code: 'ERR_USAGE' });
    }
    if (!/^https:\/\/[^/\s]+/.test(server)) {
      throw new InvalidRequestError(`server ${server} is not an https:// URL; pass --server https://<host>:<port>`, {
        code: 'ERR_USAGE',
      });
    }
    const caPath = this.#globals.caCert ?? nonEmpty(this.#env.MCNS_CA_CERT);
    const caCert = caPath === undefined ? undefined : await readCACert(caPath);
    const api = new McnsApi({ server, token: await this.#token(), ...(caCert ? { caCert } : {}) });
    try {
      return await fn(api);
    } finally {
      api.close();
    }
  }

  async #token(): Promise<string> {
    const file = this.#globals.tokenFile ?? nonEmpty(this.#env.MCNS_TOKEN_FILE);
    if (file !== undefined) return readTokenFile(file);
    const token = nonEmpty(this.#env.MCNS_TOKEN)?.trim();
    if (token) return token;
    throw new UnauthenticatedError(`no token: ${tokenHint}`, { code: 'ERR_NOT_LOGGED_IN' });
  }
}

/** readTokenFile reads a token file, refusing one other users can read (as ssh refuses a loose key). */
export async function readTokenFile(path: string): Promise<string> {
  let mode: number;
  try {
    mode = (await stat(path)).mode;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') {
      throw new UnauthenticatedError(`token file ${path} does not exist: ${tokenHint}`, { code: 'ERR_NOT_LOGGED_IN' });
    }
    throw err;
  }
  if ((mode & 0o077) !== 0) {
    throw new InvalidRequestError(
      `token file ${path} is readable by other users (mode ${(mode & 0o777).toString(8).padStart(4, '0')}); run chmod 600 on it`,
      { code: 'ERR_TOKEN_FILE_MODE' },
    );
  }
  const token = (await readFile(path, 'utf8')).trim();
  if (token === '') throw new UnauthenticatedError(`token file ${path} is empty: ${tokenHint}`, { code: 'ERR_NOT_LOGGED_IN' });
  return token;
}

async function readCACert(path: string): Promise<Buffer> {
  try {
    return await readFile(path);
  } catch (err) {
    const reason = (err as NodeJS.ErrnoException).code === 'ENOENT' ? 'not found' : (err as Error).message;
    throw new InvalidRequestError(`ca cert ${path}: ${reason}; pass --ca-cert <path to the CA's PEM> or set MCNS_CA_CERT`, {
      code: 'ERR_USAGE',
    });
  }
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value === '' ? undefined : value;
}
