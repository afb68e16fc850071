// launcher: the library behind `mc up`, `mc status` and `mc down`.
export { alreadyRunning, up } from './up.js';
export type { UpOptions } from './up.js';
export { upDetached } from './up-detached.js';
export type { DetachedPlatform, UpDetachedOptions } from './up-detached.js';
export { down } from './down.js';
export type { DownOptions, DownResult } from './down.js';
export { status } from './status.js';
export type { PlatformStatus, ServiceStatus } from './status.js';
export { preparePlatform, readCAPem } from './prepare-platform.js';
export type { PreparedPlatform } from './prepare-platform.js';
