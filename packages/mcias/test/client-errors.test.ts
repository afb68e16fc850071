// The client's error mapping and reply decoding, against a tiny scripted HTTPS server (real TLS,
// a real socket): each test says what the "server" answers and checks what the client makes of
// it. The client against a real MCIAS is in client-api.test.ts.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { inspect } from 'node:util';
import { McError } from '@metacircular/mcdsl';
import { createTestPKI, type TestPKI } from '@metacircular/mcdsl/testing';
import {
  MciasAuthError,
  MciasClient,
  MciasConflictError,
  MciasForbiddenError,
  MciasInputError,
  MciasNotFoundError,
  MciasPreconditionError,
  MciasRateLimitError,
  MciasServerError,
} from '../src/client/index.js';

interface Scripted {
  status: number;
  body?: unknown;
  raw?: string;
}

interface Seen {
  method: string;
  url: string;
  authorization: string | undefined;
  body: string;
}

const token = 'eyJhbGciOiJFZERTQSJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJlLXNlY3JldC12YWx1ZQ';

describe('MciasClient against a scripted server', () => {
  let pki: TestPKI;
  let server: Server;
  let url: string;
  let next: Scripted = { status: 200 };
  let seen: Seen[] = [];

  before(async () => {
    pki = await createTestPKI();
    server = createServer({ cert: pki.cert, key: pki.key, minVersion: 'TLSv1.3' }, (req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        seen.push({
          method: req.method ?? '',
          url: req.url ?? '',
          authorization: req.headers.authorization,
          body: Buffer.concat(chunks).toString('utf8'),
        });
        const text = next.raw ?? (next.body === undefined ? '' : JSON.stringify(next.body));
        res.writeHead(next.status, text === '' ? {} : { 'content-type': 'application/json' });
        res.end(text);
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await pki.cleanup();
  });

  const client = (withToken = true) => new MciasClient({ serverUrl: url, caCert: pki.caCert, ...(withToken ? { token } : {}) });
  const answer = (status: number, body?: unknown) => {
    next = { status, ...(body !== undefined ? { body } : {}) };
    seen = [];
  };

  it('maps each status to its typed error, a subclass of the mcdsl category, carrying the status', async () => {
    const cases: [number, new (...args: never[]) => Error, string][] = [
      [400, MciasInputError, 'invalid_request'],
      [401, MciasAuthError, 'unauthenticated'],
      [403, MciasForbiddenError, 'forbidden'],
      [404, MciasNotFoundError, 'not_found'],
      [409, MciasConflictError, 'conflict'],
      [412, MciasPreconditionError, 'precondition_failed'],
      [429, MciasRateLimitError, 'rate_limited'],
      [418, MciasInputError, 'invalid_request'],
      [500, MciasServerError, 'unavailable'],
      [502, MciasServerError, 'unavailable'],
    ];
    const c = client();
    for (const [status, type, category] of cases) {
      answer(status, { error: `problem ${status}` });
      const err = await c.getAccount('some-id').then(
        () => assert.fail('expected an error'),
        (e: unknown) => e,
      );
      assert.ok(err instanceof type, `${status}: ${String(err)}`);
      assert.ok(err instanceof McError);
      assert.equal(err.category, category);
      assert.equal((err as unknown as { status: number }).status, status);
      assert.equal(err.message, `get account: problem ${status}`);
    }
    c.close();
  });

  it('recognises a sealed 503, and a 503 without a message as plain server trouble', async () => {
    const c = client();
    answer(503, { error: 'service is sealed' });
    await assert.rejects(c.listAccounts(), (err: unknown) => {
      assert.ok(err instanceof MciasServerError);
      assert.equal(err.sealed, true);
      assert.equal(err.category, 'sealed');
      assert.equal(err.status, 503);
      return true;
    });
    answer(503);
    await assert.rejects(c.listAccounts(), (err: unknown) => {
      assert.ok(err instanceof MciasServerError);
      assert.equal(err.sealed, false);
      assert.equal(err.message, 'list accounts: mcias answered 503');
      return true;
    });
    // health says "sealed" rather than failing, even when the server pairs it with a 503.
    answer(503, { status: 'sealed' });
    assert.deepEqual(await c.health(), { status: 'sealed' });
    c.close();
  });

  it('never lets the token into an error message, even when the server echoes it', async () => {
    const c = client();
    answer(401, { error: `token ${token} is revoked\nsecond line\u001b[31m` });
    await assert.rejects(c.renewToken(), (err: unknown) => {
      assert.ok(err instanceof MciasAuthError);
      assert.ok(!err.message.includes(token));
      assert.ok(!err.message.includes('c2lnbmF0dXJl'));
      assert.match(err.message, /^renew token: token \[redacted\] is revoked second line \[31m$/);
      assert.ok(!inspect(err).includes(token));
      return true;
    });
    assert.ok(!inspect(c).includes(token), 'util.inspect of the client shows no token');
    assert.ok(!JSON.stringify(c).includes(token));
    c.close();
  });

  it('sends the token as a bearer header only where the route needs one', async () => {
    const c = client();
    answer(200, { sealed: false });
    await c.vaultStatus();
    assert.equal(seen[0]?.authorization, undefined);
    answer(200, { accounts: [] });
    await c.listAccounts({ includeDeleted: true });
    assert.equal(seen[0]?.authorization, `Bearer ${token}`);
    assert.equal(seen[0]?.url, '/v1/accounts?include_deleted=true');
    answer(204);
    await c.revokeRole('a/b', 'x y');
    assert.equal(seen[0]?.method, 'DELETE');
    assert.equal(seen[0]?.url, '/v1/accounts/a%2Fb/roles/x%20y', 'path segments are escaped');
    c.close();
  });

  it('refuses calls that need a token before sending anything when it has none', async () => {
    const c = client(false);
    seen = [];
    await assert.rejects(c.listAccounts(), (err: unknown) => err instanceof MciasAuthError && /no token/.test(err.message));
    await assert.rejects(c.logout(), MciasAuthError);
    assert.equal(seen.length, 0);
    c.close();
  });

  it('sends login as the REST API spells it and keeps the token it gets', async () => {
    const c = new MciasClient({ serverUrl: url, caCert: pki.caCert, serviceName: 'mcr', tags: ['env:prod'] });
    answer(200, { token, expires_at: '2030-01-02T03:04:05Z' });
    const issued = await c.login('alice', 'pw', '123456');
    assert.deepEqual(issued, { token, expiresAt: new Date('2030-01-02T03:04:05Z') });
    assert.deepEqual(JSON.parse(seen[0]!.body), {
      username: 'alice',
      password: 'pw',
      totp_code: '123456',
      service_name: 'mcr',
      tags: ['env:prod'],
    });
    assert.equal(c.hasToken, true);
    answer(204);
    await c.logout();
    assert.equal(seen[0]?.authorization, `Bearer ${token}`);
    assert.equal(c.hasToken, false);
    c.close();
  });

  it('rejects replies of the wrong shape: unknown fields, missing fields, bad types, bad instants', async () => {
    const c = client();
    const good = { token, expires_at: '2030-01-02T03:04:05.123456789Z' };
    answer(200, good);
    assert.equal((await c.renewToken()).expiresAt.toISOString(), '2030-01-02T03:04:05.123Z');
    c.setToken(token);
    const bad: unknown[] = [
      { ...good, extra: 1 },
      { token },
      { token: 5, expires_at: good.expires_at },
      { token, expires_at: 'yesterday' },
      { token, expires_at: '2030-13-45T99:00:00Z' },
      { token: '', expires_at: good.expires_at },
      [good],
      undefined,
    ];
    for (const body of bad) {
      answer(200, body);
      await assert.rejects(c.renewToken(), (err: unknown) => {
        assert.ok(err instanceof MciasServerError, String(err));
        assert.equal(err.code, 'ERR_MCIAS_BAD_RESPONSE');
        assert.equal(err.status, 200);
        assert.match(err.message, /^renew token: unexpected reply from mcias: /);
        assert.ok(!err.message.includes(token));
        return true;
      });
    }
    // A body on a call documented as empty is refused too.
    answer(200, { surprise: true });
    await assert.rejects(
      c.deleteAccount('x'),
      (err: unknown) => err instanceof MciasServerError && /expected no content/.test(err.message),
    );
    c.close();
  });

  it('decodes int64 ids sent as strings and leaves absent timestamps out', async () => {
    const c = client();
    const rule = {
      id: '-3',
      description: 'd',
      effect: 'allow',
      priority: -3,
      roles: [],
      account_types: ['human'],
      subject_uuid: '',
      actions: ['tokens:validate'],
      resource_type: '',
      owner_matches_subject: false,
      service_names: [],
      required_tags: [],
      enabled: true,
      builtin: true,
    };
    answer(200, { rules: [rule] });
    const [decoded] = await c.listPolicyRules();
    assert.equal(decoded?.id, -3);
    assert.deepEqual(decoded?.accountTypes, ['human']);
    assert.equal('notBefore' in decoded, false);
    answer(200, { rules: [{ ...rule, id: '12345678901234567890' }] });
    await assert.rejects(c.listPolicyRules(), MciasServerError);
    answer(200, { rules: [{ ...rule, id: 1.5 }] });
    await assert.rejects(c.listPolicyRules(), MciasServerError);
    c.close();
  });

  it('encodes policy rules and audit filters with the proto field names', async () => {
    const c = client();
    answer(204);
    await c.deletePolicyRule(7);
    assert.equal(seen[0]?.url, '/v1/policy/rules/7');
    await assert.rejects(c.getPolicyRule(1.5), MciasInputError);
    answer(200, { events: [], next_page_token: '' });
    await c.listAuditEvents({
      eventType: 'login_ok',
      actorId: 'a',
      targetId: 't',
      since: new Date('2030-01-01T00:00:00Z'),
      until: new Date('2030-01-02T00:00:00Z'),
      pageSize: 10,
      pageToken: '99',
    });
    const query = new URL(seen[0].url, 'https://x').searchParams;
    assert.deepEqual(Object.fromEntries(query), {
      event_type: 'login_ok',
      actor_id: 'a',
      target_id: 't',
      since: '2030-01-01T00:00:00.000Z',
      until: '2030-01-02T00:00:00.000Z',
      page_size: '10',
      page_token: '99',
    });
    c.close();
  });

  it('treats a 401 from token validation as an answer, not an error', async () => {
    const c = client(false);
    answer(401, { error: 'invalid token' });
    const info = await c.validateToken('some.other.token');
    assert.equal(info.valid, false);
    assert.equal(seen[0]?.authorization, 'Bearer some.other.token');
    assert.deepEqual(JSON.parse(seen[0].body), { token: 'some.other.token' });
    c.close();
  });

  it('refuses a server whose certificate the given CA did not sign', async () => {
    const other = await createTestPKI();
    try {
      const c = new MciasClient({ serverUrl: url, caCert: other.caCert });
      await assert.rejects(c.health(), (err: unknown) => err instanceof McError && err.category === 'unavailable');
      c.close();
    } finally {
      await other.cleanup();
    }
  });
});
