import type { Command } from 'commander';
import { existsSync, readFileSync } from 'node:fs';
import { gradePatch } from '../../bench/grade.ts';
import { findTask, loadTask, loadTasks, TASKS_DIR } from '../../bench/task.ts';
import { validateTasks } from '../../bench/validate.ts';
import { runBench, splitTasks, SPLITS, type Split } from '../../bench/run.ts';
import { importSweBench } from '../../bench/import-swebench.ts';
import { parseUpstream } from '../../gateway/upstream.ts';
import { budgetFrom, budgetOptions, type BudgetFlags } from '../budget-flags.ts';
import { Option } from 'commander';
import { join } from 'node:path';
import { ensureSandboxImage } from '../../sandbox/image.ts';
import { sweepSandboxes } from '../../sandbox/sweep.ts';
import { MODEL_HELP, modelSpec } from '../model-option.ts';
import { emit, progress, UsageError, type OutputOptions } from '../output.ts';
import { agentDirFrom, variantOptions, type VariantFlags } from '../variant-flags.ts';
import { numberOption, runDirFlag } from '../flags.ts';

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
    .addOption(numberOption('--repeat <n>', 'gold runs per task, to catch flaky tests', { integer: true, min: 1 }, 2))
    .addOption(numberOption('--parallel <n>', 'tasks validated at once', { integer: true, min: 1 }, 2))
    .option('--json', 'print the result as JSON')
    .action(async (opts: OutputOptions & { task?: string; dir?: string; repeat: number; parallel: number }) => {
      const tasks = opts.task ? [findTask(opts.task, opts.dir ?? TASKS_DIR)] : opts.dir && existsSync(`${opts.dir}/task.json`) ? [loadTask(opts.dir)] : loadTasks(opts.dir ?? TASKS_DIR);
      const report = await validateTasks(tasks, {
        image: await image(),
        repeat: opts.repeat,
        parallel: opts.parallel,
        onResult: (v) => progress(`${v.ok ? 'ok  ' : 'FAIL'} ${v.task}${v.ok ? '' : `: ${v.reasons.join('; ')}`}`),
      });
      emit(opts, report, () =>
        [`tasks ${report.tasks}, gold resolved ${report.goldResolved}, empty resolved ${report.emptyResolved}, flaky ${report.flaky}`, ...report.results.filter((r) => !r.ok).map((r) => `FAIL ${r.task}: ${r.reasons.join('; ')}`)].join('\n'),
      );
      if (report.failed.length) process.exitCode = 1;
    });

  budgetOptions(
    variantOptions(bench
      .command('run'))
      .description('run the agent on every task of a split (agent sandbox, then a separate grading sandbox) and report')
      .option('--model <upstream...>', MODEL_HELP, 'anthropic')
      .addOption(new Option('--split <split>', 'which tasks').choices(SPLITS).default('small'))
      .option('--dir <path>', 'the folder of task folders (its parent holds repos/ and splits.json)', TASKS_DIR)
      .option('--model-name <name>', 'the model the agent asks for', 'claude-sonnet-4-6')
      .addOption(numberOption('--parallel <n>', 'tasks at once (each uses two containers in turn)', { integer: true, min: 1 }, 1))
      .addOption(numberOption('--timeout <seconds>', "each task's agent time limit", { min: 0, minExclusive: true }, 1800))
      .option('--out <dir>', 'where to write trajectories, patches, grades and report.json', '.clade/bench')
      .option('--json', 'print the report as JSON'),
  ).action(async (opts: OutputOptions & BudgetFlags & VariantFlags & { split: Split; dir: string; model: string | string[]; modelName: string; parallel: number; timeout: number; out: string }) => {
    // --run comes from variantOptions; a file there is refused before any work, as on every command.
    opts.run = runDirFlag(opts.run);
    const tasks = splitTasks(loadTasks(opts.dir), opts.split, join(opts.dir, '..', 'splits.json'));
    const upstream = parseUpstream(modelSpec(opts.model)!);
    const agent = await agentDirFrom(opts);
    const report = await runBench({
      tasks,
      split: opts.split,
      upstream,
      image: await image(),
      outDir: opts.out,
      agentDir: agent.agentDir,
      model: opts.modelName,
      parallel: opts.parallel,
      timeoutSec: opts.timeout,
      budgetPerTask: budgetFrom(opts),
      onResult: (r, done, total) => progress(`[${done}/${total}] ${r.taskId}: ${r.status}${r.error ? ` (${r.error})` : ''} $${r.costUsd.toFixed(4)} ${r.agentSeconds.toFixed(0)} s`),
    }).finally(agent.remove);
    const pct = (x: number) => `${(100 * x).toFixed(1)}%`;
    emit(opts, report, () =>
      [
        `${opts.split}: ${report.resolved}/${report.tasks} resolved (${pct(report.resolveRate)}, 95% CI ${pct(report.interval95.low)}-${pct(report.interval95.high)}), $${report.costUsd.toFixed(4)}`,
        ...report.results.map((r) => `  ${r.taskId.padEnd(18)} ${r.status.padEnd(10)} $${r.costUsd.toFixed(4)} ${r.agentSeconds.toFixed(0)} s${r.error ? ` ${r.error}` : ''}`),
        `report: ${report.reportPath}`,
      ].join('\n'),
    );
  });

  bench
    .command('import')
    .description('import SWE-bench-format instances (JSONL) as tasks; see bench/TASKS.md')
    .argument('<format>', 'swe-bench (also SWE-bench Verified and Multi-SWE-bench)')
    .argument('<file>', 'a .jsonl file of instances')
    .requiredOption('--repos <dir>', 'local clones of the repositories: <dir>/<owner>__<name> or <dir>/<name>')
    .option('--out <dir>', 'bench folder to write repos/ and tasks/ into', '.clade/imported')
    .option('--image <tag>', 'environment image the tests run in (default: the sandbox image)')
    .addOption(new Option('--runner <runner>', 'how to run the tests').choices(['pytest', 'python-unittest', 'node-test']))
    .option('--json', 'print the result as JSON')
    .action(async (format: string, file: string, opts: OutputOptions & { repos: string; out: string; image?: string; runner?: 'pytest' | 'python-unittest' | 'node-test' }) => {
      if (format !== 'swe-bench') throw new UsageError(`unknown import format "${format}"; use swe-bench`);
      if (!existsSync(file)) throw new UsageError(`${file} does not exist`);
      const result = await importSweBench(file, { reposDir: opts.repos, benchDir: opts.out, image: opts.image, runner: opts.runner });
      emit(opts, result, () =>
        [`imported ${result.imported.length} task(s) into ${opts.out}/tasks: ${result.imported.join(', ')}`, ...result.failed.map((f) => `line ${f.line}${f.instance ? ` (${f.instance})` : ''}: ${f.error}`)].join('\n'),
      );
      if (result.failed.length) process.exitCode = 1;
    });
}
