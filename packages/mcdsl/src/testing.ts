// @metacircular/mcdsl/testing: builders for tests (never imported by production code).
export * from './testing/index.js';
