// Runs an agent on a set of tasks: for each, the agent works in one sandbox on the starting state (no hidden tests
// anywhere near it), then its patch is graded in another. The report is what a person or the evolution loop reads.
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { Upstream } from '../gateway/upstream.ts';
import type { Budget, BudgetLimits, Spend } from '../gateway/budget.ts';
import { gradePatch, startingState, type GradeReport } from './grade.ts';
import { solve, type SolveResult } from './solve.ts';
import { AgentFault, SolveFailed, UpstreamRefused, type Outcome, type SessionFacts } from './outcome.ts';
import type { Task } from './task.ts';
import { taskImage } from './environment.ts';
import { wilson } from '../lib/wilson.ts';

export interface TaskRun {
  taskId: string;
  status: 'resolved' | 'unresolved' | 'error';
  outcome: Outcome;
  error?: string;
  costUsd: number;
  inputTokens: number;
  outputTokens: number;
  agentSeconds: number;
  trajectory: string;
  patch: string;
  grade?: GradeReport;
}

export interface BenchReport {
  split: string;
  agentHash?: string;
  tasks: number;
  resolved: number;
  resolveRate: number;
  interval95: { low: number; high: number };
  costUsd: number;
  results: TaskRun[];
  reportPath: string;
}

export interface RunOptions {
  tasks: Task[];
  split: string;
  upstream: Upstream;
  image: string;
  outDir: string;
  agentDir?: string;
  model?: string;
  parallel?: number;
  budgetPerTask?: BudgetLimits;
  runBudget?: Budget;
  timeoutSec?: number;
  /** The agent's turn limit (a suite's limits.maxTurns); the agent's own default when absent. */
  maxTurns?: number;
  onResult?: (r: TaskRun, done: number, total: number) => void;
  log?: (line: string) => void;
}

/**
 * Solves one task in a sandbox and grades the patch in another. The outcome is typed where the failure happens: an
 * exception from the harness (engine, sandbox, grader) is an infrastructure error, a fault the agent caused is its
 * own, a refusal by the run's budget is a budget stop. An upstream that refuses the run's key or model throws
 * UpstreamRefused: no task can succeed until the user fixes it.
 */
export async function runTask(task: Task, opts: Omit<RunOptions, 'tasks' | 'split'> & { taskDir?: string }): Promise<TaskRun & { agentHash?: string }> {
  const outDir = opts.taskDir ? resolve(opts.taskDir) : join(resolve(opts.outDir), task.meta.id);
  const none = { costUsd: 0, inputTokens: 0, outputTokens: 0, agentSeconds: 0, trajectory: '', patch: '' };
  const failed = (outcome: Outcome, error: string, spent?: Spend): TaskRun => ({
    taskId: task.meta.id,
    status: 'error',
    outcome,
    error,
    ...none,
    ...(spent && { costUsd: spent.usd, inputTokens: spent.inputTokens, outputTokens: spent.outputTokens }),
  });
  let repo: string | undefined;
  let solved: SolveResult;
  try {
    repo = await startingState(task);
    solved = await solve({ repoDir: repo, problem: task.problem, outDir, upstream: opts.upstream, image: await taskImage(task, opts.image), agentDir: opts.agentDir, model: opts.model, budget: opts.budgetPerTask, runBudget: opts.runBudget, timeoutSec: opts.timeoutSec, maxTurns: opts.maxTurns, log: opts.log });
  } catch (err) {
    if (repo) await rm(repo, { recursive: true, force: true });
    const facts = err instanceof SolveFailed ? err.facts : undefined;
    const spent = err instanceof SolveFailed ? err.spent : undefined;
    refuseIfUnfixable(facts);
    if (facts?.refusals.run) return failed('budget_stop', `the run's budget ran out during the task: ${(err as Error).message}`, spent);
    if (err instanceof SolveFailed && err.cause instanceof AgentFault) return failed('agent_error', err.message, spent);
    return failed('infra_error', (err as Error).message, spent);
  }
  try {
    const spent = { costUsd: solved.spent.usd, inputTokens: solved.spent.inputTokens, outputTokens: solved.spent.outputTokens };
    refuseIfUnfixable(solved.gateway);
    // The agent was cut off by the run's money, not by its own limits: its result says nothing about it.
    if (solved.gateway.refusals.run) return failed('budget_stop', "the run's budget refused the agent's requests during the task", solved.spent);
    let grade: GradeReport;
    try {
      grade = await gradePatch(task, solved.patch, { image: opts.image });
    } catch (err) {
      return failed('infra_error', `grading failed: ${(err as Error).message}`, solved.spent);
    }
    await writeFile(join(outDir, 'grade.json'), JSON.stringify(grade, null, 2));
    const agentFailed = solved.agent.exitCode !== 0 || solved.agent.timedOut || solved.gateway.refusals.session > 0;
    const outcome: Outcome = grade.resolved ? 'resolved' : grade.tampered ? 'tampered' : agentFailed ? 'agent_error' : 'unresolved';
    return {
      taskId: task.meta.id,
      status: grade.resolved ? 'resolved' : 'unresolved',
      outcome,
      ...(outcome === 'agent_error' && { error: agentError(solved) }),
      ...spent,
      agentSeconds: solved.agent.durationMs / 1000,
      trajectory: solved.trajectoryPath,
      patch: solved.patchPath,
      grade,
      agentHash: solved.agentHash,
    };
  } finally {
    await rm(repo, { recursive: true, force: true });
  }
}

function refuseIfUnfixable(facts: SessionFacts | undefined): void {
  if (facts?.unfixable) throw new UpstreamRefused(facts.unfixable.status, facts.unfixable.type, facts.unfixable.message);
}

function agentError(solved: SolveResult): string {
  if (solved.agent.timedOut) return 'the agent ran out of time';
  if (solved.gateway.refusals.session) return `the agent hit its session's budget (${solved.gateway.refusals.session} request(s) refused)`;
  const tail = solved.agent.stderr.trim().split('\n').slice(-2).join(' ').slice(0, 300);
  return `the agent exited ${solved.agent.exitCode}${tail ? `: ${tail}` : ''}`;
}

export async function runBench(opts: RunOptions): Promise<BenchReport> {
  await mkdir(resolve(opts.outDir), { recursive: true });
  const results: Array<TaskRun & { agentHash?: string }> = new Array(opts.tasks.length);
  let next = 0;
  let done = 0;
  const worker = async () => {
    while (next < opts.tasks.length) {
      const i = next++;
      results[i] = await runTask(opts.tasks[i]!, opts);
      opts.onResult?.(results[i]!, ++done, opts.tasks.length);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, opts.parallel ?? 1) }, worker));
  const resolved = results.filter((r) => r.status === 'resolved').length;
  const reportPath = join(resolve(opts.outDir), 'report.json');
  const report: BenchReport = {
    split: opts.split,
    agentHash: results.find((r) => r.agentHash)?.agentHash,
    tasks: results.length,
    resolved,
    resolveRate: results.length ? resolved / results.length : 0,
    interval95: wilson(resolved, results.length),
    costUsd: results.reduce((a, r) => a + r.costUsd, 0),
    results: results.map(({ agentHash: _, ...r }) => r),
    reportPath,
  };
  await writeFile(reportPath, JSON.stringify(report, null, 2));
  return report;
}
