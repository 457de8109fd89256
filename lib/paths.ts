// Where Clade's own files are (the seed agent, the grader's files, the built-in suite), whether this module runs from
// source (lib/paths.ts) or from the build (a chunk in dist/), so no module resolves an asset relative to itself.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The folder of Clade's package.json, and what it says (read once: the CLI's version comes from it too). */
function cladeRoot(from: string): { dir: string; pkg: { name?: string; version: string } } {
  for (let dir = from; ; dir = dirname(dir)) {
    const file = join(dir, 'package.json');
    const pkg = existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as { name?: string; version: string }) : undefined;
    if (pkg?.name === 'clade') return { dir, pkg };
    if (dirname(dir) === dir) throw new Error(`Clade's package.json is not above ${from}; reinstall Clade`);
  }
}

const root = cladeRoot(dirname(fileURLToPath(import.meta.url)));
export const PROJECT_ROOT = root.dir;
export const CLADE_VERSION = root.pkg.version;

/** A file or folder of Clade's own, by its path in the checkout (`bench/grader/pytest_plugin.py`). */
export const projectPath = (...parts: string[]): string => join(PROJECT_ROOT, ...parts);
