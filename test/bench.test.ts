// The grader, attacked: patches that try to pass without fixing anything, and inputs that are simply broken.
import { describe, expect, inject, it } from 'vitest';
import { cpSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { execa } from 'execa';
import { gradePatch } from '../bench/grade.ts';
import { loadTask, TaskError, type Task } from '../bench/task.ts';
import { tempDir } from './helpers.ts';

const image = inject('sandboxImage');
const fixtures = fileURLToPath(new URL('./fixtures/bench', import.meta.url));
const taskDir = join(fixtures, 'tasks', 'range-001');
const task = loadTask(taskDir);
const bin = fileURLToPath(new URL('../bin/clade.js', import.meta.url));

/** A patch from edits to the task's starting state, made with real git. */
async function patchFrom(edit: (dir: string) => void): Promise<string> {
  const dir = await tempDir();
  cpSync(task.repoDir, dir, { recursive: true });
  await execa('git', ['apply', '-'], { cwd: dir, input: task.basePatch });
  await execa('git', ['init', '-q'], { cwd: dir });
  await execa('git', ['add', '-A'], { cwd: dir });
  await execa('git', ['-c', 'user.name=t', '-c', 'user.email=t@t', 'commit', '-qm', 'base'], { cwd: dir });
  edit(dir);
  await execa('git', ['add', '-A'], { cwd: dir });
  return (await execa('git', ['diff', '--cached', 'HEAD'], { cwd: dir })).stdout + '\n';
}

const FIX = (dir: string) => writeFileSync(join(dir, 'lib/range.js'), readFileSync(join(dir, 'lib/range.js'), 'utf8').replace('i < end - 1;', 'i < end;'));

describe('grading', () => {
  it('does not resolve the empty patch, and resolves the gold patch applied with git apply', async () => {
    const empty = await gradePatch(task, '', { image });
    expect(empty).toMatchObject({ resolved: false, patchApplied: true, applyMethod: 'empty' });
    expect(empty.failToPass.failure).toEqual(task.meta.failToPass);
    expect(empty.passToPass.success).toEqual(task.meta.passToPass);
    const gold = await gradePatch(task, task.goldPatch, { image });
    expect(gold).toMatchObject({ resolved: true, applyMethod: 'git-apply' });
    expect(gold.failToPass.success).toEqual(task.meta.failToPass);
  });

  it('falls back to fuzzy application for a patch whose context drifted', async () => {
    // Same change, but one context line no longer matches the file exactly.
    const drifted = task.goldPatch.replace(" function range(start, end, step = 1) {", " function range(start, end, step = 1) { ");
    const r = await gradePatch(task, drifted, { image });
    expect(r.patchApplied).toBe(true);
    expect(r.applyMethod).not.toBe('git-apply');
    expect(r.resolved).toBe(true);
  });
});

describe('anti-gaming: none of these resolves', () => {
  it('a patch that rewrites the hidden test file with tests that pass', async () => {
    const patch = await patchFrom((dir) => {
      mkdirSync(join(dir, 'test/hidden'), { recursive: true });
      writeFileSync(join(dir, 'test/hidden/range-001.test.js'), "const { describe, it } = require('node:test');\ndescribe('range end', () => { it('includes end - 1', () => {}); it('works with steps', () => {}); it('sums to end - 1', () => {}); });\n");
    });
    const r = await gradePatch(task, patch, { image });
    expect(r.patchApplied).toBe(true);
    expect(r.resolved).toBe(false);
    expect(r.failToPass.failure).toEqual(task.meta.failToPass);
  });

  it('a patch that adds test-runner configuration and skip markers', async () => {
    const patch = await patchFrom((dir) => {
      const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
      pkg.scripts = { test: "node -e \"console.log('# pass 3'); console.log('# fail 0')\"" };
      writeFileSync(join(dir, 'package.json'), JSON.stringify(pkg));
      writeFileSync(join(dir, '.noderc'), '--test-skip-pattern=.*\n');
      // The attack marks the fixture's own tests as skipped (spelled in parts so no linter takes it for ours).
      const skipped = ['it', 'skip'].join('.') + "('";
      writeFileSync(join(dir, 'test/step.test.js'), readFileSync(join(dir, 'test/step.test.js'), 'utf8').replaceAll("it('", skipped));
    });
    const r = await gradePatch(task, patch, { image });
    expect(r.resolved).toBe(false);
    // The skip markers were undone: the PASS_TO_PASS tests really ran.
    expect(r.passToPass.success).toEqual(task.meta.passToPass);
  });

  it('a patch that makes the code print fake passing output and exit 0', async () => {
    const patch = await patchFrom((dir) => {
      const index = join(dir, 'lib/index.js');
      writeFileSync(index, "console.log('TAP version 13\\nok 1 - includes end - 1\\nok 2 - works with steps\\nok 3 - sums to end - 1\\n# pass 3\\n# fail 0');\nprocess.exit(0);\n" + readFileSync(index, 'utf8'));
    });
    const r = await gradePatch(task, patch, { image });
    expect(r.resolved).toBe(false);
    expect(r.failToPass.failure.map((id) => r.tests[id])).toEqual(['missing', 'missing', 'missing']);
  });

  it('a patch that deletes the tests', async () => {
    const patch = await patchFrom((dir) => {
      rmSync(join(dir, 'test'), { recursive: true });
    });
    const r = await gradePatch(task, patch, { image });
    expect(r.resolved).toBe(false);
    expect(r.passToPass.success).toEqual(task.meta.passToPass); // restored, and run
  });

  it('while a real fix that also deletes the tests still resolves: the tests come back', async () => {
    const patch = await patchFrom((dir) => {
      FIX(dir);
      rmSync(join(dir, 'test'), { recursive: true });
    });
    expect((await gradePatch(task, patch, { image })).resolved).toBe(true);
  });
});

describe('bad input: a clear error or an unresolved result, never a crash', () => {
  async function brokenTask(edit: (meta: Record<string, unknown>) => void | string): Promise<string> {
    const root = await tempDir();
    cpSync(fixtures, root, { recursive: true });
    const metaPath = join(root, 'tasks', 'range-001', 'task.json');
    const meta = JSON.parse(readFileSync(metaPath, 'utf8')) as Record<string, unknown>;
    const replaced = edit(meta);
    writeFileSync(metaPath, typeof replaced === 'string' ? replaced : JSON.stringify(meta));
    return join(root, 'tasks', 'range-001');
  }

  it('names what is wrong in task metadata', async () => {
    const load = async (edit: (meta: Record<string, unknown>) => void | string) => loadTask(await brokenTask(edit));
    expect(() => loadTask(fixtures)).toThrow(/no task\.json.*TASKS\.md/);
    await expect(load(() => '{"id": ')).rejects.toThrow(/task\.json is not valid JSON/);
    await expect(load((m) => void delete m.failToPass)).rejects.toThrow(/failToPass: .*TASKS\.md/);
    await expect(load((m) => void (m.runner = 'mocha-xyz'))).rejects.toThrow(/runner: /);
    await expect(load((m) => void (m.id = 'other'))).rejects.toThrow(/id "other" must match the folder name "range-001"/);
    await expect(load((m) => void (m.repo = 'nope'))).rejects.toThrow(/repo "nope" is not a folder/);
    await expect(load((m) => void (m.testFiles = ['../../etc/passwd']))).rejects.toThrow(/must be a path inside the repository/);
    await expect(load((m) => void (m.failToPass = ['test/other.test.js > x']))).rejects.toThrow(/not in testFiles/);
    await expect(load(() => '{')).rejects.toBeInstanceOf(TaskError);
  });

  it('reports a patch that does not apply as unresolved, saying why', async () => {
    const r = await gradePatch(task, 'diff --git a/nope.js b/nope.js\n--- a/nope.js\n+++ b/nope.js\n@@ -1 +1 @@\n-x\n+y\n', { image });
    expect(r).toMatchObject({ resolved: false, patchApplied: false });
    expect(r.error).toMatch(/the patch does not apply: git-apply: .*patch-fuzz: /);
    const garbage = await gradePatch(task, 'this is not a patch at all\n', { image });
    expect(garbage).toMatchObject({ resolved: false, patchApplied: false });
  });

  it('kills a test run that hangs at the time limit', async () => {
    const dir = await brokenTask((m) => void (m.timeLimitSec = 3));
    const slow: Task = loadTask(dir);
    const patch = await patchFrom((d) => writeFileSync(join(d, 'lib/index.js'), 'while (true) {}\n'));
    const started = Date.now();
    const r = await gradePatch(slow, patch, { image });
    expect(r.resolved).toBe(false);
    expect(r.error).toBe('the test run timed out after 3 s');
    expect(Date.now() - started).toBeLessThan(30_000);
  });

  it('clade bench eval prints the SWE-bench-style report', async () => {
    const dir = await tempDir();
    writeFileSync(join(dir, 'gold.patch'), task.goldPatch);
    const r = await execa('node', [bin, 'bench', 'eval', '--task', 'range-001', '--dir', join(fixtures, 'tasks'), '--patch', join(dir, 'gold.patch'), '--json'], { reject: false });
    expect(r.exitCode).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ taskId: 'range-001', resolved: true, patchApplied: true });
    const missing = await execa('node', [bin, 'bench', 'eval', '--task', 'nope', '--dir', join(fixtures, 'tasks'), '--patch', join(dir, 'gold.patch')], { reject: false });
    expect(missing.exitCode).toBe(1);
    expect(missing.stderr).toContain('no task "nope"');
  });

  it('clade bench validate passes a good task and names what fails in a bad one', async () => {
    const good = await execa('node', [bin, 'bench', 'validate', '--dir', taskDir, '--json'], { reject: false });
    expect(JSON.parse(good.stdout)).toMatchObject({ tasks: 1, goldResolved: 1, emptyResolved: 0, flaky: 0, failed: [] });
    // A FAIL_TO_PASS that already passes before the fix, and a gold patch that fixes nothing.
    const bad = await brokenTask((m) => void (m.failToPass = [...(m.failToPass as string[]), 'test/step.test.js > step > rejects a step of zero']));
    writeFileSync(join(bad, 'gold.patch'), '');
    const r = await execa('node', [bin, 'bench', 'validate', '--dir', bad, '--json'], { reject: false });
    expect(r.exitCode).toBe(1);
    const report = JSON.parse(r.stdout) as { failed: string[]; results: Array<{ reasons: string[] }> };
    expect(report.failed).toEqual(['range-001']);
    expect(report.results[0]!.reasons.join('\n')).toMatch(/FAIL_TO_PASS passes without the fix: test\/step\.test\.js > step > rejects a step of zero/);
    expect(report.results[0]!.reasons.join('\n')).toMatch(/gold run 1 does not resolve/);
  });
});

describe('clade bench run', () => {
  it('runs the agent in one sandbox and grades in another, with a Wilson interval, and the agent never sees the hidden tests', async () => {
    const work = await tempDir();
    const script = {
      responses: [
        // Look everywhere the hidden tests could be: the repository, the whole filesystem.
        { content: [{ type: 'tool_use', name: 'bash', input: { command: 'ls test; find / -name "range-001*" -not -path "/proc/*" 2>/dev/null | wc -l' } }], stop_reason: 'tool_use' },
        { content: [{ type: 'tool_use', name: 'str_replace_based_edit_tool', input: { command: 'str_replace', path: 'lib/range.js', old_str: 'i < end - 1;', new_str: 'i < end;' } }], stop_reason: 'tool_use' },
        { content: [{ type: 'text', text: 'Fixed.' }], stop_reason: 'end_turn' },
      ],
    };
    writeFileSync(join(work, 'script.json'), JSON.stringify(script));
    const out = join(work, 'out');
    const r = await execa('node', [bin, 'bench', 'run', '--split', 'small', '--dir', join(fixtures, 'tasks'), '--model', `scripted:${join(work, 'script.json')}`, '--out', out, '--json'], { reject: false, timeout: 600_000 });
    expect(r.exitCode).toBe(0);
    const report = JSON.parse(r.stdout) as { tasks: number; resolved: number; resolveRate: number; interval95: { low: number; high: number }; results: Array<{ taskId: string; status: string; costUsd: number; trajectory: string; grade: { resolved: boolean } }> };
    expect(report).toMatchObject({ tasks: 1, resolved: 1, resolveRate: 1 });
    expect(report.interval95.low).toBeCloseTo(0.2065, 3); // Wilson, 1 of 1
    expect(report.interval95.high).toBe(1);
    expect(report.results[0]).toMatchObject({ taskId: 'range-001', status: 'resolved', grade: { resolved: true } });
    expect(report.results[0]!.costUsd).toBeGreaterThan(0);
    const steps = readFileSync(report.results[0]!.trajectory, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { type: string; output?: string });
    expect(steps.find((s) => s.type === 'tool_call')!.output).toBe('range.test.js\nstep.test.js\n0\n[exit code 0]');
    expect(JSON.parse(readFileSync(join(out, 'report.json'), 'utf8')).resolved).toBe(1);
  });

  it('computes Wilson intervals', async () => {
    const { wilson } = await import('../lib/wilson.ts');
    expect(wilson(0, 0)).toEqual({ low: 0, high: 1 });
    const half = wilson(5, 10);
    expect(half.low).toBeCloseTo(0.2366, 3);
    expect(half.high).toBeCloseTo(0.7634, 3);
    expect(wilson(0, 10).low).toBe(0);
  });
});
