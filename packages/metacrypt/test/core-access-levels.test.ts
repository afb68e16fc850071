// Every REST row of the whole access table (core, policy, every engine, ACME, web excluded: it
// has its own listener) is enforced as written, before any handler or body check runs: a
// route that needs a token answers 401 without one, a non-public route refuses a guest unless
// it is `token` level, and an admin route refuses a non-admin user. Walking the table keeps a
// new route from slipping in with a level nobody tried.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startTestMetacrypt, type TestMetacrypt } from '../src/testing.js';

describe('every REST row is enforced for anonymous, guest and non-admin callers', () => {
  let mc: TestMetacrypt;
  let guest: string;
  let user: string;
  before(async () => {
    mc = await startTestMetacrypt();
    guest = await mc.token('visitor', { roles: ['guest'] });
    user = await mc.token('plain-user', { roles: ['user'] });
  });
  after(() => mc?.stop());

  const rows = () =>
    Object.entries(mc.server.access)
      .filter(([key]) => /^(GET|POST|PUT|DELETE|PATCH|HEAD) \//.test(key))
      .map(([key, rule]) => {
        const [method, route] = key.split(' ') as [string, string];
        // any value fills a parameter: the access check runs before anything reads it
        const path = route.replace(/:[A-Za-z_]+(\([^)]*\))?/g, 'x').replace(/\*$/, 'x');
        return { key, method, path, rule };
      });

  it('answers 401 without a token on every non-public row', async () => {
    const checked = rows().filter((r) => r.rule.level !== 'public');
    assert.ok(checked.length > 40, `only ${checked.length} rows`);
    for (const r of checked) {
      const res = await mc.request(r.method, r.path, r.method === 'GET' || r.method === 'DELETE' ? {} : { body: {} });
      assert.equal(res.status, 401, `${r.key}: ${res.status} ${res.body}`);
    }
  });

  it('refuses a guest on every authenticated and admin row', async () => {
    for (const r of rows().filter((x) => x.rule.level === 'authenticated' || x.rule.level === 'admin')) {
      const res = await mc.request(r.method, r.path, {
        token: guest,
        ...(r.method === 'GET' || r.method === 'DELETE' ? {} : { body: {} }),
      });
      assert.equal(res.status, 403, `${r.key}: ${res.status} ${res.body}`);
    }
  });

  it('refuses a non-admin user on every admin row', async () => {
    const admin = rows().filter((x) => x.rule.level === 'admin');
    assert.ok(admin.length > 10, `only ${admin.length} admin rows`);
    for (const r of admin) {
      const res = await mc.request(r.method, r.path, {
        token: user,
        ...(r.method === 'GET' || r.method === 'DELETE' ? {} : { body: {} }),
      });
      assert.equal(res.status, 403, `${r.key}: ${res.status} ${res.body}`);
    }
  });
});
