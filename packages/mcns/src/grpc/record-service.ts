import { callerOf, registerService, type ServiceRegistration } from '@metacircular/mcdsl';
import { RecordService } from '@metacircular/proto/mcns/v1/record_pb';
import { authorizeRecordWrite } from '../authz/index.js';
import { normalizeRecordName, type McnsStore } from '../store/index.js';
import { recordId, recordMessage } from './messages.js';

/**
 * recordService serves the records. Reads are open to every non-guest token (the access
 * table). Each write runs, in order: find the zone and record (404), normalise the name(s) it
 * touches (400), the name-scoped authorization of spec 2.11 (403, authz/), then the store's
 * one transaction that validates the value, enforces CNAME exclusivity (409) and bumps the
 * serial. Nothing is written before the last step, so a refused write changes nothing.
 * Handlers are synchronous from the first read to the write: no other request can run between
 * the check and the transaction.
 */
export function recordService(store: McnsStore): ServiceRegistration {
  return registerService(RecordService, {
    listRecords(req) {
      const filter = {
        ...(req.name === undefined ? {} : { name: req.name }),
        ...(req.type === undefined ? {} : { type: req.type }),
      };
      return { records: store.listRecords(req.zone, filter).map(recordMessage) };
    },

    createRecord(req, ctx) {
      const zone = store.getZone(req.zone);
      const name = normalizeRecordName(req.name, zone.name);
      authorizeRecordWrite(callerOf(ctx), [name]);
      const input = { name, type: req.type, value: req.value, ...(req.ttl === undefined ? {} : { ttl: req.ttl }) };
      return recordMessage(store.createRecord(zone.name, input));
    },

    getRecord(req) {
      return recordMessage(store.getRecord(req.zone, recordId(req.id)));
    },

    /** updateRecord is partial: fields left out keep their value; both old and new name are checked. */
    updateRecord(req, ctx) {
      const current = store.getRecord(req.zone, recordId(req.id));
      const name = req.name === undefined ? current.name : normalizeRecordName(req.name, current.zone);
      authorizeRecordWrite(callerOf(ctx), [current.name, name]);
      const updated = store.updateRecord(current.zone, current.id, {
        name,
        type: req.type ?? current.type,
        value: req.value ?? current.value,
        ttl: req.ttl ?? current.ttl,
      });
      return recordMessage(updated);
    },

    deleteRecord(req, ctx) {
      const current = store.getRecord(req.zone, recordId(req.id));
      authorizeRecordWrite(callerOf(ctx), [current.name]);
      store.deleteRecord(current.zone, current.id);
      return {};
    },
  });
}
