// Opening a finished or running run for reading, for every command that takes --run: the views (inspect.ts), export,
// and checking out a variant (workdir.ts).
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { Archive, type VariantRecord } from '../archive/archive.ts';
import { UsageError } from '../lib/usage-error.ts';

/** Where a run lives when no --run is given; `clade evolve` and the inspection commands share it. */
export const DEFAULT_RUN_DIR = 'runs/default';

/** Opens an existing run read-only (nothing in the run folder changes, not even a migration), runs `fn`, and always closes it. */
export async function withRun<T>(runDir: string, fn: (archive: Archive) => Promise<T> | T): Promise<T> {
  // A typo in --run is the user's to fix (exit 2); Archive.open's own errors (a folder that holds no archive, a damaged
  // database) stay ordinary failures.
  if (!existsSync(resolve(runDir))) {
    throw new UsageError(`no run at ${resolve(runDir)}: pass --run DIR of a run made by \`clade evolve --run DIR\` (the default is ${DEFAULT_RUN_DIR})`);
  }
  const archive = await Archive.open(runDir, { readOnly: true });
  try {
    return await fn(archive);
  } finally {
    archive.close();
  }
}

/** Like archive.require, but a missing id is the user's to fix (exit 2), not a crash. */
export function requireVariant(archive: Archive, id: string): VariantRecord {
  const v = archive.get(id);
  if (!v) throw new UsageError(`no variant "${id}" in ${archive.runDir}; \`clade archive ls --run ${archive.runDir}\` lists them`);
  return v;
}
