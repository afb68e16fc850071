import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { get } from 'node:https';
import { createServer } from 'node:tls';
import type { Server } from 'node:tls';
import type { AddressInfo } from 'node:net';
import { clientTLSOptions, httpsAgent, serverTLSOptions } from '../src/tls/index.js';
import type { TLSMaterial } from '../src/tls/index.js';
import { createTestPKI } from '../src/testing/index.js';
import type { TestPKI } from '../src/testing/index.js';

// A raw TLS server that answers one fixed HTTP response, so the client side is tested
// against a listener whose TLS versions the test picks.
async function startServer(options: object): Promise<{ server: Server; port: number }> {
  const server = createServer(options, (socket) => {
    socket.end('HTTP/1.1 200 OK\r\ncontent-length: 2\r\nconnection: close\r\n\r\nok');
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return { server, port: (server.address() as AddressInfo).port };
}

function fetchOK(port: number, agent: ReturnType<typeof httpsAgent>): Promise<string> {
  return new Promise((resolve, reject) => {
    get({ host: '127.0.0.1', port, path: '/', agent }, (res) => {
      let body = '';
      res.on('data', (chunk: Buffer) => (body += chunk.toString()));
      res.on('end', () => resolve(body));
    }).on('error', reject);
  });
}

describe('TLS options', () => {
  let pki: TestPKI;
  let material: TLSMaterial;
  const servers: Server[] = [];
  before(async () => {
    pki = await createTestPKI();
    material = { cert: Buffer.from(pki.cert), key: Buffer.from(pki.key) };
  });
  after(async () => {
    for (const server of servers) server.close();
    await pki.cleanup();
  });

  it('pins servers and clients to TLS 1.3', () => {
    const server = serverTLSOptions(material);
    assert.equal(server.minVersion, 'TLSv1.3');
    assert.equal(server.cert, material.cert);
    assert.deepEqual(clientTLSOptions({ ca: pki.caCert }), { ca: pki.caCert, minVersion: 'TLSv1.3' });
    assert.deepEqual(clientTLSOptions(), { minVersion: 'TLSv1.3' });
  });

  it('lets a client trusting the CA reach a TLS 1.3 server', async () => {
    const { server, port } = await startServer(serverTLSOptions(material));
    servers.push(server);
    const agent = httpsAgent({ ca: pki.caCert, keepAlive: false });
    assert.equal(await fetchOK(port, agent), 'ok');
    agent.destroy();
  });

  it('refuses a server whose certificate comes from another CA', async () => {
    const stranger = await createTestPKI();
    try {
      const { server, port } = await startServer(
        serverTLSOptions({ cert: Buffer.from(stranger.cert), key: Buffer.from(stranger.key) }),
      );
      servers.push(server);
      const agent = httpsAgent({ ca: pki.caCert, keepAlive: false });
      await assert.rejects(fetchOK(port, agent), { code: 'UNABLE_TO_VERIFY_LEAF_SIGNATURE' });
      agent.destroy();
    } finally {
      await stranger.cleanup();
    }
  });

  it('refuses a server that only speaks TLS 1.2', async () => {
    const { server, port } = await startServer({ ...material, minVersion: 'TLSv1.2', maxVersion: 'TLSv1.2' });
    servers.push(server);
    const agent = httpsAgent({ ca: pki.caCert, keepAlive: false });
    await assert.rejects(fetchOK(port, agent), (err: NodeJS.ErrnoException) => {
      assert.equal(err.code, 'EPROTO');
      assert.match(err.message, /protocol/i);
      return true;
    });
    agent.destroy();
  });
});
