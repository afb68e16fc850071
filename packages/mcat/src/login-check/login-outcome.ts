import type { Caller } from '@metacircular/mcdsl';

/**
 * LoginOutcome is MCIAS's verdict on one login, the thing MCAT exists to show. The three kinds
 * map MCIAS's answers to `POST /v1/auth/login` one to one:
 *
 *   accepted          200: credentials good and login policy allows this service context;
 *                     `caller` is what `POST /v1/token/validate` says about the new token
 *   bad-credentials   401: wrong username, password or TOTP code, or a locked, inactive or
 *                     deleted account (MCIAS answers all of these alike, on purpose)
 *   denied-by-policy  403: the credentials are good but a login policy rule denies this
 *                     service_name / tags (or no rule allows it)
 *
 * Anything else (MCIAS unreachable, an unexpected status) is not an outcome but an
 * UnavailableError: MCAT could not run the test.
 */
export type LoginOutcome =
  | { readonly kind: 'accepted'; readonly token: string; readonly expiresAt: Date; readonly caller: Caller }
  | { readonly kind: 'bad-credentials' }
  | { readonly kind: 'denied-by-policy' };

/** LoginOutcomeKind names an outcome; pages carry it as `data-outcome` for scripts and tests. */
export type LoginOutcomeKind = LoginOutcome['kind'];
