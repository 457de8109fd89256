// Grades a patch against a task, SWE-bench style, in a fresh sandbox from the pristine starting state. The hidden tests
// exist only here, on the host side: they enter a grading container after the patch, never an agent's container.
import { mkdtemp, rm } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { randomBytes } from 'node:crypto';
import { execa } from 'execa';
import { withSandbox, type Sandbox } from '../sandbox/session.ts';
import type { Task } from './task.ts';
import { plainFolder, SAFE_GIT } from './git.ts';

export type TestStatus = 'passed' | 'failed' | 'skipped' | 'missing';

export interface GradeReport {
  taskId: string;
  patchApplied: boolean;
  /** Which attempt applied it: git-apply, git-apply-3way, git-apply-reject, patch-fuzz, or empty. */
  applyMethod?: string;
  resolved: boolean;
  failToPass: { success: string[]; failure: string[] };
  passToPass: { success: string[]; failure: string[] };
  /** Every test the reporter saw, and every expected one it did not (as missing). */
  tests: Record<string, TestStatus>;
  /** Set when the run could not be graded: no results, a timeout, a patch that does not apply. */
  error?: string;
  durationMs: number;
}

const GRADER_FILES = {
  'node-reporter.mjs': readFileSync(fileURLToPath(new URL('./grader/node-reporter.mjs', import.meta.url))),
  'unittest_runner.py': readFileSync(fileURLToPath(new URL('./grader/unittest_runner.py', import.meta.url))),
  'pytest_plugin.py': readFileSync(fileURLToPath(new URL('./grader/pytest_plugin.py', import.meta.url))),
};
const GIT = SAFE_GIT;
const RESET = `${GIT} reset -q --hard && ${GIT} clean -fdxq`;
const APPLY_ATTEMPTS: Array<[string, (patchFile: string) => string]> = [
  ['git-apply', (p) => `${GIT} apply --verbose ${p}`],
  ['git-apply-3way', (p) => `${GIT} apply --verbose --3way ${p}`],
  ['git-apply-reject', (p) => `${GIT} apply --verbose --reject ${p}`],
  ['patch-fuzz', (p) => `patch --batch --forward --fuzz=5 -p1 -i ${p}`],
];

/** The task's starting state on the host: the repository with base.patch applied (trusted data, so host git is fine). */
export async function startingState(task: Task): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), `clade-task-${task.meta.id}-`));
  await execa('bash', ['-c', 'tar -C "$1" --exclude=./.git -c . | tar -C "$2" -x', 'copy', task.repoDir, dir]);
  if (task.basePatch) {
    const r = await execa('git', ['apply', '--verbose', '-'], { cwd: dir, input: task.basePatch, reject: false, env: plainFolder(dir) });
    if (r.exitCode !== 0) {
      await rm(dir, { recursive: true, force: true });
      throw new Error(`task ${task.meta.id}: base.patch does not apply to bench/repos/${task.meta.repo}: ${r.stderr.trim()}`);
    }
  }
  return dir;
}

export async function gradePatch(task: Task, patch: string, opts: { image: string }): Promise<GradeReport> {
  const started = Date.now();
  const base = await startingState(task);
  try {
    return await withSandbox({ image: task.meta.image ?? opts.image, lifetimeSec: task.meta.timeLimitSec + 600 }, (sb) => grade(sb, task, base, patch, started));
  } finally {
    await rm(base, { recursive: true, force: true });
  }
}

async function grade(sb: Sandbox, task: Task, base: string, patch: string, started: number): Promise<GradeReport> {
  const { meta } = task;
  // A fresh name per run, outside the repository, for the grader's files and the results.
  const graderDir = `/workspace/.grader-${randomBytes(6).toString('hex')}`;
  await sb.sh(`mkdir -p repo ${graderDir}`);
  await sb.copyIn(base, '/workspace/repo');
  await sb.writeFiles({ ...GRADER_FILES, 'patch.diff': patch }, graderDir);
  const repo = { cwd: '/workspace/repo', timeoutSec: 60 };
  const snapshot = await sb.sh(`${GIT} init -q && ${GIT} add -A && ${GIT} commit -qm base`, repo);
  if (snapshot.exitCode !== 0) throw new Error(`grader: could not snapshot the starting state: ${snapshot.stderr}`);

  let applyMethod: string | undefined = patch.trim() === '' ? 'empty' : undefined;
  const attempts: string[] = [];
  for (const [name, command] of applyMethod ? [] : APPLY_ATTEMPTS) {
    const r = await sb.sh(command(`${graderDir}/patch.diff`), repo);
    if (r.exitCode === 0) {
      applyMethod = name;
      break;
    }
    attempts.push(`${name}: ${(r.stderr || r.stdout).trim().split('\n').slice(-2).join(' ')}`);
    await sb.sh(RESET, repo);
  }
  const expected = [...meta.failToPass, ...meta.passToPass];
  if (!applyMethod) {
    return finish(task, started, false, undefined, {}, expected, `the patch does not apply: ${attempts.join(' | ')}`);
  }

  // Whatever the patch did to the tests and their configuration is undone; then the hidden tests go in.
  const protectedPaths = [...new Set([...meta.testFiles, ...meta.protectedPaths])];
  const quoted = protectedPaths.map((p) => `'${p.replace(/'/g, `'\\''`)}'`).join(' ');
  const revert = await sb.sh(`for p in ${quoted}; do if ${GIT} cat-file -e "HEAD:$p" 2>/dev/null; then rm -rf "$p"; ${GIT} checkout HEAD -- "$p"; else rm -rf "$p"; fi; done`, repo);
  if (revert.exitCode !== 0) throw new Error(`grader: could not restore the protected files: ${revert.stderr}`);
  await sb.copyIn(task.testsDir, '/workspace/repo');

  const results = `${graderDir}/results.jsonl`;
  const files = meta.testFiles;
  const commands: Record<typeof meta.runner, string[]> = {
    'node-test': ['node', '--test', `--test-reporter=${graderDir}/node-reporter.mjs`, `--test-reporter-destination=${results}`, ...files],
    'python-unittest': ['python3', `${graderDir}/unittest_runner.py`, results, ...files],
    // The repository's own pytest configuration may add options; -o addopts= drops them, and the cache stays off.
    pytest: ['python3', '-m', 'pytest', '-p', 'pytest_plugin', '-p', 'no:cacheprovider', '-o', 'addopts=', '-q', ...files],
  };
  const env = meta.runner === 'pytest' ? { PYTHONPATH: graderDir, CLADE_GRADER_RESULTS: results, PATH: '/usr/local/bin:/usr/bin:/bin', HOME: '/workspace' } : undefined;
  const run = await sb.exec(commands[meta.runner], { ...repo, env, timeoutSec: meta.timeLimitSec });
  const raw = await sb.readFile(results).catch(() => Buffer.alloc(0));
  const seen: Record<string, TestStatus> = {};
  for (const line of raw.toString('utf8').split('\n')) {
    if (!line.trim()) continue;
    try {
      const { id, status } = JSON.parse(line) as { id: string; status: TestStatus };
      if (typeof id === 'string' && ['passed', 'failed', 'skipped'].includes(status)) seen[id] = status;
    } catch {
      // a torn last line from a killed run: the tests it would have named count as missing
    }
  }
  let error: string | undefined;
  if (run.timedOut) error = `the test run timed out after ${meta.timeLimitSec} s`;
  else if (Object.keys(seen).length === 0) error = `the test run produced no results (exit ${run.exitCode}): ${run.stderr.trim().split('\n').slice(-3).join(' ')}`;
  return finish(task, started, true, applyMethod, seen, expected, error);
}

function finish(task: Task, started: number, patchApplied: boolean, applyMethod: string | undefined, seen: Record<string, TestStatus>, expected: string[], error?: string): GradeReport {
  const tests: Record<string, TestStatus> = { ...seen };
  for (const id of expected) tests[id] ??= 'missing';
  // Only a test that ran and passed counts: skipped and missing ones are failures.
  const split = (ids: string[]) => ({ success: ids.filter((id) => tests[id] === 'passed'), failure: ids.filter((id) => tests[id] !== 'passed') });
  const failToPass = split(task.meta.failToPass);
  const passToPass = split(task.meta.passToPass);
  const resolved = patchApplied && !error && failToPass.failure.length === 0 && passToPass.failure.length === 0;
  return { taskId: task.meta.id, patchApplied, applyMethod, resolved, failToPass, passToPass, tests, error, durationMs: Date.now() - started };
}
