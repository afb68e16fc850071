import type { MessageInitShape } from '@bufbuild/protobuf';
import { timestampFromDate } from '@bufbuild/protobuf/wkt';
import type { HandlerContext } from '@connectrpc/connect';
import { callerOf, registerService, UnauthenticatedError, type AccessTable, type ServiceRegistration } from '@metacircular/mcdsl';
import { UserService, type UserPublicKeySchema } from '@metacircular/proto/metacrypt/v1/user_pb';
import type { EngineHost, OpContext } from '../../engine/index.js';
import type { UserEngine } from './user-engine.js';
import type { UserKeyInfo } from './user-key-store.js';

/**
 * userService serves UserService over gRPC and, through its google.api.http annotations, REST
 * (spec §11.2: /v1/user/{mount}/register, /keys/{username}, /rotate, /encrypt, /decrypt).
 * Handlers only translate; the mount's live engine does the checks and the work.
 */
export function userService(host: EngineHost): ServiceRegistration {
  const open = (ctx: HandlerContext, mount: string): { engine: UserEngine; op: OpContext } => {
    const caller = callerOf(ctx);
    if (!caller) throw new UnauthenticatedError();
    return { engine: host.resolve<UserEngine>(mount, 'user'), op: host.context(caller, mount) };
  };

  return registerService(UserService, {
    register(req, ctx) {
      const { engine, op } = open(ctx, req.mount);
      return keyMessage(engine.register(op));
    },
    getPublicKey(req, ctx) {
      const { engine, op } = open(ctx, req.mount);
      return keyMessage(engine.publicKey(op, req.username));
    },
    rotateKey(req, ctx) {
      const { engine, op } = open(ctx, req.mount);
      return keyMessage(engine.rotate(op));
    },
    encrypt(req, ctx) {
      const { engine, op } = open(ctx, req.mount);
      return engine.encrypt(op, req.recipients, req.plaintext);
    },
    decrypt(req, ctx) {
      const { engine, op } = open(ctx, req.mount);
      const message = engine.decrypt(op, req.envelope);
      return { plaintext: message.plaintext, sender: message.sender, messageId: message.messageId };
    },
    deleteUserKeys(req, ctx) {
      const { engine, op } = open(ctx, req.mount);
      engine.deleteUserKeys(op, req.username);
      return {};
    },
  });
}

/**
 * userAccess: registering and rotating one's own key is self-service (any valid token, guests
 * included); reading public keys and encrypting/decrypting need a non-guest account (plus policy
 * for encrypt/decrypt); deleting someone's keys is admin only. All need an unsealed barrier.
 */
export const userAccess: AccessTable = {
  '/metacrypt.v1.UserService/Register': { level: 'token', unsealed: true },
  '/metacrypt.v1.UserService/GetPublicKey': { level: 'authenticated', unsealed: true },
  '/metacrypt.v1.UserService/RotateKey': { level: 'token', unsealed: true },
  '/metacrypt.v1.UserService/Encrypt': { level: 'authenticated', unsealed: true },
  '/metacrypt.v1.UserService/Decrypt': { level: 'authenticated', unsealed: true },
  '/metacrypt.v1.UserService/DeleteUserKeys': { level: 'admin', unsealed: true },
};

function keyMessage(info: UserKeyInfo): MessageInitShape<typeof UserPublicKeySchema> {
  return {
    username: info.username,
    algorithm: info.algorithm,
    publicKey: info.publicKey,
    version: info.version,
    createdAt: timestampFromDate(info.createdAt),
  };
}
