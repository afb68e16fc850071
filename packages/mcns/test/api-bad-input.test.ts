// Bad input gets a clear error and changes nothing (DESIGN "Errors"; spec 2.6): each bad
// request below is answered with its status and a message naming the problem, and afterwards
// the zone's records and SOA serial are exactly as before. The same inputs over gRPC get the
// matching codes ("gRPC handlers must validate input the same way REST does").
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Code, ConnectError } from '@connectrpc/connect';
import { RecordService } from '@metacircular/proto/mcns/v1/record_pb';
import { restBodyLimit } from '../src/main.js';
import { startTestMcns, type TestMcns } from '../src/testing.js';
import { bearer, grpcClients, type GrpcClients } from './api-grpc-client.js';

const zone = 'svc.mcp.metacircular.test';

describe('bad input changes nothing', () => {
  let m: TestMcns;
  let g: GrpcClients;
  let cnameId: string;
  let aId: string;

  before(async () => {
    m = await startTestMcns({
      records: [
        { zone, name: 'metacrypt', type: 'A', value: '192.168.88.181' },
        { zone, name: 'www', type: 'CNAME', value: `metacrypt.${zone}` },
      ],
    });
    g = grpcClients(m.grpcUrl, m.caCert);
    const list = (await m.request('GET', `/v1/zones/${zone}/records`, { token: m.adminToken })).json<{
      records: Array<{ id: string; type: string }>;
    }>().records;
    cnameId = list.find((r) => r.type === 'CNAME')!.id;
    aId = list.find((r) => r.type === 'A')!.id;
  });
  after(async () => {
    g?.close();
    await m?.stop();
  });

  const snapshot = async (): Promise<string> => {
    const zones = (await m.request('GET', '/v1/zones', { token: m.adminToken })).body;
    const records = await Promise.all(
      ['svc.mcp.metacircular.test', 'mcp.metacircular.test'].map(
        async (z) => (await m.request('GET', `/v1/zones/${z}/records`, { token: m.adminToken })).body,
      ),
    );
    return JSON.stringify({ zones, records });
  };

  const record = (over: object) => ({ name: 'api', type: 'A', value: '10.0.0.1', ...over });
  // [what, method, path, body (object or raw text), status, error pattern]
  const cases: Array<[string, string, string, object | string, number, RegExp]> = [
    [
      'an A record with an IPv6 value',
      'POST',
      `/v1/zones/${zone}/records`,
      record({ value: '2001:db8::1' }),
      400,
      /value: an A record needs an IPv4 address/,
    ],
    ['an A record with a bad IP', 'POST', `/v1/zones/${zone}/records`, record({ value: '300.1.2.3' }), 400, /value/],
    ['an AAAA record with an IPv4 value', 'POST', `/v1/zones/${zone}/records`, record({ type: 'AAAA' }), 400, /IPv6/],
    ['an unknown type', 'POST', `/v1/zones/${zone}/records`, record({ type: 'HINFO' }), 400, /type: "HINFO" is not supported/],
    ['a bad name', 'POST', `/v1/zones/${zone}/records`, record({ name: 'bad name!' }), 400, /name/],
    [
      'a name outside the zone',
      'POST',
      `/v1/zones/${zone}/records`,
      record({ name: 'x.example.org.' }),
      400,
      /not inside the zone/,
    ],
    ['a TTL of 2^31', 'POST', `/v1/zones/${zone}/records`, record({ ttl: 2147483648 }), 400, /ttl/],
    ['a TTL that is not a number', 'POST', `/v1/zones/${zone}/records`, record({ ttl: 'soon' }), 400, /invalid request/],
    ['an A record where a CNAME is', 'POST', `/v1/zones/${zone}/records`, record({ name: 'www' }), 409, /has a CNAME/],
    [
      'a CNAME where an A record is',
      'POST',
      `/v1/zones/${zone}/records`,
      record({ name: 'metacrypt', type: 'CNAME', value: 'x.example.org' }),
      409,
      /must be the only record/,
    ],
    [
      'a second CNAME at a name',
      'POST',
      `/v1/zones/${zone}/records`,
      record({ name: 'www', type: 'CNAME', value: 'x.example.org' }),
      409,
      /only one/,
    ],
    [
      'a CNAME at the apex',
      'POST',
      `/v1/zones/${zone}/records`,
      record({ name: '@', type: 'CNAME', value: 'x.example.org' }),
      400,
      /apex/,
    ],
    [
      'a duplicate record',
      'POST',
      `/v1/zones/${zone}/records`,
      record({ name: 'metacrypt', value: '192.168.88.181' }),
      409,
      /already exists/,
    ],
    ['an unknown field', 'POST', `/v1/zones/${zone}/records`, record({ priority: 10 }), 400, /priority/],
    ['a body that is not JSON', 'POST', `/v1/zones/${zone}/records`, '{"name": "api", ', 400, /./],
    ['a body that is a JSON array', 'POST', `/v1/zones/${zone}/records`, '[1,2]', 400, /./],
    [
      'an oversized body',
      'POST',
      `/v1/zones/${zone}/records`,
      record({ type: 'TXT', value: 'x'.repeat(restBodyLimit + 1) }),
      413,
      /too large/,
    ],
    ['an unknown zone', 'POST', '/v1/zones/nope.example.test/records', record({}), 404, /no zone named nope.example.test/],
    [
      'an update turning the CNAME into an A record with a CNAME value',
      'PUT',
      `/v1/zones/${zone}/records/CNAME`,
      { type: 'A' },
      400,
      /IPv4/,
    ],
    ['an update moving an A record onto the CNAME name', 'PUT', `/v1/zones/${zone}/records/A`, { name: 'www' }, 409, /CNAME/],
    ['an update with an unknown field', 'PUT', `/v1/zones/${zone}/records/A`, { colour: 'red' }, 400, /colour/],
    ['an update of an unknown id', 'PUT', `/v1/zones/${zone}/records/999999`, { ttl: 60 }, 404, /no record 999999/],
    ['a delete of an unknown id', 'DELETE', `/v1/zones/${zone}/records/999999`, '', 404, /no record/],
    [
      'a zone with a bad admin email',
      'POST',
      '/v1/zones',
      { name: 'x.example.test', primary_ns: 'ns.x.example.test', admin_email: 'a.b@x' },
      400,
      /admin_email/,
    ],
    [
      'a zone without a primary ns',
      'POST',
      '/v1/zones',
      { name: 'x.example.test', admin_email: 'h@x.example.test' },
      400,
      /primary_ns/,
    ],
    [
      'a zone that exists',
      'POST',
      '/v1/zones',
      { name: zone, primary_ns: 'ns.x.test', admin_email: 'h@x.test' },
      409,
      /already exists/,
    ],
    ['a zone rename', 'PUT', `/v1/zones/${zone}`, { name: 'other.example.test' }, 400, /cannot be renamed|unknown|name/],
    ['a zone update with a negative refresh', 'PUT', `/v1/zones/${zone}`, { refresh: -1 }, 400, /./],
  ];

  for (const [what, method, rawPath, body, status, pattern] of cases) {
    it(`${what} -> ${status}`, async () => {
      const path = rawPath.replace(/\/CNAME$/, `/${cnameId}`).replace(/\/A$/, `/${aId}`);
      const before = await snapshot();
      const res = await m.request(method, path, {
        token: m.adminToken,
        ...(body === '' ? {} : { body }),
        ...(typeof body === 'string' && body !== '' ? { headers: { 'content-type': 'application/json' } } : {}),
      });
      assert.equal(res.status, status, res.body.slice(0, 300));
      const error = res.json<{ error: string }>().error;
      assert.match(error, pattern);
      assert.equal(await snapshot(), before, 'records and serials are unchanged');
    });
  }

  it('gRPC refuses the same inputs with the matching codes, changing nothing', async () => {
    const records = g.client(RecordService);
    const admin = bearer(m.adminToken);
    const before = await snapshot();
    const code = async (fn: () => Promise<unknown>) => {
      try {
        await fn();
        return 'ok';
      } catch (err) {
        return ConnectError.from(err).code;
      }
    };
    assert.equal(
      await code(() => records.createRecord({ zone, name: 'api', type: 'A', value: '300.1.2.3' }, admin)),
      Code.InvalidArgument,
    );
    assert.equal(
      await code(() => records.createRecord({ zone, name: 'www', type: 'A', value: '10.0.0.1' }, admin)),
      Code.AlreadyExists,
    );
    assert.equal(
      await code(() => records.createRecord({ zone, name: '@', type: 'CNAME', value: 'x.example.org' }, admin)),
      Code.InvalidArgument,
    );
    assert.equal(
      await code(() => records.createRecord({ zone: 'nope.test', name: 'a', type: 'A', value: '10.0.0.1' }, admin)),
      Code.NotFound,
    );
    assert.equal(await code(() => records.updateRecord({ zone, id: BigInt(aId), name: 'www' }, admin)), Code.AlreadyExists);
    assert.equal(await code(() => records.deleteRecord({ zone, id: 0n }, admin)), Code.NotFound);
    assert.equal(await snapshot(), before);
  });
});
