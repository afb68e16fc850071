import { pino } from 'pino';
import type { DestinationStream, Logger } from 'pino';

/** LogLevel is a level a service may be configured with (`[log] level`). */
export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

/** LoggerOptions configures createLogger. */
export interface LoggerOptions {
  /** lowest level written; default 'info' */
  readonly level?: LogLevel;
  /** the service name, on every line as `service` */
  readonly service: string;
  /** a stream, a file descriptor or a file path; default stderr (fd 2) */
  readonly destination?: DestinationStream | number | string;
}

/**
 * secretFieldNames are the field names whose values never reach a log line, wherever they are
 * (top level, one or two levels down). Matching is by exact name, as pino's redaction is.
 */
export const secretFieldNames = [
  'password',
  'passphrase',
  'new_password',
  'old_password',
  'token',
  'access_token',
  'refresh_token',
  'secret',
  'client_secret',
  'key',
  'private_key',
  'unseal_key',
  'authorization',
  'cookie',
  'set-cookie',
  'totp_code',
  'totp_secret',
] as const;

const redactPaths = secretFieldNames.flatMap((name) => {
  const field = /^[a-z_]+$/.test(name) ? name : `["${name}"]`;
  const dotted = field.startsWith('[') ? field : `.${field}`;
  return [field, `*${dotted}`, `*.*${dotted}`];
});

/**
 * createLogger returns the service's pino logger: JSON lines with an ISO time, the level as a
 * word and `service` on every line, and any field named in secretFieldNames (a password, a
 * token, `req.headers.authorization`, a cookie...) replaced by "[redacted]". Children made with
 * `.child()` keep the redaction. The default destination is stderr, so a CLI's stdout stays
 * its own output. Writes to a path or descriptor are synchronous: the line that explains a
 * crash or a refusal to start is written before the process exits.
 */
export function createLogger(options: LoggerOptions): Logger {
  const destination =
    typeof options.destination === 'object'
      ? options.destination
      : typeof options.destination === 'string'
        ? pino.destination({ dest: options.destination, mkdir: true, sync: true })
        : pino.destination({ dest: options.destination ?? 2, sync: true });
  return pino(
    {
      level: options.level ?? 'info',
      base: { service: options.service, pid: process.pid },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
      redact: { paths: redactPaths, censor: '[redacted]' },
    },
    destination,
  );
}
