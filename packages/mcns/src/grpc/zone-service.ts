import { registerService, type ServiceRegistration } from '@metacircular/mcdsl';
import { ZoneService } from '@metacircular/proto/mcns/v1/zone_pb';
import type { McnsStore } from '../store/index.js';
import { zoneMessage } from './messages.js';

/**
 * zoneService serves the zones. Who may call what is the access table's business alone: reads
 * need any non-guest token, and create, update and delete the admin role (spec 2.10), so the
 * handlers only validate (in the store) and write.
 */
export function zoneService(store: McnsStore): ServiceRegistration {
  return registerService(ZoneService, {
    listZones() {
      return { zones: store.listZones().map(zoneMessage) };
    },

    createZone(req) {
      return zoneMessage(
        store.createZone({
          name: req.name,
          primaryNs: req.primaryNs,
          adminEmail: req.adminEmail,
          ...soaParameters(req),
        }),
      );
    },

    getZone(req) {
      return zoneMessage(store.getZone(req.zone));
    },

    updateZone(req) {
      return zoneMessage(
        store.updateZone(req.zone, {
          ...(req.primaryNs === undefined ? {} : { primaryNs: req.primaryNs }),
          ...(req.adminEmail === undefined ? {} : { adminEmail: req.adminEmail }),
          ...soaParameters(req),
        }),
      );
    },

    deleteZone(req) {
      store.deleteZone(req.zone);
      return {};
    },
  });
}

interface SoaParameters {
  refresh?: number;
  retry?: number;
  expire?: number;
  minimumTtl?: number;
}

// Only the parameters the request carries, so left-out ones keep their default or current value.
function soaParameters(req: SoaParameters): SoaParameters {
  const out: SoaParameters = {};
  if (req.refresh !== undefined) out.refresh = req.refresh;
  if (req.retry !== undefined) out.retry = req.retry;
  if (req.expire !== undefined) out.expire = req.expire;
  if (req.minimumTtl !== undefined) out.minimumTtl = req.minimumTtl;
  return out;
}
