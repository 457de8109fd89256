// `clade evolve`: grows the archive until a budget runs out. Everything the loop decides is derived from the archive
// (which variants exist, which tasks each has run), so a rerun with the same --run picks up exactly where a stopped or
// killed run left off: finished steps are in the archive, the step in flight is simply done again.
import { createHash } from 'node:crypto';
import { mkdir, rm } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Archive, type VariantRecord } from '../archive/archive.ts';
import { SEED_AGENT_DIR } from '../bench/agent-deps.ts';
import { withLock } from '../lib/lock.ts';
import { BENCH_DIR, type Task } from '../bench/task.ts';
import type { Upstream } from '../gateway/upstream.ts';
import { Budget } from '../gateway/budget.ts';
import { UpstreamRefused } from '../bench/outcome.ts';
import { sweepSandboxes } from '../sandbox/sweep.ts';
import { bestBelief, hgmShouldExpand, selectHgmEvaluate, selectParent, type BestBelief, type Policy } from './policy.ts';
import { seededRng } from './random.ts';
import { BudgetStop, evaluate, expand, InfraFailure, type RetryPolicy, type SessionCaps, type StepContext } from './step.ts';
import { ConfigMismatch, configDifferences, readRunConfig, suiteMismatch, SuiteMismatch, writeRunConfig, type RunConfig, type SuiteRef } from './config.ts';
import { checkoutVariant } from './workdir.ts';
import type { Tree } from './tree.ts';

export interface EvolveConfig {
  runDir: string;
  policy: Policy;
  upstream: Upstream;
  /** The upstream as the user named it, kept with the run. */
  upstreamName: string;
  image: string;
  model: string;
  seed: number;
  /** Staged evaluation (dgm, greedy, random): every child runs stage 1; above the threshold it also runs stage 2. */
  stage1: Task[];
  stage2: Task[];
  stage2Threshold: number;
  /** The suite stage1 and stage2 come from; a resume on another suite, or a changed one, is refused. */
  suite: SuiteRef;
  /** hgm draws one task at a time from this pool (stage 1 and 2 together). */
  maxEvals?: number;
  /** Stop after this many self-modifications (children made or not): --max-evals does not bound them. */
  maxExpansions?: number;
  budgetUsd?: number;
  /** The host-side dollar cap of each kind of model session; a step reserves the sum of its sessions' caps. */
  caps: SessionCaps;
  /** Retries of an evaluation that failed for infrastructure reasons (default: 4 tries, 5 s, 20 s, 60 s apart). */
  retry?: RetryPolicy;
  /** Returns the sandbox image's tag, building it if it is gone (an evaluation's retry calls it). */
  ensureImage?: () => Promise<string>;
  /** Resume even if the flags differ from the run's stored config, and record the change. */
  changeConfig?: boolean;
  maxHours?: number;
  parallel: number;
  taskTimeoutSec: number;
  /** The agent's turn limit per task (the suite's limits.maxTurns or --max-turns); the agent's default when absent. */
  maxTurns?: number;
  modifyTimeoutSec: number;
  demo: boolean;
  /** Aborted to stop the run gently: no new steps start, the running ones finish. */
  stop?: AbortSignal;
  onEvent?: (e: EvolveEvent) => void;
}

export type EvolveEvent = { type: 'log'; line: string } | { type: 'status'; status: EvolveStatus };

export interface EvolveStatus {
  variants: number;
  valid: number;
  invalid: number;
  evaluations: number;
  maxEvals?: number;
  spentUsd: number;
  budgetUsd?: number;
  running: string[];
  best: BestBelief | null;
}

export interface EvolveSummary extends EvolveStatus {
  runDir: string;
  stopReason: string;
  failedSteps: number;
  /** Why the run could not go on (the upstream refused its key or model, infrastructure kept failing, the budget cut a step): the command exits 1. */
  fatal?: string;
}

const DEFAULT_RETRY: RetryPolicy = { attempts: 4, backoffMs: [5_000, 20_000, 60_000] };

/** The worst case of each kind of step, in dollars: the sum of its sessions' caps. */
export function stepReservation(caps: SessionCaps, kind: 'expand' | 'evaluate'): number {
  return kind === 'expand' ? caps.diagnoseUsd + caps.modifyUsd : caps.taskUsd;
}

const BUILTIN_PATH = resolve(BENCH_DIR);

/**
 * Whether resuming `runDir` with `config` would change its experiment, read without writing anything: the caller
 * refuses before it touches the folder. Undefined for a new run, or the same settings. A SuiteMismatch is refused
 * whatever the flags; a ConfigMismatch unless --change-config.
 */
export async function resumeMismatch(runDir: string, config: RunConfig): Promise<ConfigMismatch | SuiteMismatch | undefined> {
  if (!existsSync(join(runDir, 'archive.db'))) return undefined;
  const archive = await Archive.open(runDir, { readOnly: true });
  try {
    // A folder with an archive but no variant yet is a run that never started: it has no suite to keep.
    if (!archive.variants().length) return undefined;
    const stored = readRunConfig(archive);
    const suite = suiteMismatch(runDir, stored, config.suite, BUILTIN_PATH);
    if (suite) return suite;
    const differences = configDifferences(stored, config);
    return differences.length ? new ConfigMismatch(runDir, differences) : undefined;
  } finally {
    archive.close();
  }
}

/** The run's settings that a resume must keep. */
export function runConfig(cfg: Pick<EvolveConfig, 'policy' | 'seed' | 'stage1' | 'stage2' | 'stage2Threshold' | 'model' | 'upstreamName' | 'caps' | 'taskTimeoutSec' | 'maxTurns' | 'demo' | 'suite'>): RunConfig {
  return {
    policy: cfg.policy,
    seed: cfg.seed,
    stage1: cfg.stage1.map((t) => t.meta.id),
    stage2: cfg.stage2.map((t) => t.meta.id),
    stage2Threshold: cfg.stage2Threshold,
    model: cfg.model,
    upstream: cfg.upstreamName,
    caps: cfg.caps,
    taskTimeoutSec: cfg.taskTimeoutSec,
    maxTurns: cfg.maxTurns ?? null,
    demo: cfg.demo,
    suite: cfg.suite,
  };
}

const MAX_FAILED_IN_A_ROW = 5;

type Job = { kind: 'expand'; parent: VariantRecord } | { kind: 'evaluate'; variant: VariantRecord; taskId: string; split: string };

/** A stable 32-bit seed from the run's seed and a decision number, so every decision is replayable. */
function decisionSeed(seed: number, n: number): number {
  return createHash('sha256').update(`${seed}:${n}`).digest().readUInt32LE(0);
}

/** A variant's tasks in its own fixed random order, for hgm's one-task-at-a-time evaluation. */
function taskOrder(ids: string[], seed: number, variantId: string): string[] {
  const rng = seededRng(decisionSeed(seed, Number.parseInt(createHash('sha256').update(variantId).digest('hex').slice(0, 8), 16)));
  const order = [...ids];
  for (let i = order.length - 1; i > 0; i--) {
    const j = Math.floor(rng.next() * (i + 1));
    [order[i], order[j]] = [order[j]!, order[i]!];
  }
  return order;
}

export async function evolve(cfg: EvolveConfig): Promise<EvolveSummary> {
  const runDir = resolve(cfg.runDir);
  await mkdir(runDir, { recursive: true });
  // One evolve process per run: two would schedule the same steps twice.
  return withLock(join(runDir, '.evolve.lock'), () => evolveLocked({ ...cfg, runDir }), 1000, () => new Error(`another \`clade evolve\` is running on ${runDir}; wait for it or stop it first`));
}

async function evolveLocked(cfg: EvolveConfig): Promise<EvolveSummary> {
  const log = (line: string) => cfg.onEvent?.({ type: 'log', line });
  const archive = await Archive.open(cfg.runDir, { create: true });
  try {
    // Whatever a killed run left running is removed before anything new starts.
    const swept = await sweepSandboxes();
    if (swept.removed.length) log(`removed ${swept.removed.length} sandbox(es) left by an earlier run`);
    await rm(join(cfg.runDir, 'work'), { recursive: true, force: true });
    const resumed = archive.variants().length > 0;
    const config = runConfig(cfg);
    if (!resumed) {
      writeRunConfig(archive, config);
      await archive.add({ parentId: null, dir: SEED_AGENT_DIR, status: 'seed' });
      log(`new run in ${cfg.runDir}: seed agent archived as v0`);
    } else {
      const stored = readRunConfig(archive);
      const wrongSuite = suiteMismatch(cfg.runDir, stored, config.suite, BUILTIN_PATH);
      if (wrongSuite) throw wrongSuite;
      const differences = configDifferences(stored, config);
      if (differences.length && !cfg.changeConfig) throw new ConfigMismatch(cfg.runDir, differences);
      // A run from before suites was on the built-in one: from now on its content is held to this hash.
      if (!stored.suite) writeRunConfig(archive, { ...config, ...stored, suite: config.suite });
      if (differences.length) {
        archive.recordEvent({ kind: 'config-change', subject: 'run', detail: { changes: differences.map(({ flag, key, stored: from, given: to }) => ({ flag, key, from, to })) } });
        writeRunConfig(archive, { ...stored, ...config });
        log(`--change-config: ${differences.map((d) => d.flag).join(', ')} changed; recorded in the archive`);
      }
      // Calls a killed process logged but never recorded are money spent: the archive takes them in before anything else.
      const imported = archive.importCalls();
      if (imported.imported) log(`recorded ${imported.imported} model call(s) ($${(imported.micros / 1e6).toFixed(4)}) that the previous process logged but did not record`);
      log(`resuming the run in ${cfg.runDir}: ${archive.variants().length} variants, ${archive.evaluations().length} evaluations so far`);
    }
    return await schedule(cfg, archive, log);
  } finally {
    // Whatever happened, every logged dollar ends in the archive.
    try {
      archive.importCalls();
    } finally {
      archive.close();
    }
    await rm(join(cfg.runDir, 'work'), { recursive: true, force: true });
  }
}

async function schedule(cfg: EvolveConfig, archive: Archive, log: (l: string) => void): Promise<EvolveSummary> {
  const tasks = new Map<string, Task>([...cfg.stage1, ...cfg.stage2].map((t) => [t.meta.id, t]));
  const pool = [...tasks.keys()];
  const started = Date.now();
  const workdirs = new Map<string, Promise<string>>();
  const ctx: StepContext = {
    archive,
    upstream: cfg.upstream,
    image: cfg.image,
    model: cfg.model,
    tasks,
    taskTimeoutSec: cfg.taskTimeoutSec,
    maxTurns: cfg.maxTurns,
    modifyTimeoutSec: cfg.modifyTimeoutSec,
    log,
    targeting: new Map(),
    caps: cfg.caps,
    // The backstop behind the step reservations: every session of this process draws on one run budget.
    runBudget: cfg.budgetUsd === undefined ? undefined : new Budget({ usd: Math.max(0, cfg.budgetUsd - archive.spentUsd()) }),
    retry: cfg.retry ?? DEFAULT_RETRY,
    ensureImage: cfg.ensureImage ?? (async () => cfg.image),
    workdir: (id) => {
      if (!workdirs.has(id)) workdirs.set(id, checkoutVariant(archive, id, join(cfg.runDir, 'work'), join(cfg.runDir, 'deps'), log));
      return workdirs.get(id)!;
    },
  };
  const running = new Map<string, Promise<void>>();
  /** What each running step holds of the budget: its worst case, given back when it ends. */
  const reserved = new Map<string, number>();
  const reservedUsd = () => [...reserved.values()].reduce((a, b) => a + b, 0);
  let expanding = 0;
  let stopping: string | undefined;
  let fatal: string | undefined;
  let failedInARow = 0;
  let decisions = -1;
  /** Names the running steps: unique in this process, whatever the decision numbers. */
  let jobs = 0;

  const stopRequested = () => {
    stopping ??= String(cfg.stop?.reason ?? 'stopped by the user');
    log('stopping: the steps running now finish first (Ctrl-C again quits at once; rerunning the command resumes)');
  };
  if (cfg.stop?.aborted) stopRequested();
  cfg.stop?.addEventListener('abort', stopRequested, { once: true });

  const status = (): EvolveStatus => {
    const variants = archive.variants();
    return {
      variants: variants.length,
      valid: variants.filter((v) => v.status !== 'invalid').length,
      invalid: variants.filter((v) => v.status === 'invalid').length,
      evaluations: archive.evaluations().length,
      maxEvals: cfg.maxEvals,
      spentUsd: archive.spentUsd(),
      budgetUsd: cfg.budgetUsd,
      running: [...running.keys()],
      best: bestBelief(archive.tree()),
    };
  };
  const budgetStop = (): string | undefined => {
    if (stopping) return stopping;
    if (cfg.budgetUsd !== undefined && archive.spentUsd() >= cfg.budgetUsd) return `the budget of $${cfg.budgetUsd} is spent`;
    if (cfg.maxHours !== undefined && Date.now() - started >= cfg.maxHours * 3_600_000) return `${cfg.maxHours} h have passed`;
    return undefined;
  };

  const evaluationsInFlight = () => [...running.keys()].filter((k) => k.startsWith('evaluate ')).map((k) => k.slice('evaluate '.length));
  const done = (tree: Tree, variantId: string) => new Set(tree.evaluations.filter((e) => e.variantId === variantId).map((e) => e.taskId));

  /** Staged policies: the next evaluation a valid variant still owes, stage 1 first, then stage 2 above the threshold. */
  const owedEvaluation = (tree: Tree): Job | undefined => {
    const inFlight = new Set(evaluationsInFlight());
    for (const v of archive.variants()) {
      if (v.status === 'invalid') continue;
      const ran = done(tree, v.id);
      const stage1Left = cfg.stage1.filter((t) => !ran.has(t.meta.id));
      let owed: Array<readonly [Task, string]> = stage1Left.map((t) => [t, 'stage1'] as const);
      if (!stage1Left.length && cfg.stage2.length) {
        const results = tree.evaluations.filter((e) => e.variantId === v.id && cfg.stage1.some((t) => t.meta.id === e.taskId));
        const score = results.filter((e) => e.resolved).length / Math.max(1, results.length);
        if (score >= cfg.stage2Threshold) owed = cfg.stage2.filter((t) => !ran.has(t.meta.id)).map((t) => [t, 'stage2'] as const);
      }
      const next = owed.find(([t]) => !inFlight.has(`${v.id}:${t.meta.id}`));
      if (next) return { kind: 'evaluate', variant: v, taskId: next[0].meta.id, split: next[1] };
    }
    return undefined;
  };

  const nextJob = (): Job | undefined => {
    const tree = archive.tree();
    const inFlight = evaluationsInFlight();
    if (cfg.maxEvals !== undefined && tree.evaluations.length + inFlight.length >= cfg.maxEvals) return undefined;
    // The decision's number is the count of steps finished before it, plus those still running: derived from the
    // archive, so a resumed run makes the same draws as one never stopped. Stored with each decision for the record.
    // Within one process every decision gets a new number, also when a step ended without a record.
    decisions = Math.max(tree.variants.length - 1 + tree.evaluations.length + archive.failedSteps().length + running.size, decisions + 1);
    const rngSeed = decisionSeed(cfg.seed, decisions);
    archive.setMeta('decision', JSON.stringify({ n: decisions, rngSeed }));
    const rng = seededRng(rngSeed);
    // Parents need results to diagnose; and an expansion already running counts as a variant for hgm's rule.
    const evaluated = new Set(tree.evaluations.map((e) => e.variantId));
    const parentTree: Tree = { variants: tree.variants.map((v) => ({ ...v, valid: v.valid && evaluated.has(v.id) })), evaluations: tree.evaluations };
    const hasParent = parentTree.variants.some((v) => v.valid);
    const expansions = tree.variants.length - 1 + archive.failedSteps().length + expanding;
    const pickParent = (): Job | undefined => {
      if (!hasParent || (cfg.maxExpansions !== undefined && expansions >= cfg.maxExpansions)) return undefined;
      const id = selectParent(cfg.policy, parentTree, rng, cfg.maxEvals ? { t: tree.evaluations.length, T: cfg.maxEvals } : {});
      return { kind: 'expand', parent: archive.require(id) };
    };
    if (cfg.policy !== 'hgm') {
      const owed = owedEvaluation(tree);
      if (owed) return owed;
      // A staged policy chooses among fully evaluated variants only: no evaluation is owed now or in flight.
      if (inFlight.length) return undefined;
      return pickParent();
    }
    // Expansions in flight and expansions that made no child count as nodes too: both spent the effort of one.
    const placeholders = expanding + archive.failedSteps().length;
    const withExpansions: Tree = { ...tree, variants: [...tree.variants, ...Array.from({ length: placeholders }, (_, i) => ({ id: `pending-${i}`, parentId: null, valid: false, seq: 1e9 + i }))] };
    const remaining = (id: string) => {
      const ran = done(tree, id);
      return pool.filter((t) => !ran.has(t) && !inFlight.includes(`${id}:${t}`)).length;
    };
    if (hgmShouldExpand(withExpansions) && hasParent) return pickParent();
    const chosen = selectHgmEvaluate(tree, rng, remaining);
    if (chosen) {
      const ran = done(tree, chosen);
      const taskId = taskOrder(pool, cfg.seed, chosen).find((t) => !ran.has(t) && !inFlight.includes(`${chosen}:${t}`))!;
      return { kind: 'evaluate', variant: archive.require(chosen), taskId, split: 'pool' };
    }
    return pickParent();
  };

  const start = (job: Job, reservation: number) => {
    const key = job.kind === 'expand' ? `expand ${job.parent.id}#${++jobs}` : `evaluate ${job.variant.id}:${job.taskId}`;
    if (job.kind === 'expand') expanding++;
    reserved.set(key, reservation);
    const expandRng = seededRng(decisionSeed(cfg.seed, decisions * 31 + 1));
    const work = (async () => {
      try {
        if (job.kind === 'evaluate') await evaluate(ctx, job.variant, job.taskId, job.split);
        else {
          const outcome = await expand(ctx, job.parent, expandRng);
          // An invalid child is as much a failed step as no child: both spent a self-modification and gave no parent.
          const failed = outcome.kind === 'failed' || (outcome.kind === 'child' && outcome.variant.status === 'invalid');
          failedInARow = failed ? failedInARow + 1 : outcome.kind === 'child' ? 0 : failedInARow;
          if (outcome.kind === 'failed') log(`${job.parent.id}: no child this time: ${outcome.reason.split('\n')[0]}`);
          // Without this, a model that never produces a usable change would be asked forever.
          if (failedInARow >= MAX_FAILED_IN_A_ROW) stopping ??= `${failedInARow} self-modifications in a row made no valid child; read the logs under ${join(cfg.runDir, 'steps')}`;
        }
      } catch (err) {
        const message = (err as Error).message.split('\n')[0]!;
        log(`${key} failed: ${message}`);
        // Nothing is recorded against the variant: the upstream refused the run, infrastructure kept failing, or the
        // budget cut the step short. Any other exception is a bug or a broken host; it stops the run the same way.
        if (err instanceof UpstreamRefused || err instanceof InfraFailure || err instanceof BudgetStop) fatal ??= (err as Error).message;
        else fatal ??= `a step failed: ${message}`;
        stopping ??= fatal;
      } finally {
        if (job.kind === 'expand') expanding--;
        // The step's calls are in the archive before its reservation is given back, so the budget never sees a gap.
        archive.importCalls();
        reserved.delete(key);
        running.delete(key);
        cfg.onEvent?.({ type: 'status', status: status() });
      }
    })();
    running.set(key, work);
    cfg.onEvent?.({ type: 'status', status: status() });
  };

  /** No step starts unless its worst case fits in what is left after what was spent and what running steps hold. */
  let cannotAfford: string | undefined;
  const fits = (job: Job): number | undefined => {
    const need = stepReservation(cfg.caps, job.kind);
    if (cfg.budgetUsd === undefined) return need;
    const left = cfg.budgetUsd - archive.spentUsd() - reservedUsd();
    if (need <= left + 1e-9) return need;
    if (!running.size) cannotAfford = `the budget of $${cfg.budgetUsd} cannot cover another step: ${job.kind === 'expand' ? 'a self-modification' : 'an evaluation'} may cost up to $${need.toFixed(2)} (the sum of its sessions' caps), and $${Math.max(0, left).toFixed(4)} is left`;
    return undefined;
  };

  try {
    for (;;) {
      while (!budgetStop() && !cannotAfford && running.size < cfg.parallel) {
        const job = nextJob();
        if (!job) break;
        const reservation = fits(job);
        if (reservation === undefined) break;
        start(job, reservation);
      }
      if (!running.size) break;
      await Promise.race(running.values());
    }
  } finally {
    cfg.stop?.removeEventListener('abort', stopRequested);
  }
  const final = status();
  const stopReason =
    budgetStop() ??
    cannotAfford ??
    (cfg.maxEvals !== undefined && final.evaluations >= cfg.maxEvals ? `${cfg.maxEvals} evaluations done` : 'no work is left: every valid variant has run every task and no parent can be expanded');
  return { ...final, runDir: cfg.runDir, stopReason, failedSteps: archive.failedSteps().length, ...(fatal && { fatal }) };
}
