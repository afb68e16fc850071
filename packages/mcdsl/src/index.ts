// @metacircular/mcdsl: the platform's standard library. Each module is independent and has its
// own index.ts with explicit named exports; this front door re-exports them all. Test builders
// (throwaway PKI, HTTPS test client, interop tool rule) are in '@metacircular/mcdsl/testing'.
export * from './errors/index.js';
export * from './access/index.js';
export * from './tls/index.js';
export * from './httpserver/index.js';
export * from './grpcserver/index.js';
export * from './httpclient/index.js';
export * from './auth/index.js';
export * from './health/index.js';
export * from './csrf/index.js';
export * from './web/index.js';
export * from './config/index.js';
export * from './db/index.js';
export * from './archive/index.js';
export * from './log/index.js';
export * from './terminal/index.js';
