// `clade evolve`: grows the archive until a budget runs out. Everything the loop decides is derived from the archive
// (which variants exist, which tasks each has run), so a rerun with the same --run picks up exactly where a stopped or
// killed run left off: finished steps are in the archive, the step in flight is simply done again.
import { createHash } from 'node:crypto';
import { mkdir, rm } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { Archive, type VariantRecord } from '../archive/archive.ts';
import { SEED_AGENT_DIR, withLock } from '../bench/agent-build.ts';
import type { Task } from '../bench/task.ts';
import type { Upstream } from '../gateway/upstream.ts';
import { sweepSandboxes } from '../sandbox/sweep.ts';
import { bestBelief, hgmShouldExpand, selectHgmEvaluate, selectParent, type BestBelief, type Policy } from './policy.ts';
import { seededRng } from './random.ts';
import { evaluate, expand, type StepContext } from './step.ts';
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
  /** hgm draws one task at a time from this pool (stage 1 and 2 together). */
  maxEvals?: number;
  budgetUsd?: number;
  maxHours?: number;
  parallel: number;
  taskTimeoutSec: number;
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
  return withLock(join(runDir, '.evolve.lock'), () => evolveLocked({ ...cfg, runDir }), 1000).catch((err: Error) => {
    if (/waited .* for/.test(err.message)) throw new Error(`another \`clade evolve\` is running on ${runDir}; wait for it or stop it first`);
    throw err;
  });
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
    if (!resumed) {
      await archive.add({ parentId: null, dir: SEED_AGENT_DIR, status: 'seed' });
      archive.db.setMeta('config', JSON.stringify({ policy: cfg.policy, seed: cfg.seed, model: cfg.model, upstream: cfg.upstreamName, demo: cfg.demo, stage1: cfg.stage1.map((t) => t.meta.id), stage2: cfg.stage2.map((t) => t.meta.id), stage2Threshold: cfg.stage2Threshold }));
      log(`new run in ${cfg.runDir}: seed agent archived as v0`);
    } else {
      log(`resuming the run in ${cfg.runDir}: ${archive.variants().length} variants, ${archive.evaluations().length} evaluations so far`);
    }
    return await schedule(cfg, archive, log);
  } finally {
    archive.close();
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
    modifyTimeoutSec: cfg.modifyTimeoutSec,
    log,
    targeting: new Map(),
    // Each of the K running steps may spend a K-th of what is left: together they cannot pass the budget by more than
    // one model response each (a gateway session lets the request that crosses its limit finish).
    sessionBudget: () => (cfg.budgetUsd === undefined ? {} : { usd: Math.max(0, cfg.budgetUsd - archive.db.spentUsd()) / cfg.parallel }),
    workdir: (id) => {
      if (!workdirs.has(id)) workdirs.set(id, checkoutVariant(archive, id, join(cfg.runDir, 'work'), join(cfg.runDir, 'deps'), log));
      return workdirs.get(id)!;
    },
  };
  const running = new Map<string, Promise<void>>();
  let expanding = 0;
  let stopping: string | undefined;
  let decisions = 0;
  let failedInARow = 0;

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
      spentUsd: archive.db.spentUsd(),
      budgetUsd: cfg.budgetUsd,
      running: [...running.keys()],
      best: bestBelief(archive.db.tree()),
    };
  };
  const budgetStop = (): string | undefined => {
    if (stopping) return stopping;
    if (cfg.budgetUsd !== undefined && archive.db.spentUsd() >= cfg.budgetUsd) return `the budget of $${cfg.budgetUsd} is spent`;
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
    const tree = archive.db.tree();
    const inFlight = evaluationsInFlight();
    if (cfg.maxEvals !== undefined && tree.evaluations.length + inFlight.length >= cfg.maxEvals) return undefined;
    const rng = seededRng(decisionSeed(cfg.seed, tree.variants.length * 100_003 + tree.evaluations.length * 7 + decisions++));
    // Parents need results to diagnose; and an expansion already running counts as a variant for hgm's rule.
    const evaluated = new Set(tree.evaluations.map((e) => e.variantId));
    const parentTree: Tree = { variants: tree.variants.map((v) => ({ ...v, valid: v.valid && evaluated.has(v.id) })), evaluations: tree.evaluations };
    const hasParent = parentTree.variants.some((v) => v.valid);
    const pickParent = (): Job | undefined => {
      if (!hasParent) return undefined;
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
    const placeholders = expanding + archive.db.failedSteps().length;
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

  const start = (job: Job) => {
    const key = job.kind === 'expand' ? `expand ${job.parent.id}#${decisions}` : `evaluate ${job.variant.id}:${job.taskId}`;
    if (job.kind === 'expand') expanding++;
    const work = (async () => {
      try {
        if (job.kind === 'evaluate') await evaluate(ctx, job.variant, job.taskId, job.split);
        else {
          const outcome = await expand(ctx, job.parent, seededRng(decisionSeed(cfg.seed, decisions * 31 + 1)));
          // An invalid child is as much a failed step as no child: both spent a self-modification and gave no parent.
          const failed = outcome.kind === 'failed' || (outcome.kind === 'child' && outcome.variant.status === 'invalid');
          failedInARow = failed ? failedInARow + 1 : outcome.kind === 'child' ? 0 : failedInARow;
          if (outcome.kind === 'failed') log(`${job.parent.id}: no child this time: ${outcome.reason.split('\n')[0]}`);
          // Without this, a model that never produces a usable change would be asked forever.
          if (failedInARow >= MAX_FAILED_IN_A_ROW) stopping ??= `${failedInARow} self-modifications in a row made no valid child; read the logs under ${join(cfg.runDir, 'steps')}`;
        }
      } catch (err) {
        log(`${key} failed: ${(err as Error).message.split('\n')[0]}`);
        // An infrastructure failure (Docker gone, disk full) would fail every step the same way: stop and say so.
        stopping ??= `a step failed: ${(err as Error).message.split('\n')[0]}`;
      } finally {
        if (job.kind === 'expand') expanding--;
        running.delete(key);
        cfg.onEvent?.({ type: 'status', status: status() });
      }
    })();
    running.set(key, work);
    cfg.onEvent?.({ type: 'status', status: status() });
  };

  try {
    for (;;) {
      while (!budgetStop() && running.size < cfg.parallel) {
        const job = nextJob();
        if (!job) break;
        start(job);
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
    (cfg.maxEvals !== undefined && final.evaluations >= cfg.maxEvals ? `${cfg.maxEvals} evaluations done` : 'no work is left: every valid variant has run every task and no parent can be expanded');
  return { ...final, runDir: cfg.runDir, stopReason, failedSteps: archive.db.failedSteps().length };
}
