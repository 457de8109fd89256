import type { Command } from 'commander';
import { Option } from 'commander';
import { mkdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { loadTasks } from '../../bench/task.ts';
import { splitTasks, type Split } from '../../bench/run.ts';
import { parseUpstream } from '../../gateway/upstream.ts';
import { ensureSandboxImage } from '../../sandbox/image.ts';
import { evolve, type EvolveStatus } from '../../evolve/loop.ts';
import { POLICIES, type Policy } from '../../evolve/policy.ts';
import { DEMO_BANNER, demoScript, demoTasks } from '../../evolve/demo.ts';
import { DEFAULT_RUN_DIR } from '../../evolve/inspect.ts';
import { MODEL_HELP, modelSpec } from '../model-option.ts';
import { emit, progress, UsageError, type OutputOptions } from '../output.ts';
import { handleInterrupts } from '../interrupt.ts';

interface EvolveFlags extends OutputOptions {
  run: string;
  policy: Policy;
  model?: string | string[];
  modelName: string;
  maxEvals?: string;
  budgetUsd?: string;
  maxHours?: string;
  parallel: string;
  seed: string;
  split: Split;
  stage2: Split | 'none';
  threshold: string;
  tasks?: string;
  taskTimeout: string;
  demo?: boolean;
}

function positive(name: string, v: string | undefined, integer = false): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isFinite(n) || n <= 0 || (integer && !Number.isInteger(n))) throw new UsageError(`--${name} must be a positive ${integer ? 'integer' : 'number'}, got "${v}"`);
  return n;
}

/** One line of the live display: what a user watching a long run wants at a glance. */
export function statusLine(s: EvolveStatus): string {
  const best = s.best ? `best ${s.best.id} ${(s.best.mean * 100).toFixed(0)}% [${(s.best.low * 100).toFixed(0)}–${(s.best.high * 100).toFixed(0)}]` : 'best –';
  const evals = s.maxEvals ? `${s.evaluations}/${s.maxEvals}` : String(s.evaluations);
  const spend = s.budgetUsd !== undefined ? `$${s.spentUsd.toFixed(2)}/$${s.budgetUsd}` : `$${s.spentUsd.toFixed(2)}`;
  return `variants ${s.variants} (${s.invalid} invalid) · evaluations ${evals} · ${best} · spent ${spend} · running ${s.running.length}${s.running.length ? `: ${s.running.join(', ')}` : ''}`;
}

export function registerEvolve(program: Command): void {
  program
    .command('evolve')
    .description('grow an archive of agent variants by self-modification; rerun with the same --run to resume')
    .option('--model <upstream...>', MODEL_HELP)
    .option('--run <dir>', 'the run directory (archive, logs); resumed if it exists', DEFAULT_RUN_DIR)
    .addOption(new Option('--policy <name>', 'parent selection').choices([...POLICIES]).default('hgm'))
    .option('--model-name <name>', 'the model the agents and the diagnoser ask for', 'claude-sonnet-4-6')
    .option('--max-evals <n>', 'stop after this many task evaluations')
    .option('--budget-usd <dollars>', 'stop when this much has been spent (all model calls of the run)')
    .option('--max-hours <h>', 'stop after this long (this invocation)')
    .option('--parallel <k>', 'containers at once (self-modifications and evaluations)', '2')
    .option('--seed <n>', 'seed for every random choice of the run', '1')
    .addOption(new Option('--split <name>', 'tasks of the first evaluation stage (hgm: the task pool)').choices(['small', 'medium', 'full']).default('small'))
    .addOption(new Option('--stage2 <name>', 'second stage, run by variants above --threshold (dgm, greedy, random)').choices(['medium', 'full', 'none']).default('medium'))
    .option('--threshold <x>', 'score on the first stage needed for the second', '0.4')
    .option('--tasks <ids>', 'comma-separated task ids for the first stage, instead of --split')
    .option('--task-timeout <seconds>', 'wall-clock limit for one agent run', '900')
    .option('--demo', 'offline, with a scripted model whose answers are canned: shows every component working; its scores measure nothing')
    .option('--json', 'print the final summary as JSON')
    .action(async (opts: EvolveFlags) => {
      const runDir = resolve(opts.run);
      const all = loadTasks();
      const byId = new Map(all.map((t) => [t.meta.id, t]));
      let stage1 = opts.tasks
        ? opts.tasks.split(',').map((id) => {
            const t = byId.get(id.trim());
            if (!t) throw new UsageError(`--tasks: no task "${id}"; \`clade bench list\` lists them`);
            return t;
          })
        : splitTasks(all, opts.split);
      let stage2 = opts.stage2 === 'none' || opts.tasks ? [] : splitTasks(all, opts.stage2).filter((t) => !stage1.includes(t));
      let maxEvals = positive('max-evals', opts.maxEvals, true);
      let model = modelSpec(opts.model);
      if (opts.demo) {
        if (opts.model) throw new UsageError('--demo brings its own scripted model; leave out --model');
        stage1 = demoTasks(all);
        stage2 = [];
        maxEvals ??= 10;
        await mkdir(runDir, { recursive: true });
        model = `scripted:${join(runDir, 'demo-model.json')}`;
        await writeFile(join(runDir, 'demo-model.json'), JSON.stringify(demoScript(stage1), null, 2));
        process.stderr.write(`\n${DEMO_BANNER}\n\n`);
      }
      if (!model) {
        if (!process.env.ANTHROPIC_API_KEY) throw new UsageError('no model: set ANTHROPIC_API_KEY for --model anthropic, pass --model scripted:FILE, or try --demo for an offline run');
        model = 'anthropic';
      }
      const upstream = parseUpstream(model);
      if (maxEvals === undefined && opts.budgetUsd === undefined && opts.maxHours === undefined) {
        progress('no --max-evals, --budget-usd or --max-hours: the run goes on until Ctrl-C (rerun the same command to resume)');
      }
      const image = (await ensureSandboxImage({ log: progress })).tag;
      const live = process.stderr.isTTY && !opts.json;
      let lastStatus = '';
      const interrupts = handleInterrupts();
      const summary = await evolve({
        runDir,
        policy: opts.policy,
        upstream,
        upstreamName: model,
        image,
        model: opts.modelName,
        seed: Number(opts.seed),
        stage1,
        stage2,
        stage2Threshold: Number(opts.threshold),
        maxEvals,
        budgetUsd: positive('budget-usd', opts.budgetUsd),
        maxHours: positive('max-hours', opts.maxHours),
        parallel: positive('parallel', opts.parallel, true)!,
        taskTimeoutSec: positive('task-timeout', opts.taskTimeout, true)!,
        modifyTimeoutSec: 1800,
        demo: Boolean(opts.demo),
        stop: interrupts.signal,
        onEvent: (e) => {
          if (e.type === 'log') {
            // A live display keeps one status line at the bottom; log lines scroll above it.
            process.stderr.write(live ? `\r\x1b[K· ${e.line}\n${lastStatus}` : `· ${e.line}\n`);
          } else {
            lastStatus = statusLine(e.status);
            process.stderr.write(live ? `\r\x1b[K${lastStatus.slice(0, (process.stderr.columns ?? 120) - 1)}` : `  [${lastStatus}]\n`);
          }
        },
      }).finally(() => interrupts.dispose());
      if (live) process.stderr.write('\n');
      // Stopped by a signal: the run is resumable, not finished, and the exit code says so.
      process.exitCode = interrupts.exitCode() ?? process.exitCode;
      emit(opts, { ...summary, demo: Boolean(opts.demo) }, () =>
        [
          `stopped: ${summary.stopReason}`,
          statusLine(summary),
          summary.best ? `best belief: ${summary.best.id}, ${summary.best.k}/${summary.best.n} tasks, 90% interval ${(summary.best.low * 100).toFixed(0)}–${(summary.best.high * 100).toFixed(0)}%` : 'no variant has been evaluated yet',
          `archive: ${runDir} (clade archive tree --run ${opts.run}; clade report --run ${opts.run} --out report.html)`,
          ...(opts.demo ? ['', DEMO_BANNER] : []),
        ].join('\n'),
      );
    });
}
