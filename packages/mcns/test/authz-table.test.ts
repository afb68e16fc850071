// The authorization table of spec 2.11, tried whole: each kind of caller (admin, the mcp-agent
// system account, a system account writing its own name and someone else's, a person without
// admin, a guest, no token) against every record write and every zone mutation, on REST and
// on gRPC. A refused write must leave the zone exactly as it was (records and serial).
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Code, ConnectError } from '@connectrpc/connect';
import { RecordService } from '@metacircular/proto/mcns/v1/record_pb';
import { ZoneService } from '@metacircular/proto/mcns/v1/zone_pb';
import { startTestMcns, type TestMcns } from '../src/testing.js';
import { bearer, grpcClients, type GrpcClients } from './api-grpc-client.js';

const zone = 'svc.mcp.metacircular.test';

interface RecordJson {
  id: string;
  name: string;
  value: string;
}

type Who = 'admin' | 'mcp-agent' | 'mcq' | 'alice' | 'guest' | 'none';
type Outcome = 'ok' | 401 | 403;

describe('record and zone authorization (spec 2.11)', () => {
  let m: TestMcns;
  let g: GrpcClients;
  const tokens: Partial<Record<Who, string>> = {};
  let n = 0;

  before(async () => {
    m = await startTestMcns();
    g = grpcClients(m.grpcUrl, m.caCert);
    tokens.admin = m.adminToken;
    tokens['mcp-agent'] = await m.token('mcp-agent', { accountType: 'system' });
    tokens.mcq = await m.token('mcq', { accountType: 'system' });
    tokens.alice = await m.token('alice', { roles: ['user'] });
    tokens.guest = await m.token('visitor', { roles: ['guest'] });
  });
  after(async () => {
    g?.close();
    await m?.stop();
  });

  const nextIp = (): string => `10.9.${Math.floor(++n / 250)}.${(n % 250) + 1}`;
  const state = async (): Promise<string> => {
    const records = (await m.request('GET', `/v1/zones/${zone}/records`, { token: m.adminToken })).json<{
      records: RecordJson[];
    }>().records;
    const serial = (await m.request('GET', `/v1/zones/${zone}`, { token: m.adminToken })).json<{ serial: number }>().serial;
    return JSON.stringify({ records, serial });
  };
  const seed = async (name: string): Promise<RecordJson> => {
    const res = await m.request('POST', `/v1/zones/${zone}/records`, {
      token: m.adminToken,
      body: { name, type: 'A', value: nextIp() },
    });
    assert.equal(res.status, 201, res.body);
    return res.json<RecordJson>();
  };
  const outcomeOf = (status: number): 'ok' | number => (status >= 200 && status < 300 ? 'ok' : status);

  /** attempt runs one write as `who` and checks the outcome; a refused write changes nothing. */
  const attempt = async (who: Who, expected: Outcome, write: (token: string | undefined) => Promise<number>) => {
    const before = await state();
    const got = outcomeOf(await write(tokens[who]));
    assert.equal(got, expected);
    if (expected !== 'ok') assert.equal(await state(), before, 'a refused write changes nothing, serial included');
  };

  // [caller, own name (the one a system account may write), expected for own name, expected for another name]
  const callers: Array<[Who, Outcome, Outcome]> = [
    ['admin', 'ok', 'ok'],
    ['mcp-agent', 'ok', 'ok'],
    ['mcq', 'ok', 403],
    ['alice', 403, 403],
    ['guest', 403, 403],
    ['none', 401, 401],
  ];

  for (const [who, own, other] of callers) {
    describe(`as ${who}`, () => {
      for (const [label, name, expected] of [
        ['its own name (mcq)', 'mcq', own],
        ['another name (metacrypt)', 'metacrypt', other],
      ] as const) {
        it(`REST create a record at ${label} -> ${expected}`, () =>
          attempt(who, expected, async (token) => {
            const res = await m.request('POST', `/v1/zones/${zone}/records`, {
              ...(token ? { token } : {}),
              body: { name, type: 'A', value: nextIp() },
            });
            return res.status;
          }));

        it(`REST update a record at ${label} -> ${expected}`, async () => {
          const rec = await seed(name);
          await attempt(who, expected, async (token) => {
            const res = await m.request('PUT', `/v1/zones/${zone}/records/${rec.id}`, {
              ...(token ? { token } : {}),
              body: { value: nextIp(), ttl: 120 },
            });
            return res.status;
          });
        });

        it(`REST delete a record at ${label} -> ${expected}`, async () => {
          const rec = await seed(name);
          await attempt(who, expected, async (token) => {
            const res = await m.request('DELETE', `/v1/zones/${zone}/records/${rec.id}`, { ...(token ? { token } : {}) });
            return res.status;
          });
        });
      }

      const zoneWrite: Outcome = who === 'admin' ? 'ok' : who === 'none' ? 401 : 403;
      it(`REST create, update and delete a zone -> ${zoneWrite}`, async () => {
        const name = `z${++n}.example.test`;
        await attempt(who, zoneWrite, async (token) => {
          const res = await m.request('POST', '/v1/zones', {
            ...(token ? { token } : {}),
            body: { name, primary_ns: 'ns.example.test', admin_email: 'hostmaster@example.test' },
          });
          return res.status;
        });
        if (zoneWrite !== 'ok') {
          assert.equal((await m.request('GET', `/v1/zones/${name}`, { token: m.adminToken })).status, 404);
          const made = await m.request('POST', '/v1/zones', {
            token: m.adminToken,
            body: { name, primary_ns: 'ns.example.test', admin_email: 'hostmaster@example.test' },
          });
          assert.equal(made.status, 201);
        }
        const before = (await m.request('GET', `/v1/zones/${name}`, { token: m.adminToken })).body;
        const put = await m.request('PUT', `/v1/zones/${name}`, {
          ...(token(who) ? { token: token(who) } : {}),
          body: { retry: 900 },
        });
        assert.equal(outcomeOf(put.status), zoneWrite);
        if (zoneWrite !== 'ok') assert.equal((await m.request('GET', `/v1/zones/${name}`, { token: m.adminToken })).body, before);
        const del = await m.request('DELETE', `/v1/zones/${name}`, { ...(token(who) ? { token: token(who) } : {}) });
        assert.equal(outcomeOf(del.status), zoneWrite);
        assert.equal(
          (await m.request('GET', `/v1/zones/${name}`, { token: m.adminToken })).status,
          zoneWrite === 'ok' ? 404 : 200,
        );
      });

      const readable: Outcome = who === 'guest' ? 403 : who === 'none' ? 401 : 'ok';
      it(`REST reads of zones and records -> ${readable}`, async () => {
        const rec = await seed('reader');
        const t = token(who);
        for (const path of [
          '/v1/zones',
          `/v1/zones/${zone}`,
          `/v1/zones/${zone}/records`,
          `/v1/zones/${zone}/records/${rec.id}`,
        ]) {
          assert.equal(outcomeOf((await m.request('GET', path, t ? { token: t } : {})).status), readable, path);
        }
      });
    });
  }
  function token(who: Who): string | undefined {
    return tokens[who];
  }

  describe('on update, both the old and the new name must be the account’s own', () => {
    it('mcq cannot rename its record away (403), nor take over another name by renaming (403)', async () => {
      const mine = await seed('mcq');
      await attempt(
        'mcq',
        403,
        async (t) =>
          (await m.request('PUT', `/v1/zones/${zone}/records/${mine.id}`, { token: t!, body: { name: 'metacrypt' } })).status,
      );
      const theirs = await seed('metacrypt');
      await attempt(
        'mcq',
        403,
        async (t) =>
          (await m.request('PUT', `/v1/zones/${zone}/records/${theirs.id}`, { token: t!, body: { name: 'mcq' } })).status,
      );
      await attempt(
        'mcq',
        'ok',
        async (t) =>
          (await m.request('PUT', `/v1/zones/${zone}/records/${mine.id}`, { token: t!, body: { name: 'MCQ', ttl: 90 } })).status,
      );
    });

    it('mcq may not write sub-labels of its name (api.mcq) or an absolute name of another', async () => {
      await attempt(
        'mcq',
        403,
        async (t) =>
          (
            await m.request('POST', `/v1/zones/${zone}/records`, {
              token: t!,
              body: { name: 'api.mcq', type: 'A', value: nextIp() },
            })
          ).status,
      );
      await attempt(
        'mcq',
        'ok',
        async (t) =>
          (
            await m.request('POST', `/v1/zones/${zone}/records`, {
              token: t!,
              body: { name: `mcq.${zone}.`, type: 'A', value: nextIp() },
            })
          ).status,
      );
      await attempt(
        'mcq',
        403,
        async (t) =>
          (
            await m.request('POST', `/v1/zones/${zone}/records`, {
              token: t!,
              body: { name: `mcr.${zone}.`, type: 'A', value: nextIp() },
            })
          ).status,
      );
    });

    it('the 403 says which name the account may write', async () => {
      const res = await m.request('POST', `/v1/zones/${zone}/records`, {
        token: tokens.mcq!,
        body: { name: 'metacrypt', type: 'A', value: nextIp() },
      });
      assert.equal(res.status, 403);
      assert.match(res.json<{ error: string }>().error, /system account mcq may only change records named "mcq"/);
    });
  });

  describe('the same rule on gRPC', () => {
    const grpcCode = async (fn: () => Promise<unknown>): Promise<Code | 'ok'> => {
      try {
        await fn();
        return 'ok';
      } catch (err) {
        return ConnectError.from(err).code;
      }
    };

    it('CreateRecord: mcp-agent any, mcq its own only, people and guests never, no token unauthenticated', async () => {
      const records = g.client(RecordService);
      const create = (who: Who, name: string) => () =>
        records.createRecord({ zone, name, type: 'A', value: nextIp() }, bearer(token(who)));
      assert.equal(await grpcCode(create('admin', 'metacrypt')), 'ok');
      assert.equal(await grpcCode(create('mcp-agent', 'metacrypt')), 'ok');
      assert.equal(await grpcCode(create('mcq', 'mcq')), 'ok');
      const before = await state();
      assert.equal(await grpcCode(create('mcq', 'metacrypt')), Code.PermissionDenied);
      assert.equal(await grpcCode(create('alice', 'alice')), Code.PermissionDenied);
      assert.equal(await grpcCode(create('guest', 'visitor')), Code.PermissionDenied);
      assert.equal(await grpcCode(create('none', 'x')), Code.Unauthenticated);
      assert.equal(await state(), before);
    });

    it('UpdateRecord and DeleteRecord apply the name check to the stored record', async () => {
      const records = g.client(RecordService);
      const theirs = await seed('metacrypt');
      const id = BigInt(theirs.id);
      assert.equal(
        await grpcCode(() => records.updateRecord({ zone, id, ttl: 60 }, bearer(token('mcq')))),
        Code.PermissionDenied,
      );
      assert.equal(await grpcCode(() => records.deleteRecord({ zone, id }, bearer(token('mcq')))), Code.PermissionDenied);
      assert.equal(await grpcCode(() => records.updateRecord({ zone, id, ttl: 60 }, bearer(token('mcp-agent')))), 'ok');
      assert.equal(await grpcCode(() => records.deleteRecord({ zone, id }, bearer(token('mcp-agent')))), 'ok');
    });

    it('zone mutations are admin-only', async () => {
      const zones = g.client(ZoneService);
      const input = { name: 'grpc.example.test', primaryNs: 'ns.example.test', adminEmail: 'hostmaster@example.test' };
      for (const who of ['mcp-agent', 'mcq', 'alice', 'guest'] as const) {
        assert.equal(await grpcCode(() => zones.createZone(input, bearer(token(who)))), Code.PermissionDenied, who);
        assert.equal(await grpcCode(() => zones.deleteZone({ zone }, bearer(token(who)))), Code.PermissionDenied, who);
      }
      assert.equal(await grpcCode(() => zones.createZone(input, bearer(undefined))), Code.Unauthenticated);
      assert.equal(await grpcCode(() => zones.createZone(input, bearer(token('admin')))), 'ok');
      assert.equal(await grpcCode(() => zones.updateZone({ zone: input.name, retry: 1200 }, bearer(token('admin')))), 'ok');
      assert.equal(await grpcCode(() => zones.deleteZone({ zone: input.name }, bearer(token('admin')))), 'ok');
    });
  });
});
