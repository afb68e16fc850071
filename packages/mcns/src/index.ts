// @metacircular/mcns: the platform's authoritative DNS server.
export * from './store/index.js';
