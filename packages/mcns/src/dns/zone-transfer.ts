import type { Answer } from 'dns-packet';
import { Flag, Rcode } from './dns-constants.js';
import type { DnsStore, DnsZone } from './dns-store.js';
import { absolute, apexNsAnswer, ownerName, recordAnswer, soaAnswer } from './record-data.js';
import { encodeResponse } from './response-writer.js';

/** transferMessageBudget is the encoded size at which an AXFR message is closed (RFC 5936 2.2). */
export const transferMessageBudget = 16_000;

/**
 * zoneTransfer builds the AXFR answer for `zone` (RFC 5936): the SOA, every record (the apex NS
 * that primary_ns stands for included), the SOA again, split over as many messages as needed
 * to keep each near 16 KB. Only the first message carries the question. The records are read
 * in one statement, so the transfer is a consistent snapshot. IXFR requests get the same reply
 * (RFC 1995 4: a server may always answer IXFR with a full zone in AXFR form).
 */
export function zoneTransfer(store: DnsStore, zone: DnsZone, id: number, queryFlags: number, question: Uint8Array): Buffer[] {
  const soa = soaAnswer(zone);
  const records: Answer[] = [soa];
  const rows = store.allRecords(zone.id);
  const primary = absolute(zone.primaryNs);
  if (!rows.some((r) => r.name === '@' && r.type === 'NS' && absolute(r.value) === primary)) records.push(apexNsAnswer(zone));
  for (const row of rows) {
    const answer = recordAnswer(row, ownerName(zone, row.name));
    if (answer) records.push(answer);
  }
  records.push(soa);

  const flags = Flag.AA | (queryFlags & Flag.RD);
  const messages: Buffer[] = [];
  let batch: Answer[] = [];
  let batchSize = 0;
  const flush = (): void => {
    const q = messages.length === 0 ? question : new Uint8Array(0);
    messages.push(encodeResponse({ id, flags, rcode: Rcode.NOERROR, question: q, answers: batch }));
    batch = [];
    batchSize = 0;
  };
  for (const record of records) {
    const size = encodeResponse({ id: 0, flags: 0, rcode: 0, question: new Uint8Array(0), answers: [record] }).length - 12;
    if (batch.length > 0 && batchSize + size > transferMessageBudget) flush();
    batch.push(record);
    batchSize += size;
  }
  flush();
  return messages;
}
