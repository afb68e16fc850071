import type { Logger } from '@metacircular/mcdsl';
import type { AddressList } from './address-list.js';
import { AnswerCache, answerKey, type CachedAnswer, renderCached } from './answer-cache.js';
import { answerAuthoritative } from './authoritative-answerer.js';
import { CLASS_IN, CLASSIC_UDP_SIZE, Flag, Opcode, QType, Rcode } from './dns-constants.js';
import type { DnsStore } from './dns-store.js';
import type { Forwarder } from './forwarder.js';
import { nameKeyOf, parseQuery, type ParsedQuery, wireNameText } from './query-parser.js';
import { soaAnswer } from './record-data.js';
import { encodeResponse, errorResponse, formErrResponse, type ResponseOpt, truncatedResponse } from './response-writer.js';
import { zoneTransfer } from './zone-transfer.js';

/** QueryEngineOptions are the engine's collaborators and limits. */
export interface QueryEngineOptions {
  readonly store: DnsStore;
  readonly logger: Logger;
  /** the EDNS size we advertise and the largest UDP answer we send */
  readonly udpPayloadSize: number;
  /** undefined when no upstreams are configured (RA clear, outside names REFUSED) */
  readonly forwarder: Forwarder | undefined;
  readonly recursionAllow: AddressList;
  readonly transferAllow: AddressList;
  /** encoded authoritative answers kept (default 20,000) */
  readonly answerCacheEntries?: number;
}

/** Transport is where a query came in; it decides the size limit and whether AXFR is possible. */
export type Transport = 'udp' | 'tcp';

/** Reply is what goes back: one message, several (AXFR over TCP), or nothing (garbage). */
export type Reply = Buffer | Buffer[] | null;

/**
 * QueryEngine answers one DNS message, whatever the transport. The order of checks:
 *
 *  1. shorter than a header, or a response: dropped; a broken body: FORMERR;
 *  2. opcode other than QUERY (NOTIFY, UPDATE...): NOTIMP; EDNS version above 0: BADVERS;
 *  3. class other than IN: REFUSED;
 *  4. AXFR/IXFR: the transfer ACL, then the zone transfer (TCP) or a lone SOA (IXFR over UDP);
 *  5. the encoded-answer cache (the fast path), then the zones (longest match) from the store;
 *  6. names outside every zone: forwarded for clients in recursion_allow when upstreams are
 *     configured, REFUSED otherwise.
 *
 * Any exception becomes SERVFAIL (or silence if not even the header was readable): a bad packet
 * must never take the server down.
 */
export class QueryEngine {
  readonly #options: QueryEngineOptions;
  readonly #answers: AnswerCache;
  readonly #ra: number;

  /** QueryEngine holds no sockets; listeners feed it messages. */
  constructor(options: QueryEngineOptions) {
    this.#options = options;
    this.#ra = options.forwarder ? Flag.RA : 0;
    this.#answers = new AnswerCache(() => options.store.changeStamp(), options.answerCacheEntries ?? 20_000);
  }

  /** answer handles one message from `client` (its IP address) and returns the reply. */
  answer(msg: Buffer, transport: Transport, client: string): Reply | Promise<Reply> {
    let query: ParsedQuery | undefined;
    try {
      const parsed = parseQuery(msg);
      if (parsed.kind !== 'query') return parsed.kind === 'drop' ? null : formErrResponse(msg);
      query = parsed;
      const edns = query.edns;
      if (query.opcode !== Opcode.QUERY) return this.#error(msg, query, Rcode.NOTIMP);
      if (edns !== undefined && edns.version > 0) return this.#error(msg, query, Rcode.BADVERS);
      if (query.qclass !== CLASS_IN) return this.#error(msg, query, Rcode.REFUSED);
      const limit =
        transport === 'tcp'
          ? 65535
          : edns === undefined
            ? CLASSIC_UDP_SIZE
            : Math.min(Math.max(edns.udpSize, CLASSIC_UDP_SIZE), this.#options.udpPayloadSize);
      const nameKey = nameKeyOf(msg, query);
      if (query.qtype === QType.AXFR || query.qtype === QType.IXFR) return this.#transfer(msg, query, transport, client);
      const key = answerKey(nameKey, query);
      const cached = this.#answers.get(key);
      if (cached !== undefined) return renderCached(cached, msg, query, limit);
      const fresh = this.#authoritative(msg, query);
      if (fresh !== undefined) {
        this.#answers.set(key, fresh);
        return renderCached(fresh, msg, query, limit);
      }
      return this.#forward(msg, query, nameKey, client, limit);
    } catch (err) {
      this.#options.logger.warn({ err }, 'dns: query failed; answering SERVFAIL');
      if (query !== undefined) return this.#error(msg, query, Rcode.SERVFAIL);
      return msg.length >= 12
        ? errorResponse(msg.readUInt16BE(0), msg.readUInt16BE(2), Rcode.SERVFAIL, new Uint8Array(0), undefined)
        : null;
    }
  }

  /** clearAnswers drops every cached answer (called after an in-process write). */
  clearAnswers(): void {
    this.#answers.clear();
  }

  #opt(query: ParsedQuery): ResponseOpt | undefined {
    const edns = query.edns;
    return edns === undefined
      ? undefined
      : { udpPayloadSize: this.#options.udpPayloadSize, extendedRcode: 0, dnssecOk: edns.dnssecOk };
  }

  #error(msg: Buffer, query: ParsedQuery, rcode: number, extraFlags = 0): Buffer {
    const question = msg.subarray(12, query.questionEnd);
    return errorResponse(query.id, query.flags, rcode, question, this.#opt(query), this.#ra | extraFlags);
  }

  /** #authoritative computes and encodes the answer if the name is in a zone. */
  #authoritative(msg: Buffer, query: ParsedQuery): CachedAnswer | undefined {
    const { store } = this.#options;
    const qname = wireNameText(msg, 12);
    const zone = store.findZoneFor(qname);
    if (zone === undefined) return undefined;
    const result = answerAuthoritative(store, zone, qname, query.qtype);
    const parts = {
      id: 0,
      flags: (result.authoritative ? Flag.AA : 0) | this.#ra,
      rcode: result.rcode,
      question: msg.subarray(12, query.questionEnd),
      answers: result.answers,
      authorities: result.authorities,
      additionals: result.additionals,
      opt: this.#opt(query),
    };
    const full = encodeResponse(parts);
    const trimmed = result.additionals.length > 0 ? encodeResponse({ ...parts, additionals: [] }) : undefined;
    return { full, trimmed, truncated: truncatedResponse(parts) };
  }

  #forward(msg: Buffer, query: ParsedQuery, nameKey: string, client: string, limit: number): Buffer | Promise<Buffer> {
    const forwarder = this.#options.forwarder;
    if (forwarder === undefined || !this.#options.recursionAllow.contains(client)) return this.#error(msg, query, Rcode.REFUSED);
    return forwarder.resolve(msg, query, nameKey, limit, this.#opt(query)).catch((err: unknown) => {
      this.#options.logger.warn({ err }, 'dns: forwarding failed; answering SERVFAIL');
      return this.#error(msg, query, Rcode.SERVFAIL);
    });
  }

  /**
   * #transfer serves AXFR, and IXFR in AXFR form (RFC 1995 4), over TCP to allowed clients;
   * over UDP an IXFR gets the lone SOA ("use TCP", RFC 1995 2) and an AXFR REFUSED.
   */
  #transfer(msg: Buffer, query: ParsedQuery, transport: Transport, client: string): Reply {
    const { store, transferAllow, logger } = this.#options;
    if (!transferAllow.contains(client)) {
      logger.info({ client }, 'dns: zone transfer refused');
      return this.#error(msg, query, Rcode.REFUSED);
    }
    const qname = wireNameText(msg, 12);
    const zone = store.findZoneFor(qname);
    if (zone === undefined || zone.name !== qname) return this.#error(msg, query, 9 /* NOTAUTH */);
    const question = msg.subarray(12, query.questionEnd);
    if (transport === 'udp') {
      if (query.qtype === QType.AXFR) return this.#error(msg, query, Rcode.REFUSED);
      const flags = Flag.AA | this.#ra | (query.flags & Flag.RD);
      return encodeResponse({ id: query.id, flags, rcode: 0, question, answers: [soaAnswer(zone)], opt: this.#opt(query) });
    }
    logger.info({ client, zone: zone.name, serial: zone.serial }, 'dns: zone transfer');
    return zoneTransfer(store, zone, query.id, query.flags, question);
  }
}
