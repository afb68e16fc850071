import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  ConflictError,
  errorOfHttpStatus,
  ForbiddenError,
  httpStatusOf,
  InvalidRequestError,
  NotFoundError,
  PreconditionError,
  RateLimitedError,
  SealedError,
  UnauthenticatedError,
  UnavailableError,
} from './errors.js';

describe('errorOfHttpStatus', () => {
  it('is httpStatusOf read backwards for every status an edge answers with', () => {
    const cases: [number, new (...args: never[]) => Error][] = [
      [400, InvalidRequestError],
      [401, UnauthenticatedError],
      [403, ForbiddenError],
      [404, NotFoundError],
      [409, ConflictError],
      [412, PreconditionError],
      [429, RateLimitedError],
    ];
    for (const [status, type] of cases) {
      const err = errorOfHttpStatus(status, 'the message');
      assert.ok(err instanceof type, `${status} -> ${err.name}`);
      assert.equal(err.message, 'the message');
      assert.equal(httpStatusOf(err), status);
    }
  });

  it('tells a sealed 503 from a server failure, and other 4xx are bad requests', () => {
    assert.ok(errorOfHttpStatus(503, 'service is sealed') instanceof SealedError);
    assert.ok(errorOfHttpStatus(413, 'too large') instanceof InvalidRequestError);
    const failure = errorOfHttpStatus(500, 'internal error');
    assert.ok(failure instanceof UnavailableError);
    assert.equal(failure.code, 'ERR_SERVER');
    assert.equal(failure.message, 'internal error (status 500)');
    assert.equal(errorOfHttpStatus(503, 'overloaded').code, 'ERR_SERVER');
  });
});
