/**
 * AuditEvents names every security event MCIAS records. Handlers use these constants, never
 * string literals, so the list below is the complete vocabulary of the audit log.
 */
export const AuditEvents = {
  LoginOk: 'login_ok',
  /** details.reason: unknown_user, inactive, system_account, locked, bad_password, totp_missing, bad_totp, totp_replay */
  LoginFail: 'login_fail',
  /** details.rule_id: the deciding rule (absent for default deny) */
  LoginDeniedPolicy: 'login_denied_policy',
  TokenIssued: 'token_issued',
  TokenRenewed: 'token_renewed',
  TokenRevoked: 'token_revoked',
  Logout: 'logout',
  AccountCreated: 'account_created',
  AccountUpdated: 'account_updated',
  AccountDeleted: 'account_deleted',
  RolesChanged: 'roles_changed',
  RoleGranted: 'role_granted',
  RoleRevoked: 'role_revoked',
  TagsChanged: 'tags_changed',
  PasswordChanged: 'password_changed',
  PasswordReset: 'password_reset',
  TotpEnrolled: 'totp_enrolled',
  TotpConfirmed: 'totp_confirmed',
  TotpRemoved: 'totp_removed',
  /** details.credential (record id), name, discoverable */
  WebAuthnRegistered: 'webauthn_registered',
  /** details.credential (record id), name */
  WebAuthnRemoved: 'webauthn_removed',
  /** details.credential, second_factor (a password was checked too), jti */
  WebAuthnLoginOk: 'webauthn_login_ok',
  /**
   * details.reason: bad_challenge, unknown_credential, wrong_account, inactive, locked,
   * bad_assertion, user_not_verified, counter_regression (a cloned authenticator?), bad_password
   */
  WebAuthnLoginFail: 'webauthn_login_fail',
  PolicyRuleCreated: 'policy_rule_created',
  PolicyRuleUpdated: 'policy_rule_updated',
  PolicyRuleDeleted: 'policy_rule_deleted',
  VaultSealed: 'vault_sealed',
  VaultUnsealed: 'vault_unsealed',
  UnsealFailed: 'unseal_failed',
} as const;

/** AuditEventType is one of the AuditEvents strings. */
export type AuditEventType = (typeof AuditEvents)[keyof typeof AuditEvents];
