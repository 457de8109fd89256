// Where Clade's own files are (the seed agent, the grader's files, the built-in suite), whether this module runs from
// source (lib/paths.ts) or from the build (a chunk in dist/), so no module resolves an asset relative to itself.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

function cladeRoot(from: string): string {
  for (let dir = from; ; dir = dirname(dir)) {
    const pkg = join(dir, 'package.json');
    if (existsSync(pkg) && (JSON.parse(readFileSync(pkg, 'utf8')) as { name?: string }).name === 'clade') return dir;
    if (dirname(dir) === dir) throw new Error(`Clade's package.json is not above ${from}; reinstall Clade`);
  }
}

export const PROJECT_ROOT = cladeRoot(dirname(fileURLToPath(import.meta.url)));

/** A file or folder of Clade's own, by its path in the checkout (`bench/grader/pytest_plugin.py`). */
export const projectPath = (...parts: string[]): string => join(PROJECT_ROOT, ...parts);
