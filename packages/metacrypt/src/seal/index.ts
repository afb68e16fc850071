// seal: the seal state machine (init, unseal, seal) and the failed-unseal throttle.
export { SealManager, minPasswordLength } from './seal-manager.js';
export { UnsealThrottle } from './unseal-throttle.js';
export type { UnsealThrottleOptions } from './unseal-throttle.js';
