// What parent-selection policies share: the table they read (the archive's type, archive/tree.ts, which the
// simulator also produces) and a seeded random source, so that the same code chooses parents in a real run, in the
// simulator and in unit tests.

export type { Tree, TreeEvaluation, TreeVariant } from '../archive/tree.ts';

/** A seeded random source; `next()` is uniform in [0, 1). Policies take one so that a run's choices are replayable. */
export interface Rng {
  next(): number;
}
