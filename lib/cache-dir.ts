// Clade's cache on this machine (XDG): agent builds and their dependencies, and facts that are slow to recompute. Never
// the checkout or the current directory, which a global install cannot write and a user does not expect to fill.
import { homedir } from 'node:os';
import { join } from 'node:path';

export function cacheDir(): string {
  if (process.env.CLADE_CACHE) return process.env.CLADE_CACHE;
  return join(process.env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'clade');
}
