import type { Command } from 'commander';
import { Option } from 'commander';
import { mkdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { heldOut, splitNames, splitTasks, type Suite } from '../../bench/suite.ts';
import { SUITE_HELP, suiteFlag } from './bench.ts';
import { parseUpstream } from '../../gateway/upstream-spec.ts';
import { ensureSandboxImage } from '../../sandbox/image.ts';
import { evolve, type EvolveStatus } from '../../evolve/loop.ts';
import { POLICIES, type Policy } from '../../evolve/policy.ts';
import { DEMO_BANNER, demoScript, demoTasks } from '../../evolve/demo.ts';
import { MODEL_HELP, modelSpec } from '../model-option.ts';
import { emit, progress, type OutputOptions } from '../output.ts';
import { handleInterrupts } from '../interrupt.ts';
import { numberFlag, numberOption, runDirFlag } from '../flags.ts';
import { ConfigMismatch, SuiteMismatch } from '../../evolve/config.ts';
import { resumeMismatch, runConfig, stepReservation } from '../../evolve/loop.ts';
import { UsageError } from '../../lib/usage-error.ts';
import { DEFAULT_RUN_DIR } from '../../evolve/open-run.ts';

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
  suite?: string;
  split: string;
  stage2: string;
  threshold: string;
  tasks?: string;
  taskTimeout?: string;
  maxTurns?: number;
  demo?: boolean;
  diagnoseCapUsd: number;
  modifyCapUsd: number;
  taskCapUsd?: number;
  maxExpansions?: number;
  /** commander's --no-budget: false when given. */
  budget: boolean;
  dryRun?: boolean;
  changeConfig?: boolean;
}

const POSITIVE = { min: 0, minExclusive: true };
const COUNT = { integer: true, min: 1 };

/** The numeric flags and --run, checked (cli/flags.ts) before the command does any work: a NaN would lift a limit. */
function checkedFlags(opts: EvolveFlags) {
  runDirFlag(opts.run);
  return {
    maxEvals: numberFlag('--max-evals', opts.maxEvals, COUNT),
    budgetUsd: numberFlag('--budget-usd', opts.budgetUsd, POSITIVE),
    maxHours: numberFlag('--max-hours', opts.maxHours, POSITIVE),
    parallel: numberFlag('--parallel', opts.parallel, COUNT)!,
    seed: numberFlag('--seed', opts.seed, { integer: true, min: 0 })!,
    threshold: numberFlag('--threshold', opts.threshold, { min: 0, max: 1 })!,
    taskTimeout: numberFlag('--task-timeout', opts.taskTimeout, POSITIVE),
    maxTurns: opts.maxTurns,
  };
}

/** Evolution's splits: any of the suite's but the held-out one, which only ever reports how a final agent generalizes. */
function evolutionSplit(suite: Suite, flag: string, name: string) {
  if (name === 'heldout') throw new UsageError(`${flag} heldout: held-out tasks are never shown to evolution; use ${splitNames(suite).filter((n) => n !== 'heldout').join(', ')}`);
  if (!splitNames(suite).includes(name)) throw new UsageError(`${flag} ${name}: the suite ${suite.name} (${suite.dir}) has no such split; it has ${splitNames(suite).join(', ')}`);
  return splitTasks(suite, name);
}

interface DryRun {
  model: string;
  caps: { diagnoseUsd: number; modifyUsd: number; taskUsd: number };
  perStep: { expansion: number; evaluation: number };
  maxEvals?: number;
  maxExpansions?: number;
  budgetUsd?: number;
  /** The most the run can spend; null when nothing bounds it. */
  worstCaseUsd: number | null;
}

/** The configured run's worst case: each step reserves the sum of its sessions' caps, which the gateway enforces. */
function dryRun(o: { caps: DryRun['caps']; maxEvals?: number; maxExpansions?: number; budgetUsd?: number; model: string }): DryRun {
  const perStep = { expansion: stepReservation(o.caps, 'expand'), evaluation: stepReservation(o.caps, 'evaluate') };
  const bySteps = o.maxEvals !== undefined && o.maxExpansions !== undefined ? o.maxEvals * perStep.evaluation + o.maxExpansions * perStep.expansion : undefined;
  const bounds = [bySteps, o.budgetUsd].filter((x): x is number => x !== undefined);
  return { model: o.model, caps: o.caps, perStep, maxEvals: o.maxEvals, maxExpansions: o.maxExpansions, budgetUsd: o.budgetUsd, worstCaseUsd: bounds.length ? Math.min(...bounds) : null };
}

function dryRunText(d: DryRun): string {
  const usd = (x: number) => `$${x.toFixed(2)}`;
  const count = (n: number | undefined, what: string) => (n === undefined ? `unlimited ${what}` : `${n} ${what}`);
  return [
    `worst case per step (the sum of its sessions' caps, enforced by the gateway at ${d.model}'s prices):`,
    `  self-modification  ${usd(d.perStep.expansion)}  (diagnosis ${usd(d.caps.diagnoseUsd)} + rewrite ${usd(d.caps.modifyUsd)})`,
    `  evaluation         ${usd(d.perStep.evaluation)}  (one task)`,
    `steps: ${count(d.maxExpansions, 'self-modifications (--max-expansions)')}, ${count(d.maxEvals, 'evaluations (--max-evals)')}`,
    d.worstCaseUsd === null
      ? 'worst case in total: unbounded. Set --budget-usd, or both --max-evals and --max-expansions'
      : `worst case in total: ${usd(d.worstCaseUsd)}${d.budgetUsd !== undefined && d.worstCaseUsd === d.budgetUsd ? ' (the budget; no step starts unless its worst case fits in what is left)' : ''}`,
  ].join('\n');
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
    .option('--model <upstream...>', MODEL_HELP)
    .option('--run <dir>', 'the run directory (archive, logs); resumed if it exists', DEFAULT_RUN_DIR)
    .addOption(new Option('--policy <name>', 'parent selection').choices([...POLICIES]).default('hgm'))
    .option('--model-name <name>', 'the model the agents and the diagnoser ask for', 'claude-sonnet-4-6')
    .option('--max-evals <n>', 'stop after this many task evaluations')
    .option('--budget-usd <dollars>', 'stop when this much has been spent (all model calls of the run)')
    .option('--max-hours <h>', 'stop after this long (this invocation)')
    .option('--parallel <k>', 'containers at once (self-modifications and evaluations)', '2')
    .option('--seed <n>', 'seed for every random choice of the run', '1')
    .option('--suite <dir|name>', `${SUITE_HELP}; a run keeps its suite for good`)
    .option('--split <name>', "tasks of the first evaluation stage (hgm: the task pool): a split of the suite's splits.json, or full", 'small')
    .option('--stage2 <name>', 'second stage, run by variants above --threshold (dgm, greedy, random): a split, or none', 'medium')
    .option('--threshold <x>', 'score on the first stage needed for the second', '0.4')
    .option('--tasks <ids>', 'comma-separated task ids for the first stage, instead of --split (never held-out ones)')
    .option('--task-timeout <seconds>', "wall-clock limit for one agent run (default: the suite's limits.taskTimeoutSec, else 900)")
    .addOption(numberOption('--max-turns <n>', "the agent's turn limit per task (default: the suite's limits.maxTurns, else the agent's own)", COUNT))
    .addOption(numberOption('--diagnose-cap-usd <dollars>', "host-side dollar cap of one diagnosis session", { min: 0, minExclusive: true }, 2))
    .addOption(numberOption('--modify-cap-usd <dollars>', 'host-side dollar cap of one self-modification session', { min: 0, minExclusive: true }, 5))
    .addOption(numberOption('--task-cap-usd <dollars>', "host-side dollar cap of one evaluation session; a step reserves the sum of its caps before it starts (default: the suite's limits.taskUsd, else 3)", { min: 0, minExclusive: true }))
    .addOption(numberOption('--max-expansions <n>', 'stop after this many self-modifications (--max-evals does not count them)', { integer: true, min: 1 }))
    .option('--no-budget', 'with a paid model and no --budget-usd: run without a dollar limit, on purpose')
    .option('--dry-run', "print the run's worst-case spend per step and in total, and exit")
    .option('--change-config', "resume with flags that differ from the run's stored config, and record the change")
    .option('--demo', 'offline, with a scripted model whose answers are canned: shows every component working; its scores measure nothing')
    .option('--json', 'print the final summary as JSON')
    .action(async (opts: EvolveFlags) => {
      const runDir = resolve(opts.run);
      const flags = checkedFlags(opts);
      if (opts.demo && opts.suite) throw new UsageError('--demo runs on its own built-in tasks; leave out --suite');
      const suite = await suiteFlag(opts.suite);
      const all = suite.tasks;
      const byId = new Map(all.map((t) => [t.meta.id, t]));
      const held = heldOut(suite);
      const suiteArg = opts.suite ? ` --suite ${opts.suite}` : '';
      let stage1 = opts.tasks
        ? opts.tasks.split(',').map((raw) => {
            const id = raw.trim();
            if (held.has(id)) throw new UsageError(`--tasks: "${id}" is held out in ${suite.dir}/splits.json; held-out tasks are never shown to evolution`);
            const blocked = suite.cannotBuild.find((b) => b.id === id);
            if (blocked) throw new UsageError(`--tasks: "${id}" cannot build (${blocked.reason}); it is never run`);
            const t = byId.get(id);
            if (!t) throw new UsageError(`--tasks: no task "${id}" in the suite ${suite.name}; \`clade bench list${suiteArg}\` lists them`);
            return t;
          })
        : evolutionSplit(suite, '--split', opts.split);
      let stage2 = opts.stage2 === 'none' || opts.tasks ? [] : evolutionSplit(suite, '--stage2', opts.stage2).filter((t) => !stage1.includes(t));
      // The suite's limits are the defaults; a flag given explicitly wins.
      const limits = suite.meta.limits;
      const taskTimeoutSec = flags.taskTimeout ?? limits.taskTimeoutSec ?? 900;
      const maxTurns = flags.maxTurns ?? limits.maxTurns;
      const suiteRef = { name: suite.name, path: suite.dir, hash: suite.hash };
      let maxEvals = flags.maxEvals;
      let model = modelSpec(opts.model);
      if (opts.demo) {
        if (opts.model) throw new UsageError('--demo brings its own scripted model; leave out --model');
        stage1 = demoTasks(all);
        stage2 = [];
        maxEvals ??= 10;
        model = `scripted:${join(runDir, 'demo-model.json')}`;
        process.stderr.write(`\n${DEMO_BANNER}\n\n`);
      }
      if (!model) {
        if (!process.env.ANTHROPIC_API_KEY) throw new UsageError('no model: set ANTHROPIC_API_KEY for --model anthropic, pass --model scripted:FILE, or try --demo for an offline run');
        model = 'anthropic';
      }
      const budgetUsd = flags.budgetUsd;
      const caps = { diagnoseUsd: opts.diagnoseCapUsd, modifyUsd: opts.modifyCapUsd, taskUsd: opts.taskCapUsd ?? limits.taskUsd ?? 3 };
      // Before anything is written to the run folder: a resume that would change the experiment is refused untouched,
      // and one on another suite, or a changed one, whatever the flags.
      if (!opts.dryRun) {
        const config = runConfig({ policy: opts.policy, seed: flags.seed, stage1, stage2, stage2Threshold: flags.threshold, model: opts.modelName, upstreamName: model, caps, taskTimeoutSec, maxTurns, demo: Boolean(opts.demo), suite: suiteRef });
        const mismatch = await resumeMismatch(runDir, config);
        if (mismatch instanceof SuiteMismatch || (mismatch && !opts.changeConfig)) throw new UsageError(mismatch.message);
      }
      if (opts.demo) {
        await mkdir(runDir, { recursive: true });
        await writeFile(join(runDir, 'demo-model.json'), JSON.stringify(demoScript(stage1), null, 2));
      }
      const upstream = parseUpstream(model);
      if (opts.dryRun) {
        const plan = { ...dryRun({ caps, maxEvals, maxExpansions: opts.maxExpansions, budgetUsd, model: opts.modelName }), suite: suiteRef, taskTimeoutSec, maxTurns: maxTurns ?? null };
        emit(opts, plan, () => `${dryRunText(plan)}\nsuite ${suite.name} (${suite.dir}): per task ${taskTimeoutSec} s, ${maxTurns ?? "the agent's default"} turns, $${caps.taskUsd.toFixed(2)}`);
        return;
      }
      // Real money with no ceiling must be a decision, not an omission.
      const free = model.startsWith('scripted:') || (upstream.flatPrice?.input === 0 && upstream.flatPrice.output === 0);
      if (!free && budgetUsd === undefined && opts.budget) {
        throw new UsageError(`${upstream.name} is a paid model and no --budget-usd is set: give one (\`clade evolve --dry-run\` prints the worst case per step), or pass --no-budget to run without a dollar limit`);
      }
      if (maxEvals === undefined && budgetUsd === undefined && opts.maxHours === undefined && opts.maxExpansions === undefined) {
        progress('no --max-evals, --budget-usd, --max-expansions or --max-hours: the run goes on until Ctrl-C (rerun the same command to resume)');
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
        seed: flags.seed,
        stage1,
        stage2,
        stage2Threshold: flags.threshold,
        suite: suiteRef,
        maxEvals,
        budgetUsd,
        maxHours: flags.maxHours,
        parallel: flags.parallel,
        taskTimeoutSec,
        maxTurns,
        modifyTimeoutSec: 1800,
        demo: Boolean(opts.demo),
        caps,
        maxExpansions: opts.maxExpansions,
        changeConfig: Boolean(opts.changeConfig),
        ensureImage: async () => (await ensureSandboxImage({ log: progress })).tag,
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
      })
        .catch((err: unknown) => {
          // The flags would change the experiment the run folder holds: a usage error, and nothing was written.
          if (err instanceof ConfigMismatch || err instanceof SuiteMismatch) throw new UsageError(err.message);
          throw err;
        })
        .finally(() => interrupts.dispose());
      if (live) process.stderr.write('\n');
      // Stopped by a signal: the run is resumable, not finished, and the exit code says so. A run that could not go
      // on (a refused key, infrastructure that kept failing, a step the budget cut) is a failure: 1.
      process.exitCode = interrupts.exitCode() ?? (summary.fatal ? 1 : process.exitCode);
      emit(opts, { ...summary, demo: Boolean(opts.demo) }, () =>
        [
          `stopped: ${summary.stopReason}`,
          statusLine(summary),
          summary.best ? `best belief: ${summary.best.id}, ${summary.best.k}/${summary.best.n} tasks, 90% interval ${(summary.best.low * 100).toFixed(0)}–${(summary.best.high * 100).toFixed(0)}%` : 'no variant has been evaluated yet',
          `archive: ${runDir} (clade archive tree --run ${opts.run}; clade report --run ${opts.run} --out report.html)`,
          ...(opts.demo ? ['', DEMO_BANNER] : []),
        ].join('\n'),
      );
      if (summary.fatal) process.stderr.write(`clade: the run cannot go on: ${summary.fatal}\n`);
    });
}
