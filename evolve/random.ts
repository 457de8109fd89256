// Seeded randomness and the Beta distribution, for parent selection and the simulator.
// Everything here is deterministic given a seed, so a run's choices can be replayed, persisted and resumed.
import type { Rng } from './tree.ts';

/** An Rng whose whole state can be saved (as four uint32 words) and restored with `restoreRng`. */
export interface SeededRng extends Rng {
  state(): number[];
}

// sfc32: a small generator with good statistical quality and four 32-bit words of state; it uses only 32-bit integer
// ops, so the sequence is identical on every JS engine and a saved state resumes it exactly.
function sfc32(words: [number, number, number, number]): SeededRng {
  let [a, b, c, d] = words;
  return {
    next() {
      const t = (((a + b) | 0) + d) | 0;
      d = (d + 1) | 0;
      a = b ^ (b >>> 9);
      b = (c + (c << 3)) | 0;
      c = (c << 21) | (c >>> 11);
      c = (c + t) | 0;
      return (t >>> 0) / 4294967296;
    },
    state: () => [a >>> 0, b >>> 0, c >>> 0, d >>> 0],
  };
}

/** A generator from an integer seed. Nearby seeds (0, 1, 2…) give unrelated streams. */
export function seededRng(seed: number): SeededRng {
  if (!Number.isSafeInteger(seed)) throw new Error(`seed must be a safe integer, got ${seed}`);
  // Spread the seed over the four words with a splitmix-style mixer: sfc32 started from small, similar words
  // produces correlated first outputs.
  let x = (seed ^ Math.floor(seed / 4294967296)) >>> 0;
  const mix = () => {
    x = (x + 0x9e3779b9) | 0;
    let z = x;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
    return (z ^ (z >>> 16)) >>> 0;
  };
  const rng = sfc32([mix(), mix(), mix(), mix()]);
  // Warm up so the state is well mixed before the first draw anyone sees.
  for (let i = 0; i < 12; i++) rng.next();
  return rng;
}

/** Continue a generator exactly where `state()` was taken. */
export function restoreRng(state: readonly number[]): SeededRng {
  if (state.length !== 4 || !state.every((w) => Number.isInteger(w) && w >= 0 && w <= 0xffffffff)) {
    throw new Error(`an rng state is four uint32 words, got ${JSON.stringify(state)}`);
  }
  return sfc32([state[0]! | 0, state[1]! | 0, state[2]! | 0, state[3]! | 0]);
}

/** Standard normal by Box–Muller. The second value is dropped so the generator state alone defines the stream. */
export function sampleNormal(rng: Rng): number {
  const u = 1 - rng.next(); // (0, 1]: log(0) would be -Infinity
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rng.next());
}

/** Gamma(shape, 1) by Marsaglia–Tsang (2000): fast rejection, accepts ~98% of proposals for shape ≥ 1. */
export function sampleGamma(rng: Rng, shape: number): number {
  if (!(shape > 0) || !Number.isFinite(shape)) throw new Error(`gamma shape must be a positive number, got ${shape}`);
  // The method needs shape ≥ 1; Gamma(a) = Gamma(a + 1) · U^(1/a) lifts smaller shapes.
  if (shape < 1) return sampleGamma(rng, shape + 1) * Math.pow(1 - rng.next(), 1 / shape);
  const d = shape - 1 / 3;
  const c = 1 / Math.sqrt(9 * d);
  while (true) {
    const x = sampleNormal(rng);
    const v0 = 1 + c * x;
    if (v0 <= 0) continue;
    const v = v0 * v0 * v0;
    const u = 1 - rng.next();
    // Cheap squeeze first; the log test is exact.
    if (u < 1 - 0.0331 * x * x * x * x) return d * v;
    if (Math.log(u) < 0.5 * x * x + d * (1 - v + Math.log(v))) return d * v;
  }
}

/** Beta(a, b) as X / (X + Y) with X ~ Gamma(a), Y ~ Gamma(b). */
export function sampleBeta(rng: Rng, a: number, b: number): number {
  const x = sampleGamma(rng, a);
  const y = sampleGamma(rng, b);
  return x / (x + y);
}

// Lanczos approximation (g = 7, 9 terms): ~15 significant digits for positive arguments, which is all the
// incomplete beta needs for its normalising constant.
const LANCZOS = [
  0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059, 12.507343278686905,
  -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
];

export function logGamma(x: number): number {
  // Reflection keeps the series in its accurate range.
  if (x < 0.5) return Math.log(Math.PI / Math.abs(Math.sin(Math.PI * x))) - logGamma(1 - x);
  const z = x - 1;
  let sum = LANCZOS[0]!;
  for (let i = 1; i < LANCZOS.length; i++) sum += LANCZOS[i]! / (z + i);
  const t = z + 7.5;
  return 0.5 * Math.log(2 * Math.PI) + (z + 0.5) * Math.log(t) - t + Math.log(sum);
}

// Continued fraction for I_x(a, b), evaluated with the modified Lentz method. It converges fast only for
// x < (a + 1) / (a + b + 2); the caller uses the symmetry I_x(a, b) = 1 − I_{1−x}(b, a) otherwise.
function betaContinuedFraction(x: number, a: number, b: number): number {
  const tiny = 1e-300;
  let c = 1;
  let d = 1 - ((a + b) * x) / (a + 1);
  d = Math.abs(d) < tiny ? tiny : d;
  d = 1 / d;
  let f = d;
  for (let m = 1; m <= 500; m++) {
    // Even step, then odd step, of the fraction's coefficients.
    for (const coef of [(m * (b - m) * x) / ((a + 2 * m - 1) * (a + 2 * m)), (-(a + m) * (a + b + m) * x) / ((a + 2 * m) * (a + 2 * m + 1))]) {
      d = 1 + coef * d;
      d = Math.abs(d) < tiny ? tiny : d;
      c = 1 + coef / c;
      c = Math.abs(c) < tiny ? tiny : c;
      d = 1 / d;
      f *= d * c;
    }
    if (Math.abs(d * c - 1) < 1e-15) break;
  }
  return f;
}

/** The regularized incomplete beta function I_x(a, b): the CDF of Beta(a, b) at x. */
export function betaCdf(x: number, a: number, b: number): number {
  if (x <= 0) return 0;
  if (x >= 1) return 1;
  const front = Math.exp(a * Math.log(x) + b * Math.log(1 - x) - (logGamma(a) + logGamma(b) - logGamma(a + b)));
  if (x < (a + 1) / (a + b + 2)) return (front * betaContinuedFraction(x, a, b)) / a;
  return 1 - (front * betaContinuedFraction(1 - x, b, a)) / b;
}

// The simulator asks for the same few (p, a, b) after every evaluation, over every variant; remembering them turns
// bestBelief from the hot spot into a map lookup. Bounded so a long-lived process cannot grow it without limit.
const quantileCache = new Map<string, number>();

/**
 * The p-quantile of Beta(a, b), by bisection on the CDF: slower than Newton but it cannot diverge near 0 or 1,
 * and 50 halvings of [0, 1] reach double precision. Deterministic: no sampling.
 */
export function betaQuantile(p: number, a: number, b: number): number {
  if (!(a > 0 && b > 0)) throw new Error(`Beta parameters must be positive, got a=${a}, b=${b}`);
  if (!(p >= 0 && p <= 1)) throw new Error(`a quantile level must be in [0, 1], got ${p}`);
  if (p === 0) return 0;
  if (p === 1) return 1;
  const key = `${p}|${a}|${b}`;
  const cached = quantileCache.get(key);
  if (cached !== undefined) return cached;
  let lo = 0;
  let hi = 1;
  for (let i = 0; i < 60 && hi - lo > 1e-15; i++) {
    const mid = (lo + hi) / 2;
    if (betaCdf(mid, a, b) < p) lo = mid;
    else hi = mid;
  }
  const q = (lo + hi) / 2;
  if (quantileCache.size >= 50_000) quantileCache.clear();
  quantileCache.set(key, q);
  return q;
}
