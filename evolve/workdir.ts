// A variant's working copy on the host: its source checked out of the archive, plus its dependencies, linked from the
// run's deps/ folder (bench/agent-deps.ts).
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import type { Archive } from '../archive/archive.ts';
import { installDependencies } from '../bench/agent-deps.ts';
import { requireVariant, withRun } from './open-run.ts';

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
