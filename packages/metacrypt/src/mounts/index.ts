// mounts: the mount table and the live engines (the engine registry of spec §5).
export { MountTable } from './mount-table.js';
export { checkMountName, mountNamePattern } from './mount-name.js';
