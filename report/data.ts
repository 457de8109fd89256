// The report's input: a plain snapshot of a run, so the renderer never touches the archive or the disk.

export interface ReportVariant {
  id: string;
  parentId: string | null;
  status: 'seed' | 'valid' | 'invalid';
  /** Why the variant is invalid. */
  reason?: string;
  /** ISO timestamp. */
  createdAt: string;
  /** Own results; score = resolved / evaluated, null until evaluated. */
  resolved: number;
  evaluated: number;
  score: number | null;
  interval?: { low: number; high: number };
  proposal?: { taskId?: string; problem: string; improvement: string; implementation: string };
  /** Unified git diff against the parent ('' for the seed). */
  diff: string;
  modifyCostUsd: number;
  results: Array<{
    taskId: string;
    status: 'resolved' | 'unresolved' | 'error';
    costUsd: number;
    seconds: number;
    tokens: number;
    error?: string;
    /** Why the grader found the test process tampered with: the result is then unresolved, and flagged. */
    tampered?: string;
    /** Runs it took, when infrastructure errors were retried (more than 1). */
    attempts?: number;
  }>;
}

/** A step that made no variant: its reason and what it cost. */
export interface ReportFailedStep {
  parentId: string;
  kind: 'diagnose' | 'modify';
  reason: string;
  costUsd: number;
  createdAt: string;
}

/** Something the loop recorded besides results: a retried attempt, a discarded evaluation, a configuration change, a stop. */
export interface ReportEvent {
  kind: string;
  /** A variant id, `variant:task`, or 'run'. */
  subject: string;
  detail: unknown;
  costUsd: number;
  createdAt: string;
}

export interface ReportSpend {
  /** 'calls': the gateway logs' calls as recorded; 'records': an archive that never imported a log. */
  source: 'calls' | 'records';
  calls: number;
  /** Calls in the logs the archive has not recorded yet. */
  unrecordedCalls: number;
  unrecordedUsd: number;
}

/** The suite the run was scored on: per-split and per-language scores, and the published numbers to compare. */
export interface ReportSuite {
  name: string;
  path: string;
  hash: string;
  /** same; changed (its content differs now); missing (unreadable now); unrecorded (a run from before suites). */
  state: 'same' | 'changed' | 'missing' | 'unrecorded';
  reference: Array<{ label: string; resolveRate: number; split: string; source: string }>;
  /** Over every evaluation of the run, and over the best-belief variant's own. */
  all: { bySplit: Record<string, { resolved: number; evaluated: number }>; byLanguage: Record<string, { resolved: number; evaluated: number }> };
  best?: { id: string; bySplit: Record<string, { resolved: number; evaluated: number }>; byLanguage: Record<string, { resolved: number; evaluated: number }> };
}

export interface ReportData {
  title: string;
  generatedAt: string;
  runDir: string;
  policy: string;
  model: string;
  /** Scripted model: the page must say plainly that the scores measure nothing. */
  demo: boolean;
  variants: ReportVariant[];
  bestBelief: { id: string; mean: number; low: number; high: number } | null;
  /** Ids from the seed to the best-belief variant. */
  bestPath: string[];
  /** Cumulative, ordered by time. */
  timeline: Array<{ at: string; evaluations: number; bestScore: number; spendUsd: number }>;
  totals: { variants: number; valid: number; invalid: number; evaluations: number; spendUsd: number };
  /** Where totals.spendUsd comes from; absent in snapshots made before the calls ledger. */
  spend?: ReportSpend;
  failedSteps?: ReportFailedStep[];
  events?: ReportEvent[];
  /** Absent in snapshots made before suites. */
  suite?: ReportSuite;
}
