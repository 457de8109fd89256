import type { Command } from 'commander';
import { existsSync, readFileSync } from 'node:fs';
import { gradePatch } from '../../bench/grade.ts';
import { findTask, loadTask, loadTasks, TASKS_DIR } from '../../bench/task.ts';
import { validateTasks } from '../../bench/validate.ts';
import { ensureSandboxImage } from '../../sandbox/image.ts';
import { sweepSandboxes } from '../../sandbox/sweep.ts';
import { emit, progress, UsageError, type OutputOptions } from '../output.ts';

async function image(): Promise<string> {
  await sweepSandboxes();
  return (await ensureSandboxImage({ log: progress })).tag;
}

export function registerBench(program: Command): void {
  const bench = program.command('bench').description('SWE-style tasks: list them, grade a patch, validate the suite');

  bench
    .command('list')
    .description('list the tasks')
    .option('--json', 'print the result as JSON')
    .action((opts: OutputOptions) => {
      const tasks = loadTasks().map((t) => ({ id: t.meta.id, title: t.meta.title, repo: t.meta.repo, language: t.meta.language, difficulty: t.meta.difficulty, kind: t.meta.kind }));
      emit(opts, tasks, () => tasks.map((t) => `${t.id.padEnd(18)} ${t.difficulty.padEnd(6)} ${t.kind.padEnd(7)} ${t.title}`).join('\n'));
    });

  bench
    .command('eval')
    .description('grade a patch against a task in a fresh sandbox, with the hidden tests')
    .requiredOption('--task <id>', 'task id')
    .requiredOption('--patch <file>', 'the patch (git diff format); an empty file is the empty patch')
    .option('--dir <path>', 'the folder of task folders', TASKS_DIR)
    .option('--json', 'print the SWE-bench-style report as JSON')
    .action(async (opts: OutputOptions & { task: string; patch: string; dir: string }) => {
      if (!existsSync(opts.patch)) throw new UsageError(`--patch ${opts.patch} does not exist`);
      const task = findTask(opts.task, opts.dir);
      const report = await gradePatch(task, readFileSync(opts.patch, 'utf8'), { image: await image() });
      emit(opts, report, () =>
        [
          `${report.taskId}: ${report.resolved ? 'RESOLVED' : 'not resolved'}${report.error ? ` (${report.error})` : ''}`,
          `  patch applied: ${report.patchApplied ? `yes (${report.applyMethod})` : 'no'}`,
          `  FAIL_TO_PASS ${report.failToPass.success.length}/${task.meta.failToPass.length}, PASS_TO_PASS ${report.passToPass.success.length}/${task.meta.passToPass.length}`,
          ...[...report.failToPass.failure, ...report.passToPass.failure].map((id) => `  ✗ ${id} (${report.tests[id]})`),
        ].join('\n'),
      );
    });

  bench
    .command('validate')
    .description('check tasks: the empty patch resolves nothing, the gold patch resolves, repeated gold runs agree')
    .option('--task <id>', 'one task')
    .option('--dir <path>', 'a folder of task folders (default: bench/tasks), or one task folder')
    .option('--repeat <n>', 'gold runs per task, to catch flaky tests', '2')
    .option('--parallel <n>', 'tasks validated at once', '2')
    .option('--json', 'print the result as JSON')
    .action(async (opts: OutputOptions & { task?: string; dir?: string; repeat: string; parallel: string }) => {
      const tasks = opts.task ? [findTask(opts.task, opts.dir ?? TASKS_DIR)] : opts.dir && existsSync(`${opts.dir}/task.json`) ? [loadTask(opts.dir)] : loadTasks(opts.dir ?? TASKS_DIR);
      const report = await validateTasks(tasks, {
        image: await image(),
        repeat: Number(opts.repeat),
        parallel: Number(opts.parallel),
        onResult: (v) => progress(`${v.ok ? 'ok  ' : 'FAIL'} ${v.task}${v.ok ? '' : `: ${v.reasons.join('; ')}`}`),
      });
      emit(opts, report, () =>
        [`tasks ${report.tasks}, gold resolved ${report.goldResolved}, empty resolved ${report.emptyResolved}, flaky ${report.flaky}`, ...report.results.filter((r) => !r.ok).map((r) => `FAIL ${r.task}: ${r.reasons.join('; ')}`)].join('\n'),
      );
      if (report.failed.length) process.exitCode = 1;
    });
}
