// The open-ended archive of one run: every variant ever made, kept for good, valid or not. Its source is in git
// (RUN/source.git), its metadata and results in SQLite (RUN/archive.db). Nothing outside archive/ knows either.
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join, relative, resolve, sep } from 'node:path';
import { findJsonl, scanLog } from './calls.ts';
import { ArchiveDb, type CallRow, type EvaluationRecord, type EventKind, type EventRecord, type FailedStep, type NewEvaluation, type Proposal, type StepCost, type VariantRecord, type VariantStatus } from './db.ts';
import type { Tree } from './tree.ts';
import { ArchiveDamaged } from './errors.ts';
import { SourceStore } from './source.ts';

export type { CallRow, EvaluationOutcome, EvaluationRecord, EventKind, EventRecord, FailedStep, NewEvaluation, Proposal, StepCost, VariantRecord, VariantStatus } from './db.ts';
export { SCHEMA_VERSION } from './db.ts';
export { ArchiveDamaged, ArchiveTooNew } from './errors.ts';

/** Calls found in the logs: `skipped` counts complete lines in a call log that are not call records. */
export interface CallTally {
  imported: number;
  micros: number;
  skipped: number;
}

export interface NewVariant {
  parentId: string | null;
  /** The variant's source tree on the host. */
  dir: string;
  status: VariantStatus;
  reason?: string | null;
  proposal?: Proposal | null;
  modify?: StepCost & { trajectory: string | null };
}

export class Archive {
  private constructor(
    readonly runDir: string,
    private readonly db: ArchiveDb,
    readonly source: SourceStore,
  ) {}

  /**
   * Opens a run's archive. Everything is checked before anything is written: a damaged or newer archive.db, or a
   * variant whose commit is gone from source.git, is refused with the file named and the run folder left as it was.
   * `readOnly` (the inspection commands) never writes at all: not a migration, not a ref.
   */
  static async open(runDir: string, opts: { create?: boolean; readOnly?: boolean } = {}): Promise<Archive> {
    const dir = resolve(runDir);
    const dbFile = join(dir, 'archive.db');
    if (!existsSync(dbFile) && (!opts.create || opts.readOnly)) throw new Error(`no archive in ${dir}: run \`clade evolve --run ${runDir}\` first, or pass the --run of an existing run`);
    const gitDir = join(dir, 'source.git');
    const copy = existsSync(dbFile) ? ArchiveDb.open(dbFile, { readOnly: true }) : undefined;
    try {
      if (copy) await checkSources(copy, gitDir);
    } catch (err) {
      copy?.close();
      throw err;
    }
    if (opts.readOnly) return new Archive(dir, copy!, new SourceStore(gitDir));
    copy?.close();
    await mkdir(dir, { recursive: true });
    const db = ArchiveDb.open(dbFile);
    try {
      const archive = new Archive(dir, db, await SourceStore.open(gitDir));
      await archive.repairRefs();
      return archive;
    } catch (err) {
      db.close();
      throw err;
    }
  }

  close(): void {
    this.db.close();
  }

  /**
   * Records the calls in the run's gateway logs that are not recorded yet: each line once, however often this runs. A
   * line still being written (or torn by a kill) is left for a later import.
   */
  importCalls(): CallTally {
    if (this.db.readOnly) throw new Error(`${this.runDir} is open read-only here: its calls are recorded by \`clade evolve --run ${this.runDir}\``);
    const tally: CallTally = { imported: 0, micros: 0, skipped: 0 };
    const scanned = this.db.callLogs();
    for (const path of findJsonl(this.runDir)) {
      const key = relative(this.runDir, path).split(sep).join('/');
      const from = scanned.get(key);
      const scan = scanLog(this.runDir, path, from ?? 0, from !== undefined);
      if (!scan || (scan.scannedBytes === from && !scan.calls.length)) continue;
      const { imported, micros } = this.db.recordCalls(scan.log, scan.scannedBytes, scan.calls);
      tally.imported += imported;
      tally.micros += micros;
      tally.skipped += scan.skipped;
    }
    return tally;
  }

  /** What importCalls would record now, without recording it: calls in the logs that the ledger does not hold yet. */
  pendingCalls(): CallTally {
    const tally: CallTally = { imported: 0, micros: 0, skipped: 0 };
    const scanned = this.db.callLogs();
    for (const path of findJsonl(this.runDir)) {
      const from = scanned.get(relative(this.runDir, path).split(sep).join('/'));
      const scan = scanLog(this.runDir, path, from ?? 0, from !== undefined);
      if (!scan) continue;
      for (const c of scan.calls) {
        if (this.db.hasCall(c.log, c.offset)) continue;
        tally.imported++;
        tally.micros += c.costMicros;
      }
      tally.skipped += scan.skipped;
    }
    return tally;
  }

  /** Git refs are written after the row, so a kill between the two leaves a row without its ref; put it back. */
  private async repairRefs(): Promise<void> {
    for (const v of this.db.variants()) await this.source.tag(v.id, v.commit);
  }

  /** Records a variant: its source as a commit on its parent's, then its row. Returns the record with its new id. */
  async add(v: NewVariant): Promise<VariantRecord> {
    const parent = v.parentId ? this.get(v.parentId) : undefined;
    if (v.parentId && !parent) throw new Error(`parent variant ${v.parentId} is not in the archive`);
    const message = v.parentId ? `${v.status}: ${v.proposal?.improvement.split('\n')[0] ?? 'child'}`.slice(0, 200) : 'seed';
    const commit = await this.source.commit(v.dir, message, parent?.commit ?? null);
    const record = this.db.insertVariant({
      parentId: v.parentId,
      commit,
      status: v.status,
      reason: v.reason ?? null,
      proposal: v.proposal ?? null,
      modify: v.modify ?? { costUsd: 0, inputTokens: 0, outputTokens: 0, seconds: 0, trajectory: null },
    });
    await this.source.tag(record.id, commit);
    return record;
  }

  get(id: string): VariantRecord | undefined {
    return this.db.variant(id);
  }

  /** Like get, with an error that lists what exists. */
  require(id: string): VariantRecord {
    const v = this.get(id);
    if (!v) throw new Error(`no variant "${id}" in ${this.runDir}; \`clade archive ls --run ${this.runDir}\` lists them`);
    return v;
  }

  variants(): VariantRecord[] {
    return this.db.variants();
  }

  evaluations(variantId?: string): EvaluationRecord[] {
    return this.db.evaluations(variantId);
  }

  recordEvaluation(e: NewEvaluation): EvaluationRecord {
    return this.db.insertEvaluation(e);
  }

  /** The table parent-selection policies read. */
  tree(): Tree {
    return this.db.tree();
  }

  /** Dollars spent by the run: the gateway's billed calls once imported, else what the steps recorded. */
  spentUsd(): number {
    return this.db.spentUsd();
  }

  /** The billed calls imported from the gateway's logs, in integer micro-dollars: exact, unlike sums of floats. */
  spentMicros(): number {
    return this.db.spentMicros();
  }

  calls(): CallRow[] {
    return this.db.calls();
  }

  /** Records written in `fn` land together or not at all (a kill between two of them leaves neither). */
  atomically<T>(fn: () => T): T {
    return this.db.atomically(fn);
  }

  callCount(): number {
    return this.db.callCount();
  }

  /** Steps that made no variant (a failed diagnosis or self-modification): they cost money and count as expansions. */
  failedSteps(): FailedStep[] {
    return this.db.failedSteps();
  }

  recordFailedStep(s: Omit<FailedStep, 'createdAt'>): void {
    this.db.insertFailedStep(s);
  }

  events(kind?: EventKind): EventRecord[] {
    return this.db.events(kind);
  }

  recordEvent(e: { kind: EventKind; subject: string; detail?: unknown; costMicros?: number }): EventRecord {
    return this.db.insertEvent(e);
  }

  /** A run-level value (its config, its decision counter), as the text it was stored as. */
  getMeta(key: string): string | undefined {
    return this.db.getMeta(key);
  }

  setMeta(key: string, value: string): void {
    this.db.setMeta(key, value);
  }

  async checkout(id: string, dir: string): Promise<void> {
    await mkdir(dir, { recursive: true });
    await this.source.checkout(this.require(id).commit, dir);
  }

  async diff(fromId: string, toId: string): Promise<string> {
    return this.source.diff(this.require(fromId).commit, this.require(toId).commit);
  }

  /** The diff of a variant against its parent ('' for the seed). */
  async diffFromParent(id: string): Promise<string> {
    const v = this.require(id);
    return v.parentId ? this.diff(v.parentId, id) : '';
  }
}

/**
 * Every variant's commit must be in source.git: git objects are written before the row that names them, so a missing
 * one means the repository was damaged or replaced, and no ref repair can bring it back. Reads only.
 */
async function checkSources(db: ArchiveDb, gitDir: string): Promise<void> {
  const variants = db.variants();
  if (!variants.length) return;
  const missing = await new SourceStore(gitDir).missing(variants.map((v) => v.commit));
  const v = variants.find((x) => missing.has(x.commit));
  if (v) throw new ArchiveDamaged(gitDir, `variant ${v.id}'s commit ${v.commit} is missing from ${gitDir}${missing.size > 1 ? ` (and ${missing.size - 1} more)` : ''}: restore source.git from a copy, or start a new run with another --run`);
}
