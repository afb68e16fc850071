// The record API and the DNS port are one system: a record written through REST is answered
// by `dig` on the very next query, with the AA bit, and the zone's SOA serial seen over DNS has
// increased; an update and a delete show up the same way. dig is a client nobody here wrote.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { interopTool } from '@metacircular/mcdsl/testing';
import { startTestMcns, type TestMcns } from '../src/testing.js';

const run = promisify(execFile);
const zone = 'svc.mcp.metacircular.test';

describe('REST writes are answered over DNS at once', () => {
  const dig = interopTool('dig');
  let m: TestMcns;

  before(async () => {
    if (dig.skip) return;
    m = await startTestMcns();
  });
  after(() => m?.stop());

  /** query asks MCNS with dig (UDP, or TCP with +tcp) and returns the status, flags and answer lines. */
  const query = async (name: string, type: string, ...extra: string[]) => {
    const { stdout } = await run(
      dig.path!,
      ['@127.0.0.1', '-p', String(m.dns.port), name, type, '+norecurse', '+time=2', '+tries=1', ...extra],
      { timeout: 10_000 },
    );
    const status = /status: (\w+)/.exec(stdout)?.[1];
    const flags = /;; flags: ([\w ]+);/.exec(stdout)?.[1]?.split(' ') ?? [];
    const answer = stdout
      .split('\n')
      .filter((line) => line !== '' && !line.startsWith(';'))
      .map((line) => line.split(/\s+/));
    return { status, flags, answer, stdout };
  };
  const soaSerial = async (): Promise<number> => {
    const { answer } = await query(zone, 'SOA');
    const soa = answer.find((fields) => fields[3] === 'SOA');
    assert.ok(soa, 'an SOA answer');
    return Number(soa[6]);
  };

  it('a created record is answered at once with AA, and the serial over DNS increased', async (t) => {
    if (dig.skip) return t.skip(dig.skip);
    const name = `metacrypt.${zone}`;
    const absent = await query(name, 'A');
    assert.equal(absent.status, 'NXDOMAIN');
    const serialBefore = await soaSerial();

    const res = await m.request('POST', `/v1/zones/${zone}/records`, {
      token: m.adminToken,
      body: { name: 'metacrypt', type: 'A', value: '192.168.88.181', ttl: 120 },
    });
    assert.equal(res.status, 201, res.body);
    const apiSerial = (await m.request('GET', `/v1/zones/${zone}`, { token: m.adminToken })).json<{ serial: number }>().serial;

    for (const transport of [[], ['+tcp']]) {
      const answered = await query(name, 'A', ...transport);
      assert.equal(answered.status, 'NOERROR', answered.stdout);
      assert.ok(answered.flags.includes('aa'), `AA set (${answered.flags.join(' ')})`);
      assert.deepEqual(
        answered.answer.map((f) => [f[0], f[1], f[3], f[4]]),
        [[`${name}.`, '120', 'A', '192.168.88.181']],
      );
    }
    const serialAfter = await soaSerial();
    assert.ok(serialAfter > serialBefore, `serial ${serialAfter} > ${serialBefore}`);
    assert.equal(serialAfter, apiSerial, 'DNS and the API agree on the serial');
  });

  it('an update and a delete through REST show up on the next query', async (t) => {
    if (dig.skip) return t.skip(dig.skip);
    const created = await m.request('POST', `/v1/zones/${zone}/records`, {
      token: m.adminToken,
      body: { name: 'mcr', type: 'AAAA', value: '2001:db8::1' },
    });
    const { id } = created.json<{ id: string }>();
    const name = `mcr.${zone}`;
    assert.deepEqual(
      (await query(name, 'AAAA')).answer.map((f) => f[4]),
      ['2001:db8::1'],
    );

    const s1 = await soaSerial();
    await m.request('PUT', `/v1/zones/${zone}/records/${id}`, { token: m.adminToken, body: { value: '2001:db8::2' } });
    assert.deepEqual(
      (await query(name, 'AAAA')).answer.map((f) => f[4]),
      ['2001:db8::2'],
    );
    const s2 = await soaSerial();
    assert.ok(s2 > s1);

    await m.request('DELETE', `/v1/zones/${zone}/records/${id}`, { token: m.adminToken });
    const gone = await query(name, 'AAAA');
    assert.equal(gone.status, 'NXDOMAIN');
    assert.ok((await soaSerial()) > s2);
  });

  it('a zone created through REST is served at once; deleting it stops that', async (t) => {
    if (dig.skip) return t.skip(dig.skip);
    const res = await m.request('POST', '/v1/zones', {
      token: m.adminToken,
      body: { name: 'lab.example.test', primary_ns: 'ns.lab.example.test', admin_email: 'hostmaster@example.test' },
    });
    assert.equal(res.status, 201, res.body);
    const soa = await query('lab.example.test', 'SOA');
    assert.equal(soa.status, 'NOERROR');
    assert.ok(soa.flags.includes('aa'));
    await m.request('DELETE', '/v1/zones/lab.example.test', { token: m.adminToken });
    const after = await query('lab.example.test', 'SOA');
    assert.ok(!after.flags.includes('aa'), 'no longer authoritative');
  });
});
