import { InvalidRequestError, registerService, type ServiceRegistration } from '@metacircular/mcdsl';
import { AuditService } from '@metacircular/proto/mcias/v1/audit_pb';
import type { Core } from '../core.js';
import { Actions } from '../policy/index.js';
import { auditEventMessage } from './audit-event-message.js';
import { requireCaller, subjectOf } from './request-context.js';
import { msOf } from './timestamps.js';

const defaultPageSize = 100;
const maxPageSize = 500;

/**
 * auditService lists audit events newest first with filters and keyset paging: page_token is
 * the id of the last event of the previous page, so pages stay stable while new events arrive.
 */
export function auditService(core: Core): ServiceRegistration {
  return registerService(AuditService, {
    listAuditEvents(req, ctx) {
      const caller = requireCaller(ctx);
      core.authorizer.require(subjectOf(caller), Actions.AuditRead, { type: 'audit' });
      if (req.pageSize < 0) throw new InvalidRequestError('page_size must not be negative');
      const limit = Math.min(req.pageSize || defaultPageSize, maxPageSize);
      let beforeId: number | undefined;
      if (req.pageToken !== '') {
        if (!/^[1-9][0-9]{0,15}$/.test(req.pageToken)) {
          throw new InvalidRequestError('page_token is not one this server gave out; start without it');
        }
        beforeId = Number(req.pageToken);
      }
      const since = msOf(req.since);
      const until = msOf(req.until);
      const records = core.audit.list({
        ...(req.eventType ? { eventType: req.eventType } : {}),
        ...(req.actorId ? { actorId: req.actorId } : {}),
        ...(req.targetId ? { targetId: req.targetId } : {}),
        ...(since !== undefined ? { since } : {}),
        ...(until !== undefined ? { until } : {}),
        ...(beforeId !== undefined ? { beforeId } : {}),
        limit: limit + 1,
      });
      const page = records.slice(0, limit);
      const more = records.length > limit;
      return {
        events: page.map(auditEventMessage),
        nextPageToken: more && page.length > 0 ? String(page[page.length - 1]!.id) : '',
      };
    },
  });
}
