// A synthetic landscape to compare parent-selection policies without spending on a model. SIM.md describes the model;
// the policies run unchanged from policy.ts against a Tree the simulator grows, so what is compared is the real code.
import { bestBelief, hgmShouldExpand, POLICIES, selectHgm, selectHgmEvaluate, selectParent, type Policy } from './policy.ts';
import { sampleNormal, seededRng } from './random.ts';
import type { Rng, Tree } from './tree.ts';

export type SimPolicy = Policy | 'oracle';

export interface SimConfig {
  /** Evaluation units per run; one task evaluation costs 1. */
  budget: number;
  /** A best-belief agent with true p at or above this counts as reaching the target. */
  target: number;
  /** The seed's true success rate and metaproductivity. */
  p0: number;
  m0: number;
  /** A child's m is its parent's m plus N(0, mSd). */
  mSd: number;
  /** A child's p is clamp(parent p + N(parent m, pSd), 0, 1). */
  pSd: number;
  /** Fraction of children that are invalid: they cost an expansion and are never evaluated. */
  invalidRate: number;
  /** Evaluation units one expansion (making a child) costs, valid or not. */
  expandCost: number;
  /** Tasks a DGM-style loop evaluates each new valid child on. */
  batch: number;
  /** Distinct tasks in the benchmark: the most evaluations one variant can receive. */
  tasks: number;
}

export const SIM_DEFAULTS: SimConfig = {
  budget: 500,
  target: 0.6,
  p0: 0.3,
  m0: -0.02,
  mSd: 0.03,
  pSd: 0.06,
  invalidRate: 0.2,
  expandCost: 2,
  batch: 5,
  tasks: 50,
};

export interface RunResult {
  policy: SimPolicy;
  seed: number;
  /** True p of the best-belief variant when the budget is spent. */
  finalTrueP: number;
  /** The highest true p anywhere in the tree: what the search found, whether or not it recognised it. */
  bestTrueP: number;
  /** Evaluation units spent when the best-belief variant first had true p ≥ target; null if it never did. */
  evalsToTarget: number | null;
  variants: number;
  evaluations: number;
}

interface Hidden {
  p: number;
  m: number;
}

/** One run of one policy on the landscape drawn from `seed`. Deterministic in (policy, seed, config). */
export function simulateRun(policy: SimPolicy, seed: number, overrides: Partial<SimConfig> = {}): RunResult {
  const cfg = { ...SIM_DEFAULTS, ...overrides };
  // Separate streams for the landscape, the task outcomes and the policy, so one policy drawing more random numbers
  // does not reshuffle the children or task results another policy sees for the same seed.
  const world = seededRng(seed * 3);
  const outcomes = seededRng(seed * 3 + 1);
  const choices = seededRng(seed * 3 + 2);

  const tree: Tree = { variants: [{ id: 'v0', parentId: null, valid: true, seq: 0 }], evaluations: [] };
  const hidden = new Map<string, Hidden>([['v0', { p: cfg.p0, m: cfg.m0 }]]);
  const evaluated = new Map<string, number>([['v0', 0]]);
  let used = 0;
  let evalsToTarget: number | null = null;

  const evaluate = (id: string) => {
    const done = evaluated.get(id)!;
    tree.evaluations.push({ variantId: id, taskId: `t${done}`, resolved: outcomes.next() < hidden.get(id)!.p });
    evaluated.set(id, done + 1);
    used += 1;
    if (evalsToTarget === null) {
      const best = bestBelief(tree);
      if (best && hidden.get(best.id)!.p >= cfg.target) evalsToTarget = used;
    }
  };
  const expand = (parentId: string): string | null => {
    used += cfg.expandCost;
    const parent = hidden.get(parentId)!;
    const id = `v${tree.variants.length}`;
    const valid = world.next() >= cfg.invalidRate;
    // Draw p and m even for an invalid child so validity does not shift the stream for later children.
    const p = Math.min(1, Math.max(0, parent.p + parent.m + cfg.pSd * sampleNormal(world)));
    const m = parent.m + cfg.mSd * sampleNormal(world);
    tree.variants.push({ id, parentId, valid, seq: tree.variants.length });
    hidden.set(id, { p, m });
    evaluated.set(id, 0);
    return valid ? id : null;
  };
  const evaluateBatch = (id: string) => {
    for (let i = 0; i < cfg.batch && used < cfg.budget && evaluated.get(id)! < cfg.tasks; i++) evaluate(id);
  };

  if (policy === 'hgm') runHgm(tree, choices, cfg, () => used, evaluate, expand, (id) => cfg.tasks - evaluated.get(id)!);
  else {
    const choose = policy === 'oracle' ? () => oracleParent(tree, hidden) : () => selectParent(policy, tree, choices);
    evaluateBatch('v0');
    while (used + cfg.expandCost <= cfg.budget) {
      const child = expand(choose());
      if (child) evaluateBatch(child);
    }
  }

  const best = bestBelief(tree);
  return {
    policy,
    seed,
    finalTrueP: hidden.get(best?.id ?? 'v0')!.p,
    bestTrueP: Math.max(...[...hidden.values()].map((h) => h.p)),
    evalsToTarget,
    variants: tree.variants.length,
    evaluations: tree.evaluations.length,
  };
}

// HGM interleaves: expand when N_evals^α ≥ |tree|, otherwise spend one unit on one more task for some variant.
function runHgm(
  tree: Tree,
  rng: Rng,
  cfg: SimConfig,
  used: () => number,
  evaluate: (id: string) => void,
  expand: (parentId: string) => string | null,
  remaining: (id: string) => number,
): void {
  while (used() < cfg.budget) {
    const canExpand = used() + cfg.expandCost <= cfg.budget;
    const target = canExpand && hgmShouldExpand(tree) ? null : selectHgmEvaluate(tree, rng, remaining);
    if (target) evaluate(target);
    else if (canExpand) expand(selectHgm(tree, rng, { t: used(), T: cfg.budget }));
    else break;
  }
}

/**
 * The reference policy. It knows every variant's hidden p and m (not future draws) and picks the valid variant whose
 * next child has the highest expected true p, p + m. Like every other policy it still ships its best-belief variant,
 * judged only from task evaluations, so its edge is parent choice alone.
 */
function oracleParent(tree: Tree, hidden: Map<string, Hidden>): string {
  let best = '';
  let bestValue = -Infinity;
  for (const v of tree.variants) {
    if (!v.valid) continue;
    const h = hidden.get(v.id)!;
    if (h.p + h.m > bestValue) [best, bestValue] = [v.id, h.p + h.m];
  }
  return best;
}

export interface Spread {
  mean: number;
  sd: number;
  min: number;
  median: number;
  max: number;
}

function spread(xs: number[]): Spread {
  const sorted = [...xs].sort((a, b) => a - b);
  const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
  const sd = xs.length > 1 ? Math.sqrt(xs.reduce((a, x) => a + (x - mean) ** 2, 0) / (xs.length - 1)) : 0;
  const mid = sorted.length >> 1;
  const median = sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
  return { mean, sd, min: sorted[0]!, median, max: sorted[sorted.length - 1]! };
}

export interface PolicyReport {
  policy: SimPolicy;
  finalTrueP: Spread;
  bestTrueP: Spread;
  /** Over the seeds that reached the target; null when none did. */
  evalsToTarget: Spread | null;
  reached: number;
  neverReached: number;
  meanVariants: number;
}

export interface SimReport {
  config: SimConfig;
  seeds: number;
  results: PolicyReport[];
}

/** Every policy over seeds 0 … seeds−1, the oracle first as the reference row. */
export function simulate(opts: { policies?: readonly Policy[]; seeds?: number } & Partial<SimConfig> = {}): SimReport {
  const { policies = POLICIES, seeds = 30, ...overrides } = opts;
  const config = { ...SIM_DEFAULTS, ...overrides };
  const results = (['oracle', ...policies] as SimPolicy[]).map((policy): PolicyReport => {
    const runs = Array.from({ length: seeds }, (_, seed) => simulateRun(policy, seed, config));
    const hits = runs.flatMap((r) => (r.evalsToTarget === null ? [] : [r.evalsToTarget]));
    return {
      policy,
      finalTrueP: spread(runs.map((r) => r.finalTrueP)),
      bestTrueP: spread(runs.map((r) => r.bestTrueP)),
      evalsToTarget: hits.length ? spread(hits) : null,
      reached: hits.length,
      neverReached: runs.length - hits.length,
      meanVariants: runs.reduce((a, r) => a + r.variants, 0) / runs.length,
    };
  });
  return { config, seeds, results };
}
