// SWE-bench-format import, from a local git repository: the instance becomes a task of a suite that validates like our
// own, and that `bench run` and `evolve` take with --suite.
import { describe, expect, it } from 'vitest';
import { mkdirSync, readdirSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { loadSuite } from '../bench/suite.ts';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { execa } from 'execa';
import { tempDir } from './helpers.ts';
import { EVOLVE_SCRIPT, NEW_LINE } from './fixtures/evolve-script.ts';

const bin = fileURLToPath(new URL('../bin/clade.js', import.meta.url));
const git = (cwd: string, ...args: string[]) => execa('git', ['-c', 'user.name=t', '-c', 'user.email=t@t', ...args], { cwd });

async function localProject(): Promise<{ clones: string; base: string; patch: string; testPatch: string }> {
  const clones = await tempDir();
  const repo = join(clones, 'local__calc');
  mkdirSync(join(repo, 'tests'), { recursive: true });
  writeFileSync(join(repo, 'calc.py'), 'def add(a, b):\n    return a - b\n\n\ndef sub(a, b):\n    return a - b\n');
  writeFileSync(join(repo, 'tests', 'test_calc.py'), 'import unittest\nimport calc\n\n\nclass TestSub(unittest.TestCase):\n    def test_sub(self):\n        self.assertEqual(calc.sub(5, 3), 2)\n');
  await git(repo, 'init', '-q');
  await git(repo, 'add', '-A');
  await git(repo, 'commit', '-qm', 'calc');
  const base = (await git(repo, 'rev-parse', 'HEAD')).stdout.trim();
  writeFileSync(join(repo, 'calc.py'), 'def add(a, b):\n    return a + b\n\n\ndef sub(a, b):\n    return a - b\n');
  const patch = (await git(repo, 'diff')).stdout + '\n';
  await git(repo, 'checkout', '-q', '--', 'calc.py');
  writeFileSync(join(repo, 'tests', 'test_add.py'), 'import unittest\nimport calc\n\n\nclass TestAdd(unittest.TestCase):\n    def test_add(self):\n        self.assertEqual(calc.add(2, 3), 5)\n\n    def test_add_negative(self):\n        self.assertEqual(calc.add(-2, -3), -5)\n');
  await git(repo, 'add', '-N', 'tests/test_add.py');
  const testPatch = (await git(repo, 'diff')).stdout + '\n';
  await git(repo, 'reset', '-q');
  await execa('rm', [join(repo, 'tests', 'test_add.py')]);
  return { clones, base, patch, testPatch };
}

/** One SWE-bench instance of the local project, as a line of the JSONL that `bench import swe-bench` reads. */
function instance(base: string, patch: string, testPatch: string) {
  return {
    instance_id: 'local__calc-1',
    repo: 'local/calc',
    base_commit: base,
    patch,
    test_patch: testPatch,
    problem_statement: 'add() subtracts\n\n`calc.add(2, 3)` returns -1.',
    FAIL_TO_PASS: JSON.stringify(['tests/test_add.py::TestAdd::test_add', 'tests/test_add.py::TestAdd::test_add_negative']),
    PASS_TO_PASS: ['tests/test_calc.py::TestSub::test_sub'],
    version: '1.0',
  };
}

describe('clade bench import swe-bench', () => {
  it('maps instances onto tasks that validate, and reports the broken ones', async () => {
    const { clones, base, patch, testPatch } = await localProject();
    const work = await tempDir();
    const good = instance(base, patch, testPatch);
    // A fix whose context is not in the repository: it must be refused, even with --out inside a git checkout (as the
    // default .clade/imported is), where git apply would otherwise skip the paths and report success.
    const stale = { ...good, instance_id: 'local__calc-2', patch: patch.replace('-    return a - b', '-    return a * b') };
    const lines = [JSON.stringify(good), JSON.stringify({ ...good, instance_id: 'broken-1', base_commit: undefined }), JSON.stringify({ ...good, instance_id: 'other-1', repo: 'someone/else' }), '{not json', JSON.stringify(stale)];
    await execa('git', ['init', '-q', work]);
    writeFileSync(join(work, 'instances.jsonl'), lines.join('\n') + '\n');
    const out = join(work, 'bench');
    const r = await execa('node', [bin, 'bench', 'import', 'swe-bench', join(work, 'instances.jsonl'), '--repos', clones, '--out', out, '--json'], { reject: false });
    expect(r.exitCode).toBe(1); // some lines failed
    const result = JSON.parse(r.stdout) as { imported: string[]; failed: Array<{ line: number; instance?: string; error: string }> };
    expect(result.imported).toEqual(['local__calc-1']);
    expect(result.failed.map((f) => f.line)).toEqual([2, 3, 4, 5]);
    expect(result.failed[0]!.error).toMatch(/base_commit: /);
    expect(result.failed[1]!.error).toMatch(/no local clone of someone\/else/);
    expect(result.failed[2]!.error).toMatch(/not JSON/);
    expect(result.failed[3]!.error).toMatch(/patch does not apply at /);

    const taskDir = join(out, 'tasks', 'local__calc-1');
    const meta = JSON.parse(readFileSync(join(taskDir, 'task.json'), 'utf8'));
    expect(meta).toMatchObject({ runner: 'pytest', language: 'python', failToPass: ['tests/test_add.py > TestAdd > test_add', 'tests/test_add.py > TestAdd > test_add_negative'], passToPass: ['tests/test_calc.py > TestSub > test_sub'] });
    expect(readFileSync(join(out, 'repos', 'local__calc-1', 'calc.py'), 'utf8')).toContain('return a - b');
    expect(existsSync(join(out, 'repos', 'local__calc-1', 'tests', 'test_add.py'))).toBe(false); // hidden: only in the task
    expect(existsSync(join(taskDir, 'tests', 'tests', 'test_add.py'))).toBe(true);
    // The folder is a suite, and an instance that failed left nothing behind.
    const suite = await loadSuite(out);
    expect(suite).toMatchObject({ name: 'bench', meta: { languages: ['python'] }, splits: { small: ['local__calc-1'], medium: ['local__calc-1'] } });
    expect(readdirSync(join(out, 'repos'))).toEqual(['local__calc-1']);
    expect(readdirSync(out).sort()).toEqual(['repos', 'splits.json', 'suite.json', 'tasks']);
  });

  it('makes a suite that validates, and that bench run and a short evolve work on, in Docker', async () => {
    const { clones, base, patch, testPatch } = await localProject();
    const work = await tempDir();
    writeFileSync(join(work, 'instances.jsonl'), JSON.stringify(instance(base, patch, testPatch)) + '\n');
    const suite = join(work, 'swe-local');
    const imported = await execa('node', [bin, 'bench', 'import', 'swe-bench', join(work, 'instances.jsonl'), '--repos', clones, '--out', suite], { reject: false, all: true });
    expect(imported.exitCode, imported.all).toBe(0);

    const v = await execa('node', [bin, 'bench', 'validate', '--suite', suite, '--json'], { reject: false, all: true });
    expect(JSON.parse(v.stdout), v.all).toMatchObject({ tasks: 1, goldResolved: 1, emptyResolved: 0, flaky: 0, failed: [] });

    writeFileSync(join(work, 'model.json'), JSON.stringify(EVOLVE_SCRIPT));
    const model = `scripted:${join(work, 'model.json')}`;
    // The seed on the suite's small split: the scripted solver gives up, so the task is run, graded and unresolved.
    const ran = await execa('node', [bin, 'bench', 'run', '--suite', suite, '--model', model, '--out', join(work, 'bench-out'), '--json'], { reject: false, all: true, timeout: 10 * 60_000 });
    expect(ran.exitCode, ran.all).toBe(0);
    expect(JSON.parse(ran.stdout)).toMatchObject({ tasks: 1, resolved: 0 });

    const run = join(work, 'run');
    const evolved = await execa('node', [bin, 'evolve', '--suite', suite, '--run', run, '--model', model, '--policy', 'dgm', '--tasks', 'local__calc-1', '--stage2', 'none', '--max-evals', '2', '--max-expansions', '1', '--json'], { reject: false, all: true, timeout: 10 * 60_000 });
    expect(evolved.exitCode, evolved.all).toBe(0);
    expect(JSON.parse(evolved.stdout)).toMatchObject({ variants: 2, invalid: 0, evaluations: 2 });
    const shown = await execa('node', [bin, 'archive', 'show', 'v1', '--run', run], { reject: false, all: true });
    expect(shown.exitCode, shown.all).toBe(0);
    expect(shown.stdout).toMatch(/^suite swe-local: /m);
    expect(shown.stdout).toMatch(/its evaluations by language: python 0\/1 0%/);
    const diff = await execa('node', [bin, 'archive', 'diff', 'v0', 'v1', '--run', run], { reject: false, all: true });
    expect(diff.stdout).toContain(`+${NEW_LINE}`);
  }, 1_200_000);
});
