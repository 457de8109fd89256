// The one table every parent-selection policy reads: the archive's variants and their task evaluations, as plain
// data. The archive produces it from SQLite, so the type is the archive's; the simulator produces the same table from
// its synthetic landscape (evolve/sim.ts), and policies are pure functions over it.

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
