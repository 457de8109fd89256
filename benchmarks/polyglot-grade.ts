// Grading one exercise against running its tests directly in the same image, side by side in interleaved rounds. The
// grader adds a snapshot of the starting state, the patch attempts, restoring protected files, canaries and reading
// the structured results; the target is at most 2× the direct run.
//   npm run bench:polyglot-grade -- --suite DIR [--tasks go-bowling,rust-acronym] [--rounds 3]
import { readdirSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { execa } from 'execa';
import { gradePatch, startingState } from '../bench/grade.ts';
import { taskImage } from '../bench/environment.ts';
import { isLanguageRunner, LANGUAGE_RUNNERS } from '../bench/languages/index.ts';
import { loadTask, type Task } from '../bench/task.ts';
import { ensureSandboxImage } from '../sandbox/image.ts';
import { withSandbox } from '../sandbox/session.ts';

const arg = (name: string) => (process.argv.includes(name) ? process.argv[process.argv.indexOf(name) + 1] : undefined);
const suite = arg('--suite');
if (!suite) throw new Error('--suite DIR: an imported Polyglot suite (`clade bench import polyglot … --out DIR`)');
const rounds = Number(arg('--rounds')) || 3;
const TARGET = 2;

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const suiteDir = resolve(suite);
const all = readdirSync(join(suiteDir, 'tasks')).map((id) => loadTask(join(suiteDir, 'tasks', id), join(suiteDir, 'repos')));
/** One buildable task per language unless named. */
const chosen = arg('--tasks')
  ? arg('--tasks')!.split(',').map((id) => all.find((t) => t.meta.id === id) ?? fail(`no task ${id} in ${suiteDir}`))
  : [...new Map(all.filter((t) => !t.meta.cannotBuild).map((t) => [t.meta.language, t])).values()];

function fail(message: string): never {
  throw new Error(message);
}

/** The tests run as a person would run them: the gold solution in place, the hidden tests copied in, one command. */
async function direct(task: Task, image: string): Promise<number> {
  const base = await startingState(task);
  try {
    await execa('git', ['apply', '-'], { cwd: base, input: task.goldPatch });
    await execa('cp', ['-r', `${task.testsDir}/.`, base]);
    // Timed like the grade: from the container's start to the results, host-side preparation excluded.
    const started = Date.now();
    return await withSandbox({ image, lifetimeSec: task.meta.timeLimitSec + 600 }, async (sb) => {
      await sb.sh('mkdir -p repo grader');
      await sb.copyIn(base, '/workspace/repo');
      const runner = task.meta.runner;
      const run = isLanguageRunner(runner)
        ? await (async () => {
            const { script, env } = LANGUAGE_RUNNERS[runner].command({ files: task.meta.testFiles, graderDir: '/workspace/grader', nonce: 'x' });
            return sb.exec(['bash', '-c', script], { cwd: '/workspace/repo', env, timeoutSec: task.meta.timeLimitSec });
          })()
        : await sb.exec(['python3', '-m', 'pytest', '-q', '-p', 'no:cacheprovider', ...task.meta.testFiles], { cwd: '/workspace/repo', timeoutSec: task.meta.timeLimitSec });
      if (run.timedOut) throw new Error(`${task.meta.id}: the direct run timed out`);
      return Date.now() - started;
    });
  } finally {
    rmSync(base, { recursive: true, force: true });
  }
}

const sandboxImage = (await ensureSandboxImage({ log: (l) => console.error(l) })).tag;
{
  console.log('task                          grade (ms)   direct (ms)   ratio');
  let worst = 0;
  for (const task of chosen) {
    const image = await taskImage(task, sandboxImage, (l) => console.error(l));
    // Warm-up, unmeasured: the first run pays for page cache and the image's layers.
    await direct(task, image);
    const grades: number[] = [];
    const directs: number[] = [];
    for (let i = 0; i < rounds; i++) {
      const started = Date.now();
      const report = await gradePatch(task, task.goldPatch, { image: sandboxImage });
      if (!report.resolved) throw new Error(`${task.meta.id}: the gold patch did not resolve: ${report.error ?? JSON.stringify(report.failToPass.failure.slice(0, 3))}`);
      grades.push(Date.now() - started);
      directs.push(await direct(task, image));
    }
    const ratio = median(grades) / median(directs);
    worst = Math.max(worst, ratio);
    console.log(`${task.meta.id.padEnd(30)}${String(median(grades)).padStart(10)}${String(median(directs)).padStart(14)}${ratio.toFixed(2).padStart(8)}×`);
  }
  console.log(`worst ratio ${worst.toFixed(2)}× (target ≤ ${TARGET}×; both include starting a container and copying the repository in)`);
  if (worst > TARGET) process.exitCode = 1;
}
