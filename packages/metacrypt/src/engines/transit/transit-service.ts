import type { MessageInitShape } from '@bufbuild/protobuf';
import { timestampFromDate } from '@bufbuild/protobuf/wkt';
import type { HandlerContext } from '@connectrpc/connect';
import {
  callerOf,
  InvalidRequestError,
  registerService,
  UnauthenticatedError,
  type ServiceRegistration,
} from '@metacircular/mcdsl';
import { TransitService, type TransitKeySchema } from '@metacircular/proto/metacrypt/v1/transit_pb';
import type { EngineHost, OpContext } from '../../engine/index.js';
import type { BatchOutcome } from './batch.js';
import type { TransitKeyInfo } from './stored-key.js';
import type { TransitEngine } from './transit-engine.js';

/**
 * transitService serves TransitService over gRPC and, through its google.api.http annotations,
 * REST. Handlers only translate: the mount's live engine does the checks and the work. A request
 * with batch_input must leave the per-item fields empty (sign and hmac apply their hash or
 * algorithm and key_version to every item) and gets batch_results back, one per item, each with
 * its value or its own error.
 */
export function transitService(host: EngineHost): ServiceRegistration {
  const open = (ctx: HandlerContext, mount: string): { engine: TransitEngine; op: OpContext } => {
    const caller = callerOf(ctx);
    if (!caller) throw new UnauthenticatedError();
    return { engine: host.resolve<TransitEngine>(mount, 'transit'), op: host.context(caller, mount) };
  };

  return registerService(TransitService, {
    createKey(req, ctx) {
      const { engine, op } = open(ctx, req.mount);
      return keyMessage(engine.createKey(op, req.name, req.type));
    },
    getKey(req, ctx) {
      const { engine, op } = open(ctx, req.mount);
      return keyMessage(engine.getKey(op, req.name));
    },
    listKeys(req, ctx) {
      const { engine, op } = open(ctx, req.mount);
      return { keys: engine.listKeys(op).map(keyMessage) };
    },
    rotateKey(req, ctx) {
      const { engine, op } = open(ctx, req.mount);
      return keyMessage(engine.rotateKey(op, req.name));
    },
    updateKeyConfig(req, ctx) {
      const { engine, op } = open(ctx, req.mount);
      const { minDecryptionVersion, minEncryptionVersion, deletionAllowed } = req;
      return keyMessage(engine.updateKeyConfig(op, req.name, { minDecryptionVersion, minEncryptionVersion, deletionAllowed }));
    },
    deleteKey(req, ctx) {
      const { engine, op } = open(ctx, req.mount);
      engine.deleteKey(op, req.name);
      return {};
    },
    trimKey(req, ctx) {
      const { engine, op } = open(ctx, req.mount);
      return keyMessage(engine.trimKey(op, req.name, req.minAvailableVersion));
    },

    encrypt(req, ctx) {
      const { engine, op } = open(ctx, req.mount);
      if (req.batchInput.length > 0) {
        singleFieldsEmpty(
          req.plaintext.length > 0 || req.context.length > 0 || req.keyVersion !== 0,
          'plaintext, context and key_version',
        );
        return { batchResults: engine.encryptBatch(op, req.name, req.batchInput).map(result) };
      }
      return engine.encrypt(op, req.name, req);
    },
    decrypt(req, ctx) {
      const { engine, op } = open(ctx, req.mount);
      if (req.batchInput.length > 0) {
        singleFieldsEmpty(req.ciphertext !== '' || req.context.length > 0, 'ciphertext and context');
        return { batchResults: engine.decryptBatch(op, req.name, req.batchInput).map(result) };
      }
      return { plaintext: engine.decrypt(op, req.name, req).plaintext };
    },
    rewrap(req, ctx) {
      const { engine, op } = open(ctx, req.mount);
      if (req.batchInput.length > 0) {
        singleFieldsEmpty(
          req.ciphertext !== '' || req.context.length > 0 || req.keyVersion !== 0,
          'ciphertext, context and key_version',
        );
        return { batchResults: engine.rewrapBatch(op, req.name, req.batchInput).map(result) };
      }
      return engine.rewrap(op, req.name, req);
    },
    generateDataKey(req, ctx) {
      const { engine, op } = open(ctx, req.mount);
      return engine.generateDataKey(op, req.name, req);
    },
    sign(req, ctx) {
      const { engine, op } = open(ctx, req.mount);
      if (req.batchInput.length > 0) {
        singleFieldsEmpty(req.input.length > 0, 'input');
        const items = req.batchInput.map((item) => ({ input: item.input, hash: req.hash, keyVersion: req.keyVersion }));
        return { batchResults: engine.signBatch(op, req.name, items).map(result) };
      }
      return engine.sign(op, req.name, req);
    },
    verify(req, ctx) {
      const { engine, op } = open(ctx, req.mount);
      return { valid: engine.verify(op, req.name, req) };
    },
    hMAC(req, ctx) {
      const { engine, op } = open(ctx, req.mount);
      if (req.batchInput.length > 0) {
        singleFieldsEmpty(req.input.length > 0, 'input');
        const items = req.batchInput.map((item) => ({ input: item.input, algorithm: req.algorithm, keyVersion: req.keyVersion }));
        return { batchResults: engine.hmacBatch(op, req.name, items).map(result) };
      }
      return engine.hmac(op, req.name, req);
    },
    verifyHMAC(req, ctx) {
      const { engine, op } = open(ctx, req.mount);
      return { valid: engine.verifyHmac(op, req.name, req) };
    },
  });
}

/** keyMessage renders a key's metadata; TransitKeyInfo has no material to leak. */
export function keyMessage(info: TransitKeyInfo): MessageInitShape<typeof TransitKeySchema> {
  return {
    name: info.name,
    type: info.type,
    latestVersion: info.latestVersion,
    minDecryptionVersion: info.minDecryptionVersion,
    minEncryptionVersion: info.minEncryptionVersion,
    minAvailableVersion: info.minAvailableVersion,
    deletionAllowed: info.deletionAllowed,
    versions: info.versions.map((v) => ({
      version: v.version,
      createdAt: timestampFromDate(v.createdAt),
      publicKeyPem: v.publicKeyPem ?? '',
    })),
    createdAt: timestampFromDate(info.createdAt),
    updatedAt: timestampFromDate(info.updatedAt),
  };
}

// A batch item's result: its value's fields, or only its error.
function result<T extends object>(outcome: BatchOutcome<T>): T | { error: string } {
  return outcome.ok ? outcome.value : { error: outcome.error.message };
}

function singleFieldsEmpty(given: boolean, fields: string): void {
  if (given) throw new InvalidRequestError(`with batch_input, leave ${fields} out (give them per item)`);
}
