export { createCSRF } from './csrf.js';
export type { CSRF, CSRFOptions } from './csrf.js';
