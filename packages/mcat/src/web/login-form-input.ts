import { z } from 'zod';
import type { LoginAttempt } from '../login-check/index.js';

/** LoginFormInput is a parsed login form: an attempt to post, or the problem to show. */
export type LoginFormInput =
  | { readonly ok: true; readonly attempt: LoginAttempt }
  /** `username` is kept so the form can be shown again without retyping it */
  | { readonly ok: false; readonly problem: string; readonly username: string };

// Lengths bound what MCAT forwards; MCIAS has its own rules for what a valid value is.
const loginFormSchema = z.object({
  username: z
    .string({ error: 'enter a username' })
    .trim()
    .min(1, 'enter a username')
    .max(256, 'the username is longer than 256 characters'),
  password: z
    .string({ error: 'enter a password' })
    .min(1, 'enter a password')
    .max(1024, 'the password is longer than 1024 characters'),
  totp_code: z
    .string({ error: 'send the totp code once, as text' })
    .trim()
    .regex(/^(?:\d{6,8})?$/, 'a TOTP code is 6 to 8 digits; leave it empty if the account has no TOTP')
    .optional(),
});

/**
 * parseLoginForm reads the urlencoded login form (fields `username`, `password`, optional
 * `totp_code`; the CSRF field has been checked already and is ignored). A missing or repeated
 * field, or a value out of bounds, gives a problem to show; the password is never part of it.
 */
export function parseLoginForm(body: unknown): LoginFormInput {
  const fields = body !== null && typeof body === 'object' ? (body as Record<string, unknown>) : {};
  const result = loginFormSchema.safeParse(fields);
  if (!result.success) {
    const rawUsername = fields['username'];
    const username = typeof rawUsername === 'string' ? rawUsername.trim().slice(0, 256) : '';
    return { ok: false, problem: result.error.issues[0]?.message ?? 'the form is incomplete', username };
  }
  const { username, password, totp_code: totpCode } = result.data;
  return { ok: true, attempt: totpCode ? { username, password, totpCode } : { username, password } };
}
