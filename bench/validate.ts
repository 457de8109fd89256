// The gate every task passes before it may score an agent: the empty patch resolves nothing, the gold patch resolves
// it, and repeated gold runs agree (no flaky tests).
import { gradePatch, type GradeReport } from './grade.ts';
import type { Task } from './task.ts';

export interface TaskValidation {
  task: string;
  ok: boolean;
  reasons: string[];
  goldResolved: boolean;
  emptyResolved: boolean;
  flaky: boolean;
}

export interface ValidationReport {
  /** Tasks validated; those marked cannotBuild are not among them (see cannotBuild). */
  tasks: number;
  goldResolved: number;
  emptyResolved: number;
  flaky: number;
  failed: string[];
  results: TaskValidation[];
  /** Tasks marked at import as unable to build in their environment: skipped, with the reason, never failures. */
  cannotBuild: Array<{ id: string; reason: string }>;
}

export async function validateTask(task: Task, opts: { image: string; repeat?: number }): Promise<TaskValidation> {
  const reasons: string[] = [];
  const empty = await gradePatch(task, '', opts);
  if (empty.error) reasons.push(`empty patch: ${empty.error}`);
  // An honest run graded as tampered is the grader's mistake (a canary that does not fail in this file's style).
  if (empty.tampered) reasons.push(`empty patch graded as tampered: ${empty.tampered}`);
  // With `everyTest` (Polyglot), FAIL_TO_PASS is every test of the files, and a stub may pass some of them: only the
  // task as a whole must fail on the starting state.
  if (task.meta.everyTest) {
    if (empty.resolved) reasons.push('the empty patch resolves the task: every test passes on the starting state');
  } else for (const id of task.meta.failToPass) if (empty.tests[id] === 'passed') reasons.push(`FAIL_TO_PASS passes without the fix: ${id}`);
  for (const id of task.meta.passToPass) if (empty.tests[id] !== 'passed') reasons.push(`PASS_TO_PASS does not pass on the starting state (${empty.tests[id]}): ${id}`);
  const golds: GradeReport[] = [];
  for (let i = 0; i < (opts.repeat ?? 2); i++) golds.push(await gradePatch(task, task.goldPatch, opts));
  const goldResolved = golds.every((g) => g.resolved);
  for (const [i, g] of golds.entries()) {
    if (g.resolved) continue;
    const failing = [...g.failToPass.failure, ...g.passToPass.failure].map((id) => `${id} (${g.tests[id]})`);
    reasons.push(`gold run ${i + 1} does not resolve: ${g.error ?? ''}${g.tampered ? `graded as tampered: ${g.tampered}` : ''}${g.patchApplied ? '' : ' (gold.patch does not apply)'} ${failing.join(', ')}`.trim());
  }
  const expected = [...task.meta.failToPass, ...task.meta.passToPass];
  const flaky = golds.some((g) => expected.some((id) => g.tests[id] !== golds[0]!.tests[id]));
  if (flaky) reasons.push('flaky: repeated gold runs disagree');
  return { task: task.meta.id, ok: reasons.length === 0, reasons, goldResolved, emptyResolved: empty.resolved, flaky };
}

export async function validateTasks(
  given: Task[],
  opts: { image: string; repeat?: number; parallel?: number; onResult?: (v: TaskValidation) => void; cannotBuild?: Array<{ id: string; reason: string }> },
): Promise<ValidationReport> {
  const tasks = given.filter((t) => !t.meta.cannotBuild);
  const cannotBuild = [...(opts.cannotBuild ?? []), ...given.filter((t) => t.meta.cannotBuild).map((t) => ({ id: t.meta.id, reason: t.meta.cannotBuild! }))];
  const results: TaskValidation[] = new Array(tasks.length);
  let next = 0;
  const worker = async () => {
    while (next < tasks.length) {
      const i = next++;
      results[i] = await validateTask(tasks[i]!, opts);
      opts.onResult?.(results[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, opts.parallel ?? 2) }, worker));
  return {
    tasks: tasks.length,
    goldResolved: results.filter((r) => r.goldResolved).length,
    emptyResolved: results.filter((r) => r.emptyResolved).length,
    flaky: results.filter((r) => r.flaky).length,
    failed: results.filter((r) => !r.ok).map((r) => r.task),
    results,
    cannotBuild,
  };
}
