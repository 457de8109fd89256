// The archive's metadata: one SQLite file per run, in WAL mode. Each variant and each task evaluation is written in one
// transaction, so a process killed at any instant leaves either the whole record or none of it.
import Database from 'better-sqlite3';
import type { Tree } from '../evolve/tree.ts';

export type VariantStatus = 'seed' | 'valid' | 'invalid';
export type EvaluationStatus = 'resolved' | 'unresolved' | 'error';

export interface Proposal {
  taskId?: string;
  problem: string;
  improvement: string;
  implementation: string;
}

export interface StepCost {
  costUsd: number;
  inputTokens: number;
  outputTokens: number;
  seconds: number;
}

export interface VariantRecord {
  id: string;
  seq: number;
  parentId: string | null;
  commit: string;
  status: VariantStatus;
  reason: string | null;
  proposal: Proposal | null;
  /** The self-modification that made it (diagnosis and modify together), and where its trajectory is. */
  modify: StepCost & { trajectory: string | null };
  createdAt: string;
}

export interface EvaluationRecord {
  variantId: string;
  taskId: string;
  split: string;
  status: EvaluationStatus;
  costUsd: number;
  inputTokens: number;
  outputTokens: number;
  seconds: number;
  trajectory: string;
  patch: string;
  grade: unknown;
  error: string | null;
  /** Why the grader judged the test process tampered with (the grade is then unresolved); null when it was not. */
  tampered: string | null;
  createdAt: string;
}

/** What a caller records; `tampered` may be left out when the grade says nothing of it. */
export type NewEvaluation = Omit<EvaluationRecord, 'createdAt' | 'tampered'> & { tampered?: string | null };

/** A step that made no variant (a diagnosis that never gave a valid proposal, a crashed modification): its cost counts. */
export interface FailedStep {
  parentId: string;
  kind: 'diagnose' | 'modify';
  reason: string;
  costUsd: number;
  createdAt: string;
}

const SCHEMA = `
CREATE TABLE IF NOT EXISTS variants (
  id TEXT PRIMARY KEY,
  seq INTEGER NOT NULL UNIQUE,
  parent_id TEXT REFERENCES variants(id),
  commit_sha TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('seed', 'valid', 'invalid')),
  reason TEXT,
  proposal TEXT,
  modify_cost_usd REAL NOT NULL DEFAULT 0,
  modify_input_tokens INTEGER NOT NULL DEFAULT 0,
  modify_output_tokens INTEGER NOT NULL DEFAULT 0,
  modify_seconds REAL NOT NULL DEFAULT 0,
  modify_trajectory TEXT,
  created_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS evaluations (
  id INTEGER PRIMARY KEY,
  variant_id TEXT NOT NULL REFERENCES variants(id),
  task_id TEXT NOT NULL,
  split TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('resolved', 'unresolved', 'error')),
  cost_usd REAL NOT NULL,
  input_tokens INTEGER NOT NULL,
  output_tokens INTEGER NOT NULL,
  seconds REAL NOT NULL,
  trajectory TEXT NOT NULL,
  patch TEXT NOT NULL,
  grade TEXT,
  error TEXT,
  created_at TEXT NOT NULL,
  tampered TEXT,
  UNIQUE (variant_id, task_id)
);
CREATE TABLE IF NOT EXISTS failed_steps (
  id INTEGER PRIMARY KEY,
  parent_id TEXT NOT NULL REFERENCES variants(id),
  kind TEXT NOT NULL,
  reason TEXT NOT NULL,
  cost_usd REAL NOT NULL,
  created_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
`;

interface VariantRow {
  id: string;
  seq: number;
  parent_id: string | null;
  commit_sha: string;
  status: VariantStatus;
  reason: string | null;
  proposal: string | null;
  modify_cost_usd: number;
  modify_input_tokens: number;
  modify_output_tokens: number;
  modify_seconds: number;
  modify_trajectory: string | null;
  created_at: string;
}

interface EvaluationRow {
  variant_id: string;
  task_id: string;
  split: string;
  status: EvaluationStatus;
  cost_usd: number;
  input_tokens: number;
  output_tokens: number;
  seconds: number;
  trajectory: string;
  patch: string;
  grade: string | null;
  error: string | null;
  created_at: string;
  /** Absent in archives written before the column existed, until the migration adds it. */
  tampered?: string | null;
}

export class ArchiveDb {
  private readonly db: Database.Database;

  constructor(readonly file: string) {
    this.db = new Database(file);
    this.db.pragma('journal_mode = WAL');
    // FULL: a committed variant survives a power cut too, not only a killed process.
    this.db.pragma('synchronous = FULL');
    this.db.pragma('foreign_keys = ON');
    this.db.pragma('busy_timeout = 10000');
    this.db.exec(SCHEMA);
    this.migrate();
  }

  /** Archives from before a column existed get it, empty, so they stay readable and writable. */
  private migrate(): void {
    const columns = (this.db.prepare('PRAGMA table_info(evaluations)').all() as Array<{ name: string }>).map((c) => c.name);
    if (!columns.includes('tampered')) this.db.exec('ALTER TABLE evaluations ADD COLUMN tampered TEXT');
  }

  close(): void {
    this.db.close();
  }

  getMeta(key: string): string | undefined {
    return (this.db.prepare('SELECT value FROM meta WHERE key = ?').get(key) as { value: string } | undefined)?.value;
  }

  setMeta(key: string, value: string): void {
    this.db.prepare('INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value').run(key, value);
  }

  /** Inserts a variant with the next id (`v0`, `v1`, ...), allocated inside the same transaction. */
  insertVariant(v: Omit<VariantRecord, 'id' | 'seq' | 'createdAt'>): VariantRecord {
    return this.db.transaction(() => {
      const seq = ((this.db.prepare('SELECT MAX(seq) AS m FROM variants').get() as { m: number | null }).m ?? -1) + 1;
      const record: VariantRecord = { ...v, id: `v${seq}`, seq, createdAt: new Date().toISOString() };
      this.db
        .prepare(
          `INSERT INTO variants (id, seq, parent_id, commit_sha, status, reason, proposal, modify_cost_usd, modify_input_tokens,
             modify_output_tokens, modify_seconds, modify_trajectory, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        )
        .run(record.id, seq, v.parentId, v.commit, v.status, v.reason, v.proposal ? JSON.stringify(v.proposal) : null, v.modify.costUsd, v.modify.inputTokens, v.modify.outputTokens, v.modify.seconds, v.modify.trajectory, record.createdAt);
      return record;
    })();
  }

  /** Records one task evaluation; a second result for the same variant and task is refused, so a resume cannot double-count. */
  insertEvaluation(e: NewEvaluation): EvaluationRecord {
    const record: EvaluationRecord = { ...e, tampered: e.tampered ?? null, createdAt: new Date().toISOString() };
    this.db
      .prepare(
        `INSERT INTO evaluations (variant_id, task_id, split, status, cost_usd, input_tokens, output_tokens, seconds, trajectory, patch, grade, error, created_at, tampered)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(e.variantId, e.taskId, e.split, e.status, e.costUsd, e.inputTokens, e.outputTokens, e.seconds, e.trajectory, e.patch, e.grade === undefined ? null : JSON.stringify(e.grade), e.error, record.createdAt, record.tampered);
    return record;
  }

  insertFailedStep(s: Omit<FailedStep, 'createdAt'>): void {
    this.db.prepare('INSERT INTO failed_steps (parent_id, kind, reason, cost_usd, created_at) VALUES (?, ?, ?, ?, ?)').run(s.parentId, s.kind, s.reason, s.costUsd, new Date().toISOString());
  }

  variants(): VariantRecord[] {
    return (this.db.prepare('SELECT * FROM variants ORDER BY seq').all() as VariantRow[]).map(toVariant);
  }

  variant(id: string): VariantRecord | undefined {
    const row = this.db.prepare('SELECT * FROM variants WHERE id = ?').get(id) as VariantRow | undefined;
    return row && toVariant(row);
  }

  evaluations(variantId?: string): EvaluationRecord[] {
    const rows = (variantId ? this.db.prepare('SELECT * FROM evaluations WHERE variant_id = ? ORDER BY id').all(variantId) : this.db.prepare('SELECT * FROM evaluations ORDER BY id').all()) as EvaluationRow[];
    return rows.map(toEvaluation);
  }

  failedSteps(): FailedStep[] {
    return (this.db.prepare('SELECT parent_id, kind, reason, cost_usd, created_at FROM failed_steps ORDER BY id').all() as Array<{ parent_id: string; kind: 'diagnose' | 'modify'; reason: string; cost_usd: number; created_at: string }>).map((r) => ({
      parentId: r.parent_id,
      kind: r.kind,
      reason: r.reason,
      costUsd: r.cost_usd,
      createdAt: r.created_at,
    }));
  }

  /** Everything spent so far: self-modifications, failed steps and evaluations. */
  spentUsd(): number {
    const row = this.db
      .prepare(
        `SELECT (SELECT COALESCE(SUM(modify_cost_usd), 0) FROM variants) + (SELECT COALESCE(SUM(cost_usd), 0) FROM evaluations)
           + (SELECT COALESCE(SUM(cost_usd), 0) FROM failed_steps) AS usd`,
      )
      .get() as { usd: number };
    return row.usd;
  }

  /** The table the parent-selection policies read. An evaluation that errored counts as not resolved. */
  tree(): Tree {
    return {
      variants: this.variants().map((v) => ({ id: v.id, parentId: v.parentId, valid: v.status !== 'invalid', seq: v.seq })),
      evaluations: (this.db.prepare('SELECT variant_id, task_id, status FROM evaluations ORDER BY id').all() as Array<{ variant_id: string; task_id: string; status: EvaluationStatus }>).map((r) => ({
        variantId: r.variant_id,
        taskId: r.task_id,
        resolved: r.status === 'resolved',
      })),
    };
  }
}

function toVariant(r: VariantRow): VariantRecord {
  return {
    id: r.id,
    seq: r.seq,
    parentId: r.parent_id,
    commit: r.commit_sha,
    status: r.status,
    reason: r.reason,
    proposal: r.proposal ? (JSON.parse(r.proposal) as Proposal) : null,
    modify: { costUsd: r.modify_cost_usd, inputTokens: r.modify_input_tokens, outputTokens: r.modify_output_tokens, seconds: r.modify_seconds, trajectory: r.modify_trajectory },
    createdAt: r.created_at,
  };
}

function toEvaluation(r: EvaluationRow): EvaluationRecord {
  return {
    variantId: r.variant_id,
    taskId: r.task_id,
    split: r.split,
    status: r.status,
    costUsd: r.cost_usd,
    inputTokens: r.input_tokens,
    outputTokens: r.output_tokens,
    seconds: r.seconds,
    trajectory: r.trajectory,
    patch: r.patch,
    grade: r.grade ? JSON.parse(r.grade) : null,
    error: r.error,
    tampered: r.tampered ?? null,
    createdAt: r.created_at,
  };
}
