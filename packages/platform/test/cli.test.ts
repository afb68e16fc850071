// The real `mc` binary, spawned as the operator runs it: detached up, status --json, down.
// Needs a build (npm test does one). The real MCIAS and MCAT under `mc up --detach` are in
// real-services.test.ts.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { upDetached } from '../src/launcher/up-detached.js';
import type { PlatformStatus } from '../src/launcher/status.js';
import { readPidFile } from '../src/supervisor/pid-file.js';
import { waitUntilGone } from '../src/supervisor/process-identity.js';
import { assertBuilt, fixtureRegistryModule, mcBin } from './fixtures/paths.js';
import { assertServicesBuilt, isGone, mc, mcFails } from './helpers.js';

describe('mc CLI', () => {
  let root: string;
  before(() => {
    assertBuilt();
    root = mkdtempSync(join(tmpdir(), 'mc-cli-'));
  });
  after(() => rmSync(root, { recursive: true, force: true }));

  test('the bin is a node script', () => {
    assert.ok(readFileSync(mcBin, 'utf8').startsWith('#!/usr/bin/env node\n'));
  });

  test('--help of each command says what it does and which files it writes', async () => {
    const { stdout: top } = await mc('--help');
    for (const command of ['up', 'status', 'down']) assert.match(top, new RegExp(`\\n {2}${command} `));
    assert.doesNotMatch(top, /\n {2}supervise/);
    const { stdout: upHelp } = await mc('up', '--help');
    for (const text of [
      '--detach',
      '--domain',
      'platform.json',
      'secrets/ca.key',
      'secrets/admin.password',
      'secrets/mcias-master.key',
      'secrets/<service>.token',
      'logs/<service>.log',
    ]) {
      assert.ok(upHelp.includes(text), `mc up --help mentions ${text}`);
    }
    assert.match((await mc('down', '--help')).stdout, /run\/supervisor\.pid/);
    assert.match((await mc('status', '--help')).stdout, /--json/);
  });

  test('up in the foreground supervises until Ctrl-C, then stops the services in reverse order', async () => {
    assertServicesBuilt(['mcias', 'mcat']);
    const dir = join(root, 'foreground');
    const child = spawn(process.execPath, [mcBin, 'up', '--dir', dir], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    await new Promise<void>((resolve, reject) => {
      child.stdout.on('data', (chunk: Buffer) => {
        stdout += chunk.toString('utf8');
        if (stdout.includes('Press Ctrl-C to stop everything.')) resolve();
      });
      child.once('exit', (code) => reject(new Error(`mc up exited early (${code}): ${stdout}`)));
    });
    assert.equal(readPidFile(join(dir, 'run', 'supervisor.pid'))?.pid, child.pid);
    const status = JSON.parse((await mc('status', '--json', '--dir', dir)).stdout) as PlatformStatus;
    assert.equal(status.running, true);
    const pids = ['mcias', 'mcat'].map((name) => status.services[name]?.pid);
    assert.deepEqual(
      ['mcias', 'mcat'].map((name) => status.services[name]?.state),
      ['running', 'running'],
    );

    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    child.kill('SIGINT');
    assert.equal(await exited, 0);
    // After "ready" every event is a timestamped line; the last line says all is stopped.
    assert.match(stdout, /SIGINT: stopping the platform\.\.\.\n(?:\[[^\n]*\n)*stopped\n$/);
    assert.match(stdout, /\] stopped mcat\n(?:[^\n]*\n)*?\[[^\n]*\] stopped mcias\n/);
    for (const pid of pids) assert.ok(typeof pid === 'number' && isGone(pid), `service pid ${pid} is gone`);
    assert.equal(existsSync(join(dir, 'run', 'supervisor.pid')), false);
  });

  test('status and up explain themselves on a bad directory or domain', async () => {
    const missing = await mcFails('status', '--dir', join(root, 'nothing-here'));
    assert.equal(missing.code, 1);
    assert.match(
      missing.stderr,
      /^mc: there is no platform in .*nothing-here \(no platform\.json\); start one with: mc up --dir /,
    );
    const badDomain = await mcFails('up', '--detach', '--dir', join(root, 'bad-domain'), '--domain', 'not a domain');
    assert.match(badDomain.stderr, /^mc: domain 'not a domain' is not a valid DNS name/);
  });
});

describe('mc down with a detached supervisor running the fixture service', () => {
  let root: string;
  before(() => {
    assertBuilt();
    root = mkdtempSync(join(tmpdir(), 'mc-down-'));
  });
  after(() => rmSync(root, { recursive: true, force: true }));

  test('status --json reports it, and down leaves no process behind', async () => {
    const dir = join(root, 'fixture');
    const { supervisorPid, file } = await upDetached({ dir, registryModule: fixtureRegistryModule, mcBin });
    const servicePid = file.services['fixture']?.pid;
    assert.ok(typeof servicePid === 'number');
    const helperPid = Number(readFileSync(join(dir, 'fixture', 'helper.pid'), 'utf8'));
    assert.ok(!isGone(supervisorPid) && !isGone(servicePid) && !isGone(helperPid));

    const status = JSON.parse((await mc('status', '--json', '--dir', dir)).stdout) as PlatformStatus;
    assert.deepEqual(Object.keys(status).sort(), ['admin', 'ca_cert', 'dir', 'domain', 'running', 'services', 'supervisor_pid']);
    assert.equal(status.dir, dir);
    assert.equal(status.running, true);
    assert.equal(status.supervisor_pid, supervisorPid);
    const entry = status.services['fixture'];
    assert.equal(entry?.state, 'running');
    assert.equal(entry?.pid, servicePid);
    assert.equal(entry?.healthy, true);
    assert.match(String(entry?.['rest']), /^https:\/\/127\.0\.0\.1:\d+$/);
    assert.match((await mc('status', '--dir', dir)).stdout, /^fixture\s+running\s+\d+\s+rest https:\/\/127\.0\.0\.1:\d+$/m);

    await mc('down', '--dir', dir);
    for (const pid of [supervisorPid, servicePid]) {
      assert.throws(() => process.kill(pid, 0), { code: 'ESRCH' }, `pid ${pid} is gone`);
    }
    // The helper's parent (the service) is gone, so init owns it; see isGone about zombies.
    assert.ok(isGone(helperPid), 'the service helper (same process group) is gone');

    const after = JSON.parse((await mc('status', '--json', '--dir', dir)).stdout) as PlatformStatus;
    assert.equal(after.running, false);
    assert.equal(after.supervisor_pid, null);
    assert.deepEqual(
      {
        state: after.services['fixture']?.state,
        pid: after.services['fixture']?.pid,
        healthy: after.services['fixture']?.healthy,
      },
      { state: 'stopped', pid: null, healthy: null },
    );
  });

  test('down stops services left behind by a supervisor that was killed outright', async () => {
    const dir = join(root, 'orphans');
    const { supervisorPid, file } = await upDetached({ dir, registryModule: fixtureRegistryModule, mcBin });
    const servicePid = file.services['fixture']?.pid;
    assert.ok(typeof servicePid === 'number');
    process.kill(supervisorPid, 'SIGKILL');
    assert.ok(await waitUntilGone([{ pid: supervisorPid }], 10_000));
    assert.ok(!isGone(servicePid), 'the service outlived its supervisor');

    const status = JSON.parse((await mc('status', '--json', '--dir', dir)).stdout) as PlatformStatus;
    assert.equal(status.running, false);
    assert.equal(status.services['fixture']?.state, 'orphaned');

    const { stdout } = await mc('down', '--dir', dir);
    assert.match(stdout, /was not running; removed its stale pid file/);
    assert.match(stdout, /stopped services its supervisor had left running: fixture/);
    assert.ok(isGone(servicePid));
    assert.equal(existsSync(join(dir, 'run', 'supervisor.pid')), false);
  });

  test('a stale pid file does not block up or down', async () => {
    const dir = join(root, 'stale');
    // A pid that surely is no process of ours: a child that has already exited and been reaped.
    const child = spawn(process.execPath, ['-e', '']);
    const deadPid = child.pid;
    await new Promise((resolve) => child.once('exit', resolve));
    assert.ok(deadPid !== undefined);
    mkdirSync(join(dir, 'run'), { recursive: true });
    writeFileSync(join(dir, 'run', 'supervisor.pid'), `${deadPid}\n`);
    assert.match((await mc('down', '--dir', dir)).stdout, /removed its stale pid file/);

    writeFileSync(join(dir, 'run', 'supervisor.pid'), `${deadPid}\n`);
    const { supervisorPid } = await upDetached({ dir, registryModule: fixtureRegistryModule, mcBin });
    assert.notEqual(supervisorPid, deadPid);
    assert.equal(readPidFile(join(dir, 'run', 'supervisor.pid'))?.pid, supervisorPid);
    const second = await mcFails('up', '--detach', '--dir', dir);
    assert.match(second.stderr, new RegExp(`already running \\(supervisor pid ${supervisorPid}\\)`));
    await mc('down', '--dir', dir);
    assert.ok(isGone(supervisorPid));
  });
});
