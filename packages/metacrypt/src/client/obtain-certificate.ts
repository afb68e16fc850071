import http from 'node:http';
import https from 'node:https';
import { X509Certificate } from 'node:crypto';
import { Client, axios as acmeAxios, crypto as acmeCrypto } from 'acme-client';
import { InvalidRequestError } from '@metacircular/mcdsl';

/** Http01Solver publishes HTTP-01 responses: a built-in server on a port, or the caller's own hooks. */
export type Http01Solver =
  | { readonly port: number; readonly host?: string }
  | {
      present(token: string, keyAuthorization: string): Promise<void>;
      cleanup?(token: string): Promise<void>;
    };

/** Dns01Solver publishes the TXT record `name` = `value` (name is `_acme-challenge.<domain>`). */
export interface Dns01Solver {
  present(name: string, value: string): Promise<void>;
  cleanup?(name: string, value: string): Promise<void>;
}

/** ObtainCertificateOptions describe one ACME order against Metacrypt (or any RFC 8555 server with EAB). */
export interface ObtainCertificateOptions {
  /** e.g. "https://metacrypt.svc.mcp.example.net:8443/acme/pki/directory" */
  readonly directoryUrl: string;
  /** EAB credentials from POST /v1/acme/{mount}/eab (MetacryptClient.createEab) */
  readonly eab: { readonly kid: string; readonly hmacKey: string };
  /** DNS names for the certificate; the first is also the CN */
  readonly names: readonly string[];
  readonly challenge: 'http-01' | 'dns-01';
  /** how to answer the challenge (http01 defaults to a built-in server on port 80) */
  readonly http01?: Http01Solver;
  readonly dns01?: Dns01Solver;
  /** PEM of the CA behind the ACME server's TLS certificate; omitted means the system roots */
  readonly caCert?: string | Buffer;
  /** reuse an account key (PEM); default a new ECDSA P-256 key */
  readonly accountKeyPem?: string;
  /** the certificate key type; default P-256 */
  readonly keyType?: 'ecdsa-p256' | 'ecdsa-p384';
  readonly email?: string;
  /** polling interval bounds while the server validates (defaults 250 ms .. 5 s, 10 attempts) */
  readonly pollMinMs?: number;
  readonly pollMaxMs?: number;
  readonly pollAttempts?: number;
}

/** ObtainedCertificate is the result of an order; the private key never left this process. */
export interface ObtainedCertificate {
  /** the leaf, PEM */
  readonly certPem: string;
  /** the issuer chain after the leaf (issuer, root), PEM */
  readonly chainPem: string;
  /** leaf then chain, as servers want it */
  readonly fullChainPem: string;
  readonly keyPem: string;
  readonly accountKeyPem: string;
  readonly accountUrl: string;
  readonly notAfter: Date;
}

// acme-client sends every request through its one shared axios instance; this interceptor gives
// each ACME origin the trust anchor its caller named, without touching other origins.
const agents = new Map<string, https.Agent>();
let interceptorInstalled = false;

function trust(directoryUrl: string, ca: string | Buffer): void {
  agents.set(new URL(directoryUrl).origin, new https.Agent({ ca, minVersion: 'TLSv1.2', keepAlive: false }));
  if (interceptorInstalled) return;
  acmeAxios.interceptors.request.use((config) => {
    const agent = config.url ? agents.get(new URL(config.url).origin) : undefined;
    if (agent) config.httpsAgent = agent;
    return config;
  });
  interceptorInstalled = true;
}

/**
 * obtainCertificate runs one RFC 8555 order with External Account Binding through the npm
 * `acme-client`: it registers (or finds) the account, orders `names`, answers the chosen challenge
 * with the given solver, finalizes with a CSR for a key generated here, and downloads the chain.
 * This is how MCP gets certificates from Metacrypt over ACME (spec §6.2); the key stays local.
 */
export async function obtainCertificate(opts: ObtainCertificateOptions): Promise<ObtainedCertificate> {
  if (opts.names.length === 0) throw new InvalidRequestError('names: give at least one dns name');
  if (opts.challenge === 'dns-01' && !opts.dns01) throw new InvalidRequestError('dns01: a dns-01 order needs a solver');
  if (opts.caCert !== undefined) trust(opts.directoryUrl, opts.caCert);

  const accountKeyPem = opts.accountKeyPem ?? (await acmeCrypto.createPrivateEcdsaKey('P-256')).toString();
  const client = new Client({
    directoryUrl: opts.directoryUrl,
    accountKey: accountKeyPem,
    externalAccountBinding: { kid: opts.eab.kid, hmacKey: opts.eab.hmacKey },
    backoffMin: opts.pollMinMs ?? 250,
    backoffMax: opts.pollMaxMs ?? 5_000,
    backoffAttempts: opts.pollAttempts ?? 10,
  });
  const key = await acmeCrypto.createPrivateEcdsaKey(opts.keyType === 'ecdsa-p384' ? 'P-384' : 'P-256');
  const [, csr] = await acmeCrypto.createCsr({ commonName: opts.names[0], altNames: [...opts.names] }, key);

  const http01 = opts.challenge === 'http-01' ? await http01Responder(opts.http01 ?? { port: 80 }) : undefined;
  let fullChainPem: string;
  try {
    fullChainPem = await client.auto({
      csr,
      ...(opts.email ? { email: opts.email } : {}),
      termsOfServiceAgreed: true,
      skipChallengeVerification: true,
      challengePriority: [opts.challenge],
      challengeCreateFn: async (authz, challenge, keyAuthorization) => {
        if (challenge.type === 'http-01' && http01) await http01.present(challenge.token, keyAuthorization);
        else if (challenge.type === 'dns-01' && opts.dns01)
          await opts.dns01.present(`_acme-challenge.${authz.identifier.value}`, keyAuthorization);
      },
      challengeRemoveFn: async (authz, challenge, keyAuthorization) => {
        if (challenge.type === 'http-01' && http01) await http01.cleanup(challenge.token);
        else if (challenge.type === 'dns-01')
          await opts.dns01?.cleanup?.(`_acme-challenge.${authz.identifier.value}`, keyAuthorization);
      },
    });
  } finally {
    await http01?.close();
  }
  const certs = splitPem(fullChainPem);
  const certPem = certs[0];
  if (certPem === undefined) throw new InvalidRequestError('the acme server returned no certificate');
  return {
    certPem,
    chainPem: certs.slice(1).join(''),
    fullChainPem: certs.join(''),
    keyPem: key.toString(),
    accountKeyPem,
    accountUrl: client.getAccountUrl(),
    notAfter: new Date(new X509Certificate(certPem).validTo),
  };
}

/** splitPem cuts a PEM bundle into its certificates, each ending in a newline. */
export function splitPem(bundle: string): string[] {
  return (bundle.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? []).map((c) => `${c}\n`);
}

interface Http01Responder {
  present(token: string, keyAuthorization: string): Promise<void>;
  cleanup(token: string): Promise<void>;
  close(): Promise<void>;
}

// The built-in HTTP-01 responder serves /.well-known/acme-challenge/<token> for the order's
// duration and nothing else; hooks given by the caller are wrapped to the same shape.
async function http01Responder(solver: Http01Solver): Promise<Http01Responder> {
  if (!('port' in solver)) {
    return {
      present: (token, keyAuthz) => solver.present(token, keyAuthz),
      cleanup: (token) => solver.cleanup?.(token) ?? Promise.resolve(),
      close: () => Promise.resolve(),
    };
  }
  const tokens = new Map<string, string>();
  const server = http.createServer((req, res) => {
    const match = /^\/\.well-known\/acme-challenge\/([A-Za-z0-9_-]+)$/.exec(req.url ?? '');
    const answer = match?.[1] !== undefined ? tokens.get(match[1]) : undefined;
    res.writeHead(answer === undefined ? 404 : 200, { 'content-type': 'text/plain' }).end(answer ?? 'not found');
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(solver.port, solver.host ?? '0.0.0.0', () => resolve());
  });
  return {
    present: (token, keyAuthz) => Promise.resolve(void tokens.set(token, keyAuthz)),
    cleanup: (token) => Promise.resolve(void tokens.delete(token)),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
