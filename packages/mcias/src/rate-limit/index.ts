// rate-limit: per-client token buckets for the login and unseal endpoints.
export { RateLimiter } from './rate-limiter.js';
export type { RateLimit } from './rate-limiter.js';
