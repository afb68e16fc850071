// The `mcns` binary as an operator runs it: `server` as a child process (answers /v1/health
// and DNS, stops cleanly on SIGTERM), `status --json` from the database alone, and `snapshot`
// (a VACUUM INTO copy, or a tar.zst of the data directory). Runs the compiled CLI (dist) or,
// from source, the .ts through tsx.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, readFile, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createInterface } from 'node:readline';
import { promisify } from 'node:util';
import Database from 'better-sqlite3';
import { extractArchive } from '@metacircular/mcdsl';
import { httpsRequest, interopTool } from '@metacircular/mcdsl/testing';
import type { StatusReport } from '../src/cli/status-command.js';
import { startTestMcns, type TestMcns } from '../src/testing.js';

const compiled = fileURLToPath(new URL('../src/cli/mcns.js', import.meta.url));
const source = fileURLToPath(new URL('../src/cli/mcns.ts', import.meta.url));
const argvOf = (args: string[]): string[] => (existsSync(compiled) ? [compiled, ...args] : ['--import', 'tsx', source, ...args]);

interface Result {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** mcns runs the CLI to completion without blocking this process (the test server lives here). */
function mcns(args: string[], env: NodeJS.ProcessEnv = {}): Promise<Result> {
  return new Promise((resolve) => {
    execFile(process.execPath, argvOf(args), { env: { ...process.env, ...env }, timeout: 60_000 }, (err, stdout, stderr) => {
      resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr });
    });
  });
}

const zone = 'svc.mcp.metacircular.test';

describe('mcns CLI', () => {
  let m: TestMcns;

  before(async () => {
    m = await startTestMcns({
      records: [
        { zone, name: 'metacrypt', type: 'A', value: '192.168.88.181' },
        { zone, name: 'mcr', type: 'A', value: '192.168.88.181' },
        { zone: 'mcp.metacircular.test', name: 'ns', type: 'A', value: '127.0.0.1' },
      ],
    });
  });
  after(() => m?.stop());

  it('--help lists server, status and snapshot', async () => {
    const res = await mcns(['--help']);
    assert.equal(res.code, 0);
    for (const command of ['server', 'status', 'snapshot']) assert.match(res.stdout, new RegExp(`^\\s+${command}\\b`, 'm'));
  });

  it('status --json reports each zone with its serial and record count, matching the API', async () => {
    const res = await mcns(['status', '--config', m.configPath, '--json']);
    assert.equal(res.code, 0, res.stderr);
    const report = JSON.parse(res.stdout) as StatusReport;
    assert.equal(report.database_exists, true);
    assert.equal(report.schema_current, true);
    assert.equal(report.records, 3);
    const zones = (await m.request('GET', '/v1/zones', { token: m.adminToken })).json<{
      zones: Array<{ name: string; serial: number }>;
    }>().zones;
    assert.deepEqual(
      report.zones,
      zones
        .map((z) => ({ name: z.name, serial: z.serial, records: z.name === zone ? 2 : 1 }))
        .sort((a, b) => a.name.localeCompare(b.name)),
    );
    const text = await mcns(['status', '--config', m.configPath]);
    assert.match(text.stdout, new RegExp(`${zone.replace(/\./g, '\\.')}\\s+serial \\d{10}\\s+2 records`));
  });

  it('status on a data directory without a database says so and creates nothing', async () => {
    const dir = join(m.dir, 'empty');
    await mkdir(dir);
    const config = join(dir, 'mcns.toml');
    const text = (await readFile(m.configPath, 'utf8')).replace(join(m.dir, 'mcns.db'), join(dir, 'mcns.db'));
    await writeFile(config, text);
    const res = await mcns(['status', '--config', config, '--json']);
    assert.equal(res.code, 0, res.stderr);
    const report = JSON.parse(res.stdout) as StatusReport;
    assert.deepEqual([report.database_exists, report.zones], [false, []]);
    assert.equal(existsSync(join(dir, 'mcns.db')), false);
  });

  it('snapshot writes a VACUUM INTO copy to <data dir>/backups, readable while the server runs', async () => {
    const res = await mcns(['snapshot', '--config', m.configPath]);
    assert.equal(res.code, 0, res.stderr);
    const file = res.stdout.trim();
    assert.match(file, new RegExp(`^${join(m.dir, 'backups').replace(/\//g, '\\/')}\\/mcns-\\d{8}T\\d{6}Z\\.db$`));
    const copy = new Database(file, { readonly: true });
    try {
      assert.equal(copy.prepare('SELECT COUNT(*) FROM records').pluck().get(), 3);
      assert.deepEqual(copy.prepare('SELECT name FROM zones ORDER BY name').pluck().all(), ['mcp.metacircular.test', zone]);
    } finally {
      copy.close();
    }
    const again = await mcns(['snapshot', '--config', m.configPath, '--out', file]);
    assert.equal(again.code, 1);
    assert.match(again.stderr, /already exists/);
  });

  it('snapshot --archive writes a tar.zst of the data directory with the database copy', async () => {
    const out = join(m.dir, 'backups', 'full.tar.zst');
    const res = await mcns(['snapshot', '--config', m.configPath, '--archive', '--out', out]);
    assert.equal(res.code, 0, res.stderr);
    const dest = join(m.dir, 'restored');
    await extractArchive(out, dest);
    const names = await readdir(dest, { recursive: true });
    assert.ok(names.includes('mcns.db'), names.join(', '));
    assert.ok(names.includes('mcns.toml'));
  });

  it('server refuses a config with a bad key, naming it', async () => {
    const config = join(m.dir, 'bad.toml');
    await writeFile(config, (await readFile(m.configPath, 'utf8')).replace('[dns]', '[dns]\nlisten_adr = "x"'));
    const res = await mcns(['server', '--config', config]);
    assert.equal(res.code, 1);
    assert.match(res.stderr, /listen_adr/);
  });

  it('server runs as a child process: health over HTTPS, answers over DNS, stops on SIGTERM', async (t) => {
    const dir = join(m.dir, 'child');
    await mkdir(dir);
    const config = join(dir, 'mcns.toml');
    const text = (await readFile(m.configPath, 'utf8'))
      .replace(join(m.dir, 'mcns.db'), join(dir, 'mcns.db'))
      .replace('level = "debug"', 'level = "info"');
    await writeFile(config, text, { mode: 0o600 });
    const child = spawn(process.execPath, argvOf(['server', '--config', config]), { stdio: ['ignore', 'ignore', 'pipe'] });
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    t.after(() => {
      if (child.exitCode === null) child.kill('SIGKILL');
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const started = await new Promise<{ rest: string; dns: Array<{ port: number }> }>((resolve, reject) => {
      // The log (JSON lines) goes to stderr, keeping stdout for command output.
      const lines = createInterface({ input: child.stderr });
      lines.on('line', (line) => {
        if (!line.startsWith('{')) return;
        const entry = JSON.parse(line) as { msg?: string; rest?: string; dns?: Array<{ port: number }> };
        if (entry.msg === 'mcns started' && entry.rest && entry.dns) resolve({ rest: entry.rest, dns: entry.dns });
      });
      void exited.then((code) => reject(new Error(`mcns server exited with ${code}: ${stderr}`)));
    });
    const health = await httpsRequest(`${started.rest}/v1/health`, { ca: m.caCert });
    assert.equal(health.status, 200);
    const dig = interopTool('dig');
    if (dig.path) {
      const { stdout: out } = await promisify(execFile)(dig.path, [
        '@127.0.0.1',
        '-p',
        String(started.dns[0]!.port),
        `metacrypt.${zone}`,
        'A',
        '+short',
        '+time=2',
      ]);
      assert.equal(out.trim(), '192.168.88.181', 'the seed from [[records]] is served');
    }
    child.kill('SIGTERM');
    assert.equal(await exited, 0, stderr);
  });
});
