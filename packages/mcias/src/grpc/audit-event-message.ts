import type { JsonObject, MessageInitShape } from '@bufbuild/protobuf';
import type { AuditEventSchema } from '@metacircular/proto/mcias/v1/audit_pb';
import type { AuditRecord } from '../store/index.js';
import { timestampOf } from './timestamps.js';

/** auditEventMessage renders one audit record for the API. */
export function auditEventMessage(record: AuditRecord): MessageInitShape<typeof AuditEventSchema> {
  return {
    id: BigInt(record.id),
    eventTime: timestampOf(record.eventTime),
    eventType: record.eventType,
    actorId: record.actorId ?? '',
    actorUsername: record.actorUsername ?? '',
    targetId: record.targetId ?? '',
    targetUsername: record.targetUsername ?? '',
    ipAddress: record.ipAddress,
    details: record.details as JsonObject,
  };
}
