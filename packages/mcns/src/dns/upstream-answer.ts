import { Flag, QType } from './dns-constants.js';
import { questionEndOf, walkRecords } from './message-walker.js';
import type { ParsedQuery } from './query-parser.js';
import { errorResponse, type ResponseOpt, writeOpt } from './response-writer.js';

/**
 * renderUpstream turns an upstream's answer (fresh, or from the forward cache `ageSeconds` old)
 * into the answer for one client, working on the raw bytes so that names compressed by the
 * upstream stay valid:
 *
 *  - the ID, RD bit and question case become the client's, AA is cleared (we are not the
 *    authority), RA is set, AD is kept only for clients that asked for DNSSEC (DO);
 *  - every TTL is lowered by the age; the upstream's OPT record (and anything after it) is cut
 *    and ours is appended only if the client sent EDNS;
 *  - an answer larger than the client's limit becomes an empty one with TC set.
 *
 * It returns undefined if the message cannot be walked (the caller answers SERVFAIL).
 */
export function renderUpstream(
  response: Buffer,
  ageSeconds: number,
  msg: Buffer,
  query: ParsedQuery,
  limit: number,
  opt: ResponseOpt | undefined,
): Buffer | undefined {
  const questionEnd = questionEndOf(response);
  if (questionEnd !== query.questionEnd) return undefined;
  const spans = walkRecords(response, questionEnd);
  if (spans === undefined) return undefined;
  const counts = [0, 0, 0];
  let keepEnd = questionEnd;
  let extendedRcode = 0;
  for (const span of spans) {
    if (span.type === QType.OPT) {
      extendedRcode = response[span.ttlOffset]!;
      break;
    }
    counts[span.section]!++;
    keepEnd = span.end;
  }
  const out = Buffer.alloc(keepEnd + (opt ? 11 : 0));
  response.copy(out, 0, 0, keepEnd);
  const upstreamFlags = response.readUInt16BE(2);
  const keepAd = query.edns?.dnssecOk === true ? Flag.AD : 0;
  const flags =
    (upstreamFlags & ~(Flag.AA | Flag.TC | Flag.RD | Flag.AD)) | (upstreamFlags & keepAd) | Flag.RA | (query.flags & Flag.RD);
  out.writeUInt16BE(query.id, 0);
  out.writeUInt16BE(flags, 2);
  out.writeUInt16BE(counts[0]!, 6);
  out.writeUInt16BE(counts[1]!, 8);
  out.writeUInt16BE(counts[2]! + (opt ? 1 : 0), 10);
  msg.copy(out, 12, 12, query.nameEnd);
  for (const span of spans) {
    if (span.end > keepEnd) break;
    out.writeUInt32BE(Math.max(0, span.ttl - ageSeconds), span.ttlOffset);
  }
  const withOpt = opt ? { ...opt, extendedRcode } : undefined;
  if (withOpt) writeOpt(out, keepEnd, withOpt);
  if (out.length <= limit) return out;
  return errorResponse(
    query.id,
    query.flags,
    (extendedRcode << 4) | (flags & 0xf),
    msg.subarray(12, query.questionEnd),
    opt,
    Flag.TC | Flag.RA,
  );
}
