import { registerService, type ServiceRegistration } from '@metacircular/mcdsl';
import { SnapshotService } from '@metacircular/proto/mcdsl/v1/snapshot_pb';
import type { Core } from '../core.js';
import { writeSnapshot } from '../store/index.js';

/**
 * snapshotService is mcdsl's standard SnapshotService (spec §11.3): admin only, and it works
 * while sealed, since it only copies the database (ciphertext) with VACUUM INTO.
 */
export function snapshotService(core: Core): ServiceRegistration {
  return registerService(SnapshotService, {
    snapshot() {
      const path = writeSnapshot(core.db, core.backupsDir, core.now());
      core.logger.info({ path }, 'snapshot written');
      return { success: true, error: '', path };
    },
  });
}
