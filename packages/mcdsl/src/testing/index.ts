export { createTestPKI } from './test-pki.js';
export type { TestPKI, TestLeaf } from './test-pki.js';
