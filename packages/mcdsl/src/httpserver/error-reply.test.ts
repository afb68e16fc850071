import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { errorReply } from './error-reply.js';
import { ForbiddenError, NotFoundError, PreconditionError, SealedError } from '../errors/index.js';

describe('errorReply', () => {
  it('maps McErrors by category with their own message', () => {
    assert.deepEqual(errorReply(new ForbiddenError()), { status: 403, message: 'forbidden', internal: false });
    assert.deepEqual(errorReply(new NotFoundError('no such key')), { status: 404, message: 'no such key', internal: false });
    assert.equal(errorReply(new PreconditionError('not initialized')).status, 412);
    assert.equal(errorReply(new SealedError()).status, 503);
  });

  it('hides unexpected errors behind "internal error"', () => {
    assert.deepEqual(errorReply(new Error('secret path /srv/x')), { status: 500, message: 'internal error', internal: true });
    assert.deepEqual(errorReply('a string'), { status: 500, message: 'internal error', internal: true });
    assert.deepEqual(errorReply(undefined), { status: 500, message: 'internal error', internal: true });
    assert.equal(errorReply(Object.assign(new Error('x'), { statusCode: 502 })).status, 500);
  });

  it('keeps client errors fastify raised as 4xx with our wording', () => {
    const tooLarge = Object.assign(new Error('Request body is too large'), {
      statusCode: 413,
      code: 'FST_ERR_CTP_BODY_TOO_LARGE',
    });
    assert.deepEqual(errorReply(tooLarge), { status: 413, message: 'request body too large', internal: false });
    const other = Object.assign(new Error('whatever'), { statusCode: 405 });
    assert.deepEqual(errorReply(other), { status: 405, message: 'method not allowed', internal: false });
    const validation = Object.assign(new Error('body/name must be string'), { statusCode: 400, validation: [{}] });
    assert.deepEqual(errorReply(validation), {
      status: 400,
      message: 'invalid request: body/name must be string',
      internal: false,
    });
  });
});
