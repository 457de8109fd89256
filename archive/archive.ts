// The open-ended archive of one run: every variant ever made, kept for good, valid or not. Its source is in git
// (RUN/source.git), its metadata and results in SQLite (RUN/archive.db). Nothing outside archive/ knows either.
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { ArchiveDb, type EvaluationRecord, type NewEvaluation, type Proposal, type StepCost, type VariantRecord, type VariantStatus } from './db.ts';
import { SourceStore } from './source.ts';

export type { EvaluationRecord, FailedStep, Proposal, StepCost, VariantRecord, VariantStatus } from './db.ts';

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
    readonly db: ArchiveDb,
    readonly source: SourceStore,
  ) {}

  static async open(runDir: string, opts: { create?: boolean } = {}): Promise<Archive> {
    const dir = resolve(runDir);
    const dbFile = join(dir, 'archive.db');
    if (!existsSync(dbFile) && !opts.create) throw new Error(`no archive in ${dir}: run \`clade evolve --run ${runDir}\` first, or pass the --run of an existing run`);
    await mkdir(dir, { recursive: true });
    const archive = new Archive(dir, new ArchiveDb(dbFile), await SourceStore.open(join(dir, 'source.git')));
    await archive.repairRefs();
    return archive;
  }

  close(): void {
    this.db.close();
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
