import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import fc from 'fast-check';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { createCSRF } from './csrf.js';
import { ForbiddenError } from '../errors/index.js';

// csrf only reads method, headers and body of a request and sets headers on a reply, so plain
// objects stand in for them here; test/csrf-hook.test.ts runs the same checks over real HTTPS.
function fakeRequest(method: string, headers: Record<string, string>, body?: unknown): FastifyRequest {
  return { method, headers, body } as unknown as FastifyRequest;
}
function fakeReply(request: FastifyRequest): FastifyReply & { cookies: string[] } {
  const cookies: string[] = [];
  const reply = {
    request,
    cookies,
    header(name: string, value: string) {
      if (name === 'set-cookie') cookies.push(value);
      return reply;
    },
  };
  return reply as unknown as FastifyReply & { cookies: string[] };
}
function issue(csrf: ReturnType<typeof createCSRF>, headers: Record<string, string> = {}): { cookie: string; token: string } {
  const reply = fakeReply(fakeRequest('GET', headers));
  const token = csrf.issue(reply);
  const cookie = reply.cookies[0]?.split(';')[0] ?? headers['cookie'] ?? '';
  return { cookie, token };
}

describe('createCSRF', () => {
  it('binds tokens to the session when asked', () => {
    const csrf = createCSRF({ key: randomBytes(32), bind: (r) => /mc_session=([^;]+)/.exec(r.headers.cookie ?? '')?.[1] });
    const { cookie, token } = issue(csrf, { cookie: 'mc_session=alice' });
    csrf.verify(fakeRequest('POST', { cookie: `mc_session=alice; ${cookie}`, 'x-csrf-token': token }));
    assert.throws(
      () => csrf.verify(fakeRequest('POST', { cookie: `mc_session=mallory; ${cookie}`, 'x-csrf-token': token })),
      ForbiddenError,
    );
    assert.throws(() => csrf.verify(fakeRequest('POST', { cookie, 'x-csrf-token': token })), ForbiddenError);
  });

  it('honours custom cookie, field and header names', () => {
    const csrf = createCSRF({ key: randomBytes(48), cookieName: 'mc_csrf', fieldName: 'tok', headerName: 'X-Token' });
    const { cookie, token } = issue(csrf);
    assert.match(cookie, /^mc_csrf=/);
    csrf.verify(fakeRequest('POST', { cookie, 'x-token': token }));
    csrf.verify(fakeRequest('DELETE', { cookie }, { tok: token }));
    assert.throws(() => csrf.verify(fakeRequest('POST', { cookie }, { csrf_token: token })), ForbiddenError);
  });

  it('never accepts an arbitrary token or cookie', () => {
    const csrf = createCSRF({ key: randomBytes(32) });
    const { cookie, token } = issue(csrf);
    fc.assert(
      fc.property(fc.string({ maxLength: 120 }), fc.string({ maxLength: 60 }), (anyToken, anyCookie) => {
        fc.pre(anyToken !== token);
        assert.throws(() => csrf.verify(fakeRequest('POST', { cookie, 'x-csrf-token': anyToken })), ForbiddenError);
        assert.throws(
          () => csrf.verify(fakeRequest('PUT', { cookie: `__Host-csrf=${anyCookie}`, 'x-csrf-token': token })),
          (err: unknown) => err instanceof ForbiddenError || anyCookie === cookie.slice('__Host-csrf='.length),
        );
      }),
    );
  });

  it('ignores GET, HEAD and OPTIONS', () => {
    const csrf = createCSRF({ key: randomBytes(32) });
    for (const method of ['GET', 'HEAD', 'OPTIONS']) csrf.verify(fakeRequest(method, {}));
  });
});
