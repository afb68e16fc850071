// RFC 6238 TOTP (HMAC-SHA1, 6 digits, 30 s steps): secrets, Key URIs and replay-safe verification.
export { generateTotpSecret, totpAlgorithm, totpDigits, totpPeriodSeconds, totpUri } from './totp-secret.js';
export { totpCodeAt, totpCounterAt, verifyTotp } from './verify-totp.js';
export type { TotpVerification } from './verify-totp.js';
