// A suite: the tasks a run is scored on, with their splits, where they came from and the published numbers they are
// compared with (format: TASKS.md, "Suites"). Scores on different suites, or on a suite whose content changed, do not
// mix, so a suite is identified by a hash of everything that decides its results.
import { createHash, type Hash } from 'node:crypto';
import { createReadStream, existsSync, lstatSync, readdirSync, readFileSync, readlinkSync, statSync } from 'node:fs';
import { basename, join, relative, resolve, sep } from 'node:path';
import { z } from 'zod';
import { BENCH_DIR, loadTask, TaskError, TaskMeta, type Task } from './task.ts';

export const BUILTIN = 'builtin';
/** Where `--suite NAME` looks, under the current directory: `clade bench import ... --out .clade/suites/NAME` writes there. */
export const SUITES_DIR = join('.clade', 'suites');

/** A suite that cannot be used as it is; the message names the file and says how to fix it. */
export class SuiteError extends Error {
  override readonly name = 'SuiteError';
  /** True when --suite itself is wrong (no such name or folder), not the suite's content: the CLI exits 2. */
  constructor(
    message: string,
    readonly usage = false,
  ) {
    super(message);
  }
}

const fix = 'See bench/TASKS.md, "Suites".';
const taskId = TaskMeta.shape.id;

export const SuiteMeta = z.strictObject({
  name: z.string().regex(/^[a-z0-9][a-z0-9._-]*$/, 'lowercase letters, digits, ".", "_" and "-" only'),
  description: z.string().min(1),
  languages: z.array(TaskMeta.shape.language).min(1),
  /** Free text: where the tasks came from (repository, commit, path). */
  source: z.string().min(1),
  license: z.string().min(1),
  /** Published results on this suite, to compare a run with. */
  reference: z
    .array(z.strictObject({ label: z.string().min(1), resolveRate: z.number().min(0).max(1), split: z.string().min(1), source: z.string().min(1) }))
    .default([]),
  /** The per-task defaults of `clade evolve` and the agent; a flag given explicitly wins. */
  limits: z
    .strictObject({
      taskTimeoutSec: z.number().positive().max(86_400).optional(),
      taskUsd: z.number().positive().optional(),
      maxTurns: z.number().int().positive().optional(),
    })
    .default({}),
});
export type SuiteMeta = z.infer<typeof SuiteMeta>;

/** Split name → task ids. `full` defaults to every task not held out and not marked cannotBuild. */
const SplitsFile = z.record(z.string().regex(/^[a-z0-9][a-z0-9._-]*$/, 'split names are lowercase letters, digits, ".", "_" and "-"'), z.array(taskId));
export type Splits = Record<string, string[]>;

export interface BlockedTask {
  id: string;
  language: TaskMeta['language'];
  reason: string;
}

export interface Suite {
  /** Absolute path of the suite folder. */
  dir: string;
  name: string;
  meta: SuiteMeta;
  /** Every task that can run, sorted by id; tasks marked cannotBuild are only in `cannotBuild`. */
  tasks: Task[];
  cannotBuild: BlockedTask[];
  splits: Splits;
  /** sha256 over suite.json, splits.json, tasks/** and repos/**: a run's scores belong to exactly this content. */
  hash: string;
}

/** The folder `--suite` names: undefined or "builtin" is bench/, a path is itself, any other NAME is .clade/suites/NAME. */
export function suiteDir(dirOrName?: string): string {
  if (dirOrName === undefined || dirOrName === BUILTIN) return resolve(BENCH_DIR);
  if (dirOrName.includes('/') || dirOrName.includes(sep) || existsSync(dirOrName)) return resolve(dirOrName);
  const dir = resolve(SUITES_DIR, dirOrName);
  if (!existsSync(dir)) {
    throw new SuiteError(
      `no suite "${dirOrName}": ${dir} does not exist; import one (\`clade bench import polyglot DIR --out ${join(SUITES_DIR, dirOrName)}\`) or pass --suite a suite folder`,
      true,
    );
  }
  return dir;
}

export async function loadSuite(dirOrName?: string): Promise<Suite> {
  const dir = suiteDir(dirOrName);
  if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new SuiteError(`${dir} is not a suite folder: it does not exist. ${fix}`, true);
  const tasksDir = join(dir, 'tasks');
  if (!existsSync(tasksDir) || !statSync(tasksDir).isDirectory()) throw new SuiteError(`${dir} is not a suite folder: it has no tasks/ folder. ${fix}`, true);
  const meta = readMeta(join(dir, 'suite.json'));
  const { tasks, cannotBuild } = readTasks(tasksDir, join(dir, 'repos'));
  const splits = readSplits(join(dir, 'splits.json'), tasks, cannotBuild);
  return { dir, name: meta.name, meta, tasks, cannotBuild, splits, hash: await suiteHash(dir) };
}

function readJson(path: string): unknown {
  try {
    return JSON.parse(readFileSync(path, 'utf8'));
  } catch (err) {
    throw new SuiteError(`${path} is not valid JSON (${(err as Error).message.split('\n')[0]}). ${fix}`);
  }
}

const issues = (error: z.ZodError) => error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ');

function readMeta(path: string): SuiteMeta {
  if (!existsSync(path)) throw new SuiteError(`${path} does not exist: a suite needs one ({"name", "description", "languages", "source", "license"}). ${fix}`);
  const parsed = SuiteMeta.safeParse(readJson(path));
  if (!parsed.success) throw new SuiteError(`${path}: ${issues(parsed.error)}. ${fix}`);
  return parsed.data;
}

/** Tasks marked cannotBuild are listed from their task.json alone: the importer may leave the rest unwritten. */
function readTasks(tasksDir: string, reposDir: string): { tasks: Task[]; cannotBuild: BlockedTask[] } {
  const tasks: Task[] = [];
  const cannotBuild: BlockedTask[] = [];
  for (const name of readdirSync(tasksDir).sort()) {
    const dir = join(tasksDir, name);
    if (!statSync(dir).isDirectory()) continue;
    const metaPath = join(dir, 'task.json');
    const raw = existsSync(metaPath) ? (readJsonOrUndefined(metaPath) as { cannotBuild?: unknown } | undefined) : undefined;
    if (raw && typeof raw.cannotBuild === 'string' && raw.cannotBuild) {
      const parsed = TaskMeta.safeParse(raw);
      if (!parsed.success) throw new SuiteError(`${metaPath}: ${issues(parsed.error)}. See bench/TASKS.md for the task format.`);
      cannotBuild.push({ id: parsed.data.id, language: parsed.data.language, reason: raw.cannotBuild });
      continue;
    }
    try {
      tasks.push(loadTask(dir, reposDir));
    } catch (err) {
      if (err instanceof TaskError) throw new SuiteError(err.message);
      throw err;
    }
  }
  return { tasks, cannotBuild };
}

function readJsonOrUndefined(path: string): unknown {
  try {
    return JSON.parse(readFileSync(path, 'utf8'));
  } catch {
    return undefined; // loadTask reports it, with the task format's pointer
  }
}

function readSplits(path: string, tasks: Task[], cannotBuild: BlockedTask[]): Splits {
  if (!existsSync(path)) return {};
  const parsed = SplitsFile.safeParse(readJson(path));
  if (!parsed.success) throw new SuiteError(`${path}: ${issues(parsed.error)}; it maps split names to task ids, e.g. {"small": ["id", ...], "medium": [...]}. ${fix}`);
  const ids = new Set(tasks.map((t) => t.meta.id));
  const blocked = new Map(cannotBuild.map((b) => [b.id, b.reason]));
  for (const [split, list] of Object.entries(parsed.data)) {
    for (const id of list) {
      if (blocked.has(id)) throw new SuiteError(`${path}: split "${split}" names task "${id}", which cannot build (${blocked.get(id)}); remove it from the split`);
      if (!ids.has(id)) throw new SuiteError(`${path}: split "${split}" names task "${id}", which is not in ${join(path, '..', 'tasks')}; remove it or add the task`);
    }
  }
  return parsed.data;
}

/** The split's names, `full` included: what `--split` accepts. */
export function splitNames(suite: Suite): string[] {
  return [...new Set([...Object.keys(suite.splits), 'full'])];
}

export function heldOut(suite: Suite): Set<string> {
  return new Set(suite.splits.heldout ?? []);
}

/** The tasks of a split, in the split's order. `full` is every runnable task not held out, unless splits.json lists it. */
export function splitTasks(suite: Suite, split: string): Task[] {
  const ids = suite.splits[split];
  if (!ids) {
    if (split === 'full') return suite.tasks.filter((t) => !heldOut(suite).has(t.meta.id));
    throw new SuiteError(`${join(suite.dir, 'splits.json')} defines no "${split}" split; this suite has: ${splitNames(suite).join(', ')}`);
  }
  const byId = new Map(suite.tasks.map((t) => [t.meta.id, t]));
  return ids.map((id) => byId.get(id)!);
}

/** Task ids per language, runnable and not, for `bench list` and reports. */
export function languageCounts(suite: Suite): Record<string, { tasks: number; cannotBuild: number }> {
  const out: Record<string, { tasks: number; cannotBuild: number }> = {};
  for (const t of suite.tasks) (out[t.meta.language] ??= { tasks: 0, cannotBuild: 0 }).tasks++;
  for (const b of suite.cannotBuild) (out[b.language] ??= { tasks: 0, cannotBuild: 0 }).cannotBuild++;
  return out;
}

/** A task of the suite by id; one marked cannotBuild is refused with its reason. */
export function suiteTask(suite: Suite, id: string): Task {
  const task = suite.tasks.find((t) => t.meta.id === id);
  if (task) return task;
  const blocked = suite.cannotBuild.find((b) => b.id === id);
  if (blocked) throw new SuiteError(`task "${id}" of ${suite.dir} cannot build (${blocked.reason}); it is never run`);
  throw new SuiteError(`no task "${id}" in ${join(suite.dir, 'tasks')}; \`clade bench list --suite ${suite.dir}\` shows the tasks`);
}

/** Per-language grouping of task ids, for per-language scores. */
export function languageOf(suite: Suite): Map<string, string> {
  return new Map(suite.tasks.map((t) => [t.meta.id, t.meta.language]));
}

const HASHED = ['suite.json', 'splits.json', 'tasks', 'repos'];
const BIG = 1 << 20;

/**
 * sha256 over the sorted relative paths and contents of suite.json, splits.json, tasks/** and repos/**. Each entry is
 * its path, its kind and its length before its bytes, so moving bytes from one file to the next changes the hash.
 */
export async function suiteHash(dir: string): Promise<string> {
  const files: string[] = [];
  for (const top of HASHED) collect(dir, join(dir, top), files);
  files.sort();
  const hash = createHash('sha256');
  for (const rel of files) {
    const abs = join(dir, rel);
    const st = lstatSync(abs);
    if (st.isSymbolicLink()) {
      const target = readlinkSync(abs);
      hash.update(`${rel}\0link\0${Buffer.byteLength(target)}\0${target}`);
    } else {
      hash.update(`${rel}\0file\0${st.size}\0`);
      if (st.size > BIG) await streamInto(hash, abs);
      else hash.update(readFileSync(abs));
    }
  }
  return hash.digest('hex');
}

function collect(root: string, path: string, out: string[]): void {
  if (!existsSync(path)) return;
  const st = lstatSync(path);
  if (st.isDirectory()) {
    for (const name of readdirSync(path)) collect(root, join(path, name), out);
  } else if (st.isFile() || st.isSymbolicLink()) {
    out.push(relative(root, path).split(sep).join('/'));
  }
}

async function streamInto(hash: Hash, path: string): Promise<void> {
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
}

/** The suite a run records in its config, and checks on resume. */
export interface SuiteRef {
  name: string;
  path: string;
  hash: string;
}

export const suiteRef = (suite: Suite): SuiteRef => ({ name: suite.name, path: suite.dir, hash: suite.hash });

/** One line for people: name, folder and the start of the hash. */
export const suiteLabel = (ref: SuiteRef): string => `${ref.name} (${ref.path}, ${ref.hash.slice(0, 12)})`;

/**
 * A bare folder of task folders (the older `--dir`): its parent holds repos/ and splits.json, and suite.json is read
 * when it is there, else the suite is named after the folder.
 */
export async function loadTasksFolder(tasksDir: string): Promise<Suite> {
  const dir = resolve(tasksDir, '..');
  const where = resolve(tasksDir);
  if (!existsSync(where)) throw new SuiteError(`${where} does not exist: --dir is a folder of task folders`, true);
  const metaPath = join(dir, 'suite.json');
  const { tasks, cannotBuild } = readTasks(where, join(dir, 'repos'));
  const meta = existsSync(metaPath)
    ? readMeta(metaPath)
    : SuiteMeta.parse({ name: basename(dir).toLowerCase().replace(/[^a-z0-9._-]+/g, '-').replace(/^[^a-z0-9]+/, '') || 'tasks', description: `the tasks in ${where}`, languages: [...new Set(tasks.map((t) => t.meta.language))].concat(tasks.length ? [] : ['python']), source: where, license: 'unknown' });
  const splits = readSplits(join(dir, 'splits.json'), tasks, cannotBuild);
  return { dir, name: meta.name, meta, tasks, cannotBuild, splits, hash: await suiteHash(dir) };
}
