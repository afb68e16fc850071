import { createHash } from 'node:crypto';
import { promises as dns } from 'node:dns';
import http from 'node:http';
import { isIP } from 'node:net';
import type { AcmeConfig } from './acme-config.js';
import { AcmeProblem } from './acme-problem.js';

/**
 * The two challenge checks of RFC 8555 §8.3 and §8.4. Each resolves when the client proved
 * control of the name and throws an AcmeProblem (connection, dns, incorrectResponse,
 * unauthorized) saying what was seen otherwise. Both are bounded by config.validationTimeoutMs.
 */

/** keyAuthorization is `token.thumbprint` (RFC 8555 §8.1). */
export function keyAuthorization(token: string, accountThumbprint: string): string {
  return `${token}.${accountThumbprint}`;
}

/** dns01Value is the TXT value DNS-01 expects: base64url(SHA-256(key authorization)). */
export function dns01Value(keyAuthz: string): string {
  return createHash('sha256').update(keyAuthz).digest('base64url');
}

// At most this much of a challenge response is read: a key authorization is about 87 bytes.
const maxBodyBytes = 8 * 1024;

function resolver(config: AcmeConfig): dns.Resolver {
  const r = new dns.Resolver({ timeout: Math.max(500, Math.floor(config.validationTimeoutMs / 2)), tries: 2 });
  if (config.dnsResolver !== '') r.setServers([config.dnsResolver]);
  return r;
}

/** addressOf is where HTTP-01 connects: acme.http01_address when set, else the name's A (or AAAA) record. */
async function addressOf(domain: string, config: AcmeConfig): Promise<string> {
  if (config.http01Address !== '') return config.http01Address;
  try {
    if (config.dnsResolver === '') return (await dns.lookup(domain)).address;
    const r = resolver(config);
    const v4 = await r.resolve4(domain).catch(() => [] as string[]);
    const address = v4[0] ?? (await r.resolve6(domain))[0];
    if (address === undefined) throw new Error('no address');
    return address;
  } catch {
    throw new AcmeProblem('dns', `no address found for ${domain}`);
  }
}

/**
 * validateHttp01 fetches `http://{domain}:{http01_port}/.well-known/acme-challenge/{token}` and
 * compares the body (whitespace trimmed) with the key authorization. Redirects are not followed.
 */
export async function validateHttp01(domain: string, token: string, keyAuthz: string, config: AcmeConfig): Promise<void> {
  const address = await addressOf(domain, config);
  const port = config.http01Port;
  const url = `http://${domain}${port === 80 ? '' : `:${port}`}/.well-known/acme-challenge/${token}`;
  const { status, body } = await new Promise<{ status: number; body: string }>((resolve, reject) => {
    const req = http.request(
      {
        host: address,
        family: isIP(address) || undefined,
        port,
        path: `/.well-known/acme-challenge/${token}`,
        method: 'GET',
        headers: { host: port === 80 ? domain : `${domain}:${port}`, 'user-agent': 'metacrypt-acme', accept: '*/*' },
        timeout: config.validationTimeoutMs,
        agent: false,
      },
      (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (size > maxBodyBytes) {
            req.destroy();
            resolve({ status: res.statusCode ?? 0, body: '' });
            return;
          }
          chunks.push(chunk);
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', reject);
      },
    );
    // `timeout` above only fires on an idle socket; this bounds the whole exchange, so a
    // responder that drips a byte at a time cannot hold the validation (and a socket) for hours.
    const deadline = setTimeout(() => req.destroy(new Error('timed out')), config.validationTimeoutMs);
    req.on('close', () => clearTimeout(deadline));
    req.on('timeout', () => req.destroy(new Error('timed out')));
    req.on('error', reject);
    req.end();
  }).catch((err: unknown) => {
    throw new AcmeProblem(
      'connection',
      `fetching ${url} (at ${address}) failed: ${err instanceof Error ? err.message : 'error'}`,
    );
  });
  if (status !== 200) throw new AcmeProblem('unauthorized', `${url} answered ${status}, expected 200 with the key authorization`);
  if (body.trim() !== keyAuthz) throw new AcmeProblem('incorrectResponse', `${url} did not answer the key authorization`);
}

/**
 * validateDns01 looks up TXT `_acme-challenge.{domain}` through acme.dns_resolver (or the system
 * resolver) and expects one record equal to dns01Value(keyAuthz).
 */
export async function validateDns01(domain: string, keyAuthz: string, config: AcmeConfig): Promise<void> {
  const name = `_acme-challenge.${domain}`;
  let records: string[][];
  try {
    records = await resolver(config).resolveTxt(name);
  } catch (err) {
    const code = (err as { code?: string }).code;
    if (code === 'ENOTFOUND' || code === 'ENODATA') throw new AcmeProblem('unauthorized', `no TXT record found at ${name}`);
    throw new AcmeProblem('dns', `looking up TXT ${name} failed: ${code ?? 'error'}`);
  }
  const expected = dns01Value(keyAuthz);
  if (!records.some((chunks) => chunks.join('') === expected))
    throw new AcmeProblem('incorrectResponse', `no TXT record at ${name} matches the key authorization digest`);
}
