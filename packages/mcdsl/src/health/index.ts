export { registerHealthRoute, healthAccess, healthPath } from './health-route.js';
export type { HealthOptions } from './health-route.js';
