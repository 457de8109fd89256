import type { Command } from 'commander';
import { existsSync, readFileSync } from 'node:fs';
import { gradePatch } from '../../bench/grade.ts';
import { loadTask } from '../../bench/task.ts';
import { validateTasks } from '../../bench/validate.ts';
import { runBench } from '../../bench/run.ts';
import { importSweBench } from '../../bench/import-swebench.ts';
import { languageCounts, loadSuite, loadTasksFolder, splitNames, splitTasks, suiteTask, SuiteError, type Suite } from '../../bench/suite.ts';
import { parseUpstream } from '../../gateway/upstream-spec.ts';
import { budgetFrom, budgetOptions, type BudgetFlags } from '../budget-flags.ts';
import { Option } from 'commander';
import { ensureSandboxImage } from '../../sandbox/image.ts';
import { sweepSandboxes } from '../../sandbox/sweep.ts';
import { MODEL_HELP, modelSpec } from '../model-option.ts';
import { emit, progress, type OutputOptions } from '../output.ts';
import { agentDirFrom, variantOptions, type VariantFlags } from '../variant-flags.ts';
import { numberOption, runDirFlag } from '../flags.ts';
import { UsageError } from '../../lib/usage-error.ts';

async function image(): Promise<string> {
  await sweepSandboxes();
  return (await ensureSandboxImage({ log: progress })).tag;
}

export const SUITE_HELP = 'the suite: a folder (suite.json, splits.json, tasks/, repos/) or a NAME under .clade/suites/ (default: builtin, the tasks in bench/)';

/** Loads --suite; a --suite that names nothing is a usage error (exit 2), a broken suite a failure (exit 1). */
export async function suiteFlag(suite: string | undefined): Promise<Suite> {
  try {
    return await loadSuite(suite);
  } catch (err) {
    if (err instanceof SuiteError && err.usage) throw new UsageError(err.message);
    throw err;
  }
}

/** --dir (a folder of task folders, the older flag) or --suite, not both. */
async function suiteOrDir(opts: { suite?: string; dir?: string }): Promise<Suite> {
  if (opts.dir && opts.suite) throw new UsageError('--dir and --suite both name the tasks; give one (--suite takes a suite folder or name)');
  if (!opts.dir) return suiteFlag(opts.suite);
  try {
    return await loadTasksFolder(opts.dir);
  } catch (err) {
    if (err instanceof SuiteError && err.usage) throw new UsageError(err.message);
    throw err;
  }
}

function checkSplit(suite: Suite, split: string): void {
  if (!splitNames(suite).includes(split)) throw new UsageError(`--split ${split}: ${suite.dir} has no such split; it has ${splitNames(suite).join(', ')}`);
}

export function registerBench(program: Command): void {
  const bench = program.command('bench');

  bench
    .command('list')
    .description("list a suite's tasks, the counts per language and split, and the tasks that cannot build, with why")
    .option('--suite <dir|name>', SUITE_HELP)
    .option('--json', 'print the result as JSON')
    .action(async (opts: OutputOptions & { suite?: string }) => {
      const suite = await suiteFlag(opts.suite);
      const tasks = suite.tasks.map((t) => ({ id: t.meta.id, title: t.meta.title, repo: t.meta.repo, language: t.meta.language, difficulty: t.meta.difficulty, kind: t.meta.kind }));
      const languages = languageCounts(suite);
      const splits = Object.fromEntries(splitNames(suite).map((name) => [name, splitTasks(suite, name).length]));
      const data = { suite: { name: suite.name, path: suite.dir, hash: suite.hash, description: suite.meta.description, source: suite.meta.source, license: suite.meta.license, reference: suite.meta.reference, limits: suite.meta.limits }, languages, splits, tasks, cannotBuild: suite.cannotBuild };
      emit(opts, data, () =>
        [
          `suite ${suite.name}: ${suite.dir} (hash ${suite.hash.slice(0, 12)})`,
          `  ${suite.meta.description}`,
          `  ${tasks.length} task(s) that run${suite.cannotBuild.length ? `, ${suite.cannotBuild.length} that cannot build` : ''}; by language: ${Object.entries(languages).map(([l, c]) => `${l} ${c.tasks}${c.cannotBuild ? ` (+${c.cannotBuild} cannot build)` : ''}`).join(', ')}`,
          `  splits: ${Object.entries(splits).map(([n, c]) => `${n} ${c}`).join(', ')}`,
          ...suite.meta.reference.map((r) => `  reference: ${r.label}: ${(100 * r.resolveRate).toFixed(1)}% on ${r.split} (${r.source})`),
          '',
          ...tasks.map((t) => `${t.id.padEnd(18)} ${t.language.padEnd(10)} ${t.difficulty.padEnd(6)} ${t.kind.padEnd(7)} ${t.title}`),
          ...(suite.cannotBuild.length ? ['', 'cannot build (never run, validated or scored):', ...suite.cannotBuild.map((b) => `  ${b.id.padEnd(18)} ${b.reason}`)] : []),
        ].join('\n'),
      );
    });

  bench
    .command('eval')
    .description('grade a patch against a task in a fresh sandbox, with the hidden tests')
    .requiredOption('--task <id>', 'task id')
    .requiredOption('--patch <file>', 'the patch (git diff format); an empty file is the empty patch')
    .option('--suite <dir|name>', SUITE_HELP)
    .option('--dir <path>', 'a folder of task folders, instead of --suite')
    .option('--json', 'print the SWE-bench-style report as JSON')
    .action(async (opts: OutputOptions & { task: string; patch: string; suite?: string; dir?: string }) => {
      if (!existsSync(opts.patch)) throw new UsageError(`--patch ${opts.patch} does not exist`);
      const task = suiteTask(await suiteOrDir(opts), opts.task);
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
    .description('check tasks: the empty patch resolves nothing, the gold patch resolves, repeated gold runs agree; tasks that cannot build are listed, not failed')
    .option('--task <id>', 'one task')
    .option('--split <name>', 'only the tasks of this split (e.g. a fixed sample for CI)')
    .option('--suite <dir|name>', SUITE_HELP)
    .option('--dir <path>', 'a folder of task folders, or one task folder, instead of --suite')
    .addOption(numberOption('--repeat <n>', 'gold runs per task, to catch flaky tests', { integer: true, min: 1 }, 2))
    .addOption(numberOption('--parallel <n>', 'tasks validated at once', { integer: true, min: 1 }, 2))
    .option('--json', 'print the result as JSON')
    .action(async (opts: OutputOptions & { task?: string; split?: string; suite?: string; dir?: string; repeat: number; parallel: number }) => {
      if (opts.task && opts.split) throw new UsageError('--task and --split both choose tasks; give one');
      let tasks;
      let cannotBuild: Suite['cannotBuild'] = [];
      if (opts.dir && !opts.suite && existsSync(`${opts.dir}/task.json`)) {
        tasks = [loadTask(opts.dir)];
      } else {
        const suite = await suiteOrDir(opts);
        if (opts.split) checkSplit(suite, opts.split);
        tasks = opts.task ? [suiteTask(suite, opts.task)] : opts.split ? splitTasks(suite, opts.split) : suite.tasks;
        if (!opts.task && !opts.split) cannotBuild = suite.cannotBuild;
      }
      const report = await validateTasks(tasks, {
        image: await image(),
        repeat: opts.repeat,
        parallel: opts.parallel,
        cannotBuild,
        onResult: (v) => progress(`${v.ok ? 'ok  ' : 'FAIL'} ${v.task}${v.ok ? '' : `: ${v.reasons.join('; ')}`}`),
      });
      emit(opts, report, () =>
        [
          `tasks ${report.tasks}, gold resolved ${report.goldResolved}, empty resolved ${report.emptyResolved}, flaky ${report.flaky}${report.cannotBuild.length ? `, cannot build ${report.cannotBuild.length} (skipped)` : ''}`,
          ...report.results.filter((r) => !r.ok).map((r) => `FAIL ${r.task}: ${r.reasons.join('; ')}`),
          ...report.cannotBuild.map((b) => `cannot build ${b.id}: ${b.reason}`),
        ].join('\n'),
      );
      if (report.failed.length) process.exitCode = 1;
    });

  budgetOptions(
    variantOptions(bench
      .command('run'))
      .description('run the agent on every task of a split (agent sandbox, then a separate grading sandbox) and report')
      .option('--model <upstream...>', MODEL_HELP, 'anthropic')
      .option('--split <name>', "which tasks: a split of the suite's splits.json, or full", 'small')
      .option('--suite <dir|name>', SUITE_HELP)
      .option('--dir <path>', 'a folder of task folders (its parent holds repos/ and splits.json), instead of --suite')
      .option('--model-name <name>', 'the model the agent asks for', 'claude-sonnet-4-6')
      .addOption(numberOption('--parallel <n>', 'tasks at once (each uses two containers in turn)', { integer: true, min: 1 }, 1))
      .addOption(numberOption('--timeout <seconds>', "each task's agent time limit (default: the suite's limits.taskTimeoutSec, else 1800)", { min: 0, minExclusive: true }))
      .addOption(numberOption('--max-turns <n>', "the agent's turn limit per task (default: the suite's limits.maxTurns, else the agent's own)", { integer: true, min: 1 }))
      .option('--out <dir>', 'where to write trajectories, patches, grades and report.json', '.clade/bench')
      .option('--json', 'print the report as JSON'),
  ).action(async (opts: OutputOptions & BudgetFlags & VariantFlags & { split: string; suite?: string; dir?: string; model: string | string[]; modelName: string; parallel: number; timeout?: number; maxTurns?: number; out: string }) => {
    // --run comes from variantOptions; a file there is refused before any work, as on every command.
    opts.run = runDirFlag(opts.run);
    const { timeout, maxTurns } = opts;
    const suite = await suiteOrDir(opts);
    checkSplit(suite, opts.split);
    const tasks = splitTasks(suite, opts.split);
    const upstream = parseUpstream(modelSpec(opts.model)!);
    const agent = await agentDirFrom(opts);
    // The suite's limits are defaults; a flag given explicitly wins.
    const limits = suite.meta.limits;
    const budget = budgetFrom(opts);
    const report = await runBench({
      tasks,
      split: opts.split,
      upstream,
      image: await image(),
      outDir: opts.out,
      agentDir: agent.agentDir,
      model: opts.modelName,
      parallel: opts.parallel,
      timeoutSec: timeout ?? limits.taskTimeoutSec ?? 1800,
      maxTurns: maxTurns ?? limits.maxTurns,
      budgetPerTask: { ...budget, usd: budget.usd ?? limits.taskUsd },
      onResult: (r, done, total) => progress(`[${done}/${total}] ${r.taskId}: ${r.status}${r.error ? ` (${r.error})` : ''} $${r.costUsd.toFixed(4)} ${r.agentSeconds.toFixed(0)} s`),
    }).finally(agent.remove);
    const pct = (x: number) => `${(100 * x).toFixed(1)}%`;
    emit(opts, { ...report, suite: { name: suite.name, path: suite.dir, hash: suite.hash } }, () =>
      [
        `${suite.name} ${opts.split}: ${report.resolved}/${report.tasks} resolved (${pct(report.resolveRate)}, 95% CI ${pct(report.interval95.low)}-${pct(report.interval95.high)}), $${report.costUsd.toFixed(4)}`,
        ...report.results.map((r) => `  ${r.taskId.padEnd(18)} ${r.status.padEnd(10)} $${r.costUsd.toFixed(4)} ${r.agentSeconds.toFixed(0)} s${r.error ? ` ${r.error}` : ''}`),
        ...suite.meta.reference.filter((r) => r.split === opts.split).map((r) => `  reference: ${r.label}: ${pct(r.resolveRate)} (${r.source})`),
        `report: ${report.reportPath}`,
      ].join('\n'),
    );
  });

  bench
    .command('import')
    .description('import a benchmark as a suite: the Aider polyglot benchmark, or SWE-bench-format instances (JSONL); see bench/TASKS.md')
    .argument('<format>', 'polyglot (a checkout of Aider-AI/polyglot-benchmark), or swe-bench (also SWE-bench Verified and Multi-SWE-bench)')
    .argument('<path>', 'polyglot: the checkout folder; swe-bench: a .jsonl file of instances')
    .option('--out <dir>', 'the suite folder to write (default: .clade/suites/<format>, so --suite <format> finds it)')
    .option('--languages <list>', 'polyglot: comma-separated languages to import (default: all six)')
    .option('--exercises <list>', 'polyglot: comma-separated exercises to import, as NAME or LANGUAGE/NAME (default: all); for a sample')
    .addOption(numberOption('--heldout <n>', 'polyglot: exercises to hold out of evolution, for a generalization check (default: none)', { integer: true, min: 0 }))
    .addOption(numberOption('--seed <n>', 'seed of the split choice', { integer: true, min: 0 }, 1))
    .option('--force', 'polyglot: replace an existing suite at --out')
    .option('--repos <dir>', 'swe-bench: local clones of the repositories: <dir>/<owner>__<name> or <dir>/<name>')
    .option('--image <tag>', 'swe-bench: environment image the tests run in (default: the sandbox image)')
    .addOption(new Option('--runner <runner>', 'swe-bench: how to run the tests').choices(['pytest', 'python-unittest', 'node-test']))
    .option('--json', 'print the result as JSON')
    .action(async (format: string, path: string, opts: OutputOptions & { out?: string; languages?: string; exercises?: string; heldout?: number; seed: number; force?: boolean; repos?: string; image?: string; runner?: 'pytest' | 'python-unittest' | 'node-test' }) => {
      const seed = opts.seed;
      const out = opts.out ?? `.clade/suites/${format}`;
      if (format === 'polyglot') return importPolyglotCommand(path, { ...opts, out, seed });
      if (format !== 'swe-bench') throw new UsageError(`unknown import format "${format}"; use polyglot or swe-bench`);
      if (!opts.repos) throw new UsageError('swe-bench needs --repos DIR: a folder of local clones of the repositories');
      if (!existsSync(path)) throw new UsageError(`${path} does not exist`);
      const result = await importSweBench(path, { reposDir: opts.repos, benchDir: out, image: opts.image, runner: opts.runner, seed });
      emit(opts, result, () =>
        [`imported ${result.imported.length} task(s) into the suite ${out}: ${result.imported.join(', ')}`, ...result.failed.map((f) => `line ${f.line}${f.instance ? ` (${f.instance})` : ''}: ${f.error}`)].join('\n'),
      );
      if (result.failed.length) process.exitCode = 1;
    });
}

async function importPolyglotCommand(dir: string, opts: OutputOptions & { out: string; languages?: string; exercises?: string; heldout?: number; seed: number; force?: boolean }): Promise<void> {
  // Loaded on use: the importer pulls in every language runner, which the other commands do not need.
  const { importPolyglot, POLYGLOT_LANGUAGE_NAMES } = await import('../../bench/import-polyglot.ts');
  const languages = opts.languages?.split(',').map((l) => l.trim()).filter(Boolean);
  const unknown = languages?.filter((l) => !(POLYGLOT_LANGUAGE_NAMES as string[]).includes(l));
  if (unknown?.length) throw new UsageError(`--languages: unknown language "${unknown[0]}"; the polyglot benchmark has ${POLYGLOT_LANGUAGE_NAMES.join(', ')}`);
  const heldout = opts.heldout;
  // A malformed exercise or a checkout that is not one is the importer's one-line error (exit 1), nothing written.
  const exercises = opts.exercises?.split(',').map((e) => e.trim()).filter(Boolean);
  if (opts.exercises !== undefined && !exercises?.length) throw new UsageError('--exercises: name at least one exercise, as NAME or LANGUAGE/NAME (for example go/bowling,rust/forth)');
  const result = await importPolyglot(dir, { out: opts.out, languages, exercises, heldout, seed: opts.seed, force: opts.force });
  const byLanguage: Record<string, { tasks: number; cannotBuild: number }> = result.byLanguage ?? {};
  emit(opts, result, () =>
    [
      `imported ${result.imported.length} exercise(s) into the suite ${result.suiteDir}${result.cannotBuild.length ? `; ${result.cannotBuild.length} cannot build` : ''}${result.notImported.length ? `; ${result.notImported.length} not imported` : ''}`,
      ...Object.entries(byLanguage).map(([l, c]) => `  ${l.padEnd(11)} ${String(c.tasks).padStart(4)} task(s)${c.cannotBuild ? `, ${c.cannotBuild} cannot build` : ''}`),
      ...result.cannotBuild.map((b) => `cannot build ${b.id}: ${b.reason}`),
      ...result.notImported.map((b) => `not imported ${b.id}: ${b.reason}`),
      `next: clade bench validate --suite ${result.suiteDir}`,
    ].join('\n'),
  );
}
