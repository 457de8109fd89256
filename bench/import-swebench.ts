// Imports SWE-bench-format instances (SWE-bench, SWE-bench Verified, Multi-SWE-bench) as Clade tasks. Nothing is
// fetched: the repository source is a local clone the user points at, and the test environment is an image the user
// names. Each instance becomes repos/<id> (the tree at base_commit) and tasks/<id> (see TASKS.md); the folder around
// them is a suite (suite.json, splits.json), so `--suite` takes it like any other.
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { mkdir, mkdtemp, rename, rm, writeFile, cp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import { execa } from 'execa';
import { z } from 'zod';
import { plainFolder } from './git.ts';

/** Test lists come as JSON strings in SWE-bench and as arrays elsewhere. */
const testList = z.union([
  z.array(z.string()),
  z.string().transform((s, ctx) => {
    try {
      return z.array(z.string()).parse(JSON.parse(s));
    } catch {
      ctx.addIssue({ code: 'custom', message: 'must be a JSON array of test ids, or a string holding one' });
      return z.NEVER;
    }
  }),
]);

export const SweBenchInstance = z.looseObject({
  instance_id: z.string().min(1),
  repo: z.string().regex(/^[^/\s]+\/[^/\s]+$/, 'must be owner/name'),
  base_commit: z.string().regex(/^[0-9a-f]{7,40}$/, 'must be a commit hash'),
  patch: z.string().min(1),
  test_patch: z.string().min(1),
  problem_statement: z.string().min(1),
  FAIL_TO_PASS: testList,
  PASS_TO_PASS: testList.default([]),
});
export type SweBenchInstance = z.infer<typeof SweBenchInstance>;

export interface ImportOptions {
  /** Folder of local clones: <reposDir>/<owner>__<name> or <reposDir>/<name>. */
  reposDir: string;
  /** Where to write: <benchDir>/repos and <benchDir>/tasks. */
  benchDir: string;
  /** The environment image the tests run in (it must have git, bash, coreutils and the project's test tools). */
  image?: string;
  runner?: 'pytest' | 'python-unittest' | 'node-test';
  timeLimitSec?: number;
  /** The suite's name in suite.json (default: the folder's name). */
  name?: string;
  /** Seeds the choice of the small and medium splits. */
  seed?: number;
}

export interface ImportResult {
  imported: string[];
  failed: Array<{ line: number; instance?: string; error: string }>;
}

const filesOf = (patch: string) => [...patch.matchAll(/^diff --git a\/(\S+) b\/(\S+)$/gm)].map((m) => m[2]!);
const taskId = (instanceId: string) => instanceId.toLowerCase().replace(/[^a-z0-9._-]+/g, '-');
/** pytest node ids (path::Class::name) become Clade ids (path > Class > name). */
const toId = (nodeId: string) => nodeId.split('::').join(' > ');

export async function importSweBench(file: string, opts: ImportOptions): Promise<ImportResult> {
  const result: ImportResult = { imported: [], failed: [] };
  await importLines(file, opts, result);
  await mkdir(join(opts.benchDir, 'tasks'), { recursive: true });
  await writeSuiteFiles(file, opts);
  return result;
}

async function importLines(file: string, opts: ImportOptions, result: ImportResult): Promise<void> {
  const lines = readFileSync(file, 'utf8').split('\n');
  for (const [index, line] of lines.entries()) {
    if (!line.trim()) continue;
    let raw: unknown;
    try {
      raw = JSON.parse(line);
    } catch (err) {
      result.failed.push({ line: index + 1, error: `not JSON: ${(err as Error).message}` });
      continue;
    }
    const parsed = SweBenchInstance.safeParse(raw);
    if (!parsed.success) {
      const problems = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
      result.failed.push({ line: index + 1, instance: (raw as { instance_id?: string })?.instance_id, error: `${problems} (fields: instance_id, repo, base_commit, patch, test_patch, problem_statement, FAIL_TO_PASS, PASS_TO_PASS)` });
      continue;
    }
    try {
      result.imported.push(await importOne(parsed.data, opts));
    } catch (err) {
      result.failed.push({ line: index + 1, instance: parsed.data.instance_id, error: (err as Error).message });
    }
  }
}

/** Writes a file whole or not at all: a reader never sees half of it. */
async function writeAtomic(path: string, text: string): Promise<void> {
  const tmp = `${path}.${process.pid}.tmp`;
  await writeFile(tmp, text);
  await rename(tmp, path);
}

const seededOrder = (ids: string[], seed: number) =>
  ids
    .map((id) => ({ id, key: createHash('sha256').update(`${seed}:${id}`).digest('hex') }))
    .sort((a, b) => a.key.localeCompare(b.key))
    .map((x) => x.id);

/**
 * suite.json and splits.json for every task now in the folder, earlier imports included: small is about 10 tasks and
 * medium about 50, chosen by a seeded hash of each id, so the same tasks give the same splits.
 */
async function writeSuiteFiles(file: string, opts: ImportOptions): Promise<void> {
  const tasksDir = join(opts.benchDir, 'tasks');
  const metas = readdirSync(tasksDir)
    .filter((id) => existsSync(join(tasksDir, id, 'task.json')))
    .sort()
    .map((id) => JSON.parse(readFileSync(join(tasksDir, id, 'task.json'), 'utf8')) as { id: string; language: string; cannotBuild?: string });
  const runnable = metas.filter((m) => !m.cannotBuild).map((m) => m.id);
  const order = seededOrder(runnable, opts.seed ?? 1);
  const sorted = (ids: string[]) => [...ids].sort();
  await writeAtomic(join(opts.benchDir, 'splits.json'), JSON.stringify({ small: sorted(order.slice(0, 10)), medium: sorted(order.slice(0, 50)) }, null, 2) + '\n');
  const suitePath = join(opts.benchDir, 'suite.json');
  const name = opts.name ?? basename(resolve(opts.benchDir)).toLowerCase().replace(/[^a-z0-9._-]+/g, '-').replace(/^[^a-z0-9]+/, '');
  const languages = [...new Set(metas.map((m) => m.language))].sort();
  await writeAtomic(
    suitePath,
    JSON.stringify(
      {
        name: name || 'swe-bench',
        description: `SWE-bench-format instances imported with \`clade bench import swe-bench\` (${metas.length} tasks)`,
        languages: languages.length ? languages : ['python'],
        source: `instances from ${resolve(file)}, repositories from local clones in ${resolve(opts.reposDir)}${opts.image ? `, tests in the image ${opts.image}` : ''}`,
        license: "each repository's own license; the instances' dataset license applies to problem statements and test lists",
      },
      null,
      2,
    ) + '\n',
  );
}

async function importOne(inst: SweBenchInstance, opts: ImportOptions): Promise<string> {
  const [owner, name] = inst.repo.split('/') as [string, string];
  const clone = [join(opts.reposDir, `${owner}__${name}`), join(opts.reposDir, name)].find((d) => existsSync(d));
  if (!clone) throw new Error(`no local clone of ${inst.repo}: expected ${join(opts.reposDir, `${owner}__${name}`)} (or ${join(opts.reposDir, name)}); clone it there`);
  const id = taskId(inst.instance_id);
  const has = await execa('git', ['cat-file', '-e', `${inst.base_commit}^{commit}`], { cwd: clone, reject: false });
  if (has.exitCode !== 0) throw new Error(`${clone} has no commit ${inst.base_commit}; fetch it into the clone`);
  // Built in a staging folder beside the suite and renamed into place at the end: an instance that fails leaves nothing.
  await mkdir(opts.benchDir, { recursive: true });
  const staging = await mkdtemp(join(opts.benchDir, '.import-'));
  const repoDir = join(staging, 'repo');
  const taskDir = join(staging, 'task');
  await mkdir(repoDir, { recursive: true });
  // The hidden tests are the files test_patch leaves behind, taken from a scratch copy with it applied.
  const scratch = await mkdtemp(join(tmpdir(), 'clade-import-'));
  try {
    await execa('bash', ['-c', 'git -C "$1" archive "$2" | tar -x -C "$3"', 'archive', clone, inst.base_commit, repoDir]);
    await cp(repoDir, scratch, { recursive: true });
    const applied = await execa('git', ['apply', '-'], { cwd: scratch, input: inst.test_patch, reject: false, env: plainFolder(scratch) });
    if (applied.exitCode !== 0) throw new Error(`test_patch does not apply at ${inst.base_commit}: ${applied.stderr.trim()}`);
    const check = await execa('git', ['apply', '--check', '-'], { cwd: repoDir, input: inst.patch, reject: false, env: plainFolder(repoDir) });
    if (check.exitCode !== 0) throw new Error(`patch does not apply at ${inst.base_commit}: ${check.stderr.trim()}`);
    const ids = [...inst.FAIL_TO_PASS, ...inst.PASS_TO_PASS];
    const testFiles = [...new Set([...filesOf(inst.test_patch), ...ids.map((t) => t.split('::')[0]!)])];
    for (const f of filesOf(inst.test_patch)) {
      if (!existsSync(join(scratch, f))) continue; // deleted by the test patch
      await mkdir(dirname(join(taskDir, 'tests', f)), { recursive: true });
      await cp(join(scratch, f), join(taskDir, 'tests', f));
    }
    await mkdir(join(taskDir, 'tests'), { recursive: true });
    const language = filesOf(inst.patch).some((f) => f.endsWith('.py')) ? 'python' : 'javascript';
    const meta = {
      id,
      title: inst.problem_statement.split('\n').find((l) => l.trim())!.trim().slice(0, 120),
      repo: id,
      language,
      difficulty: 'medium',
      kind: 'bug',
      runner: opts.runner ?? (language === 'python' ? 'pytest' : 'node-test'),
      testFiles,
      failToPass: inst.FAIL_TO_PASS.map(toId),
      passToPass: inst.PASS_TO_PASS.map(toId),
      timeLimitSec: opts.timeLimitSec ?? 600,
      ...(opts.image ? { image: opts.image } : {}),
      source: { dataset: 'swe-bench', instance_id: inst.instance_id, repo: inst.repo, base_commit: inst.base_commit },
    };
    await writeFile(join(taskDir, 'task.json'), JSON.stringify(meta, null, 2) + '\n');
    await writeFile(join(taskDir, 'problem.md'), inst.problem_statement);
    await writeFile(join(taskDir, 'gold.patch'), inst.patch);
    for (const [from, to] of [[repoDir, join(opts.benchDir, 'repos', id)], [taskDir, join(opts.benchDir, 'tasks', id)]] as const) {
      await rm(to, { recursive: true, force: true });
      await mkdir(dirname(to), { recursive: true });
      await rename(from, to);
    }
    return id;
  } finally {
    await rm(scratch, { recursive: true, force: true });
    await rm(staging, { recursive: true, force: true });
  }
}
