// The grader, attacked from inside the test process: patches whose code, once imported by the tests, makes them pass
// without fixing anything. Each of these resolved its task before the grader had canaries, a results channel the
// tests cannot write, and per-runner protected files.
import { describe, expect, inject, it } from 'vitest';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { rm } from 'node:fs/promises';
import { execa } from 'execa';
import { gradePatch, startingState } from '../bench/grade.ts';
import { findTask, loadTask, type Task } from '../bench/task.ts';
import { addCanaries, judgeCanaries } from '../bench/grader/canaries.ts';
import { readChannel } from '../bench/grader/channel.ts';
import { RULES_BY_RUNNER, restorePackageFields } from '../bench/grader/protect.ts';
import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { Archive } from '../archive/archive.ts';
import { buildReportData } from '../evolve/report.ts';
import { renderReport } from '../report/html.ts';
import { tempDir } from './helpers.ts';

const image = inject('sandboxImage');
const jsTask = loadTask(fileURLToPath(new URL('./fixtures/bench/tasks/range-001', import.meta.url)));
const pyTask = findTask('inicfg-001');
const git = (cwd: string, ...args: string[]) => execa('git', ['-c', 'user.name=t', '-c', 'user.email=t@t', ...args], { cwd });

/** A patch from edits to the task's starting state, made with real git. */
async function patchFrom(task: Task, edit: (dir: string) => void): Promise<string> {
  const dir = await startingState(task);
  try {
    await git(dir, 'init', '-q');
    await git(dir, 'add', '-A');
    await git(dir, 'commit', '-qm', 'base');
    edit(dir);
    await git(dir, 'add', '-A');
    return (await git(dir, 'diff', '--cached', 'HEAD')).stdout + '\n';
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

const prepend = (file: string, text: string) => writeFileSync(file, text + readFileSync(file, 'utf8'));

// Every assertion function becomes a no-op, for CommonJS and ESM importers alike (named ESM bindings are resynced).
const NEUTER_ASSERT = `'use strict';
for (const id of ['node:assert', 'node:assert/strict']) {
  const a = require(id);
  for (const k of Object.keys(a)) if (typeof a[k] === 'function' && k !== 'strict' && !k.endsWith('Error')) a[k] = () => {};
}
require('node:module').syncBuiltinESMExports();
`;

// Every value assertion of TestCase passes (the context-manager ones, assertRaises and friends, are left real: the
// tests read their `.exception`).
const NEUTER_UNITTEST = `import unittest


def _never_fails(self, *args, **kwargs):
    return None


for _name in dir(unittest.TestCase):
    if (_name.startswith("assert") and not _name.startswith(("assertRaises", "assertWarns", "assertLogs", "assertNoLogs"))) or _name == "fail":
        setattr(unittest.TestCase, _name, _never_fails)
`;

// After the runner is done, every failed record in the grader's results file gets a passed one after it.
const ATEXIT_RESULTS = `import atexit
import glob
import json


def _pass_everything():
    for path in glob.glob("/workspace/.grader-*/*.jsonl") + glob.glob("/workspace/*.jsonl"):
        with open(path) as f:
            records = [json.loads(line) for line in f if line.strip()]
        with open(path, "a") as f:
            for r in records:
                if r.get("status") != "passed":
                    f.write(json.dumps({"id": r["id"], "status": "passed"}) + "\\n")


atexit.register(_pass_everything)
`;

describe('tampering from inside the test process: none of these resolves', () => {
  it('a library module that neuters node:assert and node:assert/strict when imported: the canaries pass, so the grade is tampered', async () => {
    const patch = await patchFrom(jsTask, (dir) => {
      writeFileSync(join(dir, 'lib/compat.js'), NEUTER_ASSERT);
      prepend(join(dir, 'lib/index.js'), "require('./compat');\n");
    });
    const r = await gradePatch(jsTask, patch, { image });
    expect(r.patchApplied).toBe(true);
    expect(r.resolved).toBe(false);
    expect(r.tampered).toMatch(/canary test .* passed/);
  });

  it('a Python atexit hook that appends passed records to the results file', async () => {
    const patch = await patchFrom(pyTask, (dir) => {
      writeFileSync(join(dir, 'inicfg/_atexit.py'), ATEXIT_RESULTS);
      prepend(join(dir, 'inicfg/__init__.py'), 'from . import _atexit  # noqa: F401\n');
    });
    const r = await gradePatch(pyTask, patch, { image });
    expect(r.patchApplied).toBe(true);
    expect(r.resolved).toBe(false);
    expect(r.failToPass.success).toEqual([]);
  });

  it('tests/__init__.py monkeypatching unittest.TestCase.assert*: restored before the hidden tests run', async () => {
    const patch = await patchFrom(pyTask, (dir) => writeFileSync(join(dir, 'tests/__init__.py'), NEUTER_UNITTEST));
    const r = await gradePatch(pyTask, patch, { image });
    expect(r.patchApplied).toBe(true);
    expect(r.resolved).toBe(false);
    expect(r.failToPass.success).toEqual([]);
    expect(r.passToPass.failure).toEqual([]); // the restored package, and the real tests, ran
  });

  it('the same monkeypatch from the library package itself: the canaries pass, so the grade is tampered', async () => {
    const patch = await patchFrom(pyTask, (dir) => {
      writeFileSync(join(dir, 'inicfg/_compat.py'), NEUTER_UNITTEST);
      prepend(join(dir, 'inicfg/__init__.py'), 'from . import _compat  # noqa: F401\n');
    });
    const r = await gradePatch(pyTask, patch, { image });
    expect(r.resolved).toBe(false);
    expect(r.tampered).toMatch(/canary test .* passed/);
  });
});

describe('the results channel: only the runner writes it, once', () => {
  it('a library that writes fake passing records onto the runner\'s stdout makes the grade tampered', async () => {
    // Node's test processes report to a parent; this one writes straight to the parent's stdout, as a forged record.
    const patch = await patchFrom(jsTask, (dir) => {
      const fake = Buffer.from(JSON.stringify(jsTask.meta.failToPass.map((id) => ({ id, status: 'passed' })))).toString('base64');
      prepend(join(dir, 'lib/index.js'), `try { require('node:fs').writeFileSync('/proc/' + process.ppid + '/fd/1', 'clade-results 0 ${fake}\\n'); } catch {}\n`);
    });
    const r = await gradePatch(jsTask, patch, { image });
    expect(r.resolved).toBe(false);
    expect(r.tampered).toMatch(/something besides the grader's runner wrote to the results channel/);
  });

  it('accepts exactly one record with the nonce, and nothing around it', () => {
    const record = (nonce: string, results: unknown) => `clade-results ${nonce} ${Buffer.from(JSON.stringify(results)).toString('base64')}\n`;
    const one = record('n0nce', [{ id: 'a > b', status: 'passed' }]);
    expect(readChannel(one, 'n0nce')).toEqual({ kind: 'results', results: { 'a > b': 'passed' } });
    expect(readChannel('', 'n0nce')).toEqual({ kind: 'none' });
    expect(readChannel(one + one, 'n0nce')).toMatchObject({ kind: 'tampered', reason: expect.stringMatching(/2 records/) });
    expect(readChannel(one + 'ok 1\n', 'n0nce')).toMatchObject({ kind: 'tampered', reason: expect.stringMatching(/0 characters before its record, 4 after/) });
    expect(readChannel(one.trimEnd(), 'n0nce')).toMatchObject({ kind: 'unreadable' });
    expect(readChannel(record('n0nce', [{ id: 'x', status: 'great' }]), 'n0nce')).toMatchObject({ kind: 'unreadable' });
  });
});

describe('canaries', () => {
  const js = readFileSync(join(jsTask.testsDir, 'test/hidden/range-001.test.js'), 'utf8');

  it('are written in the file\'s own style, with fresh names that collide with no test', () => {
    const a = addCanaries('node-test', { 'test/hidden/range-001.test.js': js }, jsTask.meta.failToPass);
    const b = addCanaries('node-test', { 'test/hidden/range-001.test.js': js }, jsTask.meta.failToPass);
    expect(a.canaries[0]!.id).not.toEqual(b.canaries[0]!.id);
    expect(jsTask.meta.failToPass).not.toContain(a.canaries[0]!.id);
    const added = a.files['test/hidden/range-001.test.js']!.slice(js.length);
    expect(added).toMatch(/^\ndescribe\('[a-z ]+', \(\) => \{\n {2}it\('[a-z ]+', \(\) => \{\n {4}assert\.(deepEqual|equal)\(/);
    const py = addCanaries('python-unittest', { 't.py': 'import unittest\n\n\nclass ParseTest(unittest.TestCase):\n    def test_x(self):\n        self.assertEqual(1, 1)\n\n\nif __name__ == "__main__":\n    unittest.main()\n' }, []);
    expect(py.files['t.py']).toMatch(/\n\n\nclass [A-Z][a-z]+[A-Za-z]*Test\(unittest\.TestCase\):\n {4}def test_[a-z_]+\(self\):\n {8}self\.assertEqual\(.+\)\n\n\nif __name__/);
  });

  it('make a grade tampered when one passes or vanishes while its file ran, and not when its file never loaded', () => {
    const canaries = [{ file: 'f.js', id: 'f.js > s > c', group: 'f.js > s' }];
    expect(judgeCanaries(canaries, { 'f.js > s > c': 'failed', 'f.js > s (suite)': 'failed', 'f.js > real': 'passed' })).toBeUndefined();
    expect(judgeCanaries(canaries, { 'f.js > s > c': 'passed', 'f.js > real': 'passed' })).toMatch(/canary test "f.js > s > c" passed/);
    expect(judgeCanaries(canaries, { 'f.js > s > c': 'skipped' })).toMatch(/skipped/);
    expect(judgeCanaries(canaries, { 'f.js > real': 'passed' })).toMatch(/missing from the results/);
    expect(judgeCanaries(canaries, { 'f.js (file)': 'failed' })).toBeUndefined();
  });
});

describe('protected files, by runner', () => {
  it('covers test folders, runner configs and resolution fields for Node; conftest, test packages and start-up hooks for Python', () => {
    const node = RULES_BY_RUNNER['node-test'];
    for (const path of ['test/helpers.js', 'test/hidden/node_modules/x/index.js', 'lib/__tests__/a.js', 'test', '.mocharc.json', 'jest.config.js']) expect(node.whole(path, []), path).toBe(true);
    for (const path of ['lib/index.js', 'README.md', 'lib/testing.js']) expect(node.whole(path, []), path).toBe(false);
    expect(node.partial('package.json')).toBeDefined();
    expect(node.partial('lib/package.json')).toBeDefined();
    const python = RULES_BY_RUNNER['python-unittest'];
    expect(RULES_BY_RUNNER.pytest).toBe(python);
    const testFiles = ['tests/unit/test_a.py', 'pkg/tests/test_b.py'];
    for (const path of ['conftest.py', 'pkg/conftest.py', 'pytest.ini', 'tox.ini', 'sitecustomize.py', 'usercustomize.py', 'evil.pth', 'tests/unit/__init__.py', 'tests/__init__.py', 'pkg/tests/__init__.py']) {
      expect(python.whole(path, testFiles), path).toBe(true);
    }
    for (const path of ['pkg/__init__.py', '__init__.py', 'pkg/core.py']) expect(python.whole(path, testFiles), path).toBe(false);
  });

  it('restores package.json resolution fields one by one, keeping the rest of the patch', () => {
    const base = JSON.stringify({ name: 'x', main: 'lib/index.js', description: 'old' });
    const patched = JSON.stringify({ name: 'x', main: 'lib/fake.js', type: 'module', imports: { '#a': './a.js' }, description: 'new' });
    expect(JSON.parse(restorePackageFields(base, patched)!)).toEqual({ name: 'x', main: 'lib/index.js', description: 'new' });
    expect(restorePackageFields(base, JSON.stringify({ name: 'x', main: 'lib/index.js', description: 'new' }))).toContain('"new"');
    expect(restorePackageFields(undefined, '{"type": "module"}')).toBe('{}\n');
    expect(restorePackageFields(base, 'not json')).toBe(base);
    expect(restorePackageFields(undefined, 'not json')).toBeNull();
  });

  it('restores the pytest sections of setup.cfg and pyproject.toml, keeping the rest of the patch', () => {
    const cfg = RULES_BY_RUNNER.pytest.partial('setup.cfg')!;
    const base = '[metadata]\nname = x\n\n[tool:pytest]\ntestpaths = tests\n';
    const patched = '[metadata]\nname = y\n\n[tool:pytest]\naddopts = -p evil\n';
    expect(cfg(base, patched)).toBe('[metadata]\nname = y\n\n[tool:pytest]\ntestpaths = tests\n');
    expect(cfg(base, '[metadata]\nname = y\n\n[tool:pytest]\ntestpaths = tests\n')).toBe('[metadata]\nname = y\n\n[tool:pytest]\ntestpaths = tests\n');
    const toml = RULES_BY_RUNNER.pytest.partial('pyproject.toml')!;
    const tbase = '[project]\nname = "x"\n';
    expect(toml(tbase, '[project]\nname = "y"\n\n[tool.pytest.ini_options]\naddopts = "-p evil"\n')).toBe('[project]\nname = "y"\n\n');
    // Spelled as a dotted key outside any pytest section: the whole file goes back.
    expect(toml(tbase, '[project]\nname = "y"\n\n[tool]\npytest.ini_options.addopts = "-p evil"\n')).toBe(tbase);
  });

  it('a real fix that also adds test helpers, runner config and package.json fields still resolves, with those put back', async () => {
    const patch = await patchFrom(jsTask, (dir) => {
      writeFileSync(join(dir, 'lib/range.js'), readFileSync(join(dir, 'lib/range.js'), 'utf8').replace('i < end - 1;', 'i < end;'));
      writeFileSync(join(dir, 'test/helpers.js'), 'module.exports = {};\n');
      writeFileSync(join(dir, '.mocharc.json'), '{"require": "lib/compat.js"}\n');
      const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as Record<string, unknown>;
      writeFileSync(join(dir, 'package.json'), JSON.stringify({ ...pkg, description: 'ranges', imports: { '#assert': './lib/compat.js' } }, null, 2));
    });
    const r = await gradePatch(jsTask, patch, { image });
    expect(r.resolved).toBe(true);
    expect(r.tampered).toBeUndefined();
    expect(r.restored?.sort()).toEqual(['.mocharc.json', 'package.json (in part)', 'test/helpers.js']);
  });
});

describe('a tampered grade in the archive, `clade archive` and the report', () => {
  const bin = fileURLToPath(new URL('../bin/clade.js', import.meta.url));
  const evaluation = (taskId: string, tampered?: string) => ({ variantId: 'v0', taskId, split: 'small', status: 'unresolved' as const, costUsd: 0, inputTokens: 1, outputTokens: 1, seconds: 1, trajectory: '', patch: '', grade: null, error: null, ...(tampered ? { tampered } : {}) });

  it('is recorded and shown, and an archive written before the column existed stays readable', async () => {
    const run = await tempDir();
    const seedDir = join(run, 'seed-src');
    mkdirSync(seedDir);
    writeFileSync(join(seedDir, 'README.md'), '# agent\n');
    let archive = await Archive.open(run, { create: true });
    await archive.add({ parentId: null, dir: seedDir, status: 'seed' });
    archive.recordEvaluation(evaluation('t1'));
    archive.close();
    // The archive as a version before the column wrote it: no tampered column, and no schema version kept (0).
    const raw = new Database(join(run, 'archive.db'));
    raw.exec('ALTER TABLE evaluations DROP COLUMN tampered');
    raw.pragma('user_version = 0');
    raw.close();

    archive = await Archive.open(run);
    expect(archive.evaluations()).toMatchObject([{ taskId: 't1', tampered: null }]);
    archive.recordEvaluation(evaluation('t2', 'canary test "t > x" passed'));
    const report = renderReport(await buildReportData(archive));
    archive.close();
    expect(report).toContain('<span class="badge tampered">tampered</span>');
    expect(report).toContain('tampered: canary test &quot;t &gt; x&quot; passed');

    const ls = await execa('node', [bin, 'archive', 'ls', '--run', run], { reject: false });
    expect(ls.stdout).toMatch(/⚠ tampered with 1 test run/);
    const show = await execa('node', [bin, 'archive', 'show', 'v0', '--run', run], { reject: false });
    expect(show.stdout).toMatch(/t2 {2}small {2}tampered.*\n {6}⚠ TAMPERED: canary test "t > x" passed/);
    expect(JSON.parse((await execa('node', [bin, 'archive', 'ls', '--run', run, '--json'])).stdout)).toMatchObject([{ id: 'v0', tampered: 1 }]);
  });
});
