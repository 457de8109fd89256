#!/usr/bin/env node
// Runs the compiled CLI in dist/ (scripts/build.mjs). A git checkout whose sources changed since the build is rebuilt
// first (esbuild takes well under a second); CLADE_FROM_SOURCE=1 runs the TypeScript through tsx instead. An installed
// package (npm pack, then npm install) runs the build it shipped with: unpacking gives its files new times in no
// particular order, and its folder may not be writable by the user running it.
import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = dirname(dirname(fileURLToPath(import.meta.url)));
const main = join(root, 'dist', 'cli', 'main.js');

/** Whether the build is missing, or, in a checkout, older than one of the source files it was made from. */
function stale() {
  let built;
  try {
    built = statSync(main).mtimeMs;
    if (!existsSync(join(root, '.git'))) return false;
    for (const input of JSON.parse(readFileSync(join(root, 'dist', 'inputs.json'), 'utf8'))) {
      // A source file that is gone cannot make the build stale.
      const mtime = statSync(join(root, input), { throwIfNoEntry: false })?.mtimeMs ?? 0;
      if (mtime > built) return true;
    }
    return false;
  } catch {
    return true;
  }
}

if (process.env.CLADE_FROM_SOURCE === '1') {
  const { register } = await import('tsx/esm/api');
  register();
  await import('../cli/main.ts');
} else {
  if (stale()) await (await import('../scripts/build.mjs')).buildCli();
  await import(pathToFileURL(main).href);
}
