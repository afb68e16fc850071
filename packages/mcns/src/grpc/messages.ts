import type { MessageInitShape } from '@bufbuild/protobuf';
import { timestampFromDate } from '@bufbuild/protobuf/wkt';
import type { RecordSchema } from '@metacircular/proto/mcns/v1/record_pb';
import type { ZoneSchema } from '@metacircular/proto/mcns/v1/zone_pb';
import type { DnsRecord, Zone } from '../store/index.js';

/**
 * The API's view of the store's rows. REST answers are these messages as proto JSON (field
 * names as in the .proto, int64 ids as decimal strings, RFC 3339 timestamps), so the gRPC and
 * REST shapes cannot drift apart.
 */

/** recordMessage is a stored record as the API returns it. */
export function recordMessage(record: DnsRecord): MessageInitShape<typeof RecordSchema> {
  return {
    id: BigInt(record.id),
    zone: record.zone,
    name: record.name,
    type: record.type,
    value: record.value,
    ttl: record.ttl,
    createdAt: timestampFromDate(record.createdAt),
    updatedAt: timestampFromDate(record.updatedAt),
  };
}

/** zoneMessage is a stored zone as the API returns it. */
export function zoneMessage(zone: Zone): MessageInitShape<typeof ZoneSchema> {
  return {
    id: BigInt(zone.id),
    name: zone.name,
    primaryNs: zone.primaryNs,
    adminEmail: zone.adminEmail,
    refresh: zone.refresh,
    retry: zone.retry,
    expire: zone.expire,
    minimumTtl: zone.minimumTtl,
    serial: zone.serial,
    createdAt: timestampFromDate(zone.createdAt),
    updatedAt: timestampFromDate(zone.updatedAt),
  };
}

/** recordId turns a request's int64 id into the store's number (0 and huge ids are simply not found). */
export function recordId(id: bigint): number {
  return id > 0n && id <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(id) : 0;
}
