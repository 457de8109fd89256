// Parent-selection policies: small pure functions over a Tree and an Rng, so the archive, the simulator and the unit
// tests all run the same formulas. SIM.md lists them with their parameters.
import { betaQuantile, sampleBeta } from './random.ts';
import type { Rng, Tree } from './tree.ts';

export const POLICIES = ['hgm', 'dgm', 'greedy', 'random'] as const;
export type Policy = (typeof POLICIES)[number];

export interface VariantStats {
  id: string;
  parentId: string | null;
  valid: boolean;
  seq: number;
  /** The variant's own task evaluations and how many resolved. */
  n: number;
  k: number;
  /** k / n, or null before the first evaluation. */
  score: number | null;
  /** All children, and the valid ones (DGM's "children with a functioning codebase"). */
  children: number;
  validChildren: number;
}

/** Per-variant own results, keyed by id, in seq order. Throws on an evaluation or parent that names no variant. */
export function variantStats(tree: Tree): Map<string, VariantStats> {
  const stats = new Map<string, VariantStats>();
  for (const v of [...tree.variants].sort((a, b) => a.seq - b.seq)) {
    if (stats.has(v.id)) throw new Error(`tree has two variants with id ${v.id}`);
    stats.set(v.id, { id: v.id, parentId: v.parentId, valid: v.valid, seq: v.seq, n: 0, k: 0, score: null, children: 0, validChildren: 0 });
  }
  for (const e of tree.evaluations) {
    const s = stats.get(e.variantId);
    if (!s) throw new Error(`evaluation of task ${e.taskId} names unknown variant ${e.variantId}`);
    s.n++;
    if (e.resolved) s.k++;
  }
  for (const s of stats.values()) {
    s.score = s.n > 0 ? s.k / s.n : null;
    if (s.parentId === null) continue;
    const parent = stats.get(s.parentId);
    if (!parent) throw new Error(`variant ${s.id} names unknown parent ${s.parentId}`);
    parent.children++;
    if (s.valid) parent.validChildren++;
  }
  return stats;
}

export interface CladeStats {
  id: string;
  /** Variants in the clade: the variant itself and all its descendants. */
  size: number;
  /** Task evaluations of the clade's members, and how many resolved. Each evaluation row belongs to one variant,
   *  so summing over members counts every evaluation exactly once. */
  n: number;
  k: number;
  /** Clade-metaproductivity estimate k / n (HGM's CMP), or null when the clade has no evaluations. */
  cmp: number | null;
}

/** Per-variant clade totals, in seq order; O(variants + evaluations). */
export function cladeStats(tree: Tree): Map<string, CladeStats> {
  const own = variantStats(tree);
  const kids = new Map<string, string[]>();
  const roots: string[] = [];
  for (const s of own.values()) {
    if (s.parentId === null) roots.push(s.id);
    else {
      const siblings = kids.get(s.parentId);
      if (siblings) siblings.push(s.id);
      else kids.set(s.parentId, [s.id]);
    }
  }
  // Parents before children (an explicit stack: a long lineage must not overflow the call stack); walking that order
  // backwards folds every clade into its parent's.
  const order: string[] = [];
  const stack = [...roots];
  while (stack.length) {
    const id = stack.pop()!;
    order.push(id);
    stack.push(...(kids.get(id) ?? []));
  }
  if (order.length !== own.size) throw new Error('tree has a cycle: some variants are not descendants of a root');
  const clades = new Map<string, CladeStats>();
  for (const s of own.values()) clades.set(s.id, { id: s.id, size: 1, n: s.n, k: s.k, cmp: null });
  for (let i = order.length - 1; i >= 0; i--) {
    const c = clades.get(order[i]!)!;
    c.cmp = c.n > 0 ? c.k / c.n : null;
    const parentId = own.get(c.id)!.parentId;
    if (parentId === null) continue;
    const p = clades.get(parentId)!;
    p.size += c.size;
    p.n += c.n;
    p.k += c.k;
  }
  return clades;
}

export function cmp(tree: Tree): Map<string, number | null> {
  return new Map([...cladeStats(tree).values()].map((c) => [c.id, c.cmp]));
}

/** Valid variants in seq order: the only possible parents. */
function candidates(tree: Tree): VariantStats[] {
  const valid = [...variantStats(tree).values()].filter((s) => s.valid);
  if (!valid.length) throw new Error('no valid variant to choose from: the archive needs at least a valid seed');
  return valid;
}

function pickWeighted<T>(rng: Rng, items: readonly T[], weights: readonly number[]): T {
  const total = weights.reduce((a, b) => a + b, 0);
  let r = rng.next() * total;
  for (let i = 0; i < items.length; i++) {
    r -= weights[i]!;
    if (r < 0) return items[i]!;
  }
  // Rounding can leave r ≥ 0 after the last subtraction; the last item with weight is the right answer then.
  for (let i = items.length - 1; i >= 0; i--) if (weights[i]! > 0) return items[i]!;
  return items[items.length - 1]!;
}

const sigmoid = (x: number) => 1 / (1 + Math.exp(-x));

export interface DgmOptions {
  /** Sharpness of the score sigmoid. */
  lambda?: number;
  /** Score at which the sigmoid is 1/2. */
  alpha0?: number;
}

/**
 * DGM parent probabilities over valid variants: p(i) ∝ sigmoid(λ·(score_i − α0)) / (1 + validChildren_i).
 * A variant with no evaluations counts as score 0: it has shown nothing yet, and the real loop evaluates every valid
 * child before it can be chosen, so this only matters for an unevaluated seed.
 */
export function dgmWeights(tree: Tree, { lambda = 10, alpha0 = 0.5 }: DgmOptions = {}): Map<string, number> {
  const valid = candidates(tree);
  const raw = valid.map((s) => sigmoid(lambda * ((s.score ?? 0) - alpha0)) / (1 + s.validChildren));
  const total = raw.reduce((a, b) => a + b, 0);
  return new Map(valid.map((s, i) => [s.id, raw[i]! / total]));
}

export function selectDgm(tree: Tree, rng: Rng, opts: DgmOptions = {}): string {
  const weights = dgmWeights(tree, opts);
  return pickWeighted(rng, [...weights.keys()], [...weights.values()]);
}

export interface HgmOptions {
  /** Evaluation units spent so far and the run's budget; with both, Thompson sampling cools down towards the end. */
  t?: number;
  T?: number;
  /** Cool-down exponent. */
  beta?: number;
}

/**
 * HGM's cool-down factor (T / (T − t))^β: 1 at the start, growing as the budget runs out, so the Beta posteriors
 * narrow and sampling turns from exploring into exploiting. Once t ≥ T the remaining budget is taken as 1 unit
 * (factor T^β) rather than dividing by zero or going negative.
 */
export function hgmCoolDown(t: number, T: number, beta = 1): number {
  if (!(T > 0) || !(t >= 0)) throw new Error(`cool-down needs t ≥ 0 and T > 0, got t=${t}, T=${T}`);
  return Math.pow(T / Math.max(T - t, 1), beta);
}

/** Thompson sampling over the argmax of one Beta draw per candidate; ties go to the earliest (lowest seq). */
function thompson(rng: Rng, items: readonly { id: string; a: number; b: number }[]): string {
  let best = items[0]!.id;
  let bestDraw = -Infinity;
  for (const { id, a, b } of items) {
    const draw = sampleBeta(rng, a, b);
    if (draw > bestDraw) [best, bestDraw] = [id, draw];
  }
  return best;
}

/** HGM parent: Thompson sampling over valid variants from Beta(τ(1 + clade successes), τ(1 + clade failures)). */
export function selectHgm(tree: Tree, rng: Rng, { t, T, beta = 1 }: HgmOptions = {}): string {
  const tau = t !== undefined && T !== undefined ? hgmCoolDown(t, T, beta) : 1;
  const clades = cladeStats(tree);
  return thompson(
    rng,
    candidates(tree).map((s) => {
      const c = clades.get(s.id)!;
      return { id: s.id, a: tau * (1 + c.k), b: tau * (1 + c.n - c.k) };
    }),
  );
}

/**
 * HGM's expand-or-evaluate rule: expand (make a new child) when N_evals^α ≥ |variants|, else evaluate.
 * |variants| counts every node of the tree, invalid ones too, as HGM counts its tree's nodes: a failed expansion
 * still spent effort, so it still delays the next one.
 */
export function hgmShouldExpand(tree: Tree, { alpha = 0.6 }: { alpha?: number } = {}): boolean {
  return Math.pow(tree.evaluations.length, alpha) >= tree.variants.length;
}

/**
 * Which variant gets one more task evaluation: Thompson sampling on its own results, Beta(1 + k, 1 + n − k), among
 * valid variants with tasks left. null when every valid variant has run every task.
 */
export function selectHgmEvaluate(tree: Tree, rng: Rng, remainingTasks: (variantId: string) => number): string | null {
  const open = candidates(tree).filter((s) => remainingTasks(s.id) > 0);
  if (!open.length) return null;
  return thompson(
    rng,
    open.map((s) => ({ id: s.id, a: 1 + s.k, b: 1 + s.n - s.k })),
  );
}

/** Baseline: the highest own score (unevaluated last), ties to the fewest children, then the earliest. */
export function selectGreedy(tree: Tree, _rng: Rng): string {
  const ranked = candidates(tree).sort((x, y) => (y.score ?? -1) - (x.score ?? -1) || x.children - y.children || x.seq - y.seq);
  return ranked[0]!.id;
}

/** Baseline: uniform over valid variants. */
export function selectRandom(tree: Tree, rng: Rng): string {
  const valid = candidates(tree);
  return valid[Math.min(Math.floor(rng.next() * valid.length), valid.length - 1)]!.id;
}

/** The parent a policy chooses; `t`/`T` feed HGM's cool-down and are ignored by the others. */
export function selectParent(policy: Policy, tree: Tree, rng: Rng, budget: { t?: number; T?: number } = {}): string {
  switch (policy) {
    case 'hgm':
      return selectHgm(tree, rng, budget);
    case 'dgm':
      return selectDgm(tree, rng);
    case 'greedy':
      return selectGreedy(tree, rng);
    case 'random':
      return selectRandom(tree, rng);
  }
}

export interface BestBelief {
  id: string;
  /** Posterior mean (1 + k) / (2 + n) under a uniform prior. */
  mean: number;
  /** Central posterior interval: the `quantile` and 1 − `quantile` quantiles of Beta(1 + k, 1 + n − k). */
  low: number;
  high: number;
  n: number;
  k: number;
}

/**
 * The variant we would ship: the valid, evaluated variant with the highest lower posterior quantile of its own
 * success rate. Ranking by raw k/n would crown a lucky 1/1 over a proven 9/10. Ties go to the higher mean, then to
 * more evaluations, then to the earliest. null when nothing valid has been evaluated.
 */
export function bestBelief(tree: Tree, { quantile = 0.05 }: { quantile?: number } = {}): BestBelief | null {
  if (!(quantile > 0 && quantile < 0.5)) throw new Error(`bestBelief quantile must be in (0, 0.5), got ${quantile}`);
  let best: { s: VariantStats; low: number; mean: number } | null = null;
  for (const s of variantStats(tree).values()) {
    if (!s.valid || s.n === 0) continue;
    const low = betaQuantile(quantile, 1 + s.k, 1 + s.n - s.k);
    const mean = (1 + s.k) / (2 + s.n);
    if (!best || low > best.low || (low === best.low && (mean > best.mean || (mean === best.mean && s.n > best.s.n)))) best = { s, low, mean };
  }
  if (!best) return null;
  const { s, low, mean } = best;
  return { id: s.id, mean, low, high: betaQuantile(1 - quantile, 1 + s.k, 1 + s.n - s.k), n: s.n, k: s.k };
}
