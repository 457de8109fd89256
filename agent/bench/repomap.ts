// Repo map cost on a large real TypeScript tree: cold (parse everything), warm (same process, nothing changed) and
// cached (a new process reading the on-disk cache), side by side in one run.
//   npm run bench:repomap [-- --root DIR]
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { RepoMap } from '../src/repomap.ts';

const here = dirname(fileURLToPath(import.meta.url));
const rootArg = process.argv.indexOf('--root');
const root = rootArg > 0 ? process.argv[rootArg + 1]! : join(here, '..', 'node_modules', '@anthropic-ai', 'sdk');

async function time<T>(fn: () => Promise<T>): Promise<[number, T]> {
  const start = process.hrtime.bigint();
  const value = await fn();
  return [Number(process.hrtime.bigint() - start) / 1e6, value];
}

const cacheDir = mkdtempSync(join(tmpdir(), 'repomap-bench-'));
try {
  const cold = new RepoMap(root, cacheDir);
  const [coldMs, coldStats] = await time(() => cold.refresh());
  const [rankMs] = await time(async () => cold.rank());
  const [renderMs, text] = await time(() => cold.render({ maxTokens: 4096 }));
  const [warmMs, warmStats] = await time(() => cold.refresh());
  const fromDisk = new RepoMap(root, cacheDir);
  const [cachedMs, cachedStats] = await time(() => fromDisk.refresh());
  const report = {
    root,
    files: coldStats.files,
    parsedCold: coldStats.parsed,
    parsedWarm: warmStats.parsed,
    parsedCached: cachedStats.parsed,
    ms: { cold: coldMs, warm: warmMs, cachedFromDisk: cachedMs, rank: rankMs, render: renderMs },
    ratios: { warmVsCold: warmMs / coldMs, cachedVsCold: cachedMs / coldMs },
    renderedChars: text.length,
  };
  console.log(`repo map of ${root}: ${coldStats.files} source files`);
  console.log(`  cold (parse all ${coldStats.parsed})     ${coldMs.toFixed(0).padStart(7)} ms   1.00`);
  console.log(`  warm (same process)        ${warmMs.toFixed(0).padStart(7)} ms   ${report.ratios.warmVsCold.toFixed(3)}x cold`);
  console.log(`  cached (new process, disk) ${cachedMs.toFixed(0).padStart(7)} ms   ${report.ratios.cachedVsCold.toFixed(3)}x cold`);
  console.log(`  rank ${rankMs.toFixed(0)} ms, render 4096 tokens ${renderMs.toFixed(0)} ms`);
  console.log(JSON.stringify(report));
} finally {
  rmSync(cacheDir, { recursive: true, force: true });
}
