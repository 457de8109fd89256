// Read-only views of a run's archive for people: the rows behind `clade archive ls/show/tree` and the report. Numbers
// come from the same functions the loop uses (policy.ts, bench/run.ts), so what a person reads is what the loop saw.
import { resolve } from 'node:path';
import { Archive, type EvaluationOutcome, type EvaluationRecord, type EventKind, type EventRecord, type Proposal, type VariantRecord, type VariantStatus } from '../archive/archive.ts';
import { wilson } from '../lib/wilson.ts';
import { loadSuite, splitNames, splitTasks, type Suite } from '../bench/suite.ts';
import { BENCH_DIR } from '../bench/task.ts';
import { bestBelief, cladeStats, type BestBelief } from './policy.ts';
import { requireVariant } from './open-run.ts';
import { readRunConfig, type RunConfig } from './config.ts';

export type { Archive };






const firstLine = (s: string | null | undefined): string | null => (s ? (s.split('\n').find((l) => l.trim()) ?? '').trim() : null);

export interface VariantListing {
  id: string;
  parentId: string | null;
  status: VariantStatus;
  /** First line of why it is invalid. */
  reason: string | null;
  resolved: number;
  evaluated: number;
  /** Own evaluations whose test process the grader found tampered with (each counts as unresolved). */
  tampered: number;
  /** resolved / evaluated, null before the first evaluation. */
  score: number | null;
  /** 95% Wilson interval of the own score, the same one `clade bench run` prints; null before the first evaluation. */
  interval: { low: number; high: number } | null;
  /** The variant and all its descendants: HGM's clade-metaproductivity estimate is resolved / evaluated over them. */
  clade: { size: number; resolved: number; evaluated: number; cmp: number | null };
  /** The self-modification that made it, its own evaluations, and both together. */
  modifyCostUsd: number;
  evalCostUsd: number;
  costUsd: number;
  createdAt: string;
  /** First line of the proposal's improvement. */
  improvement: string | null;
  bestBelief: boolean;
}

export function listVariants(archive: Archive): VariantListing[] {
  const tree = archive.tree();
  const clades = cladeStats(tree);
  const best = bestBelief(tree)?.id;
  const evals = new Map<string, EvaluationRecord[]>();
  for (const e of archive.evaluations()) evals.set(e.variantId, [...(evals.get(e.variantId) ?? []), e]);
  return archive.variants().map((v) => {
    const own = evals.get(v.id) ?? [];
    // An errored evaluation counts as not resolved, as in db.tree() and so in every policy.
    const resolved = own.filter((e) => e.outcome === 'resolved').length;
    const evalCostUsd = own.reduce((a, e) => a + e.costUsd, 0);
    const c = clades.get(v.id)!;
    return {
      id: v.id,
      parentId: v.parentId,
      status: v.status,
      reason: firstLine(v.reason),
      resolved,
      evaluated: own.length,
      tampered: own.filter((e) => e.tampered).length,
      score: own.length ? resolved / own.length : null,
      interval: own.length ? wilson(resolved, own.length) : null,
      clade: { size: c.size, resolved: c.k, evaluated: c.n, cmp: c.cmp },
      modifyCostUsd: v.modify.costUsd,
      evalCostUsd,
      costUsd: v.modify.costUsd + evalCostUsd,
      createdAt: v.createdAt,
      improvement: firstLine(v.proposal?.improvement),
      bestBelief: v.id === best,
    };
  });
}

export interface EvaluationView {
  taskId: string;
  split: string;
  status: EvaluationRecord['status'];
  outcome: EvaluationOutcome;
  /** Runs it took; more than 1 when infrastructure errors were retried. */
  attempts: number;
  costUsd: number;
  tokens: number;
  seconds: number;
  trajectory: string;
  patch: string;
  error: string | null;
  /** Why the grader found the test process tampered with; null when it did not. */
  tampered: string | null;
  /** Hidden-test counts from the grade, when it has them. */
  tests: { failToPass: { passed: number; total: number }; passToPass: { passed: number; total: number } } | null;
  createdAt: string;
}

export interface VariantDetail extends VariantListing {
  /** The run's suite, and this variant's scores per split and per language on it. */
  suite: SuiteScores;
  commit: string;
  /** The full reason, not only its first line. */
  fullReason: string | null;
  proposal: Proposal | null;
  modify: VariantRecord['modify'];
  evaluations: EvaluationView[];
  children: Array<{ id: string; status: VariantStatus }>;
  /** `git diff --stat` against the parent; '' for the seed. */
  diffStat: string;
  /** Steps from this variant as parent that made no child, with why and what they cost. */
  failedSteps: FailedStepView[];
  /** Retries, discarded evaluations and other events about this variant or its tasks. */
  events: EventView[];
}

export interface FailedStepView {
  parentId: string;
  kind: 'diagnose' | 'modify';
  reason: string;
  costUsd: number;
  createdAt: string;
}

export interface EventView {
  kind: EventKind;
  subject: string;
  detail: unknown;
  costUsd: number;
  createdAt: string;
}

const eventView = (e: EventRecord): EventView => ({ kind: e.kind, subject: e.subject, detail: e.detail, costUsd: e.costMicros / 1e6, createdAt: e.createdAt });

/** Events the loop writes about a variant: its subject is the id, or `id:task` for one of its evaluations. */
const isAbout = (e: EventRecord, id: string) => e.subject === id || e.subject.startsWith(`${id}:`);

function testCounts(grade: unknown): EvaluationView['tests'] {
  // Grades are stored as whatever the grader wrote; read only the shape bench/grade.ts produces and ignore the rest.
  const g = grade as { failToPass?: { success?: unknown; failure?: unknown }; passToPass?: { success?: unknown; failure?: unknown } } | null;
  const count = (part: { success?: unknown; failure?: unknown } | undefined) => {
    if (!part || !Array.isArray(part.success) || !Array.isArray(part.failure)) return null;
    return { passed: part.success.length, total: part.success.length + part.failure.length };
  };
  const failToPass = count(g?.failToPass);
  const passToPass = count(g?.passToPass);
  return failToPass && passToPass ? { failToPass, passToPass } : null;
}

export async function showVariant(archive: Archive, id: string): Promise<VariantDetail> {
  const v = requireVariant(archive, id);
  const listing = listVariants(archive).find((l) => l.id === id)!;
  const parent = v.parentId ? archive.require(v.parentId) : null;
  return {
    ...listing,
    suite: breakdown(await runSuite(archive), archive.evaluations(id)),
    commit: v.commit,
    fullReason: v.reason,
    proposal: v.proposal,
    modify: v.modify,
    evaluations: archive.evaluations(id).map((e) => ({
      taskId: e.taskId,
      split: e.split,
      status: e.status,
      outcome: e.outcome,
      attempts: e.attempts,
      costUsd: e.costUsd,
      tokens: e.inputTokens + e.outputTokens,
      seconds: e.seconds,
      trajectory: e.trajectory,
      patch: e.patch,
      error: e.error,
      tampered: e.tampered,
      tests: testCounts(e.grade),
      createdAt: e.createdAt,
    })),
    children: archive
      .variants()
      .filter((c) => c.parentId === id)
      .map((c) => ({ id: c.id, status: c.status })),
    diffStat: parent ? await archive.source.diffStat(parent.commit, v.commit) : '',
    failedSteps: archive.failedSteps().filter((f) => f.parentId === id),
    events: archive.events()
      .filter((e) => isAbout(e, id))
      .map(eventView),
  };
}

/** The diff between two variants, with unknown ids reported as usage errors. */
export async function diffVariants(archive: Archive, from: string, to: string): Promise<string> {
  requireVariant(archive, from);
  requireVariant(archive, to);
  return archive.diff(from, to);
}

export interface LineageNode {
  id: string;
  status: VariantStatus;
  resolved: number;
  evaluated: number;
  score: number | null;
  reason: string | null;
  bestBelief: boolean;
  children: LineageNode[];
}

export interface Lineage {
  roots: LineageNode[];
  /** The tree drawn with ├── and └──: ★ marks the best-belief variant, ✕ the invalid ones. */
  text: string;
  bestBelief: string | null;
}

function nodeLabel(n: LineageNode): string {
  const score = n.evaluated ? `${n.resolved}/${n.evaluated} (${Math.round((100 * n.resolved) / n.evaluated)}%)` : 'not evaluated';
  if (n.status === 'invalid') return `${n.id} ✕ invalid${n.reason ? `: ${n.reason}` : ''}`;
  return `${n.id} ${n.status} ${score}${n.bestBelief ? ' ★' : ''}`;
}

export function lineageTree(archive: Archive): Lineage {
  const rows = listVariants(archive);
  const nodes = new Map<string, LineageNode>(
    rows.map((r) => [r.id, { id: r.id, status: r.status, resolved: r.resolved, evaluated: r.evaluated, score: r.score, reason: r.reason, bestBelief: r.bestBelief, children: [] }]),
  );
  const roots: LineageNode[] = [];
  // Rows are in creation order, so siblings come out oldest first.
  for (const r of rows) {
    const parent = r.parentId === null ? undefined : nodes.get(r.parentId);
    (parent ? parent.children : roots).push(nodes.get(r.id)!);
  }
  // An explicit stack rather than recursion: a run that keeps extending one lineage must not overflow the call stack.
  const lines: string[] = [];
  const stack: Array<{ node: LineageNode; prefix: string; branch: string }> = roots.map((node) => ({ node, prefix: '', branch: '' })).reverse();
  while (stack.length) {
    const { node, prefix, branch } = stack.pop()!;
    lines.push(`${prefix}${branch}${nodeLabel(node)}`);
    const childPrefix = prefix + (branch === '├── ' ? '│   ' : branch === '└── ' ? '    ' : '');
    for (let i = node.children.length - 1; i >= 0; i--) {
      stack.push({ node: node.children[i]!, prefix: childPrefix, branch: i === node.children.length - 1 ? '└── ' : '├── ' });
    }
  }
  return { roots, text: lines.join('\n'), bestBelief: rows.find((r) => r.bestBelief)?.id ?? null };
}

export interface RunSummary {
  runDir: string;
  config: Partial<RunConfig>;
  variants: number;
  valid: number;
  invalid: number;
  evaluations: number;
  resolved: number;
  failedSteps: number;
  /** The run's spend: the calls ledger (see Spend). */
  spentUsd: number;
  spend: Spend;
  /** Every retry, discarded evaluation, configuration change and stop, oldest first. */
  events: EventView[];
  bestBelief: BestBelief | null;
}

export interface Spend {
  /** What the archive has recorded: the calls ledger, or for an archive without one, what its records say. */
  usd: number;
  /** 'calls': the gateway logs' calls, recorded exactly; 'records': an archive that never imported a call log. */
  source: 'calls' | 'records';
  calls: number;
  /** Calls in the run's logs that the archive has not recorded yet (a process killed before it could): read, not recorded. */
  unrecorded: { calls: number; usd: number; skippedLines: number };
}

/** The run's spend as recorded, and what its logs hold beyond that; reads the logs, writes nothing. */
export function runSpend(archive: Archive): Spend {
  const calls = archive.callCount();
  const pending = archive.pendingCalls();
  return {
    usd: archive.spentUsd(),
    source: calls ? 'calls' : 'records',
    calls,
    unrecorded: { calls: pending.imported, usd: pending.micros / 1e6, skippedLines: pending.skipped },
  };
}

/** Every failed step and event of the run, oldest first, for the report. */
export function runHistory(archive: Archive): { failedSteps: FailedStepView[]; events: EventView[] } {
  return { failedSteps: archive.failedSteps(), events: archive.events().map(eventView) };
}

export function summarize(archive: Archive): RunSummary {
  const variants = archive.variants();
  const evaluations = archive.evaluations();
  const invalid = variants.filter((v) => v.status === 'invalid').length;
  const spend = runSpend(archive);
  return {
    runDir: archive.runDir,
    config: readRunConfig(archive),
    variants: variants.length,
    valid: variants.length - invalid,
    invalid,
    evaluations: evaluations.length,
    resolved: evaluations.filter((e) => e.outcome === 'resolved').length,
    failedSteps: archive.failedSteps().length,
    spentUsd: spend.usd,
    spend,
    events: archive.events().map(eventView),
    bestBelief: bestBelief(archive.tree()),
  };
}

/** resolved of evaluated: a score that says how much it rests on. */
export interface Count {
  resolved: number;
  evaluated: number;
}

/** The suite a run was started on, as recorded, and whether its folder still holds that content. */
export interface RunSuite {
  name: string;
  path: string;
  /** '' for a run from before suites, which recorded none (it ran on the built-in one). */
  hash: string;
  /** same: the folder holds what the run used; changed: its content differs now; missing: it cannot be read. */
  state: 'same' | 'changed' | 'missing' | 'unrecorded';
  /** Published results on the suite, from its suite.json, when it can be read. */
  reference: Array<{ label: string; resolveRate: number; split: string; source: string }>;
  /** The suite as loaded now, for the breakdowns; absent when missing. */
  loaded?: Suite;
}

export interface SuiteScores {
  name: string;
  path: string;
  hash: string;
  state: RunSuite['state'];
  reference: RunSuite['reference'];
  /** Over the split's tasks; a task in several splits counts in each. Empty when the suite cannot be read. */
  bySplit: Record<string, Count>;
  byLanguage: Record<string, Count>;
}

/** The run's suite as its config records it (a run from before suites ran on bench/), read from disk when it can be. */
export async function runSuite(archive: Archive): Promise<RunSuite> {
  const ref = readRunConfig(archive).suite ?? { name: 'builtin', path: resolve(BENCH_DIR), hash: '' };
  let loaded: Suite | undefined;
  try {
    loaded = await loadSuite(ref.path);
  } catch {
    // A suite deleted or broken since the run still leaves the run's own records readable.
    return { ...ref, state: 'missing', reference: [] };
  }
  const state = !ref.hash ? 'unrecorded' : loaded.hash === ref.hash ? 'same' : 'changed';
  return { ...ref, state, reference: loaded.meta.reference, loaded };
}

/** Scores of `evaluations` per split and per language of the run's suite. */
export function breakdown(suite: RunSuite, evaluations: ReadonlyArray<Pick<EvaluationRecord, 'taskId' | 'outcome'>>): SuiteScores {
  const bySplit: Record<string, Count> = {};
  const byLanguage: Record<string, Count> = {};
  const s = suite.loaded;
  if (s) {
    const language = new Map(s.tasks.map((t) => [t.meta.id, t.meta.language]));
    const splits = splitNames(s).map((name) => [name, new Set(splitTasks(s, name).map((t) => t.meta.id))] as const);
    for (const e of evaluations) {
      const resolved = e.outcome === 'resolved' ? 1 : 0;
      for (const [name, ids] of splits) {
        if (!ids.has(e.taskId)) continue;
        const c = (bySplit[name] ??= { resolved: 0, evaluated: 0 });
        c.resolved += resolved;
        c.evaluated++;
      }
      const lang = language.get(e.taskId);
      if (lang) {
        const c = (byLanguage[lang] ??= { resolved: 0, evaluated: 0 });
        c.resolved += resolved;
        c.evaluated++;
      }
    }
  }
  // Languages in name order, so a report reads the same whichever task was evaluated first.
  const languages = Object.fromEntries(Object.entries(byLanguage).sort(([a], [b]) => a.localeCompare(b)));
  return { name: suite.name, path: suite.path, hash: suite.hash, state: suite.state, reference: suite.reference, bySplit, byLanguage: languages };
}
