export { loadTLSFiles } from './load-tls-files.js';
export type { TLSMaterial, TLSFilePaths, TLSConfigKeys } from './load-tls-files.js';
export { serverTLSOptions, clientTLSOptions, httpsAgent, minTLSVersion } from './tls-options.js';
export type { ServerTLSOptions, ClientTLSOptions } from './tls-options.js';
