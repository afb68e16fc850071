import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { InvalidRequestError, NotFoundError, UnauthenticatedError } from '@metacircular/mcdsl';
import { MciasClient, type Account } from '../../client/index.js';
import { defaultTokenFile, readTokenFile } from './token-file.js';

/** GlobalOptions are the options given before the command (see mciasctl --help). */
export interface GlobalOptions {
  server?: string;
  tokenFile?: string;
  cacert?: string;
  json?: boolean;
}

/** TokenSource says where the token a command acts with came from. */
export type TokenSource = { kind: 'env' } | { kind: 'file'; path: string };

/** TokenMode says whether a command acts with the logged-in token or sends none. */
export type TokenMode = 'required' | 'none';

/** LoginContext is the service context login sends for the login policy. */
export interface LoginContext {
  readonly serviceName?: string;
  readonly tags?: readonly string[];
}

/** Session is a connected client and, when it holds one, where its token came from. */
export interface Session {
  readonly client: MciasClient;
  readonly tokenSource?: TokenSource;
}

/** notLoggedInHint is what every command that needs a token suggests when it has none (or a bad one). */
export const notLoggedInHint = 'run `mciasctl login <username>`, pass --token-file <path> or set MCIAS_TOKEN';

/**
 * Ctl is what every command needs from the global options: the output mode, a connected
 * client (with or without a token) and where login should keep its token. It reads the options
 * when a command runs, after commander has parsed them, and env vars fill what was not given:
 * MCIAS_SERVER, MCIAS_CACERT, MCIAS_TOKEN_FILE and MCIAS_TOKEN (the token itself, for scripts).
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

  /** tokenFilePath is where login writes and other commands read the token. */
  get tokenFilePath(): string {
    return this.#globals.tokenFile ?? nonEmpty(this.#env.MCIAS_TOKEN_FILE) ?? defaultTokenFile(this.#env);
  }

  /** tokenFileExplicit reports whether the token file was named (flag or env) rather than defaulted. */
  get tokenFileExplicit(): boolean {
    return this.#globals.tokenFile !== undefined || nonEmpty(this.#env.MCIAS_TOKEN_FILE) !== undefined;
  }

  /**
   * connect builds a client for --server/MCIAS_SERVER. With `token: 'required'` it loads the
   * token (an explicit token file, else MCIAS_TOKEN, else the default file) and fails with a
   * hint when there is none; with 'none' it sends none (login, vault status, unseal).
   */
  async connect(token: TokenMode = 'required', loginContext: LoginContext = {}): Promise<Session> {
    const server = this.#globals.server ?? nonEmpty(this.#env.MCIAS_SERVER);
    if (server === undefined) {
      throw new InvalidRequestError('no server: pass --server https://<host>:<port> or set MCIAS_SERVER', {
        code: 'ERR_NO_SERVER',
      });
    }
    if (!/^https:\/\/[^/\s]+/.test(server)) {
      throw new InvalidRequestError(`server ${server} is not an https:// URL; pass --server https://<host>:<port>`, {
        code: 'ERR_NO_SERVER',
      });
    }
    const cacertPath = this.#globals.cacert ?? nonEmpty(this.#env.MCIAS_CACERT);
    const caCert = cacertPath === undefined ? undefined : await readCACert(cacertPath);
    let tokenValue: string | undefined;
    let tokenSource: TokenSource | undefined;
    if (token === 'required') {
      ({ token: tokenValue, source: tokenSource } = await this.#loadToken());
    }
    const client = new MciasClient({
      serverUrl: server,
      ...(caCert !== undefined ? { caCert } : {}),
      ...(tokenValue !== undefined ? { token: tokenValue } : {}),
      ...(loginContext.serviceName !== undefined ? { serviceName: loginContext.serviceName } : {}),
      ...(loginContext.tags !== undefined && loginContext.tags.length > 0 ? { tags: loginContext.tags } : {}),
    });
    return { client, ...(tokenSource ? { tokenSource } : {}) };
  }

  /** withSession runs `fn` with a connected session and closes its connections afterwards. */
  async withSession<T>(token: TokenMode, fn: (session: Session) => Promise<T>, loginContext: LoginContext = {}): Promise<T> {
    const session = await this.connect(token, loginContext);
    try {
      return await fn(session);
    } finally {
      session.client.close();
    }
  }

  async #loadToken(): Promise<{ token: string; source: TokenSource }> {
    const envToken = nonEmpty(this.#env.MCIAS_TOKEN)?.trim();
    if (!this.tokenFileExplicit && envToken) return { token: envToken, source: { kind: 'env' } };
    const path = this.tokenFilePath;
    const fromFile = await readTokenFile(path);
    if (fromFile !== undefined) return { token: fromFile, source: { kind: 'file', path } };
    throw new UnauthenticatedError(`not logged in (no token in ${path}): ${notLoggedInHint}`, { code: 'ERR_NOT_LOGGED_IN' });
  }
}

/** uuidPattern matches an account id; anything else given for an account is a username. */
const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * resolveAccount finds the account a user named on the command line, by id or by username
 * (through the account list; an active account wins over a deleted one of the same name).
 */
export async function resolveAccount(client: MciasClient, ref: string): Promise<Account> {
  if (uuidPattern.test(ref)) return client.getAccount(ref.toLowerCase());
  const matches = (await client.listAccounts({ includeDeleted: true })).filter((a) => a.username === ref);
  const account = matches.find((a) => a.status !== 'deleted') ?? matches[0];
  if (!account) {
    throw new NotFoundError(`no account named "${ref}"; see \`mciasctl account list\``, { code: 'ERR_NO_SUCH_ACCOUNT' });
  }
  return account;
}

/** resolveAccountId is resolveAccount when only the id is needed (an id is used as given). */
export async function resolveAccountId(client: MciasClient, ref: string): Promise<string> {
  return uuidPattern.test(ref) ? ref.toLowerCase() : (await resolveAccount(client, ref)).id;
}

async function readCACert(path: string): Promise<Buffer> {
  try {
    return await readFile(path);
  } catch (err) {
    const reason = (err as NodeJS.ErrnoException).code === 'ENOENT' ? 'not found' : (err as Error).message;
    throw new InvalidRequestError(`cacert ${path}: ${reason}; pass --cacert <path to the CA's PEM> or set MCIAS_CACERT`, {
      code: 'ERR_CACERT',
    });
  }
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value === '' ? undefined : value;
}
