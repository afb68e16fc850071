import type { JsonObject } from '@bufbuild/protobuf';
import { timestampDate, timestampFromDate, type Timestamp } from '@bufbuild/protobuf/wkt';
import { InvalidRequestError, registerService, type ServiceRegistration } from '@metacircular/mcdsl';
import { AuditService } from '@metacircular/proto/metacrypt/v1/audit_pb';
import type { AuditResult } from '../audit/index.js';
import type { Core } from '../core.js';

const defaultLimit = 100;
const maxLimit = 1000;
const results = new Set(['allow', 'deny', 'error']);

/**
 * auditService lists audit events newest first (admin only), filtered by caller, mount, action,
 * result and time, with keyset paging: page_token is the id of the last event of the previous
 * page, so pages stay stable while new events arrive.
 */
export function auditService(core: Core): ServiceRegistration {
  return registerService(AuditService, {
    listAuditEvents(req) {
      if (req.limit < 0) throw new InvalidRequestError('limit must not be negative');
      if (req.result !== '' && !results.has(req.result)) {
        throw new InvalidRequestError('result must be one of allow, deny, error');
      }
      let beforeId: number | undefined;
      if (req.pageToken !== '') {
        if (!/^[1-9][0-9]{0,15}$/.test(req.pageToken)) {
          throw new InvalidRequestError('page_token is not one this server gave out; start without it');
        }
        beforeId = Number(req.pageToken);
      }
      const limit = Math.min(req.limit || defaultLimit, maxLimit);
      const events = core.audit.list({
        caller: req.caller,
        mount: req.mount,
        action: req.action,
        ...(req.result ? { result: req.result as AuditResult } : {}),
        ...dateOf('since', req.since),
        ...dateOf('until', req.until),
        ...(beforeId !== undefined ? { beforeId } : {}),
        limit: limit + 1,
      });
      const page = events.slice(0, limit);
      return {
        events: page.map((e) => ({
          id: BigInt(e.id),
          time: timestampFromDate(e.time),
          caller: e.caller,
          accountType: e.accountType,
          isAdmin: e.isAdmin,
          action: e.action,
          mount: e.mount,
          resource: e.resource,
          result: e.result,
          reason: e.reason,
          requestId: e.requestId,
          detail: e.detail as JsonObject,
        })),
        nextPageToken: events.length > limit && page.length > 0 ? String(page[page.length - 1]!.id) : '',
      };
    },
  });
}

function dateOf<K extends string>(key: K, ts: Timestamp | undefined): Partial<Record<K, Date>> {
  return ts ? ({ [key]: timestampDate(ts) } as Record<K, Date>) : {};
}
