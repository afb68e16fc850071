/**
 * The shapes of the MCIAS client API: camelCase names and Date instants on this side; the
 * decoders (response-decoders.ts) and encoders map them to and from the snake_case REST JSON.
 */

/** AccountType is a person ("human") or a service ("system"). */
export type AccountType = 'human' | 'system';

/** AccountStatus is an account's lifecycle state; "deleted" is a soft delete. */
export type AccountStatus = 'active' | 'inactive' | 'deleted';

/** IssuedToken is what login, renewToken and issueServiceToken return. */
export interface IssuedToken {
  readonly token: string;
  readonly expiresAt: Date;
}

/** TokenInfo is MCIAS's verdict on a token (POST /v1/token/validate). */
export interface TokenInfo {
  readonly valid: boolean;
  /** the account's UUID ('' when invalid) */
  readonly sub: string;
  readonly username: string;
  readonly roles: readonly string[];
  readonly expiresAt?: Date;
  /** "human" or "system" ('' when invalid) */
  readonly accountType: string;
  readonly jti: string;
}

/** PublicKeyJWK is MCIAS's Ed25519 token-signing key as a JWK (RFC 8037). */
export interface PublicKeyJWK {
  readonly kty: string;
  readonly crv: string;
  readonly x: string;
  readonly kid: string;
  readonly use: string;
  readonly alg: string;
}

/** JWKS is the key set published at /.well-known/jwks.json. */
export interface JWKS {
  readonly keys: readonly PublicKeyJWK[];
}

/** Account is one human or system account. */
export interface Account {
  readonly id: string;
  readonly username: string;
  readonly accountType: string;
  readonly status: string;
  readonly totpRequired: boolean;
  readonly roles: readonly string[];
  readonly tags: readonly string[];
  readonly createdAt?: Date;
  readonly updatedAt?: Date;
  readonly deletedAt?: Date;
}

/** CreateAccountInput is the body of createAccount; humans need a password, systems must not have one. */
export interface CreateAccountInput {
  readonly username: string;
  readonly accountType: AccountType;
  readonly password?: string;
  readonly roles?: readonly string[];
  readonly tags?: readonly string[];
}

/** TOTPEnrollment is the secret shown once when a user starts TOTP enrolment. */
export interface TOTPEnrollment {
  /** base32 */
  readonly secret: string;
  readonly otpauthUri: string;
}

/** PolicyRule is one rule of the login/ABAC policy (negative ids are built in and read-only). */
export interface PolicyRule {
  readonly id: number;
  readonly description: string;
  readonly effect: string;
  readonly priority: number;
  readonly roles: readonly string[];
  readonly accountTypes: readonly string[];
  readonly subjectUuid: string;
  readonly actions: readonly string[];
  readonly resourceType: string;
  readonly ownerMatchesSubject: boolean;
  readonly serviceNames: readonly string[];
  readonly requiredTags: readonly string[];
  readonly enabled: boolean;
  readonly notBefore?: Date;
  readonly expiresAt?: Date;
  readonly builtin: boolean;
  readonly createdAt?: Date;
  readonly updatedAt?: Date;
}

/**
 * PolicyRuleInput is a rule to create, or the whole new state of a rule to update. Omitted
 * lists and strings are wildcards (empty); `enabled` defaults to true.
 */
export interface PolicyRuleInput {
  readonly effect: 'allow' | 'deny';
  readonly description?: string;
  readonly priority?: number;
  readonly roles?: readonly string[];
  readonly accountTypes?: readonly string[];
  readonly subjectUuid?: string;
  readonly actions?: readonly string[];
  readonly resourceType?: string;
  readonly ownerMatchesSubject?: boolean;
  readonly serviceNames?: readonly string[];
  readonly requiredTags?: readonly string[];
  readonly enabled?: boolean;
  readonly notBefore?: Date;
  readonly expiresAt?: Date;
}

/** AuditEvent is one security event of the audit log; it never holds a secret. */
export interface AuditEvent {
  readonly id: number;
  readonly eventTime?: Date;
  /** e.g. "login_ok", "login_fail", "token_revoked", "role_granted" */
  readonly eventType: string;
  readonly actorId: string;
  readonly actorUsername: string;
  readonly targetId: string;
  readonly targetUsername: string;
  readonly ipAddress: string;
  readonly details: Readonly<Record<string, unknown>>;
}

/** AuditFilters narrows listAuditEvents; every field is optional. */
export interface AuditFilters {
  readonly eventType?: string;
  /** account UUID */
  readonly actorId?: string;
  /** account UUID */
  readonly targetId?: string;
  readonly since?: Date;
  readonly until?: Date;
  /** at most 500; the server's default is 100 */
  readonly pageSize?: number;
  /** nextPageToken of a previous page */
  readonly pageToken?: string;
}

/** AuditPage is one page of events, newest first, and the token of the next (older) page. */
export interface AuditPage {
  readonly events: readonly AuditEvent[];
  /** '' when there are no older events */
  readonly nextPageToken: string;
}
