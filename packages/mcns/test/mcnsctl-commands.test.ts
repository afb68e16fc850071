// mcnsctl as a person or a script runs it, each command a child process against a real MCNS
// (and MCIAS): zones and records with --json, the tables people read, and the errors with
// their exit codes (1 refused/failed, 2 usage, 3 no or bad token). Runs the compiled CLI (dist)
// or, from source, the .ts through tsx.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startTestMcns, type TestMcns } from '../src/testing.js';

const compiled = fileURLToPath(new URL('../src/cli/mcnsctl.js', import.meta.url));
const source = fileURLToPath(new URL('../src/cli/mcnsctl.ts', import.meta.url));
const zone = 'svc.mcp.metacircular.test';

interface Result {
  code: number;
  stdout: string;
  stderr: string;
}

interface RecordJson {
  id: string;
  zone: string;
  name: string;
  type: string;
  value: string;
  ttl: number;
}

describe('mcnsctl', () => {
  let m: TestMcns;
  let adminFile: string;
  let mcqFile: string;
  let aliceFile: string;

  /** ctl runs mcnsctl without blocking this process (the test server lives here). */
  const ctl = (args: string[], env: NodeJS.ProcessEnv = {}): Promise<Result> =>
    new Promise((resolve) => {
      const argv = existsSync(compiled) ? [compiled, ...args] : ['--import', 'tsx', source, ...args];
      const clean = { ...process.env, MCNS_SERVER: '', MCNS_CA_CERT: '', MCNS_TOKEN: '', MCNS_TOKEN_FILE: '' };
      execFile(process.execPath, argv, { env: { ...clean, ...env }, timeout: 60_000 }, (err, stdout, stderr) => {
        resolve({ code: err ? Number((err as { code?: number }).code ?? 1) : 0, stdout, stderr });
      });
    });
  /** as runs mcnsctl against the test server with a token file. */
  const as = (tokenFile: string, args: string[]): Promise<Result> =>
    ctl(['--server', m.restUrl, '--ca-cert', m.caPath, '--token-file', tokenFile, ...args]);

  before(async () => {
    m = await startTestMcns({ records: [{ zone, name: 'metacrypt', type: 'A', value: '192.168.88.181' }] });
    const save = async (name: string, token: string): Promise<string> => {
      const file = join(m.dir, `${name}.token`);
      await writeFile(file, `${token}\n`, { mode: 0o600 });
      return file;
    };
    adminFile = await save('admin', m.adminToken);
    mcqFile = await save('mcq', await m.token('mcq', { accountType: 'system' }));
    aliceFile = await save('alice', await m.token('alice'));
  });
  after(() => m?.stop());

  it('records create and list --json print the REST API JSON', async () => {
    const created = await as(adminFile, ['--json', 'records', 'create', zone, 'mcr', 'A', '10.0.0.7', '--ttl', '120']);
    assert.equal(created.code, 0, created.stderr);
    const record = JSON.parse(created.stdout) as RecordJson;
    assert.deepEqual([record.zone, record.name, record.type, record.value, record.ttl], [zone, 'mcr', 'A', '10.0.0.7', 120]);

    const listed = await as(adminFile, ['records', 'list', zone, '--name', 'mcr', '--json']);
    assert.equal(listed.code, 0, listed.stderr);
    assert.deepEqual(JSON.parse(listed.stdout), { records: [record] });

    const api = await m.request('GET', `/v1/zones/${zone}/records/${record.id}`, { token: m.adminToken });
    assert.deepEqual(api.json(), record, 'the same JSON the API returns');
  });

  it('records get, update and delete; the table for people', async () => {
    const created = JSON.parse(
      (await as(adminFile, ['--json', 'records', 'create', zone, 'www', 'CNAME', `mcr.${zone}`])).stdout,
    ) as RecordJson;
    const got = await as(adminFile, ['records', 'get', zone, created.id]);
    assert.equal(got.code, 0, got.stderr);
    assert.match(got.stdout, /^type\s+CNAME$/m);
    assert.match(got.stdout, new RegExp(`^value\\s+mcr\\.${zone.replace(/\./g, '\\.')}$`, 'm'));

    const updated = await as(adminFile, ['--json', 'records', 'update', zone, created.id, '--ttl', '60']);
    assert.equal(updated.code, 0, updated.stderr);
    assert.equal((JSON.parse(updated.stdout) as RecordJson).ttl, 60);

    const table = await as(adminFile, ['records', 'list', zone]);
    assert.match(table.stdout, /^ID\s+NAME\s+TYPE\s+TTL\s+VALUE$/m);
    assert.match(table.stdout, new RegExp(`^${created.id}\\s+www\\s+CNAME\\s+60\\s+mcr\\.`, 'm'));

    const deleted = await as(adminFile, ['records', 'delete', zone, created.id]);
    assert.equal(deleted.code, 0, deleted.stderr);
    assert.match(deleted.stderr, new RegExp(`deleted record ${created.id}`));
    const missing = await as(adminFile, ['records', 'get', zone, created.id]);
    assert.equal(missing.code, 1);
    assert.match(missing.stderr, /mcnsctl: no record \d+ in zone/);
  });

  it('zones list, get, create, update and delete (--json)', async () => {
    const list = JSON.parse((await as(adminFile, ['zones', 'list', '--json'])).stdout) as { zones: Array<{ name: string }> };
    assert.deepEqual(list.zones.map((z) => z.name).sort(), ['mcp.metacircular.test', zone]);
    const created = await as(adminFile, [
      '--json',
      'zones',
      'create',
      'lab.example.test',
      '--primary-ns',
      'ns.lab.example.test',
      '--admin-email',
      'hostmaster@example.test',
      '--refresh',
      '7200',
    ]);
    assert.equal(created.code, 0, created.stderr);
    const zoneJson = JSON.parse(created.stdout) as { name: string; refresh: number; serial: number };
    assert.deepEqual([zoneJson.name, zoneJson.refresh], ['lab.example.test', 7200]);
    const updated = JSON.parse(
      (await as(adminFile, ['--json', 'zones', 'update', 'lab.example.test', '--retry', '900'])).stdout,
    ) as {
      retry: number;
      serial: number;
    };
    assert.equal(updated.retry, 900);
    assert.ok(updated.serial > zoneJson.serial);
    const shown = await as(adminFile, ['zones', 'get', 'lab.example.test']);
    assert.match(shown.stdout, /^retry\s+900$/m);
    assert.equal((await as(adminFile, ['zones', 'delete', 'lab.example.test'])).code, 0);
    assert.equal((await as(adminFile, ['zones', 'get', 'lab.example.test'])).code, 1);
  });

  it('a system account writes its own name and is refused another, with the reason (exit 1)', async () => {
    const own = await as(mcqFile, ['--json', 'records', 'create', zone, 'mcq', 'A', '10.0.0.8']);
    assert.equal(own.code, 0, own.stderr);
    const other = await as(mcqFile, ['records', 'create', zone, 'metacrypt', 'A', '10.0.0.9']);
    assert.equal(other.code, 1);
    assert.match(other.stderr, /^mcnsctl: refused: system account mcq may only change records named "mcq"/m);
    const person = await as(aliceFile, ['records', 'create', zone, 'alice', 'A', '10.0.0.9']);
    assert.equal(person.code, 1);
    assert.match(person.stderr, /refused: records are read-only for this account/);
    assert.equal((await as(aliceFile, ['records', 'list', zone, '--json'])).code, 0, 'people may read');
  });

  it('bad input and conflicts are reported with the server’s message (exit 1)', async () => {
    const bad = await as(adminFile, ['records', 'create', zone, 'x', 'A', 'not-an-ip']);
    assert.equal(bad.code, 1);
    assert.match(bad.stderr, /value: an A record needs an IPv4 address/);
    const conflict = await as(adminFile, ['records', 'create', zone, 'metacrypt', 'CNAME', 'x.example.test']);
    assert.equal(conflict.code, 1);
    assert.match(conflict.stderr, /CNAME must be the only record/);
    const unknownZone = await as(adminFile, ['records', 'list', 'nope.example.test']);
    assert.equal(unknownZone.code, 1);
    assert.match(unknownZone.stderr, /no zone named nope\.example\.test/);
  });

  it('token errors exit 3 (none given, invalid); a loose token file is refused', async () => {
    const none = await ctl(['--server', m.restUrl, '--ca-cert', m.caPath, 'zones', 'list']);
    assert.equal(none.code, 3);
    assert.match(none.stderr, /no token: pass --token-file/);
    const badFile = join(m.dir, 'bad.token');
    await writeFile(badFile, 'not-a-token\n', { mode: 0o600 });
    const invalid = await as(badFile, ['zones', 'list']);
    assert.equal(invalid.code, 3);
    assert.match(invalid.stderr, /invalid or expired token/);
    const loose = join(m.dir, 'loose.token');
    await writeFile(loose, `${m.adminToken}\n`, { mode: 0o644 });
    const refused = await as(loose, ['zones', 'list']);
    assert.equal(refused.code, 1);
    assert.match(refused.stderr, /chmod 600/);
    assert.ok(!refused.stderr.includes(m.adminToken), 'the token is never printed');
  });

  it('reads the server, CA and token from MCNS_SERVER, MCNS_CA_CERT and MCNS_TOKEN', async () => {
    const res = await ctl(['zones', 'list', '--json'], {
      MCNS_SERVER: m.restUrl,
      MCNS_CA_CERT: m.caPath,
      MCNS_TOKEN: m.adminToken,
    });
    assert.equal(res.code, 0, res.stderr);
    assert.equal((JSON.parse(res.stdout) as { zones: unknown[] }).zones.length, 2);
  });

  it('usage errors exit 2: no server, a bad TTL, a bad id, --token on the command line', async () => {
    const noServer = await ctl(['zones', 'list'], { MCNS_TOKEN: 'x' });
    assert.equal(noServer.code, 2);
    assert.match(noServer.stderr, /no server: pass --server/);
    const ttl = await as(adminFile, ['records', 'create', zone, 'x', 'A', '10.0.0.1', '--ttl', 'soon']);
    assert.equal(ttl.code, 2);
    assert.match(ttl.stderr, /"soon" is not a whole number of seconds/);
    const id = await as(adminFile, ['records', 'get', zone, 'abc']);
    assert.equal(id.code, 2);
    assert.match(id.stderr, /"abc" is not a record id/);
    const token = await ctl(['--token', 'secret', 'zones', 'list']);
    assert.equal(token.code, 2);
    assert.match(token.stderr, /--token is not accepted/);
    assert.ok(!token.stderr.includes('secret'));
  });

  it('--help explains the commands, the environment and who may change what', async () => {
    const res = await ctl(['--help']);
    assert.equal(res.code, 0);
    for (const text of ['zones', 'records', 'MCNS_TOKEN', 'mcp-agent', 'Exit codes']) assert.ok(res.stdout.includes(text), text);
    const create = await ctl(['records', 'create', '--help']);
    assert.match(create.stdout, /Values by type/);
  });
});
