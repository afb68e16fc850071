import type { MessageInitShape } from '@bufbuild/protobuf';
import type { AccountSchema } from '@metacircular/proto/mcias/v1/account_pb';
import type { AccountView } from '../accounts/index.js';
import { timestampOf } from './timestamps.js';

/** accountMessage renders an account for the API: never a hash, a secret box or a counter. */
export function accountMessage(view: AccountView): MessageInitShape<typeof AccountSchema> {
  const r = view.record;
  return {
    id: r.uuid,
    username: r.username,
    accountType: r.accountType,
    status: r.status,
    totpRequired: r.totpState === 'enabled',
    roles: [...view.roles],
    tags: [...view.tags],
    createdAt: timestampOf(r.createdAt),
    updatedAt: timestampOf(r.updatedAt),
    deletedAt: timestampOf(r.deletedAt),
  };
}
