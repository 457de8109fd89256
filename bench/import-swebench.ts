// Imports SWE-bench-format instances (SWE-bench, SWE-bench Verified, Multi-SWE-bench) as Clade tasks. Nothing is
// fetched: the repository source is a local clone the user points at, and the test environment is an image the user
// names. Each instance becomes repos/<id> (the tree at base_commit) and tasks/<id> (see TASKS.md).
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile, cp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
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
  return result;
}

async function importOne(inst: SweBenchInstance, opts: ImportOptions): Promise<string> {
  const [owner, name] = inst.repo.split('/') as [string, string];
  const clone = [join(opts.reposDir, `${owner}__${name}`), join(opts.reposDir, name)].find((d) => existsSync(d));
  if (!clone) throw new Error(`no local clone of ${inst.repo}: expected ${join(opts.reposDir, `${owner}__${name}`)} (or ${join(opts.reposDir, name)}); clone it there`);
  const id = taskId(inst.instance_id);
  const repoDir = join(opts.benchDir, 'repos', id);
  const taskDir = join(opts.benchDir, 'tasks', id);
  const has = await execa('git', ['cat-file', '-e', `${inst.base_commit}^{commit}`], { cwd: clone, reject: false });
  if (has.exitCode !== 0) throw new Error(`${clone} has no commit ${inst.base_commit}; fetch it into the clone`);
  await rm(repoDir, { recursive: true, force: true });
  await mkdir(repoDir, { recursive: true });
  await execa('bash', ['-c', 'git -C "$1" archive "$2" | tar -x -C "$3"', 'archive', clone, inst.base_commit, repoDir]);
  // The hidden tests are the files test_patch leaves behind, taken from a scratch copy with it applied.
  const scratch = await mkdtemp(join(tmpdir(), 'clade-import-'));
  try {
    await cp(repoDir, scratch, { recursive: true });
    const applied = await execa('git', ['apply', '-'], { cwd: scratch, input: inst.test_patch, reject: false, env: plainFolder(scratch) });
    if (applied.exitCode !== 0) throw new Error(`test_patch does not apply at ${inst.base_commit}: ${applied.stderr.trim()}`);
    const check = await execa('git', ['apply', '--check', '-'], { cwd: repoDir, input: inst.patch, reject: false, env: plainFolder(repoDir) });
    if (check.exitCode !== 0) throw new Error(`patch does not apply at ${inst.base_commit}: ${check.stderr.trim()}`);
    const ids = [...inst.FAIL_TO_PASS, ...inst.PASS_TO_PASS];
    const testFiles = [...new Set([...filesOf(inst.test_patch), ...ids.map((t) => t.split('::')[0]!)])];
    await rm(taskDir, { recursive: true, force: true });
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
    return id;
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}
