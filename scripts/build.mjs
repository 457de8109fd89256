// Compiles the `clade` CLI to JavaScript in dist/ with esbuild: one entry, each command a chunk loaded when it runs,
// every package left to node_modules. bin/clade.js runs it, and rebuilds first when a source file is newer than the
// build, so a checkout that is being edited never runs stale code. `npm ci` builds it (the prepare script).
import { build } from 'esbuild';
import { rename, rm, writeFile } from 'node:fs/promises';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = dirname(dirname(fileURLToPath(import.meta.url)));
export const DIST = join(ROOT, 'dist');

/**
 * Builds into a folder of its own and then swaps it in, so a clade process starting meanwhile finds the old build or
 * the new one, and two processes that found the build stale at once do not write over each other.
 */
export async function buildCli() {
  const next = join(ROOT, `.dist-${process.pid}-${Date.now()}`);
  const result = await build({
    absWorkingDir: ROOT,
    entryPoints: { 'cli/main': 'cli/main.ts' },
    outdir: next,
    bundle: true,
    splitting: true,
    chunkNames: 'chunks/[name]-[hash]',
    format: 'esm',
    platform: 'node',
    target: 'node20',
    packages: 'external',
    jsx: 'automatic',
    sourcemap: 'linked',
    metafile: true,
    logLevel: 'error',
  }).catch(async (err) => {
    await rm(next, { recursive: true, force: true });
    throw err;
  });
  const inputs = Object.keys(result.metafile.inputs).filter((p) => !p.startsWith('node_modules/')).sort();
  await writeFile(join(next, 'inputs.json'), JSON.stringify(inputs.map((p) => relative(ROOT, join(ROOT, p)))) + '\n');
  const old = `${next}-old`;
  await rename(DIST, old).catch(() => {});
  // Another process's build may have landed between the two renames; either build is of the same sources.
  await rename(next, DIST).catch(() => rm(next, { recursive: true, force: true }));
  await rm(old, { recursive: true, force: true });
  return inputs.length;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const started = Date.now();
  const n = await buildCli();
  console.error(`built dist/ from ${n} source files in ${Date.now() - started} ms`);
}
