// authz: the policy engine bound to the stored operator rules and the clock.
export { Authorizer } from './authorizer.js';
