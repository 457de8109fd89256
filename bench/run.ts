// Runs an agent on a set of tasks: for each, the agent works in one sandbox on the starting state (no hidden tests
// anywhere near it), then its patch is graded in another. The report is what a person or the evolution loop reads.
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Upstream } from '../gateway/upstream.ts';
import type { BudgetLimits } from '../gateway/budget.ts';
import { gradePatch, startingState, type GradeReport } from './grade.ts';
import { solve } from './solve.ts';
import { BENCH_DIR, type Task } from './task.ts';

export type Split = 'small' | 'medium' | 'full' | 'heldout';
export const SPLITS: Split[] = ['small', 'medium', 'full', 'heldout'];

/** Task ids of a split. `full` is every task not held out; `heldout` is only ever used to report generalisation. */
export function splitTasks(all: Task[], split: Split, splitsFile = join(BENCH_DIR, 'splits.json')): Task[] {
  const splits = existsSync(splitsFile) ? (JSON.parse(readFileSync(splitsFile, 'utf8')) as Partial<Record<Split, string[]>>) : {};
  const heldout = new Set(splits.heldout ?? []);
  if (split === 'full') return all.filter((t) => !heldout.has(t.meta.id));
  const ids = splits[split];
  if (!ids) throw new Error(`${splitsFile} defines no "${split}" split; it needs {"small": [...], "medium": [...], "heldout": [...]}`);
  const byId = new Map(all.map((t) => [t.meta.id, t]));
  return ids.map((id) => {
    const task = byId.get(id);
    if (!task) throw new Error(`${splitsFile}: split "${split}" names task "${id}", which does not exist`);
    return task;
  });
}

/** The 95% Wilson score interval for k successes out of n: honest at small n, unlike the normal approximation. */
export function wilson(k: number, n: number, z = 1.96): { low: number; high: number } {
  if (n === 0) return { low: 0, high: 1 };
  const p = k / n;
  const denom = 1 + (z * z) / n;
  const center = (p + (z * z) / (2 * n)) / denom;
  const half = (z * Math.sqrt((p * (1 - p)) / n + (z * z) / (4 * n * n))) / denom;
  return { low: Math.max(0, center - half), high: Math.min(1, center + half) };
}

export interface TaskRun {
  taskId: string;
  status: 'resolved' | 'unresolved' | 'error';
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
  timeoutSec?: number;
  onResult?: (r: TaskRun, done: number, total: number) => void;
  log?: (line: string) => void;
}

/** Solves one task in a sandbox and grades the patch in another; an infrastructure failure is an `error` result. */
export async function runTask(task: Task, opts: Omit<RunOptions, 'tasks' | 'split'>): Promise<TaskRun & { agentHash?: string }> {
  const outDir = join(resolve(opts.outDir), task.meta.id);
  const repo = await startingState(task);
  try {
    const solved = await solve({ repoDir: repo, problem: task.problem, outDir, upstream: opts.upstream, image: opts.image, agentDir: opts.agentDir, model: opts.model, budget: opts.budgetPerTask, timeoutSec: opts.timeoutSec, log: opts.log });
    const grade = await gradePatch(task, solved.patch, { image: opts.image });
    await writeFile(join(outDir, 'grade.json'), JSON.stringify(grade, null, 2));
    return {
      taskId: task.meta.id,
      status: grade.resolved ? 'resolved' : 'unresolved',
      costUsd: solved.spent.usd,
      inputTokens: solved.spent.inputTokens,
      outputTokens: solved.spent.outputTokens,
      agentSeconds: solved.agent.durationMs / 1000,
      trajectory: solved.trajectoryPath,
      patch: solved.patchPath,
      grade,
      agentHash: solved.agentHash,
    };
  } catch (err) {
    return { taskId: task.meta.id, status: 'error', error: (err as Error).message, costUsd: 0, inputTokens: 0, outputTokens: 0, agentSeconds: 0, trajectory: '', patch: '' };
  } finally {
    await rm(repo, { recursive: true, force: true });
  }
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
