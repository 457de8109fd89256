// An agent folder's dependencies, installed once per lockfile into a cache folder through the checked, pinned install
// (npm-install.ts: registry packages only, no config or environment of the variant's, no package code, an
// unprivileged user) and shared from there: agent builds read them from the user's cache, and a run's working copies
// get hard links from the run's own deps/ folder, so a child that keeps its parent's lockfile costs nothing to set up.
import { existsSync } from 'node:fs';
import { chmod, cp, mkdir, mkdtemp, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { projectPath } from '../lib/paths.ts';
import { withLock } from '../lib/lock.ts';
import { installLocked, lockfileHash } from './npm-install.ts';

export const SEED_AGENT_DIR = projectPath('agent') + '/';

/** The node_modules folder for `agentDir`'s lockfile, from the cache in `depsDir`, installed the first time. */
export async function cachedDependencies(agentDir: string, depsDir: string, log: (l: string) => void = () => {}): Promise<string> {
  const hash = lockfileHash(agentDir);
  const target = join(depsDir, hash.slice(0, 16));
  const modules = join(target, 'node_modules');
  if (existsSync(modules)) return modules;
  return withLock(`${target}.lock`, async () => {
    if (existsSync(modules)) return modules;
    await mkdir(depsDir, { recursive: true });
    const staging = await mkdtemp(`${target}.partial-`);
    try {
      // mkdtemp's 0700 would hide the dependencies from a build that runs as the agent folder's owner.
      await chmod(staging, 0o755);
      const seedModules = join(SEED_AGENT_DIR, 'node_modules');
      if (hash === lockfileHash(SEED_AGENT_DIR) && existsSync(join(seedModules, '.package-lock.json'))) {
        // The seed's lockfile, in a checkout whose agent/ has been installed (`npm --prefix agent ci`): no download.
        await cp(seedModules, join(staging, 'node_modules'), { recursive: true, verbatimSymlinks: true });
      } else {
        log(`installing dependencies for lockfile ${hash.slice(0, 12)}`);
        await installLocked(agentDir, join(staging, 'node_modules'), log);
      }
      await writeFile(join(staging, 'node_modules', '.clade-lock-hash'), hash);
      await rename(staging, target);
    } catch (err) {
      await rm(staging, { recursive: true, force: true });
      throw err;
    }
    return modules;
  });
}

/** Gives `agentDir` the cached dependencies of its lockfile as node_modules: hard links, or a copy across filesystems. */
export async function installDependencies(agentDir: string, depsDir: string, log: (l: string) => void = () => {}): Promise<void> {
  const cached = await cachedDependencies(agentDir, depsDir, log);
  await rm(join(agentDir, 'node_modules'), { recursive: true, force: true });
  try {
    await promisify(execFile)('cp', ['-al', cached, join(agentDir, 'node_modules')]);
  } catch {
    await rm(join(agentDir, 'node_modules'), { recursive: true, force: true });
    await cp(cached, join(agentDir, 'node_modules'), { recursive: true, verbatimSymlinks: true });
  }
}
