import type { ParsedQuery } from './query-parser.js';

/**
 * AnswerCache keeps authoritative answers fully encoded, so a repeated question costs a map
 * lookup, a buffer copy and a few patches (ID, RD and CD bits, the question's case) instead of SQLite
 * reads and a dns-packet encode.
 *
 * Why this keeps the spirit of spec 2.7 ("query SQLite on every request, so changes show up
 * immediately"): the cache can only hold answers computed from the database as it is now.
 *  - A write through this process (the REST and gRPC APIs) clears the cache synchronously, from
 *    store.onChange, before the write call returns: the very next query is answered fresh.
 *  - A write by another process (sqlite3 by hand, a restored snapshot) moves the store's change
 *    stamp (PRAGMA data_version). The stamp is read at the first lookup of each event-loop turn
 *    and the whole cache is dropped when it moved. Reading it costs a SQLite read transaction
 *    (several microseconds here, as much as the rest of a cached answer), so it is read once per
 *    turn rather than once per query: a foreign write shows after at most the datagrams already
 *    being handled in the current turn (libuv reads at most 32 per socket per turn).
 *  - Answers are computed after the stamp was read, so a write racing with a miss can only
 *    cause an extra invalidation, never a stale hit.
 */
export class AnswerCache {
  readonly #entries = new Map<string, CachedAnswer>();
  readonly #stampOf: () => string;
  readonly #maxEntries: number;
  #stamp = '';
  #checkedThisTurn = false;
  readonly #endTurn = (): void => {
    this.#checkedThisTurn = false;
  };

  /** `stampOf` is the store's changeStamp; at most `maxEntries` answers are kept (oldest go). */
  constructor(stampOf: () => string, maxEntries = 20_000) {
    this.#stampOf = stampOf;
    this.#maxEntries = maxEntries;
  }

  /** get returns the answer for `key` if the store has not changed since it was computed. */
  get(key: string): CachedAnswer | undefined {
    if (!this.#checkedThisTurn) {
      this.#checkedThisTurn = true;
      setImmediate(this.#endTurn).unref();
      this.validate();
    }
    return this.#entries.get(key);
  }

  /** set stores an answer computed after the last get (under the current stamp). */
  set(key: string, answer: CachedAnswer): void {
    if (this.#maxEntries <= 0) return;
    if (this.#entries.size >= this.#maxEntries) {
      const oldest = this.#entries.keys().next();
      if (!oldest.done) this.#entries.delete(oldest.value);
    }
    this.#entries.set(key, answer);
  }

  /** validate drops every answer if the store changed since the last look. */
  validate(): void {
    const stamp = this.#stampOf();
    if (stamp !== this.#stamp) {
      this.#entries.clear();
      this.#stamp = stamp;
    }
  }

  /** clear drops every answer (an in-process write, seen through store.onChange). */
  clear(): void {
    this.#entries.clear();
  }

  /** size is the number of answers held. */
  get size(): number {
    return this.#entries.size;
  }
}

/** CachedAnswer holds the encodings of one answer, with ID 0 and RD and CD clear. */
export interface CachedAnswer {
  /** every section */
  readonly full: Buffer;
  /** without the additional section's glue (optional data, RFC 2181 9), if there was any */
  readonly trimmed: Buffer | undefined;
  /** TC set, only the question (and OPT): the client retries over TCP */
  readonly truncated: Buffer;
}

/** answerKey is the cache key: the lower-cased question name, the type and the EDNS variant. */
export function answerKey(nameKey: string, query: ParsedQuery): string {
  const edns = query.edns;
  const variant = edns === undefined ? 0 : edns.dnssecOk ? 2 : 1;
  return nameKey + String.fromCharCode(query.qtype, variant);
}

/**
 * renderCached copies the largest encoding that fits in `limit` bytes and patches it for this
 * query: its ID, its RD and CD bits, and its question name exactly as sent (same length, maybe other
 * letter case; the question always starts at offset 12).
 */
export function renderCached(answer: CachedAnswer, msg: Buffer, query: ParsedQuery, limit: number): Buffer {
  let source = answer.full;
  if (source.length > limit) {
    const trimmed = answer.trimmed;
    source = trimmed !== undefined && trimmed.length <= limit ? trimmed : answer.truncated;
  }
  // TypedArray.set and a byte loop: cheaper than Buffer#copy's argument checks for ~100 bytes.
  const out = Buffer.allocUnsafe(source.length);
  out.set(source);
  out[0] = msg[0]!;
  out[1] = msg[1]!;
  out[2] = (source[2]! & 0xfe) | (msg[2]! & 0x01);
  out[3] = source[3]! | (msg[3]! & 0x10); // CD, copied from the query (RFC 4035 3.2.2)
  for (let i = 12, end = query.nameEnd; i < end; i++) out[i] = msg[i]!;
  return out;
}
