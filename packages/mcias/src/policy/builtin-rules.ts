import { Actions, allActions } from './actions.js';
import type { AccountType, Effect, PolicyRule } from './policy-rule.js';

/**
 * The built-in rules: compiled in, never stored, never deletable. evaluatePolicy always adds them
 * itself. They are all `allow` rules, so an operator `deny` rule can narrow any of them (deny
 * wins) and an operator `allow` rule can only widen access. Ids and priorities are negative so
 * they can never collide with operator rules (whose priorities are >= 0) and sort first.
 *
 * "Self" rules set ownerMatchesSubject: the request's resource.ownerUuid must be the subject's
 * uuid, so a handler that forgets to say whose token/password/factor it acts on gets a deny
 * rather than acting on someone else's. Callers pass `resource: { ownerUuid }` for those actions.
 *
 * | id | effect | who                   | actions                 | why                                                    |
 * |----|--------|-----------------------|-------------------------|--------------------------------------------------------|
 * | -1 | allow  | role admin            | every known action      | admin is the one role with meaning inside MCIAS        |
 * | -2 | allow  | anyone                | auth:login              | valid credentials may log in unless an operator deny   |
 * |    |        |                       |                         | rule restricts them (by role, account type, service   |
 * |    |        |                       |                         | name or service tags)                                 |
 * | -3 | allow  | anyone                | tokens:validate         | relying services validate tokens they are handed      |
 * | -4 | allow  | self                  | tokens:renew            | a holder may renew its own token (roles re-read)      |
 * | -5 | allow  | self                  | auth:logout             | a holder may revoke its own token                     |
 * | -6 | allow  | self, human           | totp:enroll             | second factor is self-service (removal is admin-only) |
 * | -7 | allow  | self, human           | auth:change_password    | people rotate their own password; system accounts     |
 * |    |        |                       |                         | have no interactive password to change                |
 * | -8 | allow  | self, human           | webauthn:enroll         | passkeys are self-service only; admins cannot enroll  |
 * |    |        |                       |                         | one for someone else                                  |
 */
export const builtinRules: readonly PolicyRule[] = Object.freeze([
  builtin(-1, 'admin may do everything', { roles: ['admin'], actions: [...allActions] }),
  builtin(-2, 'anyone with valid credentials may log in unless a deny rule says otherwise', {
    actions: [Actions.AuthLogin],
  }),
  builtin(-3, 'anyone may validate a token', { actions: [Actions.TokensValidate] }),
  builtin(-4, 'a token holder may renew its own token', { actions: [Actions.TokensRenew], self: true }),
  builtin(-5, 'a token holder may log out its own token', { actions: [Actions.AuthLogout], self: true }),
  builtin(-6, 'a person may enroll TOTP for their own account', {
    actions: [Actions.TOTPEnroll],
    accountTypes: ['human'],
    self: true,
  }),
  builtin(-7, 'a person may change their own password', {
    actions: [Actions.AuthChangePassword],
    accountTypes: ['human'],
    self: true,
  }),
  builtin(-8, 'a person may enroll a passkey for their own account', {
    actions: [Actions.WebAuthnEnroll],
    accountTypes: ['human'],
    self: true,
  }),
]);

interface BuiltinSpec {
  actions: string[];
  roles?: string[];
  accountTypes?: AccountType[];
  self?: boolean;
  effect?: Effect;
}

// builtin builds one frozen rule whose priority equals its id.
function builtin(id: number, description: string, spec: BuiltinSpec): PolicyRule {
  return Object.freeze({
    id,
    description,
    effect: spec.effect ?? 'allow',
    priority: id,
    roles: Object.freeze([...(spec.roles ?? [])]) as string[],
    accountTypes: Object.freeze([...(spec.accountTypes ?? [])]) as AccountType[],
    subjectUuid: '',
    actions: Object.freeze([...spec.actions]) as string[],
    resourceType: '',
    ownerMatchesSubject: spec.self ?? false,
    serviceNames: Object.freeze([]) as unknown as string[],
    requiredTags: Object.freeze([]) as unknown as string[],
    enabled: true,
    builtin: true,
  });
}
