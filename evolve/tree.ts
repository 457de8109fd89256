// The one table every parent-selection policy reads: the archive's variants and their task evaluations, as plain
// data. The archive produces it from SQLite; the simulator produces it from its synthetic landscape; policies are
// pure functions over it, so the same code chooses parents in a real run, in the simulator and in unit tests.

export interface TreeVariant {
  id: string;
  /** null for the seed (the root). */
  parentId: string | null;
  /** Invalid children (failed build, own tests, contract or smoke) stay in the archive but are never parents. */
  valid: boolean;
  /** Order of creation, for stable tie-breaking. */
  seq: number;
}

export interface TreeEvaluation {
  variantId: string;
  taskId: string;
  resolved: boolean;
}

export interface Tree {
  variants: TreeVariant[];
  evaluations: TreeEvaluation[];
}

/** A seeded random source; `next()` is uniform in [0, 1). Policies take one so that a run's choices are replayable. */
export interface Rng {
  next(): number;
}
