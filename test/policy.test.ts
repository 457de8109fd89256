// Parent-selection formulas on hand-built trees, against numbers worked out by hand.
import { describe, expect, it } from 'vitest';
import {
  bestBelief,
  cladeStats,
  cmp,
  dgmWeights,
  hgmCoolDown,
  hgmShouldExpand,
  selectDgm,
  selectGreedy,
  selectHgm,
  selectHgmEvaluate,
  selectRandom,
  variantStats,
} from '../evolve/policy.ts';
import { betaCdf, betaQuantile, restoreRng, sampleBeta, sampleGamma, seededRng } from '../evolve/random.ts';
import type { Tree, TreeEvaluation, TreeVariant } from '../evolve/tree.ts';

const variant = (id: string, parentId: string | null, seq: number, valid = true): TreeVariant => ({ id, parentId, valid, seq });
/** `k` resolved and `n − k` unresolved task evaluations of one variant. */
const results = (variantId: string, k: number, n: number): TreeEvaluation[] =>
  Array.from({ length: n }, (_, i) => ({ variantId, taskId: `t${i}`, resolved: i < k }));

// seed S (4/10) ─┬─ A (3/5) ── C (unevaluated)
//                └─ B (invalid)
const fourNodes = (): Tree => ({
  variants: [variant('S', null, 0), variant('A', 'S', 1), variant('B', 'S', 2, false), variant('C', 'A', 3)],
  evaluations: [...results('S', 4, 10), ...results('A', 3, 5)],
});

/** How often each id is chosen over `draws` calls. */
function frequencies(draws: number, choose: () => string | null): Record<string, number> {
  const counts: Record<string, number> = {};
  for (let i = 0; i < draws; i++) {
    const id = String(choose());
    counts[id] = (counts[id] ?? 0) + 1 / draws;
  }
  return counts;
}

describe('variant and clade statistics', () => {
  it('counts own results and valid children', () => {
    const s = variantStats(fourNodes());
    expect(s.get('S')).toMatchObject({ n: 10, k: 4, score: 0.4, children: 2, validChildren: 1 });
    expect(s.get('A')).toMatchObject({ n: 5, k: 3, score: 0.6, children: 1, validChildren: 1 });
    expect(s.get('C')).toMatchObject({ n: 0, k: 0, score: null, validChildren: 0 });
  });

  it('sums a clade over the variant and all its descendants, each evaluation once', () => {
    const tree = fourNodes();
    tree.evaluations.push(...results('C', 1, 2));
    const c = cladeStats(tree);
    // S: 4/10 + 3/5 + 1/2 = 8/17; A: 3/5 + 1/2 = 4/7; C: 1/2; B: nothing.
    expect(c.get('S')).toMatchObject({ size: 4, n: 17, k: 8 });
    expect(c.get('A')).toMatchObject({ size: 2, n: 7, k: 4 });
    expect(c.get('S')!.cmp).toBeCloseTo(8 / 17, 12);
    expect(cmp(tree).get('A')).toBeCloseTo(4 / 7, 12);
    expect(cmp(tree).get('C')).toBe(0.5);
    expect(cmp(tree).get('B')).toBeNull();
  });

  it('rejects evaluations and parents that name no variant', () => {
    expect(() => variantStats({ variants: [variant('S', null, 0)], evaluations: results('X', 1, 1) })).toThrow(/unknown variant X/);
    expect(() => variantStats({ variants: [variant('S', null, 0), variant('A', 'Z', 1)], evaluations: [] })).toThrow(/unknown parent Z/);
  });
});

describe('DGM', () => {
  it('weights by sigmoid(λ(score − α0)) / (1 + valid children), over valid variants only', () => {
    // By hand, λ = 10, α0 = 0.5:
    //   S: sigmoid(−1)/2 = 0.1344707, A: sigmoid(1)/2 = 0.3655293, C (score 0): sigmoid(−5)/1 = 0.0066929; B invalid.
    //   sum 0.5066929 → S 0.2653890, A 0.7214021, C 0.0132089.
    const w = dgmWeights(fourNodes());
    expect([...w.keys()]).toEqual(['S', 'A', 'C']);
    expect(w.get('S')).toBeCloseTo(0.265389, 6);
    expect(w.get('A')).toBeCloseTo(0.7214021, 6);
    expect(w.get('C')).toBeCloseTo(0.0132089, 6);
  });

  it('samples parents in proportion to the weights and never the invalid one', () => {
    const rng = seededRng(7);
    const f = frequencies(20_000, () => selectDgm(fourNodes(), rng));
    expect(f.B).toBeUndefined();
    expect(Math.abs(f.S! - 0.2654)).toBeLessThan(0.015);
    expect(Math.abs(f.A! - 0.7214)).toBeLessThan(0.015);
    expect(Math.abs(f.C! - 0.0132)).toBeLessThan(0.004);
  });
});

describe('HGM', () => {
  // S 0/1, A 1/1, B unevaluated; clades: S 1/2 → Beta(2,2), A → Beta(2,1), B → Beta(1,1).
  // P(A wins) = ∫ 2x · x · (3x² − 2x³) dx = 6/5 − 4/6 = 0.5333; P(B wins) = ∫ x² (3x² − 2x³) dx = 3/5 − 2/6 = 0.2667;
  // P(S wins) = 0.2.
  const siblings = (): Tree => ({
    variants: [variant('S', null, 0), variant('A', 'S', 1), variant('B', 'S', 2), variant('X', 'S', 3, false)],
    evaluations: [...results('S', 0, 1), ...results('A', 1, 1)],
  });

  it('Thompson-samples parents from clade Beta posteriors with the right frequencies', () => {
    const rng = seededRng(11);
    const f = frequencies(20_000, () => selectHgm(siblings(), rng));
    expect(f.X).toBeUndefined();
    expect(Math.abs(f.A! - 0.5333)).toBeLessThan(0.015);
    expect(Math.abs(f.B! - 0.2667)).toBeLessThan(0.015);
    expect(Math.abs(f.S! - 0.2)).toBeLessThan(0.015);
  });

  it('cools down: (T/(T−t))^β, and near the end sampling exploits the best clade', () => {
    expect(hgmCoolDown(0, 100)).toBe(1);
    expect(hgmCoolDown(50, 100)).toBe(2);
    expect(hgmCoolDown(50, 100, 2)).toBe(4);
    expect(hgmCoolDown(100, 100)).toBe(100); // t ≥ T: one unit left, not a division by zero
    expect(hgmCoolDown(150, 100, 0.5)).toBe(10);
    const rng = seededRng(3);
    // τ = 100: Beta(200,100) vs Beta(200,200) vs Beta(100,100); A's mean is 6 sd above the others'.
    const f = frequencies(2_000, () => selectHgm(siblings(), rng, { t: 99, T: 100 }));
    expect(f.A).toBeGreaterThan(0.99);
  });

  it('expands when N_evals^α ≥ |variants| (invalid variants count), else evaluates', () => {
    const tree = (evals: number, variants: number): Tree => ({
      variants: Array.from({ length: variants }, (_, i) => variant(`v${i}`, i ? 'v0' : null, i, i !== 1)),
      evaluations: results('v0', 0, evals),
    });
    expect(hgmShouldExpand(tree(0, 1))).toBe(false); // 0 < 1: evaluate the seed first
    expect(hgmShouldExpand(tree(1, 1))).toBe(true); // 1 ≥ 1
    expect(hgmShouldExpand(tree(4, 2), { alpha: 0.5 })).toBe(true); // 2 ≥ 2
    expect(hgmShouldExpand(tree(3, 2), { alpha: 0.5 })).toBe(false); // 1.73 < 2
    expect(hgmShouldExpand(tree(9, 3), { alpha: 0.5 })).toBe(true); // 3 ≥ 3, one of the three invalid
    expect(hgmShouldExpand(tree(8, 3), { alpha: 0.5 })).toBe(false);
    // Default α = 0.6: 7^0.6 = 3.21 ≥ 3, 6^0.6 = 2.93 < 3.
    expect(hgmShouldExpand(tree(7, 3))).toBe(true);
    expect(hgmShouldExpand(tree(6, 3))).toBe(false);
  });

  it('chooses what to evaluate by Thompson sampling on own results, among variants with tasks left', () => {
    // Own posteriors: S Beta(1,2), A Beta(2,1), B Beta(1,1). With S out of tasks: P(A > B) = ∫ 2x · x dx = 2/3.
    const rng = seededRng(5);
    const f = frequencies(20_000, () => selectHgmEvaluate(siblings(), rng, (id) => (id === 'S' ? 0 : 10)));
    expect(f.S).toBeUndefined();
    expect(f.X).toBeUndefined();
    expect(Math.abs(f.A! - 2 / 3)).toBeLessThan(0.015);
    expect(selectHgmEvaluate(siblings(), rng, () => 0)).toBeNull();
  });
});

describe('baselines', () => {
  it('greedy takes the highest own score, then the fewest children, then the earliest', () => {
    expect(selectGreedy(fourNodes(), seededRng(1))).toBe('A');
    const tie: Tree = {
      variants: [variant('S', null, 0), variant('A', 'S', 1), variant('B', 'S', 2), variant('A1', 'A', 3, false)],
      evaluations: [...results('S', 1, 2), ...results('A', 3, 4), ...results('B', 3, 4)],
    };
    expect(selectGreedy(tie, seededRng(1))).toBe('B'); // A has an (invalid) child, B none
    tie.variants.pop();
    expect(selectGreedy(tie, seededRng(1))).toBe('A');
  });

  it('random is uniform over valid variants', () => {
    const rng = seededRng(9);
    const f = frequencies(30_000, () => selectRandom(fourNodes(), rng));
    expect(f.B).toBeUndefined();
    for (const id of ['S', 'A', 'C']) expect(Math.abs(f[id]! - 1 / 3)).toBeLessThan(0.015);
  });

  it('every policy refuses a tree with no valid variant', () => {
    const dead: Tree = { variants: [variant('S', null, 0, false)], evaluations: [] };
    for (const select of [selectDgm, selectHgm, selectGreedy, selectRandom]) expect(() => select(dead, seededRng(1))).toThrow(/no valid variant/);
  });
});

describe('bestBelief', () => {
  it('prefers a proven 9/10 over a lucky 1/1 by the lower posterior quantile', () => {
    const tree: Tree = {
      variants: [variant('S', null, 0), variant('lucky', 'S', 1), variant('proven', 'S', 2), variant('broken', 'S', 3, false)],
      evaluations: [...results('S', 3, 10), ...results('lucky', 1, 1), ...results('proven', 9, 10), ...results('broken', 5, 5)],
    };
    // proven: Beta(10, 2), 5% quantile solves 11x¹⁰ − 10x¹¹ = 0.05 → 0.63564; lucky: Beta(2, 1), √0.05 = 0.22361.
    const best = bestBelief(tree)!;
    expect(best.id).toBe('proven');
    expect(best.low).toBeCloseTo(0.6356405, 6);
    expect(best.high).toBeCloseTo(0.9666808, 6);
    expect(best.mean).toBeCloseTo(10 / 12, 12);
    expect(best).toMatchObject({ n: 10, k: 9 });
  });

  it('is null until a valid variant is evaluated', () => {
    expect(bestBelief({ variants: [variant('S', null, 0)], evaluations: [] })).toBeNull();
  });
});

describe('random', () => {
  it('replays from a seed and resumes from a saved state', () => {
    const a = seededRng(42);
    const b = seededRng(42);
    const first = Array.from({ length: 5 }, () => a.next());
    expect(Array.from({ length: 5 }, () => b.next())).toEqual(first);
    expect(seededRng(43).next()).not.toBe(first[0]);
    const saved = a.state();
    const rest = Array.from({ length: 5 }, () => a.next());
    expect(restoreRng(saved).next()).toBe(rest[0]);
    const resumed = restoreRng(JSON.parse(JSON.stringify(saved)) as number[]);
    expect(Array.from({ length: 5 }, () => resumed.next())).toEqual(rest);
    expect(() => restoreRng([1, 2, 3])).toThrow(/four uint32/);
  });

  it('draws uniform numbers in [0, 1) with mean 1/2', () => {
    const rng = seededRng(1);
    const xs = Array.from({ length: 50_000 }, () => rng.next());
    expect(Math.min(...xs)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...xs)).toBeLessThan(1);
    expect(Math.abs(xs.reduce((s, x) => s + x, 0) / xs.length - 0.5)).toBeLessThan(0.005);
  });

  it('samples Gamma and Beta with the right means and variances, small shapes included', () => {
    const rng = seededRng(2);
    const mean = (xs: number[]) => xs.reduce((s, x) => s + x, 0) / xs.length;
    const variance = (xs: number[]) => {
      const m = mean(xs);
      return mean(xs.map((x) => (x - m) ** 2));
    };
    const g = Array.from({ length: 40_000 }, () => sampleGamma(rng, 3));
    expect(Math.abs(mean(g) - 3)).toBeLessThan(0.05); // Gamma(3): mean 3, variance 3
    expect(Math.abs(variance(g) - 3)).toBeLessThan(0.15);
    const small = Array.from({ length: 40_000 }, () => sampleGamma(rng, 0.3));
    expect(Math.abs(mean(small) - 0.3)).toBeLessThan(0.02);
    const b = Array.from({ length: 40_000 }, () => sampleBeta(rng, 2, 5));
    expect(Math.abs(mean(b) - 2 / 7)).toBeLessThan(0.005); // variance ab/((a+b)²(a+b+1)) = 10/392
    expect(Math.abs(variance(b) - 10 / 392)).toBeLessThan(0.001);
    const arcsine = Array.from({ length: 40_000 }, () => sampleBeta(rng, 0.5, 0.5));
    expect(Math.abs(variance(arcsine) - 0.125)).toBeLessThan(0.005);
  });

  it('computes Beta quantiles deterministically against closed forms', () => {
    for (const p of [0.01, 0.05, 0.3, 0.5, 0.9, 0.99]) {
      expect(betaQuantile(p, 1, 1)).toBeCloseTo(p, 10); // uniform
      expect(betaQuantile(p, 2, 1)).toBeCloseTo(Math.sqrt(p), 10); // CDF x²
      expect(betaQuantile(p, 1, 2)).toBeCloseTo(1 - Math.sqrt(1 - p), 10); // CDF 1 − (1 − x)²
      expect(betaQuantile(p, 0.5, 0.5)).toBeCloseTo(Math.sin((Math.PI * p) / 2) ** 2, 9); // arcsine
      expect(betaQuantile(p, 3, 3) + betaQuantile(1 - p, 3, 3)).toBeCloseTo(1, 10); // symmetric
    }
    expect(betaQuantile(0.5, 3, 3)).toBeCloseTo(0.5, 12);
    expect(betaQuantile(0.1, 2, 2)).toBeCloseTo(0.1958001, 6); // root of 3x² − 2x³ = 0.1
    expect(betaQuantile(0.05, 30, 70)).toBeCloseTo(0.2272991, 6);
    expect(betaCdf(betaQuantile(0.05, 30, 70), 30, 70)).toBeCloseTo(0.05, 12);
    expect(betaQuantile(0, 2, 3)).toBe(0);
    expect(betaQuantile(1, 2, 3)).toBe(1);
  });
});
