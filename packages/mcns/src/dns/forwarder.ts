import { Flag, Rcode } from './dns-constants.js';
import type { DnsEndpoint } from './dns-config.js';
import { cacheTtlOf, type ForwardCache, forwardKey } from './forward-cache.js';
import { questionEndOf, walkRecords } from './message-walker.js';
import type { ParsedQuery } from './query-parser.js';
import { errorResponse, type ResponseOpt } from './response-writer.js';
import { renderUpstream } from './upstream-answer.js';
import { exchangeTcp, exchangeUdp, upstreamQuery } from './upstream-exchange.js';

/** ForwarderOptions configure forwarding (spec 2.8). */
export interface ForwarderOptions {
  /** tried in order; the next one on timeout, error or SERVFAIL */
  readonly upstreams: readonly DnsEndpoint[];
  /** per upstream and per transport */
  readonly timeoutMs: number;
  readonly cache: ForwardCache;
  /** cap on the cached lifetime, seconds */
  readonly maxTtlSeconds: number;
  /** the EDNS size we ask upstreams for */
  readonly udpPayloadSize: number;
  /** distinct questions in flight at once; more are answered SERVFAIL at once */
  readonly maxInFlight?: number;
}

/**
 * Forwarder answers names outside the zones from its cache or from the upstreams. Identical
 * questions in flight share one upstream exchange. Answers are cached only when cacheTtlOf
 * allows (never SERVFAIL or REFUSED, never empty); when every upstream fails the client gets
 * SERVFAIL, which is not cached either.
 */
export class Forwarder {
  readonly #options: ForwarderOptions;
  readonly #inFlight = new Map<string, Promise<Buffer | undefined>>();
  readonly #abort = new AbortController();

  /** Forwarder does no I/O until asked a question. */
  constructor(options: ForwarderOptions) {
    this.#options = options;
  }

  /** resolve answers `query` (from `msg`) for a client whose UDP limit is `limit` bytes. */
  async resolve(msg: Buffer, query: ParsedQuery, nameKey: string, limit: number, opt: ResponseOpt | undefined): Promise<Buffer> {
    const dnssecOk = query.edns?.dnssecOk === true;
    const checkingDisabled = (query.flags & Flag.CD) !== 0;
    const key = forwardKey(nameKey, query.qtype, query.qclass, dnssecOk, checkingDisabled);
    const hit = this.#options.cache.get(key);
    if (hit) {
      const out = renderUpstream(hit.message, hit.ageSeconds, msg, query, limit, opt);
      if (out) return out;
    }
    let pending = this.#inFlight.get(key);
    if (pending === undefined) {
      if (this.#inFlight.size >= (this.#options.maxInFlight ?? 1000)) return this.#servfail(msg, query, opt);
      const question = Buffer.from(msg.subarray(12, query.questionEnd));
      pending = this.#fetch(key, question, checkingDisabled, dnssecOk).finally(() => this.#inFlight.delete(key));
      this.#inFlight.set(key, pending);
    }
    const reply = await pending;
    const out = reply === undefined ? undefined : renderUpstream(reply, 0, msg, query, limit, opt);
    return out ?? this.#servfail(msg, query, opt);
  }

  /** close abandons every exchange in flight (their clients get SERVFAIL). */
  close(): void {
    this.#abort.abort();
  }

  async #fetch(key: string, question: Buffer, checkingDisabled: boolean, dnssecOk: boolean): Promise<Buffer | undefined> {
    const { upstreams, timeoutMs, cache, maxTtlSeconds, udpPayloadSize } = this.#options;
    const signal = this.#abort.signal;
    for (const upstream of upstreams) {
      if (signal.aborted) return undefined;
      const query = upstreamQuery(question, checkingDisabled, dnssecOk, udpSize(udpPayloadSize));
      let reply = await exchangeUdp(upstream, query, question.length, timeoutMs, signal);
      if (reply !== undefined && (reply[2]! & (Flag.TC >> 8)) !== 0) {
        // close() may have come while the UDP answer was on its way: do not start the TCP retry.
        if (signal.aborted) return undefined;
        reply = await exchangeTcp(upstream, query, question.length, timeoutMs, signal);
      }
      if (reply === undefined || (reply[3]! & 0xf) === Rcode.SERVFAIL) continue;
      const questionEnd = questionEndOf(reply);
      if (questionEnd < 0 || walkRecords(reply, questionEnd) === undefined) continue;
      cache.set(key, reply, cacheTtlOf(reply, maxTtlSeconds));
      return reply;
    }
    return undefined;
  }

  #servfail(msg: Buffer, query: ParsedQuery, opt: ResponseOpt | undefined): Buffer {
    return errorResponse(query.id, query.flags, Rcode.SERVFAIL, msg.subarray(12, query.questionEnd), opt, Flag.RA);
  }
}

// Ask upstreams for at least 1232 bytes so that the TCP retry is rare; the client's own limit
// is applied when the answer is rendered for it.
function udpSize(ours: number): number {
  return Math.max(ours, 1232);
}
