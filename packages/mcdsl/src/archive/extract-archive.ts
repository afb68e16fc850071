import { createReadStream, createWriteStream } from 'node:fs';
import { chmod, link, lstat, mkdir, readdir, readlink, realpath, rm, symlink, utimes } from 'node:fs/promises';
import { basename, dirname, isAbsolute, join, relative, resolve } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { extract as tarExtract } from 'tar-stream';
import type { Header } from 'tar-stream';
import { ConflictError, InvalidRequestError, McError, NotFoundError } from '../errors/index.js';
import type { ZstdOptions } from './zstd-stream.js';
import { zstdDecompressStream } from './zstd-stream.js';

/** ExtractSummary lists the entry names restored, in archive order. */
export interface ExtractSummary {
  readonly dest: string;
  readonly entries: readonly string[];
}

/**
 * extractArchive restores a tar.zst into destDir, which must not exist or be empty (it is
 * created 0700). The archive is untrusted input; each entry is checked, in this order:
 *
 *   1. its name is relative, without NUL and without any `..` segment;
 *   2. its type is a file, a directory, a symlink or a hard link (devices, FIFOs: refused);
 *   3. nothing is written through a symlink: every parent on the way is a real directory, and
 *      files are created with O_EXCL (a duplicate entry is refused, never overwritten);
 *   4. a symlink's target is relative and stays inside destDir, and, once every entry is in
 *      place, resolving it on disk still stays inside (chains of links cannot climb out);
 *   5. a hard link's target is a regular file extracted earlier from the same archive.
 *
 * Modes are restored without setuid/setgid/sticky bits; directory modes are applied last so
 * a read-only directory can still be filled. On any failure everything extracted is removed:
 * a restore is complete or absent.
 */
export async function extractArchive(
  file: string,
  destDir: string,
  options: { zstd?: ZstdOptions } = {},
): Promise<ExtractSummary> {
  const dest = resolve(destDir);
  const created = await prepareDestination(dest);
  const root = await realpath(dest);
  const entries: string[] = [];
  const directoryModes: [string, number][] = [];
  const symlinks: string[] = [];
  try {
    const input = createReadStream(file);
    await new Promise<void>((ok, fail) => {
      input.once('open', () => ok());
      input.once('error', (err: NodeJS.ErrnoException) =>
        fail(err.code === 'ENOENT' ? new NotFoundError(`archive ${file} not found`, { cause: err }) : err),
      );
    });
    const extractor = tarExtract();
    const feeding = pipeline(input, zstdDecompressStream(options.zstd), extractor as unknown as NodeJS.WritableStream);
    feeding.catch(() => undefined); // awaited below; this only marks an early failure handled
    try {
      for await (const entry of extractor) {
        const { header } = entry;
        if (header.type === 'directory' && isRootName(header.name)) {
          entry.resume(); // `./`, as GNU tar writes it: the destination itself
          continue;
        }
        const rel = entryName(header.name);
        const target = join(root, rel);
        await ensureParents(root, rel);
        switch (header.type) {
          case 'directory':
            await makeDirectory(target, rel);
            directoryModes.push([target, header.mode & 0o777]);
            break;
          case 'file':
          case 'contiguous-file':
            await pipeline(entry, createWriteStream(target, { flags: 'wx', mode: 0o600 })).catch((err: NodeJS.ErrnoException) => {
              throw err.code === 'EEXIST' ? unsafe(`entry ${rel} appears twice or overwrites a link`) : err;
            });
            await chmod(target, header.mode & 0o777);
            await utimes(target, header.mtime, header.mtime);
            break;
          case 'symlink':
            checkSymlink(root, rel, header);
            await symlink(header.linkname, target).catch((err: NodeJS.ErrnoException) => {
              throw err.code === 'EEXIST' ? unsafe(`entry ${rel} appears twice`) : err;
            });
            symlinks.push(rel);
            break;
          case 'link':
            await makeHardLink(root, rel, header);
            break;
          default:
            throw unsafe(`entry ${rel} is a ${String(header.type)}; only files, directories and links are allowed`);
        }
        entry.resume(); // directories and links have no data, but the stream must be drained
        entries.push(rel);
      }
      await feeding;
    } catch (err) {
      extractor.destroy();
      await feeding.catch(() => undefined);
      throw err;
    }
    for (const rel of symlinks) await checkResolvedSymlink(root, rel);
    for (const [path, mode] of directoryModes.reverse()) await chmod(path, mode);
    return { dest, entries };
  } catch (err) {
    await removeExtracted(dest, created);
    if (err instanceof McError) throw err;
    throw new InvalidRequestError(`archive ${file} is not a readable tar.zst: ${(err as Error).message}`, {
      code: 'ERR_ARCHIVE_CORRUPT',
      cause: err,
    });
  }
}

function unsafe(message: string): InvalidRequestError {
  return new InvalidRequestError(`refusing archive: ${message}`, { code: 'ERR_ARCHIVE_UNSAFE' });
}

/** entryName validates an archive path and returns it relative, without `./` or a trailing `/`. */
function entryName(name: string): string {
  if (name.includes('\0')) throw unsafe(`entry name ${JSON.stringify(name)} contains NUL`);
  if (isAbsolute(name) || /^[A-Za-z]:[\\/]/.test(name)) throw unsafe(`entry ${name} is an absolute path`);
  const segments = name.split('/').filter((s) => s !== '' && s !== '.');
  if (segments.includes('..')) throw unsafe(`entry ${name} climbs out with ..`);
  if (segments.length === 0) throw unsafe(`entry name ${JSON.stringify(name)} is empty`);
  return segments.join('/');
}

function isRootName(name: string): boolean {
  return name.split('/').every((s) => s === '' || s === '.');
}

async function prepareDestination(dest: string): Promise<boolean> {
  const info = await lstat(dest).catch(() => undefined);
  if (info === undefined) {
    await mkdir(dest, { recursive: true, mode: 0o700 });
    await chmod(dest, 0o700);
    return true;
  }
  if (!info.isDirectory()) throw new ConflictError(`restore destination ${dest} exists and is not a directory`);
  if ((await readdir(dest)).length > 0) {
    throw new ConflictError(`restore destination ${dest} is not empty; restore into a new directory`, {
      code: 'ERR_DEST_NOT_EMPTY',
    });
  }
  return false;
}

/** ensureParents creates missing parent directories (0700) and refuses a parent that is not a real directory. */
async function ensureParents(root: string, rel: string): Promise<void> {
  const segments = rel.split('/').slice(0, -1);
  let path = root;
  for (const segment of segments) {
    path = join(path, segment);
    const info = await lstat(path).catch(() => undefined);
    if (info === undefined) await mkdir(path, { mode: 0o700 });
    else if (!info.isDirectory())
      throw unsafe(`entry ${rel} would be written through ${relative(root, path)}, which is not a directory`);
  }
}

async function makeDirectory(target: string, rel: string): Promise<void> {
  const info = await lstat(target).catch(() => undefined);
  if (info === undefined) await mkdir(target, { mode: 0o700 });
  else if (!info.isDirectory()) throw unsafe(`directory entry ${rel} collides with an earlier entry`);
}

function checkSymlink(root: string, rel: string, header: Header): void {
  const linkname = header.linkname;
  if (linkname === '' || linkname.includes('\0')) throw unsafe(`symlink ${rel} has an invalid target`);
  if (isAbsolute(linkname)) throw unsafe(`symlink ${rel} points to absolute path ${linkname}`);
  if (!isInside(root, resolve(dirname(join(root, rel)), linkname))) throw unsafe(`symlink ${rel} points outside (${linkname})`);
}

/** checkResolvedSymlink follows a symlink on disk (allowing a missing tail) and refuses one that lands outside root. */
async function checkResolvedSymlink(root: string, rel: string): Promise<void> {
  const resolved = await resolveExisting(join(root, rel));
  if (!isInside(root, resolved)) throw unsafe(`symlink ${rel} resolves outside the destination through other links`);
}

async function resolveExisting(path: string, depth = 0): Promise<string> {
  try {
    return await realpath(path);
  } catch {
    const parent = dirname(path);
    // A loop (ELOOP) cannot be followed by anyone; stop and judge the path as written.
    if (parent === path || depth > 40) return path;
    const realParent = await resolveExisting(parent, depth + 1);
    const here = join(realParent, basename(path));
    const info = await lstat(here).catch(() => undefined);
    if (info?.isSymbolicLink() !== true) return here;
    // A dangling link: follow its target from its real directory.
    return resolveExisting(resolve(realParent, await readlink(here)), depth + 1);
  }
}

async function makeHardLink(root: string, rel: string, header: Header): Promise<void> {
  const source = entryName(header.linkname);
  await ensureParents(root, source);
  const info = await lstat(join(root, source)).catch(() => undefined);
  if (info?.isFile() !== true) throw unsafe(`hard link ${rel} must point to a file extracted earlier, not ${source}`);
  await link(join(root, source), join(root, rel)).catch((err: NodeJS.ErrnoException) => {
    throw err.code === 'EEXIST' ? unsafe(`entry ${rel} appears twice`) : err;
  });
}

function isInside(root: string, path: string): boolean {
  const rel = relative(root, path);
  return rel === '' || (rel !== '..' && !rel.startsWith('../') && !isAbsolute(rel));
}

async function removeExtracted(dest: string, created: boolean): Promise<void> {
  if (created) {
    await rm(dest, { recursive: true, force: true });
    return;
  }
  const names = await readdir(dest).catch(() => []);
  for (const name of names) await rm(join(dest, name), { recursive: true, force: true });
}
