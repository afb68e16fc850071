// The real `mcat` CLI, as an operator runs it: `server --config` against a real MCIAS until
// SIGTERM, `status --config` pinned to the server's certificate, and refusals to start.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { httpsRequest } from '@metacircular/mcdsl/testing';
import { startTestMcias } from '@metacircular/mcias/testing';
import type { TestMcias } from '@metacircular/mcias/testing';
import { runMcat, spawnMcatServer } from './fixtures/mcat-cli.js';
import type { McatProcess } from './fixtures/mcat-cli.js';
import { writeMcatConfig } from './fixtures/mcat-fixture.js';

describe('mcat CLI', () => {
  let mcias: TestMcias;
  let dir: string;
  let configPath: string;
  let server: McatProcess | undefined;

  before(async () => {
    mcias = await startTestMcias();
    dir = await mkdtemp(join(tmpdir(), 'mcat-cli-'));
    const leaf = await mcias.pki.issue({ label: 'mcat' });
    configPath = await writeMcatConfig({ dir, mcias, leaf, serviceName: 'mcat-cli' });
  });
  after(async () => {
    if (server && server.child.exitCode === null) server.child.kill('SIGKILL');
    await mcias?.cleanup();
    await rm(dir, { recursive: true, force: true });
  });

  it('--help names both commands', async () => {
    const help = await runMcat(['--help']);
    assert.equal(help.code, 0);
    assert.match(help.stdout, /\n {2}server /);
    assert.match(help.stdout, /\n {2}status /);
  });

  it('server runs until SIGTERM; status reports it and MCIAS healthy, pinned to its certificate', async () => {
    server = spawnMcatServer(configPath);
    const listening = await server.waitForLine((line) => line['msg'] === 'mcat listening');
    assert.equal(listening['service_name'], 'mcat-cli');
    assert.deepEqual(listening['tags'], ['env:restricted']);
    const url = String(listening['url']);
    const port = new URL(url).port;

    const form = await httpsRequest(`${url}/`, { ca: mcias.caCert });
    assert.equal(form.status, 200);
    assert.match(form.body, /<code id="service-name">mcat-cli<\/code>/);

    // The config says port 0; $PORT tells status where this server actually listens.
    const status = await runMcat(['status', '--config', configPath], { PORT: port });
    assert.equal(status.code, 0, status.stdout + status.stderr);
    assert.match(status.stdout, new RegExp(`^mcat  https://127\\.0\\.0\\.1:${port}  ok$`, 'm'));
    assert.match(status.stdout, new RegExp(`^mcias ${mcias.restUrl.replace(/\./g, '\\.')}  ok$`, 'm'));

    // Pointed at another certificate, status does not believe the answer.
    const pinned = await runMcat(['status', '--config', configPath], { PORT: port, MCAT_SERVER_TLS_CERT: mcias.pki.caPath });
    assert.equal(pinned.code, 1);
    assert.match(pinned.stdout, /^mcat .* answered with a certificate other than \[server\] tls_cert$/m);

    server.child.kill('SIGTERM');
    assert.equal(await server.exited, 0);
    assert.ok(server.lines.some((line) => line['msg'] === 'stopped'));
    const down = await runMcat(['status', '--config', configPath], { PORT: port });
    assert.equal(down.code, 1);
    assert.match(down.stdout, /^mcat .*ECONNREFUSED/m);
  });

  it('refuses to start on a bad config, naming the key', async () => {
    const noService = join(dir, 'no-service.toml');
    await writeFile(
      noService,
      '[server]\nlisten_addr = "127.0.0.1:0"\ntls_cert = "x"\ntls_key = "y"\n[mcias]\nserver_url = "https://127.0.0.1:1"\n',
    );
    const res = await runMcat(['server', '--config', noService]);
    assert.equal(res.code, 1);
    assert.match(res.stderr, /^mcat: config .*no-service\.toml: .*\[mcias\] service_name: required value is missing/m);

    const badCA = await runMcat(['server', '--config', configPath], { MCAT_MCIAS_CA_CERT: join(dir, 'absent.pem') });
    assert.equal(badCA.code, 1);
    assert.match(badCA.stderr, /^mcat: \[mcias\] ca_cert: ".*absent\.pem" does not exist/m);

    const missing = await runMcat(['server', '--config', join(dir, 'absent.toml')]);
    assert.equal(missing.code, 1);
    assert.match(missing.stderr, /file not found/);
  });
});
