// Grades a patch against a task, SWE-bench style, in a fresh sandbox from the pristine starting state. The hidden tests
// exist only here, on the host side: they enter a grading container after the patch, never an agent's container.
import { mkdtemp, rm } from 'node:fs/promises';
import { lstatSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { projectPath } from '../lib/paths.ts';
import { randomBytes } from 'node:crypto';
import { execa } from 'execa';
import { withSandbox, type Sandbox } from '../sandbox/session.ts';
import type { Task } from './task.ts';
import { plainFolder, SAFE_GIT } from './git.ts';
import { addCanaries, judgeCanaries, withoutCanaries } from './grader/canaries.ts';
import { readChannel, type ChannelRead } from './grader/channel.ts';
import type { ExecResult } from '../sandbox/backend.ts';
import { RULES_BY_RUNNER } from './grader/protect.ts';
import { isLanguageRunner, LANGUAGE_RUNNERS } from './languages/index.ts';
import { taskImage } from './environment.ts';
import type { Canary, TestStatus } from './grader/types.ts';


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
  /**
   * Set, with the reason, when something in the test process made the results lie: a canary test passed or vanished,
   * or the results channel carried more than the grader's one record. Such a grade never resolves.
   */
  tampered?: string;
  /** Files the runner's rules (grader/protect.ts) put back as they were: `path`, or `path (in part)`; at most 50. */
  restored?: string[];
  /** Set when the code under test did not compile, with the compiler's last words: every test failed (not an error). */
  buildFailed?: string;
  durationMs: number;
}

const GRADER_FILES = Object.fromEntries(
  ['node-reporter.mjs', 'unittest_runner.py', 'pytest_plugin.py'].map((name) => [name, readFileSync(projectPath('bench', 'grader', name), 'utf8')]),
);
/** This run's copies of the grader's files, each carrying the nonce that marks its one results record. */
const graderFiles = (nonce: string) => Object.fromEntries(Object.entries(GRADER_FILES).map(([name, text]) => [name, text.replaceAll('__CLADE_NONCE__', nonce)]));
/** The test run's stdout is the results channel; room for a large suite's record, and a flood shows as tampering. */
const CHANNEL_BYTES = 16 * 1024 * 1024;
const REPO = '/workspace/repo';
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
    return await withSandbox({ image: await taskImage(task, opts.image), lifetimeSec: task.meta.timeLimitSec + 600 }, (sb) => grade(sb, task, base, patch, started));
  } finally {
    await rm(base, { recursive: true, force: true });
  }
}

async function grade(sb: Sandbox, task: Task, base: string, patch: string, started: number): Promise<GradeReport> {
  const { meta } = task;
  // A fresh name per run, outside the repository, for the grader's files; a fresh nonce for the one results record.
  const graderDir = `/workspace/.grader-${randomBytes(6).toString('hex')}`;
  const nonce = randomBytes(16).toString('hex');
  await sb.sh(`mkdir -p repo ${graderDir}`);
  await sb.copyIn(base, REPO);
  await sb.writeFiles({ ...graderFiles(nonce), 'patch.diff': patch }, graderDir);
  const repo = { cwd: REPO, timeoutSec: 60 };
  // -f: files the repository ignores are part of the starting state too, so restoring to it never loses them.
  const snapshot = await sb.sh(`${GIT} init -q && ${GIT} add -A -f && ${GIT} commit -qm base`, repo);
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

  // Whatever the patch did to the tests and their configuration is undone; then the hidden tests go in, with canaries.
  const protectedPaths = [...new Set([...meta.testFiles, ...meta.protectedPaths])];
  const quoted = protectedPaths.map((p) => `'${p.replace(/'/g, `'\\''`)}'`).join(' ');
  // The same command lists what else the patch changed, for the runner's rules.
  const revert = await sb.sh(
    `for p in ${quoted}; do if ${GIT} cat-file -e "HEAD:$p" 2>/dev/null; then rm -rf "$p"; ${GIT} checkout HEAD -- "$p"; else rm -rf "$p"; fi; done && ` +
      `{ ${GIT} diff --name-only -z --no-renames HEAD -- && ${GIT} ls-files -z --others; } > ${graderDir}/changed`,
    repo,
  );
  if (revert.exitCode !== 0) throw new Error(`grader: could not restore the protected files: ${revert.stderr}`);
  const restored = await restoreByRunner(sb, task, base, graderDir);
  const { files: withCanaries, canaries } = addCanaries(meta.runner, testFileTexts(task, base), expected);
  await sb.writeFiles({ ...hiddenFiles(task.testsDir), ...withCanaries }, REPO);

  const files = meta.testFiles;
  if (isLanguageRunner(meta.runner)) {
    const runner = LANGUAGE_RUNNERS[meta.runner];
    const ctx = { files, graderDir, nonce };
    const { script, env } = runner.command(ctx);
    const run = await sb.exec(['bash', '-c', script], { ...repo, env, timeoutSec: meta.timeLimitSec, maxOutputBytes: CHANNEL_BYTES });
    const read = await runner.results({ ...ctx, run, tests: withCanaries, readFile: (path, max) => sb.readFile(path, max).catch(() => undefined) });
    return { ...judge(task, started, applyMethod, expected, canaries, run, read, meta.timeLimitSec), ...(restored.length ? { restored } : {}) };
  }
  const commands: Record<'node-test' | 'python-unittest' | 'pytest', string[]> = {
    'node-test': ['node', '--test', `--test-reporter=${graderDir}/node-reporter.mjs`, '--test-reporter-destination=stdout', ...files],
    'python-unittest': ['python3', `${graderDir}/unittest_runner.py`, ...files],
    // The repository's own pytest configuration may add options; -o addopts= drops them, and the cache stays off.
    pytest: ['python3', '-m', 'pytest', '-p', 'pytest_plugin', '-p', 'no:cacheprovider', '-o', 'addopts=', '-q', ...files],
  };
  const env = meta.runner === 'pytest' ? { PYTHONPATH: graderDir, PYTHONDONTWRITEBYTECODE: '1', PATH: '/usr/local/bin:/usr/bin:/bin', HOME: '/workspace' } : undefined;
  const run = await sb.exec(commands[meta.runner], { ...repo, env, timeoutSec: meta.timeLimitSec, maxOutputBytes: CHANNEL_BYTES });
  return { ...judge(task, started, applyMethod, expected, canaries, run, readChannel(run.stdout, nonce), meta.timeLimitSec), ...(restored.length ? { restored } : {}) };
}

/** The grade from what the run reported: no results is an error, never a pass; canaries decide tampering. */
function judge(task: Task, started: number, applyMethod: string, expected: string[], canaries: Canary[], run: ExecResult, channel: ChannelRead, timeLimitSec: number): GradeReport {
  const seen = channel.kind === 'results' ? channel.results : {};
  let error: string | undefined;
  if (run.timedOut) error = `the test run timed out after ${timeLimitSec} s`;
  else if (channel.kind === 'unreadable') error = `the test run's results are unreadable: ${channel.reason}`;
  else if (channel.kind === 'none' && channel.buildFailed !== undefined) return { ...finish(task, started, true, applyMethod, {}, expected), buildFailed: channel.buildFailed.slice(0, 2000) };
  else if (channel.kind !== 'tampered' && Object.keys(seen).length === 0) error = `the test run produced no results (exit ${run.exitCode}): ${(run.stderr.trim() || run.stdout.trim()).split('\n').slice(-3).join(' ')}`;
  const tampered = channel.kind === 'tampered' ? channel.reason : judgeCanaries(canaries, seen);
  return finish(task, started, true, applyMethod, withoutCanaries(canaries, seen), expected, error, tampered);
}

/**
 * The runner's protected files (grader/protect.ts) that the patch changed, added or removed, put back as they were in
 * the starting state. The list of changed paths (`changed`, written by the caller) comes from the container, so it is data: it goes back in as a
 * NUL-separated file read by a fixed script, and only the files restored in part are read on the host, size-capped.
 */
async function restoreByRunner(sb: Sandbox, task: Task, base: string, graderDir: string): Promise<string[]> {
  const rules = RULES_BY_RUNNER[task.meta.runner];
  const repo = { cwd: REPO, timeoutSec: 120 };
  const raw = await sb.readFile(`${graderDir}/changed`, 16 * 1024 * 1024);
  const paths = splitNul(raw);
  const whole: Buffer[] = [];
  const merged: Record<string, string> = {};
  for (const bytes of paths) {
    const path = bytes.toString('utf8');
    if (rules.whole(path, task.meta.testFiles)) {
      whole.push(bytes);
      continue;
    }
    const merge = rules.partial(path);
    if (!merge) continue;
    // Not a regular file any more (removed, a link, a folder) or too large: it goes back whole.
    const patched = await sb.readFile(`${REPO}/${path}`, 1024 * 1024).catch(() => undefined);
    const text = patched === undefined ? null : merge(baseText(base, path), patched.toString('utf8'));
    if (text === null) whole.push(bytes);
    else if (patched === undefined || text !== patched.toString('utf8')) merged[path] = text;
  }
  if (Object.keys(merged).length) await sb.writeFiles(merged, REPO);
  const restored = [...whole.map((p) => p.toString('utf8')), ...Object.keys(merged).map((p) => `${p} (in part)`)].slice(0, 50);
  if (!whole.length) return restored;
  // Parents before what is under them: a folder the patch replaced with a link goes first, then comes back whole.
  whole.sort((a, b) => a.length - b.length);
  await sb.writeFiles({ restore: Buffer.concat(whole.flatMap((p) => [p, Buffer.from([0])])) }, graderDir);
  const script = `while IFS= read -r -d '' p; do rm -rf -- "$p"; if ${GIT} cat-file -e "HEAD:$p" 2>/dev/null; then ${GIT} --literal-pathspecs checkout HEAD -- "$p" || exit 1; fi; done < ${graderDir}/restore`;
  const r = await sb.sh(script, repo);
  if (r.exitCode !== 0) throw new Error(`grader: could not restore the runner's protected files: ${r.stderr}`);
  return restored;
}

function splitNul(raw: Buffer): Buffer[] {
  const out: Buffer[] = [];
  let start = 0;
  for (let i = raw.indexOf(0); i !== -1; i = raw.indexOf(0, start)) {
    if (i > start) out.push(raw.subarray(start, i));
    start = i + 1;
  }
  if (start < raw.length) out.push(raw.subarray(start));
  return out;
}

/** A file of the starting state (host side, trusted), if it is a regular file of reasonable size. */
function baseText(base: string, path: string): string | undefined {
  if (path.startsWith('/') || path.split('/').includes('..')) return undefined;
  try {
    const st = lstatSync(join(base, path));
    return st.isFile() && st.size <= 1024 * 1024 ? readFileSync(join(base, path), 'utf8') : undefined;
  } catch {
    return undefined;
  }
}

/** Every file of the task's hidden tests (host side, trusted), by its path in the repository. */
function hiddenFiles(dir: string, prefix = ''): Record<string, Buffer> {
  const out: Record<string, Buffer> = {};
  for (const entry of readdirSync(join(dir, prefix), { withFileTypes: true })) {
    const rel = prefix ? `${prefix}/${entry.name}` : entry.name;
    if (entry.isDirectory()) Object.assign(out, hiddenFiles(dir, rel));
    else if (entry.isFile()) out[rel] = readFileSync(join(dir, rel));
  }
  return out;
}

/** The test files as the hidden tests run them: the task's hidden version, or the starting state's. */
function testFileTexts(task: Task, base: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const file of task.meta.testFiles) {
    const hidden = baseText(task.testsDir, file);
    const text = hidden ?? baseText(base, file);
    if (text !== undefined) out[file] = text;
  }
  return out;
}

function finish(task: Task, started: number, patchApplied: boolean, applyMethod: string | undefined, seen: Record<string, TestStatus>, expected: string[], error?: string, tampered?: string): GradeReport {
  const tests: Record<string, TestStatus> = { ...seen };
  for (const id of expected) tests[id] ??= 'missing';
  // Only a test that ran and passed counts: skipped and missing ones are failures.
  const split = (ids: string[]) => ({ success: ids.filter((id) => tests[id] === 'passed'), failure: ids.filter((id) => tests[id] !== 'passed') });
  const failToPass = split(task.meta.failToPass);
  const passToPass = split(task.meta.passToPass);
  const resolved = patchApplied && !error && !tampered && failToPass.failure.length === 0 && passToPass.failure.length === 0;
  return { taskId: task.meta.id, patchApplied, applyMethod, resolved, failToPass, passToPass, tests, error, tampered, durationMs: Date.now() - started };
}
