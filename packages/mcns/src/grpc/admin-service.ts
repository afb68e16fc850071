import { registerService, UnavailableError, type ServiceRegistration, type SqliteDatabase } from '@metacircular/mcdsl';
import { AdminService } from '@metacircular/proto/mcns/v1/admin_pb';

/** adminService serves the public health check: "ok" while the database answers, 503 otherwise. */
export function adminService(db: SqliteDatabase): ServiceRegistration {
  return registerService(AdminService, {
    health() {
      try {
        db.prepare('SELECT 1').get();
      } catch (err) {
        throw new UnavailableError('database unavailable', { cause: err });
      }
      return { status: 'ok' };
    },
  });
}
