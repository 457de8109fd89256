// Loading tasks (format: TASKS.md). Every problem names the file, the field and where the format is documented.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { projectPath } from '../lib/paths.ts';
import { z } from 'zod';
import { LANGUAGE_RUNNER_NAMES } from './languages/names.ts';

export const BENCH_DIR = projectPath('bench') + '/';
export const TASKS_DIR = join(BENCH_DIR, 'tasks');

const relativePath = z
  .string()
  .min(1)
  .refine((p) => !p.startsWith('/') && !p.split('/').includes('..'), 'must be a path inside the repository, relative to its root');

export const TaskMeta = z.object({
  id: z.string().regex(/^[a-z0-9][a-z0-9._-]*$/, 'lowercase letters, digits, ".", "_" and "-" only'),
  title: z.string().min(1),
  repo: z.string().min(1),
  language: z.enum(['javascript', 'python', 'go', 'rust', 'cpp', 'java']),
  difficulty: z.enum(['easy', 'medium', 'hard']),
  kind: z.enum(['bug', 'feature']),
  runner: z.enum(['node-test', 'python-unittest', 'pytest', ...LANGUAGE_RUNNER_NAMES]),
  testFiles: z.array(relativePath).min(1),
  failToPass: z.array(z.string().min(1)).min(1),
  passToPass: z.array(z.string().min(1)),
  timeLimitSec: z.number().int().positive().max(3600).default(120),
  protectedPaths: z.array(relativePath).default([]),
  /** An environment image for the tests (imported SWE-bench tasks); the sandbox image when absent. */
  image: z.string().min(1).optional(),
  /**
   * Set at import when the task cannot build in its environment (a dependency the image does not have), with the
   * reason: the task is listed but never run, validated or scored.
   */
  cannotBuild: z.string().min(1).optional(),
  /**
   * FAIL_TO_PASS is every test of the test files (Polyglot), so the starting state may pass some of them: validation
   * asks only that the empty patch does not resolve the task.
   */
  everyTest: z.boolean().optional(),
});
export type TaskMeta = z.infer<typeof TaskMeta>;

export interface Task {
  meta: TaskMeta;
  dir: string;
  repoDir: string;
  problem: string;
  basePatch?: string;
  goldPatch: string;
  /** Hidden tests, laid out as they go into the repository. */
  testsDir: string;
}

export class TaskError extends Error {
  override readonly name = 'TaskError';
}

const fix = 'See bench/TASKS.md for the task format.';

/** `reposDir` defaults to the `repos/` folder beside the task's parent folder (bench/repos for bench/tasks/<id>). */
export function loadTask(dir: string, reposDir?: string): Task {
  const where = resolve(dir);
  reposDir ??= join(where, '..', '..', 'repos');
  const metaPath = join(where, 'task.json');
  if (!existsSync(metaPath)) throw new TaskError(`${where}: no task.json. ${fix}`);
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(metaPath, 'utf8'));
  } catch (err) {
    throw new TaskError(`${metaPath} is not valid JSON (${(err as Error).message}). ${fix}`);
  }
  const parsed = TaskMeta.safeParse(raw);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ');
    throw new TaskError(`${metaPath}: ${problems}. ${fix}`);
  }
  const meta = parsed.data;
  if (meta.id !== basename(where)) throw new TaskError(`${metaPath}: id "${meta.id}" must match the folder name "${basename(where)}"`);
  const repoDir = join(reposDir, meta.repo);
  if (!existsSync(repoDir)) throw new TaskError(`${metaPath}: repo "${meta.repo}" is not a folder under ${reposDir}`);
  for (const required of ['problem.md', 'gold.patch', 'tests']) {
    if (!existsSync(join(where, required))) throw new TaskError(`${where}: missing ${required}. ${fix}`);
  }
  for (const id of [...meta.failToPass, ...meta.passToPass]) {
    const file = id.split(' > ')[0]!;
    if (!meta.testFiles.includes(file)) throw new TaskError(`${metaPath}: test id "${id}" is in ${file}, which is not in testFiles`);
  }
  const basePath = join(where, 'base.patch');
  return {
    meta,
    dir: where,
    repoDir,
    problem: readFileSync(join(where, 'problem.md'), 'utf8'),
    basePatch: existsSync(basePath) ? readFileSync(basePath, 'utf8') : undefined,
    goldPatch: readFileSync(join(where, 'gold.patch'), 'utf8'),
    testsDir: join(where, 'tests'),
  };
}

/** Every task folder under `tasksDir`, sorted by id; a broken one throws, naming itself. */
export function loadTasks(tasksDir = TASKS_DIR, reposDir?: string): Task[] {
  if (!existsSync(tasksDir)) throw new TaskError(`${tasksDir} does not exist`);
  return readdirSync(tasksDir)
    .filter((name) => statSync(join(tasksDir, name)).isDirectory())
    .sort()
    .map((name) => loadTask(join(tasksDir, name), reposDir));
}

export function findTask(id: string, tasksDir = TASKS_DIR): Task {
  const dir = join(tasksDir, id);
  if (!existsSync(join(dir, 'task.json'))) throw new TaskError(`no task "${id}" in ${tasksDir}; \`npx clade bench list\` shows the tasks`);
  return loadTask(dir);
}
