// A variant's working copy on the host: its source checked out of the archive, plus its dependencies. Dependencies are
// installed once per lockfile through the checked, pinned install (bench/npm-install.ts: registry packages only, no
// config or environment of the variant's, no package code, an unprivileged user) and hard-linked into each copy, so a
// child that keeps its parent's lockfile costs nothing to set up.
import { existsSync } from 'node:fs';
import { cp, mkdir, mkdtemp, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { execa } from 'execa';
import type { Archive } from '../archive/archive.ts';
import { SEED_AGENT_DIR } from '../bench/agent-build.ts';
import { withLock } from '../lib/lock.ts';
import { installLocked, lockfileHash } from '../bench/npm-install.ts';
import { requireVariant, withRun } from './open-run.ts';

/** node_modules for this lockfile, from the cache in `depsDir`, installing it the first time. */
async function cachedDependencies(agentDir: string, depsDir: string, log: (l: string) => void): Promise<string> {
  const hash = lockfileHash(agentDir);
  const target = join(depsDir, hash.slice(0, 16));
  if (existsSync(join(target, 'node_modules'))) return target;
  return withLock(`${target}.lock`, async () => {
    if (existsSync(join(target, 'node_modules'))) return target;
    await mkdir(depsDir, { recursive: true });
    const staging = await mkdtemp(`${target}.partial-`);
    try {
      const seedModules = join(SEED_AGENT_DIR, 'node_modules');
      if (hash === lockfileHash(SEED_AGENT_DIR) && existsSync(join(seedModules, '.package-lock.json'))) {
        // The seed's lockfile: its installed dependencies are already here.
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
    return target;
  });
}

/** Links (or, across filesystems, copies) cached dependencies into `agentDir`. */
export async function installDependencies(agentDir: string, depsDir: string, log: (l: string) => void = () => {}): Promise<void> {
  const cached = await cachedDependencies(agentDir, depsDir, log);
  await rm(join(agentDir, 'node_modules'), { recursive: true, force: true });
  const linked = await execa('cp', ['-al', join(cached, 'node_modules'), join(agentDir, 'node_modules')], { reject: false });
  if (linked.exitCode !== 0) {
    await rm(join(agentDir, 'node_modules'), { recursive: true, force: true });
    await cp(join(cached, 'node_modules'), join(agentDir, 'node_modules'), { recursive: true, verbatimSymlinks: true });
  }
}

/** A fresh working copy of a variant with its dependencies, in a new directory under `workDir`. */
export async function checkoutVariant(archive: Archive, id: string, workDir: string, depsDir: string, log?: (l: string) => void): Promise<string> {
  await mkdir(workDir, { recursive: true });
  const dir = await mkdtemp(join(workDir, `${id}-`));
  await archive.checkout(id, dir);
  await installDependencies(dir, depsDir, log);
  return dir;
}

/**
 * An archived variant as an agent folder that `solve` and `bench run` can use (`--variant ID --run DIR`): checked out
 * into a temporary directory, with its dependencies. Call `remove` when done.
 */
export async function variantAgentDir(runDir: string, id: string, log?: (l: string) => void): Promise<{ dir: string; remove: () => Promise<void> }> {
  return withRun(runDir, async (archive) => {
    const variant = requireVariant(archive, id);
    if (variant.status === 'invalid') log?.(`note: ${id} is an invalid variant (${(variant.reason ?? '').split('\n')[0]}); running it anyway`);
    const work = await mkdtemp(join(tmpdir(), 'clade-variant-'));
    const dir = await checkoutVariant(archive, id, work, join(archive.runDir, 'deps'), log);
    return { dir, remove: () => rm(work, { recursive: true, force: true }) };
  });
}
