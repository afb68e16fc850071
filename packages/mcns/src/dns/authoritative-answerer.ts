import type { Answer } from 'dns-packet';
import { QType, Rcode, typeNumbers } from './dns-constants.js';
import type { DnsRecordRow, DnsStore, DnsZone } from './dns-store.js';
import { apexNsAnswer, ownerName, recordAnswer, relativeName, soaAnswer, targetOf } from './record-data.js';

/**
 * answerAuthoritative is the zone logic of spec 2.7 plus the additions, for a name
 * inside `zone` (the longest zone that matched). In order:
 *
 *  1. SOA questions get the apex SOA whatever name was asked (spec 2.7, as the original did).
 *  2. A CNAME answers every type but CNAME and ANY, and is chased inside the zone (at most
 *     8 links, loops stop): the target's records of the asked type follow it; a missing target
 *     makes the answer NXDOMAIN (RFC 6604: the rcode is the last name's).
 *  3. Records of the asked type (ANY: every record, plus SOA and NS at the apex) answer; the
 *     addresses of in-zone NS, MX and SRV targets go in additional.
 *  4. Otherwise NODATA (the name exists, or has names below it: an empty non-terminal) or
 *     NXDOMAIN, both with the SOA in authority so resolvers can cache the negative answer.
 *
 * There are no referrals: the store keeps NS records at the apex only (MCNS does not delegate).
 */
export function answerAuthoritative(store: DnsStore, zone: DnsZone, qname: string, qtype: number): AuthAnswer {
  const relative = relativeName(zone, qname) ?? '@';
  if (qtype === QType.SOA)
    return { rcode: Rcode.NOERROR, authoritative: true, answers: [soaAnswer(zone)], authorities: [], additionals: [] };

  const answers: Answer[] = [];
  const seen = new Set<string>();
  let name = relative;
  for (let depth = 0; depth < 8; depth++) {
    seen.add(name);
    const records = recordsWithApex(store, zone, name);
    if (records.length === 0) {
      const exists = name === '@' || store.hasNamesBelow(zone.id, name);
      return negative(zone, answers, exists ? Rcode.NOERROR : Rcode.NXDOMAIN);
    }
    const cname = records.find((r) => r.type === 'CNAME');
    if (cname && qtype !== QType.CNAME && qtype !== QType.ANY) {
      const answer = recordAnswer(cname, ownerName(zone, name));
      if (answer) answers.push(answer);
      const next = answer?.type === 'CNAME' ? relativeName(zone, answer.data) : undefined;
      // Out of the zone, or a loop: the client's resolver follows the chain from here.
      if (next === undefined || seen.has(next)) return positive(answers, []);
      name = next;
      continue;
    }
    const owner = ownerName(zone, name);
    const matching = records.filter((r) => qtype === QType.ANY || typeNumbers[r.type] === qtype);
    if (matching.length === 0) return negative(zone, answers, Rcode.NOERROR);
    if (name === '@' && qtype === QType.ANY) answers.push(soaAnswer(zone));
    const found: Answer[] = [];
    for (const r of matching) {
      const a = r === apexNsMarker ? apexNsAnswer(zone) : recordAnswer(r, owner);
      if (a) found.push(a);
    }
    answers.push(...found);
    return positive(answers, glueFor(store, zone, found));
  }
  return positive(answers, []);
}

/** AuthAnswer is the content of an answer from the store, before encoding. */
export interface AuthAnswer {
  readonly rcode: number;
  /** the AA bit (always set today: there are no referrals) */
  readonly authoritative: boolean;
  readonly answers: Answer[];
  readonly authorities: Answer[];
  readonly additionals: Answer[];
}

// The apex NS set is primary_ns plus any stored NS records; this marker row stands for the
// primary so that the type filter and ANY treat it like a stored record.
const apexNsMarker: DnsRecordRow = { name: '@', type: 'NS', value: '', ttl: 0 };

function recordsWithApex(store: DnsStore, zone: DnsZone, name: string): DnsRecordRow[] {
  const records = store.recordsAt(zone.id, name);
  if (name !== '@') return records;
  const primary = zone.primaryNs.toLowerCase().replace(/\.$/, '');
  const listed = records.some((r) => r.type === 'NS' && r.value.toLowerCase().replace(/\.$/, '') === primary);
  return listed ? records : [apexNsMarker, ...records];
}

function positive(answers: Answer[], additionals: Answer[]): AuthAnswer {
  return { rcode: Rcode.NOERROR, authoritative: true, answers, authorities: [], additionals };
}

function negative(zone: DnsZone, answers: Answer[], rcode: number): AuthAnswer {
  return { rcode, authoritative: true, answers, authorities: [soaAnswer(zone)], additionals: [] };
}

/** glueFor lists the A and AAAA records of in-zone NS, MX and SRV targets. */
function glueFor(store: DnsStore, zone: DnsZone, answers: readonly Answer[]): Answer[] {
  const glue: Answer[] = [];
  const done = new Set<string>();
  for (const answer of answers) {
    const target = targetOf(answer);
    if (target === undefined || done.has(target)) continue;
    done.add(target);
    const relative = relativeName(zone, target);
    if (relative === undefined) continue;
    for (const r of store.recordsAt(zone.id, relative)) {
      if (r.type !== 'A' && r.type !== 'AAAA') continue;
      const a = recordAnswer(r, target);
      if (a) glue.push(a);
    }
  }
  return glue;
}
