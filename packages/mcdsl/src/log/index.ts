/**
 * log: structured JSON logs with pino, with secrets redacted by field name.
 *
 * `createLogger({ service, level, destination })` gives every service the same line shape
 * (time, level, service, msg, fields) and replaces passwords, tokens, keys, cookies and
 * authorization headers with "[redacted]" at the top level and nested (e.g.
 * `req.headers.authorization`). Redaction is a safety net: code still must not log secrets.
 */
export { createLogger, secretFieldNames } from './create-logger.js';
export type { LoggerOptions, LogLevel } from './create-logger.js';
export type { Logger } from 'pino';
