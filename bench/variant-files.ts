// Reading a variant's files on the host. A variant's tree is model-written: it may hold symlinks to host files,
// devices or `/`, special files, or files of any size. Host code reads it only through here: lstat before anything,
// regular files and directories only, never through a link, and never more than a cap.
import { closeSync, constants, fstatSync, lstatSync, openSync, readdirSync, readlinkSync, readSync, type Stats } from 'node:fs';
import { join } from 'node:path';

export const MiB = 1024 * 1024;
/** A lockfile of a real agent is well under 1 MiB. */
export const LOCKFILE_LIMIT = 8 * MiB;
export const MANIFEST_LIMIT = 1 * MiB;
/** Hashing a tree reads at most this much per file, and in all. */
const FILE_LIMIT = 32 * MiB;
const TREE_LIMIT = 256 * MiB;
const TREE_FILES = 20_000;

export class VariantFileError extends Error {}

function kindOf(st: Stats): string {
  if (st.isFIFO()) return 'fifo';
  if (st.isSocket()) return 'socket';
  if (st.isCharacterDevice() || st.isBlockDevice()) return 'device';
  return 'special file';
}

/** Why this entry may not be in a variant, or undefined for a regular file or a directory. */
function entryProblem(rel: string, full: string, st: Stats): string | undefined {
  if (st.isSymbolicLink()) return `symlink ${rel} -> ${readlinkSync(full)}: variants may not contain symlinks`;
  if (!st.isFile() && !st.isDirectory()) return `${kindOf(st)} ${rel}: variants may contain only regular files and directories`;
  return undefined;
}

/** Does `rel` exist in the variant (as anything, a dangling link included)? */
export function variantPathExists(root: string, rel: string): boolean {
  try {
    lstatSync(join(root, rel));
    return true;
  } catch {
    return false;
  }
}

/** Reads an open regular file: at most `limit` bytes, or an error that names the file and the cap. */
function readCapped(fd: number, rel: string, limit: number): Buffer {
  const st = fstatSync(fd);
  if (!st.isFile()) throw new VariantFileError(`${rel} is not a regular file; a variant's files must be regular files`);
  const tooBig = () => new VariantFileError(`${rel} is larger than ${limit / MiB} MiB; a variant's ${rel} may be at most that`);
  if (st.size > limit) throw tooBig();
  // The size can change under us (it is a variant's file): read in chunks, and stop one byte past the cap.
  const chunks: Buffer[] = [];
  let n = 0;
  while (true) {
    const chunk = Buffer.alloc(Math.min(64 * 1024, limit + 1 - n));
    const got = readSync(fd, chunk, 0, chunk.length, null);
    if (got === 0) break;
    chunks.push(chunk.subarray(0, got));
    n += got;
    if (n > limit) throw tooBig();
  }
  return Buffer.concat(chunks, n);
}

/**
 * One file of a variant, by its path relative to the variant's root. Every component is checked with lstat (no
 * symlinked directory on the way), the file must be regular, it is opened with O_NOFOLLOW, and at most `limit` bytes
 * are read.
 */
export function readVariantFile(root: string, rel: string, limit: number): Buffer {
  const parts = rel.split('/').filter(Boolean);
  let at = root;
  for (const [i, part] of parts.entries()) {
    at = join(at, part);
    const sub = parts.slice(0, i + 1).join('/');
    const st = lstatSync(at);
    if (st.isSymbolicLink()) throw new VariantFileError(`${sub} is a symlink (-> ${readlinkSync(at)}); variants may not contain symlinks`);
    if (i < parts.length - 1 && !st.isDirectory()) throw new VariantFileError(`${sub} is not a directory`);
    if (i === parts.length - 1 && !st.isFile()) throw new VariantFileError(`${sub} is a ${kindOf(st)}, not a regular file; a variant's files must be regular files`);
  }
  // O_NONBLOCK: a fifo swapped in after the lstat must not block the open.
  const fd = openSync(at, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
  try {
    return readCapped(fd, rel, limit);
  } finally {
    closeSync(fd);
  }
}

/**
 * Walks a variant's tree in a stable order without following anything: `visit` gets every regular file (path relative
 * to the root, with `/`). A symlink or special file stops the walk with an error that is the reason the archive
 * records. Names in `skip` are not entered at any depth.
 */
export function walkVariantTree(root: string, visit: (rel: string, full: string) => void, skip: ReadonlySet<string> = new Set()): void {
  let files = 0;
  const walk = (dir: string, prefix: string) => {
    for (const name of readdirSync(dir).sort()) {
      if (skip.has(name)) continue;
      const full = join(dir, name);
      const rel = prefix + name;
      const st = lstatSync(full);
      const problem = entryProblem(rel, full, st);
      if (problem) throw new VariantFileError(problem);
      if (st.isDirectory()) walk(full, `${rel}/`);
      else {
        if (++files > TREE_FILES) throw new VariantFileError(`the variant has more than ${TREE_FILES} files; that is not an agent's source`);
        visit(rel, full);
      }
    }
  };
  walk(root, '');
}

/** Every regular file's path and bytes, each and all capped. */
export function readVariantTree(root: string, visit: (rel: string, bytes: Buffer) => void, skip: ReadonlySet<string> = new Set()): void {
  let total = 0;
  walkVariantTree(
    root,
    (rel) => {
      const bytes = readVariantFile(root, rel, FILE_LIMIT);
      total += bytes.length;
      if (total > TREE_LIMIT) throw new VariantFileError(`the variant's files add up to more than ${TREE_LIMIT / MiB} MiB; that is not an agent's source`);
      visit(rel, bytes);
    },
    skip,
  );
}

/** Why a child's tree cannot be a variant (a symlink, a special file), or undefined when it holds only files and folders. */
export function variantTreeProblem(root: string): string | undefined {
  try {
    walkVariantTree(root, () => {}, new Set(['.git']));
    return undefined;
  } catch (err) {
    if (err instanceof VariantFileError) return err.message;
    throw err;
  }
}
