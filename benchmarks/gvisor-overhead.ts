// What gVisor costs: the same work in a sandbox under runsc and under runc, side by side in one run. Rounds are
// interleaved so machine noise hits both alike; the ratios (runsc / runc) are the result, not the seconds.
//   npm run bench:gvisor [-- --rounds 5 --grade-rounds 2 --task cachekit-001]
import { ensureSandboxImage } from '../sandbox/image.ts';
import { Sandbox, type Isolation } from '../sandbox/session.ts';
import { gvisorRegistered } from '../sandbox/gvisor.ts';
import { findTask } from '../bench/task.ts';
import { gradePatch } from '../bench/grade.ts';

function flag(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 && process.argv[i + 1] ? process.argv[i + 1]! : fallback;
}
const rounds = Number(flag('rounds', '5'));
const gradeRounds = Number(flag('grade-rounds', '2'));
const task = findTask(flag('task', 'cachekit-001'));

if (!(await gvisorRegistered())) {
  console.error('runsc is not registered with the Docker engine. Fix: run `sudo npx clade setup --gvisor` first.');
  process.exit(1);
}

async function time(fn: () => Promise<unknown>): Promise<number> {
  const start = process.hrtime.bigint();
  await fn();
  return Number(process.hrtime.bigint() - start) / 1e6;
}
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

// Pure computation, no system calls to speak of: what the user-space kernel costs when it is not asked anything.
const CPU = 'let x = 0; for (let i = 0; i < 2e8; i++) x = (x + i * 7) % 1000003; console.log(x)';
// Many small file operations, the shape of npm installs and test runners: every one is a system call gVisor answers.
const FILES = `const fs = require('fs'); fs.mkdirSync('/tmp/f', { recursive: true });
for (let i = 0; i < 3000; i++) { const p = '/tmp/f/' + i; fs.writeFileSync(p, 'x' + i); fs.readFileSync(p); fs.statSync(p); fs.unlinkSync(p); }`;

const { tag } = await ensureSandboxImage({ log: (l) => console.error(l) });
const ISOLATIONS: Isolation[] = ['runc', 'gvisor'];
type Work = 'start' | 'cpu' | 'files' | 'grade';
const samples = Object.fromEntries(ISOLATIONS.map((i) => [i, { start: [], cpu: [], files: [], grade: [] }])) as unknown as Record<Isolation, Record<Work, number[]>>;
const warm = Object.fromEntries(await Promise.all(ISOLATIONS.map(async (i) => [i, await Sandbox.create({ image: tag, isolation: i, lifetimeSec: 3600 })]))) as Record<Isolation, Sandbox>;
const resolved: Record<Isolation, boolean[]> = { runc: [], gvisor: [] };

async function run(sb: Sandbox, script: string): Promise<number> {
  const r = await sb.exec(['node', '-e', script], { timeoutSec: 600 });
  if (r.exitCode !== 0) throw new Error(`benchmark script failed under ${sb.isolation}: ${r.stderr}`);
  return r.durationMs;
}

try {
  for (const i of ISOLATIONS) await run(warm[i], 'console.log(1)'); // warm-up, unmeasured
  for (let round = 0; round < rounds; round++) {
    for (const i of round % 2 ? [...ISOLATIONS].reverse() : ISOLATIONS) {
      samples[i].start.push(
        await time(async () => {
          const sb = await Sandbox.create({ image: tag, isolation: i, lifetimeSec: 60 });
          await sb.exec(['true']);
          await sb.remove();
        }),
      );
      samples[i].cpu.push(await run(warm[i], CPU));
      samples[i].files.push(await run(warm[i], FILES));
    }
  }
  // A real grading run: the task's gold patch through bench/grade.ts, which reads CLADE_ISOLATION like every caller.
  for (let round = 0; round < gradeRounds; round++) {
    for (const i of round % 2 ? [...ISOLATIONS].reverse() : ISOLATIONS) {
      process.env.CLADE_ISOLATION = i;
      let report: Awaited<ReturnType<typeof gradePatch>> | undefined;
      samples[i].grade.push(await time(async () => (report = await gradePatch(task, task.goldPatch, { image: tag }))));
      resolved[i].push(!!report?.resolved);
    }
  }
} finally {
  delete process.env.CLADE_ISOLATION;
  await Promise.all(ISOLATIONS.map((i) => warm[i].remove()));
}

const m = (i: Isolation, w: Work) => median(samples[i][w]);
const rows: Array<[Work, string]> = [
  ['start', 'create session + exec true + remove'],
  ['cpu', 'CPU-bound node script'],
  ['files', '3000 x (write, read, stat, unlink) in node'],
  ['grade', `grade ${task.meta.id}'s gold patch (bench/grade.ts)`],
];
const ratios = Object.fromEntries(rows.map(([w]) => [w, m('gvisor', w) / m('runc', w)]));
console.log(`gVisor overhead: runsc vs runc, medians of ${rounds} interleaved rounds (grading: ${gradeRounds}), image ${tag}`);
console.log(`  ${'work'.padEnd(50)} ${'runc ms'.padStart(8)} ${'runsc ms'.padStart(9)}  runsc/runc`);
for (const [w, label] of rows) console.log(`  ${label.padEnd(50)} ${m('runc', w).toFixed(0).padStart(8)} ${m('gvisor', w).toFixed(0).padStart(9)}  ${ratios[w]!.toFixed(2)}x`);
console.log(`  gold patch resolved: runc ${resolved.runc.join(',')}  runsc ${resolved.gvisor.join(',')}`);
console.log(JSON.stringify({ rounds, gradeRounds, image: tag, task: task.meta.id, medianMs: { runc: Object.fromEntries(rows.map(([w]) => [w, m('runc', w)])), runsc: Object.fromEntries(rows.map(([w]) => [w, m('gvisor', w)])) }, ratios, resolved }));
