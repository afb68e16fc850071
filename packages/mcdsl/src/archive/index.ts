/**
 * archive: a service's data directory as one tar.zst, for `<svc> snapshot` and restores.
 *
 * `createArchive({ dir, service, db, out })` streams the directory into a tar (tar-stream)
 * through zstd, leaving out the live database files and `backups/`, and adds a consistent
 * `VACUUM INTO` snapshot of the database as `<service>.db`; the output is 0600 and appears
 * only when complete. `extractArchive(file, dest)` restores into an empty 0700 directory and
 * treats the archive as hostile: absolute names, `..`, links that lead outside, devices and
 * writes through symlinks are refused, and a refused restore leaves nothing behind. zstd comes
 * from node:zlib where it exists (Node >= 22.15), else from the `zstd` program.
 */
export { createArchive } from './create-archive.js';
export type { CreateArchiveOptions, ArchiveSummary } from './create-archive.js';
export { extractArchive } from './extract-archive.js';
export type { ExtractSummary } from './extract-archive.js';
export { defaultExcludes, compileExcludes } from './exclude-pattern.js';
export type { ExcludeMatcher } from './exclude-pattern.js';
export { zstdCompressStream, zstdDecompressStream, hasZlibZstd } from './zstd-stream.js';
export type { ZstdOptions } from './zstd-stream.js';
