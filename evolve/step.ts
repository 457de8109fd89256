// The two kinds of work the loop schedules. Expand: diagnose a parent's failure, have the parent rewrite its own copy in
// a sandbox, check the child, archive it whatever the outcome. Evaluate: one task for one variant, graded on the host
// side. Each ends in a single archive write, so a kill in the middle loses only that step.
import { mkdir, readdir, rm, writeFile } from 'node:fs/promises';
import { existsSync, readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { join, relative } from 'node:path';
import { randomBytes } from 'node:crypto';
import { execa } from 'execa';
import type { Archive, EvaluationRecord, Proposal, VariantRecord } from '../archive/archive.ts';
import { GatewaySession } from '../gateway/server.ts';
import { sdkOverSocket } from '../gateway/client.ts';
import type { Upstream } from '../gateway/upstream.ts';
import type { Budget } from '../gateway/budget.ts';
import { solve } from '../bench/solve.ts';
import { runTask } from '../bench/run.ts';
import { AgentFault, isScored, SolveFailed, UpstreamRefused, type SessionFacts } from '../bench/outcome.ts';
import { checkAgent } from '../bench/check-agent.ts';
import { variantTreeProblem } from '../bench/variant-files.ts';
import { plainFolder, SAFE_GIT } from '../bench/git.ts';
import type { Task } from '../bench/task.ts';
import { diagnose, modificationProblem } from './diagnose.ts';
import { installDependencies } from '../bench/agent-deps.ts';
import type { Rng } from './tree.ts';

export interface StepContext {
  archive: Archive;
  upstream: Upstream;
  image: string;
  model: string;
  tasks: Map<string, Task>;
  /** The host-side dollar cap of each kind of model session: a step's worst case is the sum of its sessions' caps. */
  caps: SessionCaps;
  /** The run's dollar budget, shared by every session; a refusal from it is a budget stop, never the variant's. */
  runBudget?: Budget;
  /** How often an evaluation that failed for infrastructure reasons is tried again, and the waits between tries. */
  retry: RetryPolicy;
  /** The sandbox image, built again if it disappeared; called before each retry. */
  ensureImage: () => Promise<string>;
  taskTimeoutSec: number;
  /** The agent's turn limit per task (the suite's); the agent's own default when absent. */
  maxTurns?: number;
  modifyTimeoutSec: number;
  log: (line: string) => void;
  /** Tasks that expansions now running are diagnosing, per parent: parallel siblings should try different weaknesses. */
  targeting: Map<string, string[]>;
  /** A working copy of a variant with its dependencies, shared by every step of this process. */
  workdir: (id: string) => Promise<string>;
}

export interface SessionCaps {
  diagnoseUsd: number;
  modifyUsd: number;
  taskUsd: number;
}

export interface RetryPolicy {
  /** Tries in all, the first included. */
  attempts: number;
  /** The wait before the second, third, ... try; the last one repeats. */
  backoffMs: number[];
}

/** The run's money ran out in the middle of a step: the step's work is discarded and the run stops. */
export class BudgetStop extends Error {
  override readonly name = 'BudgetStop';
}

/** Infrastructure kept failing on one evaluation after every retry: the run stops rather than score it. */
export class InfraFailure extends Error {
  override readonly name = 'InfraFailure';
}

export type ExpandOutcome = { kind: 'child'; variant: VariantRecord } | { kind: 'failed'; reason: string } | { kind: 'needs-evaluation' };

const run = (ctx: StepContext, ...parts: string[]) => join(ctx.archive.runDir, ...parts);

/** The failed task of `parent` that its children have targeted least: each new child tries a different weakness. */
export function chooseTarget(archive: Archive, parent: VariantRecord, rng: Rng, inFlight: string[] = []): string | undefined {
  const evals = archive.evaluations(parent.id);
  if (!evals.length) return undefined;
  const failed = evals.filter((e) => e.status !== 'resolved');
  // A parent that solved everything it was given still has weaknesses; diagnose one of its tasks at random.
  const pool = failed.length ? failed : evals;
  const targeted = new Map<string, number>();
  for (const child of archive.variants().filter((v) => v.parentId === parent.id)) {
    const t = child.proposal?.taskId;
    if (t) targeted.set(t, (targeted.get(t) ?? 0) + 1);
  }
  for (const t of inFlight) targeted.set(t, (targeted.get(t) ?? 0) + 1);
  const least = Math.min(...pool.map((e) => targeted.get(e.taskId) ?? 0));
  const candidates = pool.filter((e) => (targeted.get(e.taskId) ?? 0) === least);
  return candidates[Math.floor(rng.next() * candidates.length)]!.taskId;
}

export async function expand(ctx: StepContext, parent: VariantRecord, rng: Rng): Promise<ExpandOutcome> {
  const targets = ctx.targeting.get(parent.id) ?? [];
  const taskId = chooseTarget(ctx.archive, parent, rng, targets);
  if (!taskId) return { kind: 'needs-evaluation' };
  ctx.targeting.set(parent.id, [...targets, taskId]);
  try {
    return await expandOn(ctx, parent, taskId);
  } finally {
    const left = [...(ctx.targeting.get(parent.id) ?? [])];
    left.splice(left.indexOf(taskId), 1);
    ctx.targeting.set(parent.id, left);
  }
}

async function expandOn(ctx: StepContext, parent: VariantRecord, taskId: string): Promise<ExpandOutcome> {
  const evaluation = ctx.archive.evaluations(parent.id).find((e) => e.taskId === taskId)!;
  const task = ctx.tasks.get(taskId);
  if (!task) throw new Error(`task ${taskId} of ${parent.id}'s evaluations is no longer in the bench`);
  const stepDir = run(ctx, 'steps', `${new Date().toISOString().replace(/[:.]/g, '-')}-${parent.id}-${randomBytes(3).toString('hex')}`);
  await mkdir(stepDir, { recursive: true });
  const parentDir = await ctx.workdir(parent.id);
  const started = Date.now();

  // 3. Diagnose, on the host, through a gateway session of its own (budgeted and logged like every call).
  ctx.log(`${parent.id}: diagnosing its failure on ${taskId}`);
  const gateway = await GatewaySession.open({ id: `diagnose-${parent.id}`, upstream: ctx.upstream, budget: { usd: ctx.caps.diagnoseUsd }, runBudget: ctx.runBudget, logPath: join(stepDir, 'diagnose.jsonl'), model: ctx.model });
  let diagnosis: Awaited<ReturnType<typeof diagnose>>;
  try {
    diagnosis = await diagnose(sdkOverSocket(gateway.socketPath), ctx.model, {
      agentDir: parentDir,
      taskId,
      problem: task.problem,
      trajectory: readIfExists(join(ctx.archive.runDir, evaluation.trajectory)),
      patch: readIfExists(join(ctx.archive.runDir, evaluation.patch)),
      grade: evaluation.grade,
      earlierAttempts: ctx.archive
        .variants()
        .filter((v) => v.parentId === parent.id && v.proposal?.taskId === taskId)
        .map((v) => ({ improvement: v.proposal!.improvement, outcome: v.status === 'invalid' ? `invalid: ${(v.reason ?? '').split('\n')[0]}` : `valid child ${v.id}` })),
    }).catch((err: Error) => ({ error: `the diagnosis call failed: ${err.message}`, attempts: 1, proposal: undefined }));
    await gateway.flush();
  } finally {
    await gateway.close();
  }
  const diagnoseCost = gateway.budget.spent;
  stopIfRunCannotGoOn({ refusals: { ...gateway.refusals }, unfixable: gateway.unfixable }, 'the diagnosis');
  if (!diagnosis.proposal) {
    ctx.archive.recordFailedStep({ parentId: parent.id, kind: 'diagnose', reason: diagnosis.error!, costUsd: diagnoseCost.usd });
    return { kind: 'failed', reason: diagnosis.error! };
  }
  const proposal: Proposal = diagnosis.proposal;
  await writeFile(join(stepDir, 'proposal.json'), JSON.stringify(proposal, null, 2));

  // 4. Modify: the parent agent, in a sandbox, on a copy of its own source. The meta level is not in that container.
  ctx.log(`${parent.id}: rewriting itself: ${proposal.improvement.split('\n')[0]!.slice(0, 100)}`);
  let modified: Awaited<ReturnType<typeof solve>>;
  try {
    modified = await solve({ repoDir: parentDir, agentDir: parentDir, problem: modificationProblem(proposal), outDir: join(stepDir, 'modify'), upstream: ctx.upstream, image: ctx.image, model: ctx.model, budget: { usd: ctx.caps.modifyUsd }, runBudget: ctx.runBudget, timeoutSec: ctx.modifyTimeoutSec });
  } catch (err) {
    if (err instanceof SolveFailed) stopIfRunCannotGoOn(err.facts, 'the self-modification');
    const whose = err instanceof SolveFailed && err.cause instanceof AgentFault ? '' : ' (infrastructure)';
    const reason = `the self-modification could not run${whose}: ${(err as Error).message}`;
    const spent = err instanceof SolveFailed ? err.spent.usd : 0;
    ctx.archive.recordFailedStep({ parentId: parent.id, kind: 'modify', reason, costUsd: diagnoseCost.usd + spent });
    return { kind: 'failed', reason };
  }
  stopIfRunCannotGoOn(modified.gateway, 'the self-modification');
  const cost = {
    costUsd: diagnoseCost.usd + modified.spent.usd,
    inputTokens: diagnoseCost.inputTokens + modified.spent.inputTokens,
    outputTokens: diagnoseCost.outputTokens + modified.spent.outputTokens,
    seconds: (Date.now() - started) / 1000,
    trajectory: relative(ctx.archive.runDir, modified.trajectoryPath),
  };
  if (!modified.patch.trim()) {
    const reason = `the self-modification changed nothing (agent exit ${modified.agent.exitCode}${modified.agent.timedOut ? ', timed out' : ''})`;
    ctx.archive.recordFailedStep({ parentId: parent.id, kind: 'modify', reason, costUsd: cost.costUsd });
    return { kind: 'failed', reason };
  }

  // The child is the parent's source plus exactly the patch the harness computed, applied on the host to a fresh copy.
  const childDir = join(stepDir, 'child');
  await ctx.archive.checkout(parent.id, childDir);
  // The run directory may sit inside a git checkout (runs/ in Clade's own), hence plainFolder.
  const applied = await execa('bash', ['-c', `${SAFE_GIT} apply --binary --whitespace=nowarn -`], { cwd: childDir, input: modified.patch, reject: false, env: plainFolder(childDir) });
  // A symlink (a patch can add one: mode 120000) is a path the host would follow when it reads the child: such a child
  // is invalid, and nothing on the host reads its tree, the diff below included.
  const special = applied.exitCode === 0 ? variantTreeProblem(childDir) : undefined;
  // A patch that applies but changes nothing here would make a child identical to its parent: never archive that.
  const same = applied.exitCode === 0 && !special && (await execa('diff', ['-rq', '--no-dereference', '--exclude=node_modules', '--exclude=dist', parentDir, childDir], { reject: false })).exitCode === 0;
  if (applied.exitCode !== 0 || same) {
    const reason = same ? 'the self-modification\'s patch applied but left the source unchanged' : `the self-modification's patch does not apply to the parent's source: ${applied.stderr.trim().slice(0, 500)}`;
    ctx.archive.recordFailedStep({ parentId: parent.id, kind: 'modify', reason, costUsd: cost.costUsd });
    return { kind: 'failed', reason };
  }

  // 5. Validate. A child that fails is archived as invalid, with the reason, and never becomes a parent.
  ctx.log(`${parent.id}: checking the child (type check, build, its own tests, the contract)`);
  let status: 'valid' | 'invalid' = 'invalid';
  let reason: string | null = special ?? null;
  if (!special) {
    try {
      await installDependencies(childDir, run(ctx, 'deps'), ctx.log);
      const check = await checkAgent(childDir, { image: ctx.image });
      status = check.ok ? 'valid' : 'invalid';
      reason = check.reason ?? null;
      await writeFile(join(stepDir, 'check.json'), JSON.stringify(check, null, 2));
    } catch (err) {
      reason = `the child could not be checked: ${(err as Error).message}`;
    }
  }
  const variant = await ctx.archive.add({ parentId: parent.id, dir: childDir, status, reason, proposal, modify: cost });
  await rm(childDir, { recursive: true, force: true });
  ctx.log(`${variant.id} (child of ${parent.id}): ${status}${reason ? ` — ${reason.split('\n')[0]}` : ''}`);
  return { kind: 'child', variant };
}

/**
 * Step 6: one task for one variant. Scores come only from here: the grader runs on the host's terms, after the agent.
 * An infrastructure failure is tried again (each attempt in a folder of its own, its log kept) and never scored; a
 * budget stop discards the evaluation; only the agent's own result is recorded.
 */
export async function evaluate(ctx: StepContext, variant: VariantRecord, taskId: string, split: string): Promise<EvaluationRecord> {
  const task = ctx.tasks.get(taskId);
  if (!task) throw new Error(`unknown task ${taskId}`);
  const agentDir = await ctx.workdir(variant.id);
  const taskDir = run(ctx, 'variants', variant.id, 'tasks', taskId);
  const subject = `${variant.id}:${taskId}`;
  // Attempts of an earlier process that was killed are kept too: numbering goes on after them.
  const earlier = existsSync(taskDir) ? (await readdir(taskDir)).filter((n) => /^attempt-\d+$/.test(n)).length : 0;
  let image = ctx.image;
  for (let attempt = 1; ; attempt++) {
    const attemptDir = join(taskDir, `attempt-${earlier + attempt}`);
    const r = await runTask(task, { upstream: ctx.upstream, image, outDir: taskDir, taskDir: attemptDir, agentDir, model: ctx.model, budgetPerTask: { usd: ctx.caps.taskUsd }, runBudget: ctx.runBudget, timeoutSec: ctx.taskTimeoutSec, maxTurns: ctx.maxTurns, log: () => {} });
    if (r.outcome === 'budget_stop') {
      ctx.archive.recordEvent({ kind: 'discarded', subject, detail: { attempt, reason: r.error }, costMicros: micros(r.costUsd) });
      throw new BudgetStop(`${subject}: ${r.error}`);
    }
    if (r.outcome === 'infra_error') {
      ctx.archive.recordEvent({ kind: 'retry', subject, detail: { attempt, error: r.error, dir: relative(ctx.archive.runDir, attemptDir) }, costMicros: micros(r.costUsd) });
      if (attempt >= ctx.retry.attempts) throw new InfraFailure(`${subject} failed ${attempt} times for infrastructure reasons; the last: ${r.error}`);
      const wait = ctx.retry.backoffMs[Math.min(attempt - 1, ctx.retry.backoffMs.length - 1)] ?? 0;
      ctx.log(`${subject}: infrastructure error, trying again in ${(wait / 1000).toFixed(0)} s: ${(r.error ?? '').split('\n')[0]}`);
      await sleep(wait);
      // The engine may be back without the image (a restart, a prune): build it again rather than fail the same way.
      image = await ctx.ensureImage().catch(() => image);
      continue;
    }
    if (!isScored(r.outcome)) throw new Error(`unexpected outcome ${r.outcome}`);
    const rel = (p: string) => (p ? relative(ctx.archive.runDir, p) : '');
    const record = ctx.archive.recordEvaluation({
      variantId: variant.id,
      taskId,
      split,
      status: r.status,
      outcome: r.outcome,
      attempts: attempt,
      costUsd: r.costUsd,
      inputTokens: r.inputTokens,
      outputTokens: r.outputTokens,
      seconds: r.agentSeconds,
      trajectory: rel(r.trajectory),
      patch: rel(r.patch),
      grade: r.grade ?? null,
      error: r.error ?? null,
      tampered: r.grade?.tampered ?? null,
    });
    ctx.log(`${subject}: ${r.outcome}${r.grade?.tampered ? ' — TAMPERED: ' + r.grade.tampered : ''}${r.error ? ` — ${r.error.split('\n')[0]}` : ''}${attempt > 1 ? ` (attempt ${attempt})` : ''}`);
    return record;
  }
}

/** A session the upstream refused outright, or one the run's budget cut off, ends the run: no variant is to blame. */
function stopIfRunCannotGoOn(facts: SessionFacts, what: string): void {
  if (facts.unfixable) throw new UpstreamRefused(facts.unfixable.status, facts.unfixable.type, facts.unfixable.message);
  if (facts.refusals.run) throw new BudgetStop(`the run's budget ran out during ${what}`);
}

function micros(usd: number): number {
  return Math.round(usd * 1e6);
}

function readIfExists(path: string): string {
  return existsSync(path) ? readFileSync(path, 'utf8') : '';
}
