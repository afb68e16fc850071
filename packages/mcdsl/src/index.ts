// @metacircular/mcdsl: the platform's standard library. Each module is independent; this is
// the one front door, re-exporting every module's explicit public names.
export * from './errors/index.js';
export * from './access/index.js';
