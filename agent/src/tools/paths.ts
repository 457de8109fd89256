// Every path a tool touches is resolved inside the repository; anything that leaves it (.., absolute paths, symlinks
// pointing out) is refused.
import { realpathSync, existsSync } from 'node:fs';
import { dirname, relative, resolve, sep } from 'node:path';

export class OutsideRepoError extends Error {}

export function resolveInRepo(root: string, path: string): string {
  const realRoot = realpathSync(root);
  const target = resolve(realRoot, path);
  // Resolve symlinks on the longest existing prefix, so a link inside the repo cannot point the tool outside it.
  let existing = target;
  while (!existsSync(existing) && existing !== dirname(existing)) existing = dirname(existing);
  const real = resolve(realpathSync(existing), relative(existing, target));
  if (real !== realRoot && !real.startsWith(realRoot + sep)) {
    throw new OutsideRepoError(`${path} is outside the repository (${realRoot}); use a path inside it, relative to the repository root`);
  }
  return real;
}

export function displayPath(root: string, abs: string): string {
  return relative(realpathSync(root), abs) || '.';
}
