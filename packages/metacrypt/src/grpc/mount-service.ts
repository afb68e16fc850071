import type { JsonObject } from '@bufbuild/protobuf';
import { timestampFromDate } from '@bufbuild/protobuf/wkt';
import { registerService, type ServiceRegistration } from '@metacircular/mcdsl';
import { MountService } from '@metacircular/proto/metacrypt/v1/mount_pb';
import type { Core } from '../core.js';
import type { MountInfo } from '../engine/index.js';

/** mountService lists (any token), creates and deletes (admin) mounts; all need an unsealed Metacrypt. */
export function mountService(core: Core): ServiceRegistration {
  return registerService(MountService, {
    listMounts() {
      return { mounts: core.mounts.list().map(mountMessage) };
    },

    createMount(req) {
      return mountMessage(core.mounts.create({ name: req.name, type: req.type, config: req.config ?? {} }));
    },

    deleteMount(req) {
      core.mounts.delete(req.name);
      return {};
    },
  });
}

function mountMessage(m: MountInfo) {
  return {
    name: m.name,
    type: m.type,
    config: m.config as JsonObject,
    createdAt: timestampFromDate(m.createdAt),
  };
}
