import { z } from 'zod';
import { MciasServerError } from './mcias-errors.js';
import type { Account, AuditEvent, AuditPage, IssuedToken, JWKS, PolicyRule, PublicKeyJWK, TokenInfo } from './mcias-types.js';

/**
 * Decoders for MCIAS's REST replies. MCIAS writes protobuf JSON with the proto field names and
 * every scalar present (implicit values included), so each schema requires every scalar field
 * and rejects unknown ones (spec 1.13: "decoders reject unknown fields"); a reply of another
 * shape is a MciasServerError rather than a half-filled object. Unset timestamps are omitted by
 * protobuf JSON and are therefore optional; int64 fields arrive as decimal strings.
 */

// RFC 3339 as protobuf JSON writes it: "Z" or an offset, 0-9 fraction digits.
const rfc3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$/;

const timestamp = z
  .string()
  .regex(rfc3339, 'not an RFC 3339 timestamp')
  .transform((text, ctx) => {
    const ms = Date.parse(text);
    if (!Number.isFinite(ms)) {
      ctx.addIssue({ code: 'custom', message: 'not a valid instant' });
      return z.NEVER;
    }
    return new Date(ms);
  });

const int64 = z.union([z.number().int(), z.string().regex(/^-?\d{1,16}$/, 'not an integer')]).transform((value, ctx) => {
  const n = Number(value);
  if (!Number.isSafeInteger(n)) {
    ctx.addIssue({ code: 'custom', message: 'integer out of range' });
    return z.NEVER;
  }
  return n;
});

const strings = z.array(z.string());

const issuedToken = z
  .strictObject({ token: z.string().min(1), expires_at: timestamp })
  .transform((w): IssuedToken => ({ token: w.token, expiresAt: w.expires_at }));

const tokenInfo = z
  .strictObject({
    valid: z.boolean(),
    sub: z.string(),
    username: z.string(),
    roles: strings,
    expires_at: timestamp.optional(),
    account_type: z.string(),
    jti: z.string(),
  })
  .transform((w): TokenInfo => ({
    valid: w.valid,
    sub: w.sub,
    username: w.username,
    roles: w.roles,
    ...(w.expires_at ? { expiresAt: w.expires_at } : {}),
    accountType: w.account_type,
    jti: w.jti,
  }));

const publicKey = z.strictObject({
  kty: z.string(),
  crv: z.string(),
  x: z.string(),
  kid: z.string(),
  use: z.string(),
  alg: z.string(),
}) satisfies z.ZodType<PublicKeyJWK>;

const jwks = z.strictObject({ keys: z.array(publicKey) }) satisfies z.ZodType<JWKS>;

const health = z.strictObject({ status: z.enum(['ok', 'sealed']) });

const vaultState = z.strictObject({ sealed: z.boolean() });

const account = z
  .strictObject({
    id: z.string().min(1),
    username: z.string().min(1),
    account_type: z.string(),
    status: z.string(),
    totp_required: z.boolean(),
    roles: strings,
    tags: strings,
    created_at: timestamp.optional(),
    updated_at: timestamp.optional(),
    deleted_at: timestamp.optional(),
  })
  .transform((w): Account => ({
    id: w.id,
    username: w.username,
    accountType: w.account_type,
    status: w.status,
    totpRequired: w.totp_required,
    roles: w.roles,
    tags: w.tags,
    ...(w.created_at ? { createdAt: w.created_at } : {}),
    ...(w.updated_at ? { updatedAt: w.updated_at } : {}),
    ...(w.deleted_at ? { deletedAt: w.deleted_at } : {}),
  }));

const policyRule = z
  .strictObject({
    id: int64,
    description: z.string(),
    effect: z.string(),
    priority: z.number().int(),
    roles: strings,
    account_types: strings,
    subject_uuid: z.string(),
    actions: strings,
    resource_type: z.string(),
    owner_matches_subject: z.boolean(),
    service_names: strings,
    required_tags: strings,
    enabled: z.boolean(),
    not_before: timestamp.optional(),
    expires_at: timestamp.optional(),
    builtin: z.boolean(),
    created_at: timestamp.optional(),
    updated_at: timestamp.optional(),
  })
  .transform((w): PolicyRule => ({
    id: w.id,
    description: w.description,
    effect: w.effect,
    priority: w.priority,
    roles: w.roles,
    accountTypes: w.account_types,
    subjectUuid: w.subject_uuid,
    actions: w.actions,
    resourceType: w.resource_type,
    ownerMatchesSubject: w.owner_matches_subject,
    serviceNames: w.service_names,
    requiredTags: w.required_tags,
    enabled: w.enabled,
    ...(w.not_before ? { notBefore: w.not_before } : {}),
    ...(w.expires_at ? { expiresAt: w.expires_at } : {}),
    builtin: w.builtin,
    ...(w.created_at ? { createdAt: w.created_at } : {}),
    ...(w.updated_at ? { updatedAt: w.updated_at } : {}),
  }));

const auditEvent = z
  .strictObject({
    id: int64,
    event_time: timestamp.optional(),
    event_type: z.string(),
    actor_id: z.string(),
    actor_username: z.string(),
    target_id: z.string(),
    target_username: z.string(),
    ip_address: z.string(),
    // google.protobuf.Struct: any JSON object; omitted when unset
    details: z.record(z.string(), z.unknown()).optional(),
  })
  .transform((w): AuditEvent => ({
    id: w.id,
    ...(w.event_time ? { eventTime: w.event_time } : {}),
    eventType: w.event_type,
    actorId: w.actor_id,
    actorUsername: w.actor_username,
    targetId: w.target_id,
    targetUsername: w.target_username,
    ipAddress: w.ip_address,
    details: w.details ?? {},
  }));

/** decoders maps each reply of the MCIAS REST API to its schema. */
export const decoders = {
  issuedToken,
  tokenInfo,
  publicKey,
  jwks,
  health,
  vaultState,
  account,
  accountList: z.strictObject({ accounts: z.array(account) }).transform((w) => w.accounts),
  roles: z.strictObject({ roles: strings }).transform((w) => w.roles),
  tags: z.strictObject({ tags: strings }).transform((w) => w.tags),
  totpEnrollment: z
    .strictObject({ secret: z.string().min(1), otpauth_uri: z.string().min(1) })
    .transform((w) => ({ secret: w.secret, otpauthUri: w.otpauth_uri })),
  policyRule,
  policyRuleList: z.strictObject({ rules: z.array(policyRule) }).transform((w) => w.rules),
  auditPage: z
    .strictObject({ events: z.array(auditEvent), next_page_token: z.string() })
    .transform((w): AuditPage => ({ events: w.events, nextPageToken: w.next_page_token })),
} as const;

/**
 * decodeResponse checks a 2xx reply against its schema and returns the camelCase value; a
 * mismatch throws MciasServerError (ERR_MCIAS_BAD_RESPONSE) naming the first offending fields
 * (never their values, which may be secrets).
 */
export function decodeResponse<S extends z.ZodType>(schema: S, body: unknown, operation: string, status: number): z.output<S> {
  const result = schema.safeParse(body);
  if (result.success) return result.data;
  const issues = result.error.issues
    .slice(0, 3)
    .map((issue) => `${issue.path.length > 0 ? issue.path.join('.') : '(reply)'}: ${issue.message}`)
    .join('; ');
  throw new MciasServerError(`${operation}: unexpected reply from mcias: ${issues}`, status, { code: 'ERR_MCIAS_BAD_RESPONSE' });
}
