// HTTP-01 validation against real responders on loopback: the key authorization is accepted, a
// wrong answer and a missing token are refused, and a responder that drips its answer a byte at
// a time is cut off at the validation timeout instead of holding the validation open.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { acmeConfig } from './acme-config.js';
import { AcmeProblem } from './acme-problem.js';
import { validateHttp01 } from './challenge-validation.js';

describe('validateHttp01', () => {
  let server: http.Server;
  let port: number;
  const drips = new Set<NodeJS.Timeout>();

  before(async () => {
    server = http.createServer((req, res) => {
      if (req.url === '/.well-known/acme-challenge/good') return res.writeHead(200).end('good.thumb\n');
      if (req.url === '/.well-known/acme-challenge/wrong') return res.writeHead(200).end('other.thumb');
      if (req.url === '/.well-known/acme-challenge/drip') {
        // Headers at once, then one byte every 50 ms: never idle long enough for a socket timeout.
        res.writeHead(200);
        const timer = setInterval(() => res.write('x'), 50);
        drips.add(timer);
        res.on('close', () => {
          clearInterval(timer);
          drips.delete(timer);
        });
        return;
      }
      res.writeHead(404).end();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });
  after(async () => {
    for (const timer of drips) clearInterval(timer);
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  const config = (validationTimeoutMs: number) =>
    acmeConfig({ http01_port: port, http01_address: '127.0.0.1' }, { validationTimeoutMs });

  it('accepts the key authorization and refuses a wrong or missing one', async () => {
    await validateHttp01('a.example.test', 'good', 'good.thumb', config(5_000));
    await assert.rejects(validateHttp01('a.example.test', 'wrong', 'wrong.thumb', config(5_000)), (e: unknown) => {
      return e instanceof AcmeProblem && e.document().type.endsWith(':incorrectResponse');
    });
    await assert.rejects(validateHttp01('a.example.test', 'missing', 'missing.thumb', config(5_000)), (e: unknown) => {
      return e instanceof AcmeProblem && e.document().type.endsWith(':unauthorized');
    });
  });

  it('gives up on a responder that drips its answer, at the validation timeout', { timeout: 30_000 }, async () => {
    await assert.rejects(validateHttp01('a.example.test', 'drip', 'drip.thumb', config(300)), (e: unknown) => {
      return e instanceof AcmeProblem && e.document().type.endsWith(':connection') && /timed out/.test(e.message);
    });
  });
});
