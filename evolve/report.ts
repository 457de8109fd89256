// The archive as report/data.ts's snapshot, so the HTML renderer never touches SQLite or git.
import { basename } from 'node:path';
import type { Archive } from '../archive/archive.ts';
import type { ReportData, ReportVariant } from '../report/data.ts';
import { bestBelief } from './policy.ts';
import type { Tree } from './tree.ts';
import { breakdown, listVariants, runHistory, runSpend, runSuite } from './inspect.ts';
import { readRunConfig } from './config.ts';

/** Ids from the root down to `id`, following parent links (guarded against a corrupt archive with a parent cycle). */
export function ancestry(variants: ReadonlyArray<{ id: string; parentId: string | null }>, id: string): string[] {
  const parentOf = new Map(variants.map((v) => [v.id, v.parentId]));
  const path: string[] = [];
  const seen = new Set<string>();
  for (let at: string | null | undefined = id; at != null && parentOf.has(at) && !seen.has(at); at = parentOf.get(at)) {
    seen.add(at);
    path.push(at);
  }
  return path.reverse();
}

/**
 * One point per task evaluation, in the order they were recorded.
 *
 * bestScore is the posterior mean of the best-belief variant given only the evaluations up to that point: the number
 * the run would have reported as its best then. It is not a running maximum, on purpose: a lucky early 1/1 that later
 * regresses should show as a drop, not stay on the chart forever. Before any valid variant is evaluated it is 0.
 *
 * spendUsd counts everything paid for by then: modifications of variants created up to the evaluation's time, failed
 * steps up to that time, and evaluations up to and including this one. Timestamps are ISO strings in UTC, so they
 * compare as strings.
 */
export function timeline(archive: Archive): ReportData['timeline'] {
  const tree = archive.tree();
  const evaluations = archive.evaluations();
  const costs = [
    ...archive.variants().map((v) => ({ at: v.createdAt, usd: v.modify.costUsd })),
    ...archive.failedSteps().map((s) => ({ at: s.createdAt, usd: s.costUsd })),
  ].sort((a, b) => a.at.localeCompare(b.at));
  let stepIdx = 0;
  let stepUsd = 0;
  let evalUsd = 0;
  return evaluations.map((e, i) => {
    while (stepIdx < costs.length && costs[stepIdx]!.at <= e.createdAt) stepUsd += costs[stepIdx++]!.usd;
    evalUsd += e.costUsd;
    // db.tree() lists evaluations in the same insertion order as archive.evaluations(), so a prefix is "so far".
    const prefix: Tree = { variants: tree.variants, evaluations: tree.evaluations.slice(0, i + 1) };
    return { at: e.createdAt, evaluations: i + 1, bestScore: bestBelief(prefix)?.mean ?? 0, spendUsd: stepUsd + evalUsd };
  });
}

export async function buildReportData(archive: Archive, opts: { now?: Date } = {}): Promise<ReportData> {
  const config = readRunConfig(archive);
  const records = archive.variants();
  const listings = new Map(listVariants(archive).map((l) => [l.id, l]));
  const evaluations = archive.evaluations();
  const resultsOf = new Map<string, ReportVariant['results']>();
  for (const e of evaluations) {
    const list = resultsOf.get(e.variantId) ?? [];
    list.push({ taskId: e.taskId, status: e.status, costUsd: e.costUsd, seconds: e.seconds, tokens: e.inputTokens + e.outputTokens, ...(e.error ? { error: e.error } : {}), ...(e.tampered ? { tampered: e.tampered } : {}), ...(e.attempts > 1 ? { attempts: e.attempts } : {}) });
    resultsOf.set(e.variantId, list);
  }

  const variants: ReportVariant[] = [];
  for (const v of records) {
    const l = listings.get(v.id)!;
    variants.push({
      id: v.id,
      parentId: v.parentId,
      status: v.status,
      ...(v.reason ? { reason: v.reason } : {}),
      createdAt: v.createdAt,
      resolved: l.resolved,
      evaluated: l.evaluated,
      score: l.score,
      ...(l.interval ? { interval: l.interval } : {}),
      ...(v.proposal ? { proposal: v.proposal } : {}),
      diff: await archive.diffFromParent(v.id),
      modifyCostUsd: v.modify.costUsd,
      results: resultsOf.get(v.id) ?? [],
    });
  }

  const best = bestBelief(archive.tree());
  const invalid = records.filter((v) => v.status === 'invalid').length;
  const model = config.model ?? 'unknown';
  // The logs are the truth for money: the total counts every billed call, retried and discarded work included.
  const spend = runSpend(archive);
  const suite = await runSuite(archive);
  const all = breakdown(suite, evaluations);
  const bestScores = best ? breakdown(suite, archive.evaluations(best.id)) : undefined;
  return {
    title: `Clade run ${basename(archive.runDir)}`,
    generatedAt: (opts.now ?? new Date()).toISOString(),
    runDir: archive.runDir,
    policy: config.policy ?? 'unknown',
    model: config.upstream ? `${model} via ${config.upstream}` : model,
    demo: config.demo === true,
    variants,
    bestBelief: best && { id: best.id, mean: best.mean, low: best.low, high: best.high },
    bestPath: best ? ancestry(records, best.id) : [],
    timeline: timeline(archive),
    totals: { variants: records.length, valid: records.length - invalid, invalid, evaluations: evaluations.length, spendUsd: spend.usd },
    spend: { source: spend.source, calls: spend.calls, unrecordedCalls: spend.unrecorded.calls, unrecordedUsd: spend.unrecorded.usd },
    ...runHistory(archive),
    suite: {
      name: all.name,
      path: all.path,
      hash: all.hash,
      state: all.state,
      reference: all.reference,
      all: { bySplit: all.bySplit, byLanguage: all.byLanguage },
      ...(best && bestScores ? { best: { id: best.id, bySplit: bestScores.bySplit, byLanguage: bestScores.byLanguage } } : {}),
    },
  };
}
