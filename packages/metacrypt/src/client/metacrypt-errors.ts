import { errorOfHttpStatus, type McError } from '@metacircular/mcdsl';

/**
 * errorFromResponse turns a non-2xx answer of Metacrypt's REST API into the mcdsl error of the
 * same category (mcdsl errorOfHttpStatus: a sealed 503 is a SealedError), with the operation in
 * front of Metacrypt's `{"error": ...}` text, so a service acting for its own caller can pass it
 * through its edge unchanged (a 403 stays a 403). The token is never part of a message:
 * Metacrypt does not echo it, and `secrets` are cut out anyway.
 */
export function errorFromResponse(operation: string, status: number, body: unknown, secrets: readonly string[] = []): McError {
  let text = (body as { error?: unknown } | undefined)?.error;
  if (typeof text !== 'string' || text === '') text = `status ${status}`;
  for (const secret of secrets) if (secret !== '') text = (text as string).split(secret).join('[redacted]');
  return errorOfHttpStatus(status, `${operation}: ${text as string}`);
}
