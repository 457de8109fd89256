// What a `clade` command costs before it does its work, measured side by side in one run with interleaved rounds so
// machine noise hits every command alike:
//   - `clade --help`, from the build (what users run) and from source through tsx (CLADE_FROM_SOURCE=1);
//   - `clade sandbox exec -- true` against a bare `docker run --rm --network none IMAGE true` on the same image;
//   - `clade archive ls` on an archive of 500 variants.
// Targets (issue 13): --help ≤ 0.3 s, sandbox exec ≤ 2.0× docker run, archive ls ≤ 0.5 s.
//   npm run bench:startup [-- --rounds 9]
import { execa } from 'execa';
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Archive } from '../archive/archive.ts';
import { ensureSandboxImage } from '../sandbox/image.ts';

const rounds = Number(process.argv[process.argv.indexOf('--rounds') + 1]) || 9;
const BIN = fileURLToPath(new URL('../bin/clade.js', import.meta.url));
const VARIANTS = 500;

async function wall(cmd: string, args: string[], env: Record<string, string> = {}): Promise<number> {
  const start = process.hrtime.bigint();
  const r = await execa(cmd, args, { env, reject: false, all: true });
  if (r.exitCode !== 0) throw new Error(`${cmd} ${args.join(' ')} failed (exit ${r.exitCode}):\n${r.all}`);
  return Number(process.hrtime.bigint() - start) / 1e9;
}
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/** An archive of VARIANTS variants in a chain of small edits, each evaluated on two tasks. */
async function bigArchive(): Promise<string> {
  const run = await mkdtemp(join(tmpdir(), 'clade-bench-archive-'));
  const archive = await Archive.open(run, { create: true });
  const src = join(run, 'src-tree');
  await mkdir(join(src, 'src'), { recursive: true });
  let parent: string | null = null;
  for (let i = 0; i < VARIANTS; i++) {
    await writeFile(join(src, 'src', 'loop.ts'), `export const turns = ${i};\n`);
    const v = await archive.add({ parentId: parent, dir: src, status: parent ? 'valid' : 'seed' });
    for (const task of ['t1', 't2']) {
      archive.recordEvaluation({ variantId: v.id, taskId: task, split: 'small', status: i % 3 ? 'resolved' : 'unresolved', costUsd: 0.01, inputTokens: 10, outputTokens: 5, seconds: 1, trajectory: 't.jsonl', patch: 'p.diff', grade: { resolved: i % 3 !== 0 }, error: null });
    }
    // A bushy tree, not a chain: every tenth variant starts a new branch from the seed.
    parent = i % 10 === 9 ? 'v0' : v.id;
  }
  archive.close();
  await rm(src, { recursive: true, force: true });
  return run;
}

const image = (await ensureSandboxImage({ log: (l) => console.error(l) })).tag;
console.error(`building an archive of ${VARIANTS} variants...`);
const run = await bigArchive();
type Measure = 'help' | 'helpSource' | 'dockerRun' | 'sandboxExec' | 'archiveLs';
const s: Record<Measure, number[]> = { help: [], helpSource: [], dockerRun: [], sandboxExec: [], archiveLs: [] };
try {
  // One unmeasured warm-up of each: the first run pays for the page cache (and a stale build's rebuild).
  await wall('node', [BIN, '--help']);
  await wall('docker', ['run', '--rm', '--network', 'none', image, 'true']);
  await wall('node', [BIN, 'sandbox', 'exec', '--image', image, '--', 'true']);
  for (let i = 0; i < rounds; i++) {
    s.help.push(await wall('node', [BIN, '--help']));
    s.helpSource.push(await wall('node', [BIN, '--help'], { CLADE_FROM_SOURCE: '1' }));
    s.dockerRun.push(await wall('docker', ['run', '--rm', '--network', 'none', image, 'true']));
    s.sandboxExec.push(await wall('node', [BIN, 'sandbox', 'exec', '--', 'true']));
    s.archiveLs.push(await wall('node', [BIN, 'archive', 'ls', '--run', run]));
  }
} finally {
  await rm(run, { recursive: true, force: true });
}

const m = Object.fromEntries(Object.entries(s).map(([k, v]) => [k, median(v)])) as Record<Measure, number>;
const row = (label: string, secs: number, note: string) => console.log(`  ${label.padEnd(46)} ${secs.toFixed(3).padStart(7)} s   ${note}`);
console.log(`clade start-up, median of ${rounds} interleaved rounds (image ${image})`);
row('clade --help (the build)', m.help, `target ≤ 0.300 s: ${m.help <= 0.3 ? 'met' : 'MISSED'}`);
row('clade --help (source through tsx)', m.helpSource, `${(m.helpSource / m.help).toFixed(2)}× the build`);
row('docker run --rm --network none IMAGE true', m.dockerRun, '1.00');
row('clade sandbox exec -- true', m.sandboxExec, `${(m.sandboxExec / m.dockerRun).toFixed(2)}× docker run; target ≤ 2.00×: ${m.sandboxExec / m.dockerRun <= 2 ? 'met' : 'MISSED'}`);
row(`clade archive ls (${VARIANTS} variants)`, m.archiveLs, `target ≤ 0.500 s: ${m.archiveLs <= 0.5 ? 'met' : 'MISSED'}`);
