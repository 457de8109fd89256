// The archive's metadata: one SQLite file per run, in WAL mode. Each variant and each task evaluation is written in one
// transaction, so a process killed at any instant leaves either the whole record or none of it.
import { existsSync, readFileSync } from 'node:fs';
import Database from 'better-sqlite3';
import type { Tree } from './tree.ts';
import { ArchiveDamaged, ArchiveTooNew } from './errors.ts';

export type VariantStatus = 'seed' | 'valid' | 'invalid';
export type EvaluationStatus = 'resolved' | 'unresolved' | 'error';
/** What became of an evaluation, as one typed value: `status` says less (a tampered grade is only 'unresolved'). */
export type EvaluationOutcome = 'resolved' | 'unresolved' | 'tampered' | 'agent_error';
export const EVALUATION_OUTCOMES: readonly EvaluationOutcome[] = ['resolved', 'unresolved', 'tampered', 'agent_error'];
/** What the loop records besides variants and evaluations. */
export type EventKind = 'retry' | 'discarded' | 'config-change' | 'stop';

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
  outcome: EvaluationOutcome;
  /** How many times the evaluation was run to get this result (infrastructure errors are retried). */
  attempts: number;
  createdAt: string;
}

/** What a caller records; `tampered` may be left out when the grade says nothing of it, `outcome` is derived when left out. */
export type NewEvaluation = Omit<EvaluationRecord, 'createdAt' | 'tampered' | 'outcome' | 'attempts'> & { tampered?: string | null; outcome?: EvaluationOutcome; attempts?: number };

/** The outcome an evaluation's other fields imply; also how rows from before the column existed get theirs. */
export function deriveOutcome(e: { status: EvaluationStatus; tampered?: string | null; error: string | null }): EvaluationOutcome {
  if (e.status === 'resolved') return 'resolved';
  if (e.tampered) return 'tampered';
  if (e.status === 'error') return 'agent_error';
  return 'unresolved';
}

export interface EventRecord {
  id: number;
  kind: EventKind;
  /** What the event is about: a variant, a task, a step. */
  subject: string;
  detail: unknown;
  costMicros: number;
  createdAt: string;
}

/** One billed or unbilled model call, as its gateway log wrote it. */
export interface CallRow {
  /** The log's path relative to the run folder. */
  log: string;
  /** Byte offset of the line in its log: a line's identity, even when two sessions appended to the same file. */
  offset: number;
  seq: number;
  session: string;
  costMicros: number;
  inputTokens: number | null;
  outputTokens: number | null;
  time: string;
}

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
  outcome TEXT CHECK (outcome IN ('resolved', 'unresolved', 'tampered', 'agent_error')),
  attempts INTEGER NOT NULL DEFAULT 1,
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
CREATE TABLE IF NOT EXISTS calls (
  log TEXT NOT NULL,
  offset INTEGER NOT NULL,
  seq INTEGER NOT NULL,
  session TEXT NOT NULL,
  cost_micros INTEGER NOT NULL CHECK (cost_micros >= 0),
  input_tokens INTEGER,
  output_tokens INTEGER,
  time TEXT NOT NULL,
  PRIMARY KEY (log, offset)
);
CREATE TABLE IF NOT EXISTS call_logs (log TEXT PRIMARY KEY, scanned_bytes INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS events (
  id INTEGER PRIMARY KEY,
  kind TEXT NOT NULL,
  subject TEXT NOT NULL,
  detail TEXT NOT NULL,
  cost_micros INTEGER NOT NULL DEFAULT 0 CHECK (cost_micros >= 0),
  created_at TEXT NOT NULL
);
`;

/**
 * PRAGMA user_version of the schema above. 0: archives from before the version was kept (they may lack `tampered`);
 * 2: outcome, attempts, calls, call_logs, events. An archive with a higher number was written by a newer Clade.
 */
export const SCHEMA_VERSION = 2;

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
  outcome: EvaluationOutcome | null;
  attempts: number;
}

export class ArchiveDb {
  private constructor(
    readonly file: string,
    private readonly db: Database.Database,
    /** A private in-memory copy: inspection never writes the run's files, not even a migration. */
    readonly readOnly: boolean,
  ) {}

  /**
   * Opens a run's database. The file is checked on a copy first, so a damaged or newer archive is refused before
   * anything on disk changes. `readOnly` keeps working on that copy (migrated in memory when it is older); otherwise the
   * file itself is opened and migrated.
   */
  static open(file: string, opts: { readOnly?: boolean } = {}): ArchiveDb {
    const snapshot = existsSync(file) ? checked(file) : undefined;
    if (opts.readOnly) {
      const db = snapshot ?? new Database(':memory:');
      migrate(db);
      db.pragma('query_only = ON');
      return new ArchiveDb(file, db, true);
    }
    snapshot?.close();
    const db = new Database(file);
    try {
      db.pragma('journal_mode = WAL');
      // FULL: a committed variant survives a power cut too, not only a killed process.
      db.pragma('synchronous = FULL');
      db.pragma('foreign_keys = ON');
      db.pragma('busy_timeout = 10000');
      migrate(db);
    } catch (err) {
      db.close();
      throw err;
    }
    return new ArchiveDb(file, db, false);
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

  /** Runs `fn` in one transaction: its writes (a record and the meta that depends on it) land together or not at all. */
  atomically<T>(fn: () => T): T {
    return this.db.transaction(fn)();
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
    const attempts = e.attempts ?? 1;
    if (!Number.isInteger(attempts) || attempts < 1) throw new Error(`evaluation ${e.variantId}/${e.taskId}: attempts must be a positive integer, not ${attempts}`);
    if (e.outcome !== undefined && !EVALUATION_OUTCOMES.includes(e.outcome)) throw new Error(`evaluation ${e.variantId}/${e.taskId}: unknown outcome ${JSON.stringify(e.outcome)}`);
    const tampered = e.tampered ?? null;
    const record: EvaluationRecord = { ...e, tampered, outcome: e.outcome ?? deriveOutcome({ ...e, tampered }), attempts, createdAt: new Date().toISOString() };
    this.db
      .prepare(
        `INSERT INTO evaluations (variant_id, task_id, split, status, cost_usd, input_tokens, output_tokens, seconds, trajectory, patch, grade, error, created_at, tampered, outcome, attempts)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(e.variantId, e.taskId, e.split, e.status, e.costUsd, e.inputTokens, e.outputTokens, e.seconds, e.trajectory, e.patch, e.grade === undefined ? null : JSON.stringify(e.grade), e.error, record.createdAt, tampered, record.outcome, attempts);
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

  /** What the records themselves say was spent (modifications, failed steps, evaluations): informational. */
  recordedUsd(): number {
    const row = this.db
      .prepare(
        `SELECT (SELECT COALESCE(SUM(modify_cost_usd), 0) FROM variants) + (SELECT COALESCE(SUM(cost_usd), 0) FROM evaluations)
           + (SELECT COALESCE(SUM(cost_usd), 0) FROM failed_steps) AS usd`,
      )
      .get() as { usd: number };
    return row.usd;
  }

  /** Everything the gateway logs billed, as imported into the calls table: the run's money, exactly. */
  spentMicros(): number {
    return (this.db.prepare('SELECT COALESCE(SUM(cost_micros), 0) AS m FROM calls').get() as { m: number }).m;
  }

  callCount(): number {
    return (this.db.prepare('SELECT COUNT(*) AS n FROM calls').get() as { n: number }).n;
  }

  /**
   * Everything spent so far, in dollars: the calls ledger. An archive that never imported a call log (made before the
   * ledger existed, or whose logs are gone) falls back to what its records say, so its total does not read as $0.
   */
  spentUsd(): number {
    return this.callCount() ? this.spentMicros() / 1e6 : this.recordedUsd();
  }

  /** How far each log has been read: the byte after its last complete line. */
  callLogs(): Map<string, number> {
    const rows = this.db.prepare('SELECT log, scanned_bytes FROM call_logs').all() as Array<{ log: string; scanned_bytes: number }>;
    return new Map(rows.map((r) => [r.log, r.scanned_bytes]));
  }

  hasCall(log: string, offset: number): boolean {
    return this.db.prepare('SELECT 1 FROM calls WHERE log = ? AND offset = ?').get(log, offset) !== undefined;
  }

  /** Records the calls read from one log and how far it was read, together; calls already recorded are left as they are. */
  recordCalls(log: string, scannedBytes: number, calls: CallRow[]): { imported: number; micros: number } {
    const insert = this.db.prepare(
      `INSERT INTO calls (log, offset, seq, session, cost_micros, input_tokens, output_tokens, time) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (log, offset) DO NOTHING`,
    );
    return this.atomically(() => {
      let imported = 0;
      let micros = 0;
      for (const c of calls) {
        if (!Number.isSafeInteger(c.costMicros) || c.costMicros < 0) throw new Error(`call ${log}#${c.seq}: cost must be a non-negative integer of micro-dollars, not ${c.costMicros}`);
        if (insert.run(log, c.offset, c.seq, c.session, c.costMicros, c.inputTokens, c.outputTokens, c.time).changes) {
          imported++;
          micros += c.costMicros;
        }
      }
      this.db.prepare('INSERT INTO call_logs (log, scanned_bytes) VALUES (?, ?) ON CONFLICT (log) DO UPDATE SET scanned_bytes = excluded.scanned_bytes').run(log, scannedBytes);
      return { imported, micros };
    });
  }

  calls(): CallRow[] {
    const rows = this.db.prepare('SELECT * FROM calls ORDER BY log, offset').all() as Array<{ log: string; offset: number; seq: number; session: string; cost_micros: number; input_tokens: number | null; output_tokens: number | null; time: string }>;
    return rows.map((r) => ({ log: r.log, offset: r.offset, seq: r.seq, session: r.session, costMicros: r.cost_micros, inputTokens: r.input_tokens, outputTokens: r.output_tokens, time: r.time }));
  }

  insertEvent(e: { kind: EventKind; subject: string; detail?: unknown; costMicros?: number }): EventRecord {
    const costMicros = e.costMicros ?? 0;
    if (!Number.isSafeInteger(costMicros) || costMicros < 0) throw new Error(`event ${e.kind} ${e.subject}: costMicros must be a non-negative integer, not ${costMicros}`);
    const createdAt = new Date().toISOString();
    const detail = e.detail ?? null;
    const id = this.db.prepare('INSERT INTO events (kind, subject, detail, cost_micros, created_at) VALUES (?, ?, ?, ?, ?)').run(e.kind, e.subject, JSON.stringify(detail), costMicros, createdAt).lastInsertRowid;
    return { id: Number(id), kind: e.kind, subject: e.subject, detail, costMicros, createdAt };
  }

  events(kind?: EventKind): EventRecord[] {
    const rows = (kind ? this.db.prepare('SELECT * FROM events WHERE kind = ? ORDER BY id').all(kind) : this.db.prepare('SELECT * FROM events ORDER BY id').all()) as Array<{ id: number; kind: EventKind; subject: string; detail: string; cost_micros: number; created_at: string }>;
    return rows.map((r) => ({ id: r.id, kind: r.kind, subject: r.subject, detail: parseDetail(r.detail), costMicros: r.cost_micros, createdAt: r.created_at }));
  }

  /** The table the parent-selection policies read. An evaluation that errored counts as not resolved. */
  tree(): Tree {
    return {
      variants: this.variants().map((v) => ({ id: v.id, parentId: v.parentId, valid: v.status !== 'invalid', seq: v.seq })),
      evaluations: (this.db.prepare('SELECT variant_id, task_id, outcome FROM evaluations ORDER BY id').all() as Array<{ variant_id: string; task_id: string; outcome: EvaluationOutcome }>).map((r) => ({
        variantId: r.variant_id,
        taskId: r.task_id,
        resolved: r.outcome === 'resolved',
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
    outcome: r.outcome ?? deriveOutcome({ status: r.status, tampered: r.tampered, error: r.error }),
    attempts: r.attempts,
    createdAt: r.created_at,
  };
}

function parseDetail(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

const damaged = (file: string, what: string) =>
  new ArchiveDamaged(file, `${file} is damaged (${what}): restore it from a copy, or start a new run with another --run`);

/**
 * A private copy of the database, checked: readable, not from a newer Clade, and whole. Taken without writing a byte
 * to the run folder: the file is read directly, or, when a -wal file holds commits not yet in it, through a read-only
 * connection (its -wal and -shm files already exist then).
 */
function checked(file: string): Database.Database {
  let copy: Database.Database;
  try {
    const bytes = existsSync(`${file}-wal`) ? readOnlySnapshot(file) : readFileSync(file);
    if (bytes.length === 0) return new Database(':memory:');
    // The copy lives in memory, where WAL cannot be; mark it as a rollback-journal database (header bytes 18 and 19).
    if (bytes.length >= 20 && bytes[18] === 2 && bytes[19] === 2) bytes[18] = bytes[19] = 1;
    copy = new Database(bytes);
  } catch (err) {
    throw damaged(file, describe(err));
  }
  try {
    const version = copy.pragma('user_version', { simple: true }) as number;
    if (version > SCHEMA_VERSION) throw new ArchiveTooNew(file, version, SCHEMA_VERSION);
    const problems = copy.pragma('quick_check', { simple: true }) as string;
    if (problems !== 'ok') throw damaged(file, `integrity check: ${String(problems).split('\n')[0]}`);
    return copy;
  } catch (err) {
    copy.close();
    if (err instanceof ArchiveTooNew || err instanceof ArchiveDamaged) throw err;
    throw damaged(file, describe(err));
  }
}

function readOnlySnapshot(file: string): Buffer {
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    return db.serialize();
  } finally {
    db.close();
  }
}

function describe(err: unknown): string {
  const e = err as { code?: string; message?: string };
  return `${e.code ? `${e.code}: ` : ''}${e.message ?? String(err)}`.split('\n')[0]!;
}

/** Brings any archive from SCHEMA_VERSION or older to SCHEMA_VERSION, in one transaction. */
function migrate(db: Database.Database): void {
  if ((db.pragma('user_version', { simple: true }) as number) === SCHEMA_VERSION) return;
  db.transaction(() => {
    db.exec(SCHEMA);
    const columns = (db.prepare('PRAGMA table_info(evaluations)').all() as Array<{ name: string }>).map((c) => c.name);
    if (!columns.includes('tampered')) db.exec('ALTER TABLE evaluations ADD COLUMN tampered TEXT');
    if (!columns.includes('outcome')) db.exec("ALTER TABLE evaluations ADD COLUMN outcome TEXT CHECK (outcome IN ('resolved', 'unresolved', 'tampered', 'agent_error'))");
    if (!columns.includes('attempts')) db.exec('ALTER TABLE evaluations ADD COLUMN attempts INTEGER NOT NULL DEFAULT 1');
    db.exec(`UPDATE evaluations SET outcome = CASE
      WHEN status = 'resolved' THEN 'resolved'
      WHEN tampered IS NOT NULL AND tampered != '' THEN 'tampered'
      WHEN status = 'error' THEN 'agent_error'
      ELSE 'unresolved' END
      WHERE outcome IS NULL`);
    db.pragma(`user_version = ${SCHEMA_VERSION}`);
  })();
}
