import { X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PreconditionError, UnavailableError, readPasswordFile } from '@metacircular/mcdsl';
import { platformLayout } from '../../platform-layout.js';
import { readSecretFile } from '../../secret-file.js';
import type { ServiceContext } from '../service-definition.js';
import { httpsURL } from '../standard-config.js';
import { withAdminToken } from './metacrypt-admin-session.js';
import { MetacryptAPI } from './metacrypt-api.js';
import type { MetacryptMount, MetacryptPolicyRule } from './metacrypt-api.js';

/** pkiMount, sshMount and transitMount are the mounts `mc up` keeps in Metacrypt. */
export const pkiMount = 'pki';
export const sshMount = 'ssh';
export const transitMount = 'transit';

/** caIssuers are the issuers of the `pki` mount; `infra` signs the platform's service leaves. */
export const caIssuers = ['infra', 'services', 'clients'] as const;

/** platformMounts are the mounts and their config, created when missing and never changed. */
export const platformMounts: readonly MetacryptMount[] = [
  { name: pkiMount, type: 'ca', config: {} },
  { name: sshMount, type: 'sshca', config: { default_user_profile: true } },
  { name: transitMount, type: 'transit', config: {} },
];

/** metacryptPasswordFile is DIR/secrets/metacrypt.password: the unseal password, made once, 0600. */
export function metacryptPasswordFile(ctx: Pick<ServiceContext, 'secretsDir'>): string {
  return join(ctx.secretsDir, 'metacrypt.password');
}

/**
 * mcpAgentRule is the policy rule `mc up` installs for the `mcp-agent` system account: issue and
 * renew from the `infra` issuer for names directly under svc.mcp.<domain>, never wildcards, at
 * most 90 days (packages/metacrypt/POLICY.md, "The platform agent").
 */
export function mcpAgentRule(domain: string): MetacryptPolicyRule {
  return {
    name: 'mcp-agent internal certs',
    priority: 100,
    effect: 'allow',
    usernames: ['mcp-agent'],
    roles: [],
    account_types: ['system'],
    resources: [`ca/${pkiMount}/issuer/infra`],
    actions: ['issue', 'renew'],
    conditions: { allowed_sans: [`*.svc.mcp.${domain}`], denied_sans: [], max_ttl: '2160h', allow_wildcard_sans: false },
  };
}

/** metacryptAPI is a client of the Metacrypt that `ctx` (Metacrypt's own context) describes. */
export function metacryptAPI(ctx: ServiceContext): MetacryptAPI {
  return new MetacryptAPI({ baseUrl: httpsURL(ctx.ports['rest']), caPem: readFileSync(ctx.caCertPath), logPath: ctx.logPath });
}

/**
 * bootstrapMetacrypt is Metacrypt's afterStart. Metacrypt starts sealed on every run, so it:
 *   1. inits it with the password file on the first run, and unseals it on every later one;
 *   2. as the MCIAS admin, makes sure the `pki` (CA), `ssh` (SSH CA) and `transit` mounts exist,
 *      that `pki` holds the platform's seed root (imported with its key) and the issuers infra,
 *      services and clients, and that the `mcp-agent` policy rule is there and current.
 * Everything is created only when missing, so a re-run changes nothing.
 */
export async function bootstrapMetacrypt(ctx: ServiceContext): Promise<void> {
  const api = metacryptAPI(ctx);
  try {
    await openBarrier(api, metacryptPasswordFile(ctx));
    await withAdminToken(ctx, async (token) => {
      await ensureMounts(api, token);
      await ensureRoot(api, token, ctx.caCertPath, platformLayout(ctx.platformDir).caKey);
      await ensureRule(api, token, mcpAgentRule(ctx.domain));
    });
  } finally {
    api.close();
  }
}

async function openBarrier(api: MetacryptAPI, passwordFile: string): Promise<void> {
  const password = await readPasswordFile(passwordFile);
  let state = await api.state();
  if (state === 'uninitialized') state = await api.init(password);
  if (state === 'sealed') {
    const answer = await api.unseal(password);
    if (answer.status === 401) {
      throw new PreconditionError(
        `the password in ${passwordFile} does not unseal Metacrypt (it was initialized with another one); ` +
          'restore the file that was there at its first start, then run mc up again',
      );
    }
    if (answer.status !== 200) throw api.failure('unsealing', answer);
    state = answer.body.state ?? '';
  }
  if (state !== 'unsealed') throw new UnavailableError(`Metacrypt is ${state || 'in an unknown state'} after unsealing`);
}

async function ensureMounts(api: MetacryptAPI, token: string): Promise<void> {
  const existing = new Map((await api.listMounts(token)).map((mount) => [mount.name, mount]));
  for (const mount of platformMounts) {
    const found = existing.get(mount.name);
    if (found === undefined) await api.createMount(token, mount);
    else if (found.type !== mount.type) {
      throw new PreconditionError(
        `Metacrypt mount '${mount.name}' is a ${found.type} mount, but the platform needs a ${mount.type} mount of that ` +
          `name; delete it (DELETE /v1/mounts/${mount.name}) or use a fresh platform directory`,
      );
    }
  }
}

// The seed root goes in with its key, so leaves Metacrypt issues chain to the root every
// client already trusts. A different root in the mount would break that: refused, not replaced.
async function ensureRoot(api: MetacryptAPI, token: string, caCertPath: string, caKeyPath: string): Promise<void> {
  const seedPem = readFileSync(caCertPath, 'utf8');
  const root = await api.root(pkiMount);
  if (root === undefined) {
    // Import creates the mount's default issuers (infra, services, clients) with the root.
    await api.importRoot(token, pkiMount, seedPem, readSecretFile(caKeyPath));
  } else if (new X509Certificate(root.cert_pem).fingerprint256 !== new X509Certificate(seedPem).fingerprint256) {
    throw new PreconditionError(
      `Metacrypt mount '${pkiMount}' holds a root other than the platform's seed CA (${caCertPath}); ` +
        'delete the mount or use a fresh platform directory',
    );
  }
  const issuers = new Set(await api.listIssuers(token, pkiMount));
  for (const name of caIssuers) if (!issuers.has(name)) await api.createIssuer(token, pkiMount, name);
}

async function ensureRule(api: MetacryptAPI, token: string, rule: MetacryptPolicyRule): Promise<void> {
  const found = (await api.listRules(token)).find((existing) => existing.name === rule.name);
  if (found === undefined) await api.createRule(token, rule);
  // A rule of that name that says something else (e.g. another domain) is brought back in line.
  else if (!sameRule(found, rule)) await api.updateRule(token, found.id ?? '', rule);
}

/** sameRule compares the fields a rule is written with (not its id or timestamps). */
export function sameRule(a: MetacryptPolicyRule, b: MetacryptPolicyRule): boolean {
  const fields = (r: MetacryptPolicyRule): string =>
    JSON.stringify([
      r.name,
      r.priority,
      r.effect,
      r.usernames,
      r.roles,
      r.account_types,
      r.resources,
      r.actions,
      r.conditions?.allowed_sans ?? [],
      r.conditions?.denied_sans ?? [],
      r.conditions?.max_ttl ?? '',
      r.conditions?.allow_wildcard_sans ?? false,
    ]);
  return fields(a) === fields(b);
}
