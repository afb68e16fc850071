import type { Caller } from '@metacircular/mcdsl';
import type { AuditLog } from './audit-log.js';

const reasons: Readonly<Record<number, string>> = {
  400: 'bad request',
  401: 'unauthenticated',
  403: 'forbidden',
  413: 'request body too large',
  415: 'unsupported content type',
  429: 'rate limited',
  503: 'sealed or unavailable',
};

const malformed = new Set([400, 413, 415]);

/** Refusal is a call refused before any handler ran, on either surface. */
export interface Refusal {
  /** who, when the token was valid (guest, not admin) */
  readonly caller: Caller | undefined;
  /** the REST route ("GET /v1/mounts") or the RPC procedure */
  readonly action: string;
  readonly mount: string;
  /** the HTTP status of the refusal (the gRPC code's equivalent on gRPC) */
  readonly status: number;
  readonly requestId: string;
}

/**
 * recordRefusal writes the audit record of a refused call, the same way for REST and gRPC:
 * refusals of the caller (401, 403, 429, 503) are `deny`, malformed requests `error`, and the
 * reason is the status's fixed text, so nothing from the request reaches the record.
 */
export function recordRefusal(log: AuditLog, r: Refusal): void {
  log.record({
    caller: r.caller?.username,
    accountType: r.caller?.accountType,
    isAdmin: r.caller?.isAdmin ?? false,
    action: r.action,
    mount: r.mount,
    result: malformed.has(r.status) || (r.status >= 500 && r.status !== 503) ? 'error' : 'deny',
    reason: reasons[r.status] ?? `status ${r.status}`,
    requestId: r.requestId,
  });
}
