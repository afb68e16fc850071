// auth: the MCIAS client side (login with service context, cached validation, renew, logout).
export { Authenticator } from './authenticator.js';
export type { MciasClientConfig, IssuedToken } from './authenticator.js';
export { ValidationCache } from './validation-cache.js';
