// The grader's vocabulary, shared by the grader (grade.ts, grader/) and the language runners (languages/), which
// each import it from here rather than from one another.

/** A hidden test's result; `missing` is a test that never reported, and counts as failed. */
export type TestStatus = 'passed' | 'failed' | 'skipped' | 'missing';

export interface Canary {
  /** The test file it was put in. */
  file: string;
  /** Its test id, as the grader's reporter names it. */
  id: string;
  /** The id of the suite or class it sits in, if any: results under it belong to the canary, not to the task. */
  group?: string;
}

export type Merge = (base: string | undefined, patched: string) => string | null;

export interface Rules {
  /** Restored whole, or removed if the patch added it. */
  whole: (path: string, testFiles: readonly string[]) => boolean;
  /** Restored in part. */
  partial: (path: string) => Merge | undefined;
}
