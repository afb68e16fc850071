import { ForbiddenError, UnauthenticatedError, type Caller } from '@metacircular/mcdsl';

/**
 * mcpAgentUsername is the one system account allowed to change any record (spec 2.11): the
 * control plane's node agent, which keeps `<service>.svc.mcp.<domain>` in step with what runs.
 * It is recognised by its exact username together with account type 'system', so a person who
 * happens to be called "mcp-agent" gets nothing from the name.
 */
export const mcpAgentUsername = 'mcp-agent';

/** RecordWriter says who may write which record names; see recordWriterOf. */
export type RecordWriter =
  | { readonly kind: 'any'; readonly why: 'admin' | 'mcp-agent' }
  | { readonly kind: 'own-name'; readonly name: string }
  | { readonly kind: 'none' };

/**
 * recordWriterOf classifies a caller by the spec 2.11 table:
 *   1. the MCIAS `admin` role              -> any record
 *   2. system account named `mcp-agent`    -> any record
 *   3. any other system account X          -> only records whose relative name is exactly X
 *   4. everyone else (people, guests)      -> no record writes (reads only, by the access table)
 * Sub-labels are not included: account `mcq` may write `mcq`, not `api.mcq` (the spec leaves
 * this open; the strict reading keeps one account from shadowing names below another's).
 * The rule holds in every zone: the account's name, not the zone, is what it owns.
 */
export function recordWriterOf(caller: Caller): RecordWriter {
  if (caller.isAdmin) return { kind: 'any', why: 'admin' };
  if (caller.isGuest || caller.accountType !== 'system') return { kind: 'none' };
  if (caller.username === mcpAgentUsername) return { kind: 'any', why: 'mcp-agent' };
  return { kind: 'own-name', name: caller.username.toLowerCase() };
}

/**
 * authorizeRecordWrite is the name-scoped check every record create, update and delete runs,
 * on REST and gRPC alike (both call the same RecordService handler), after the access table
 * has let an authenticated non-guest through and before anything is written. `names` are the
 * relative, normalised names the write touches: the record's name on create and delete, the
 * old and the new name on update. Checks in order, each with its own error:
 *   1. no caller                          -> UnauthenticatedError
 *   2. caller may write no record          -> ForbiddenError (read-only)
 *   3. caller may write only its own name  -> ForbiddenError naming the name it may write
 */
export function authorizeRecordWrite(caller: Caller | undefined, names: readonly string[]): void {
  if (!caller) throw new UnauthenticatedError();
  const writer = recordWriterOf(caller);
  if (writer.kind === 'any') return;
  if (writer.kind === 'none') {
    throw new ForbiddenError(
      'records are read-only for this account: writes need the admin role, the mcp-agent system account, or a system account writing its own name',
      { code: 'ERR_RECORD_READ_ONLY' },
    );
  }
  const foreign = names.find((name) => name !== writer.name);
  if (foreign !== undefined) {
    throw new ForbiddenError(
      `system account ${writer.name} may only change records named ${JSON.stringify(writer.name)}, not ${JSON.stringify(foreign)}`,
      { code: 'ERR_RECORD_NAME_SCOPE' },
    );
  }
}
