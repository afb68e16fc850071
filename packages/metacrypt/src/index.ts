// @metacircular/metacrypt: the platform's CA and secret engine.
export type * from './engine/index.js';
