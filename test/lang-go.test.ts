// The go-test runner: its test2json parsing, canaries and Polyglot hooks on the benchmark's real files, then real
// grading in its environment image (Go 1.19): the stubs fail every test, and a solution that forges test2json's pass
// lines is caught by the canary. That the references resolve is test/polyglot.test.ts's validation.
import { describe, expect, inject, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { goPolyglot, goTest, parseStream } from '../bench/languages/go.ts';
import { gradePatch } from '../bench/grade.ts';
import { loadTask, type Task } from '../bench/task.ts';
import { judgeCanaries } from '../bench/grader/canaries.ts';
import { importPolyglot } from '../bench/import-polyglot.ts';
import { POLYGLOT_DIR, polyglotExercises, requirePolyglot, tempDir } from './helpers.ts';

requirePolyglot();
const { read, files: exerciseFiles } = polyglotExercises('go');


const ev = (Action: string, Test?: string, Output?: string) => JSON.stringify({ Time: '2026-01-01T00:00:00Z', Action, Package: 'bowling', ...(Test ? { Test } : {}), ...(Output ? { Output } : {}) });

async function readResults(stream: string | undefined, tests: Record<string, string>, stderr = '') {
  const graderDir = '/g';
  return goTest.results({
    files: Object.keys(tests),
    graderDir,
    nonce: 'n',
    tests,
    run: { stdout: '', stderr, exitCode: 1, timedOut: false },
    readFile: async (path) => (path === `${graderDir}/go-test.json` && stream !== undefined ? Buffer.from(stream) : undefined),
  });
}

describe('go-test results (test2json stream)', () => {
  const tests = { 'a_test.go': 'package a\n\nimport "testing"\n\nfunc TestOne(t *testing.T) {}\nfunc TestTwo(t *testing.T) {}\nfunc TestThree(t *testing.T) {}\n' };

  it('reads pass, fail and skip by the file that declares each test, subtests below their test', async () => {
    const stream = [
      ev('start'),
      ev('run', 'TestOne'),
      ev('output', 'TestOne', '=== RUN   TestOne\n'),
      ev('pass', 'TestOne'),
      ev('run', 'TestTwo'),
      ev('run', 'TestTwo/empty_input'),
      ev('fail', 'TestTwo/empty_input'),
      ev('fail', 'TestTwo'),
      ev('run', 'TestThree'),
      ev('skip', 'TestThree'),
      ev('run', 'TestElsewhere'),
      ev('pass', 'TestElsewhere'),
      ev('fail'),
    ].join('\n');
    expect(await readResults(stream + '\n', tests)).toEqual({
      kind: 'results',
      results: { 'a_test.go > TestOne': 'passed', 'a_test.go > TestTwo': 'failed', 'a_test.go > TestTwo > empty_input': 'failed', 'a_test.go > TestThree': 'skipped' },
    });
  });

  it('lets a fail win over a forged pass, and fails a test that started but never ended', async () => {
    const stream = [ev('run', 'TestOne'), ev('fail', 'TestOne'), ev('pass', 'TestOne'), ev('run', 'TestTwo'), ev('output', 'TestTwo', 'panic: boom\n')].join('\n');
    expect(await readResults(stream, tests)).toEqual({ kind: 'results', results: { 'a_test.go > TestOne': 'failed', 'a_test.go > TestTwo': 'failed' } });
  });

  it('is none with no stream or an empty one, and unreadable when it is not test2json', async () => {
    expect(await readResults(undefined, tests)).toEqual({ kind: 'none' });
    expect(await readResults('', tests)).toEqual({ kind: 'none' });
    // What Go 1.19 writes to stdout under -json when the package does not compile: a build failure, with the
    // compiler's words from stderr, so the grade is every test failed rather than an error.
    expect(await readResults('FAIL\tbowling [build failed]\n', tests, '# bowling\n./bowling.go:3:1: syntax error\n')).toEqual({
      kind: 'none',
      buildFailed: 'FAIL\tbowling [build failed]\n# bowling\n./bowling.go:3:1: syntax error',
    });
    expect((await readResults('ok  \tbowling\t0.01s\n', tests)).kind).toBe('unreadable');
    expect((await readResults(`${ev('run', 'TestOne')}\n{"Action": oops}\n${ev('pass', 'TestOne')}\n`, tests)).kind).toBe('unreadable');
    expect((await readResults('{"Test": "TestOne"}\n{}\n', tests)).kind).toBe('unreadable');
  });

  it('takes a cut-off last line as the end of a killed run', () => {
    const parsed = parseStream(`${ev('run', 'TestOne')}\n{"Action":"pa`);
    expect(parsed).toEqual({ kind: 'events', statuses: new Map([['TestOne', 'failed']]) });
  });
});

describe('go Polyglot hooks on the benchmark', () => {
  it('lists top-level test functions, not benchmarks, TestMain or helpers', () => {
    const ids = goPolyglot.listTests('bowling_test.go', read('bowling', 'bowling_test.go'));
    expect(ids).toEqual(['bowling_test.go > TestRoll', 'bowling_test.go > TestScore']);
    expect(goPolyglot.listTests('ledger_test.go', read('ledger', 'ledger_test.go'))).toEqual([
      'ledger_test.go > TestFormatLedgerSuccess',
      'ledger_test.go > TestFormatLedgerFailure',
      'ledger_test.go > TestFormatLedgerNotChangeInput',
    ]);
    expect(goPolyglot.listTests('x_test.go', 'func Testing(t *testing.T) {}\nfunc TestMain(m *testing.M) {}\nfunc BenchmarkX(b *testing.B) {}\nfunc Test(t *testing.T) {}\nfunc TestÉte(t *testing.T) {}\n')).toEqual([
      'x_test.go > Test',
      'x_test.go > TestÉte',
    ]);
  });

  it('leaves test files as they are (nothing in them is skipped)', () => {
    const text = read('forth', 'forth_test.go');
    expect(goPolyglot.enableAll('forth_test.go', text)).toBe(text);
  });

  it.each(['bowling', 'ledger', 'robot-simulator', 'paasio'])('adds a canary to %s that listTests finds, in the file style', (exercise) => {
    const file = JSON.parse(read(exercise, '.meta/config.json')).files.test[0] as string;
    const content = read(exercise, file);
    const taken = new Set(goPolyglot.listTests(file, content));
    const made = goTest.canary(file, content, taken);
    // One insertion, before the file's first test: a test that panics ends the binary, and a canary after it would
    // go missing and call an honest run tampered.
    let at = 0;
    while (made.content[at] === content[at]) at++;
    const added = made.content.slice(at, at + made.content.length - content.length);
    expect(made.content.slice(0, at) + made.content.slice(at + added.length)).toBe(content);
    expect(taken.has(made.canary.id)).toBe(false);
    expect(goPolyglot.listTests(file, made.content)).toEqual([made.canary.id, ...taken]);
    // It fails the way the file's tests fail, and compares with reflect only where the file imports it.
    expect(added).toMatch(/\bt\.(Errorf|Fatalf)\(/);
    if (!/"reflect"/.test(content)) expect(added).not.toContain('reflect.');
    expect(judgeCanaries([made.canary], { [made.canary.id]: 'passed' })).toMatch(/canary/);
  });

  it('decides what cannot build: tests-less exercises, newer Go, modules to download', () => {
    expect(goPolyglot.cannotBuild(exerciseFiles('bowling'))).toBeUndefined();
    expect(goPolyglot.cannotBuild(exerciseFiles('robot-simulator'))).toBeUndefined();
    expect(goPolyglot.cannotBuild(exerciseFiles('counter'))).toMatch(/no tests/);
    expect(goPolyglot.cannotBuild(exerciseFiles('dnd-character'))).toMatch(/"slices"/);
    const newer = exerciseFiles('bowling');
    newer.set('go.mod', 'module bowling\n\ngo 1.21\n');
    expect(goPolyglot.cannotBuild(newer)).toMatch(/Go 1\.21/);
    const deps = exerciseFiles('bowling');
    deps.set('go.mod', 'module bowling\n\ngo 1.18\n\nrequire github.com/stretchr/testify v1.8.0\n');
    expect(goPolyglot.cannotBuild(deps)).toMatch(/downloaded/);
  });

  it('protects editor files, go.mod and the test files the benchmark leaves in the repository', () => {
    expect(goPolyglot.protectedPaths(exerciseFiles('two-bucket'))).toEqual(['bonus_test.go', 'cases_test.go', 'go.mod', 'go.sum']);
    expect(goPolyglot.protectedPaths(exerciseFiles('robot-simulator'))).toEqual(['defs.go', 'go.mod', 'go.sum', 'robot_simulator_step2_test.go', 'robot_simulator_step3_test.go']);
  });

  it('restores module files, vendor/, every _test.go and .syso objects, and nothing else', () => {
    const whole = (p: string) => goTest.protect.whole(p, ['bowling_test.go']);
    for (const p of ['go.mod', 'go.sum', 'go.work', 'sub/go.mod', 'vendor', 'vendor/modules.txt', 'zz_test.go', 'sub/a_test.go', 'x.syso']) expect(whole(p), p).toBe(true);
    for (const p of ['bowling.go', 'vendored.go', 'testdata/x.txt', 'go.mod.bak']) expect(whole(p), p).toBe(false);
  });
});

// ---- Docker: real grading in the runner's image ----

/** A task made from one exercise by the importer, as `clade bench import polyglot` makes it. */
async function makeTask(suite: string, exercise: string): Promise<Task> {
  await importPolyglot(POLYGLOT_DIR, { out: suite, languages: ['go'], exercises: [exercise] });
  return loadTask(join(suite, 'tasks', `go-${exercise}`));
}

// Go 1.19's test2json believes the test binary's text: this solution prints a pass for every test function it finds
// in the package's test files, then ends the binary before any test runs. The canary is among them, so it "passes".
const FORGE = `
func init() {
	if !strings.HasSuffix(os.Args[0], ".test") {
		return
	}
	entries, _ := os.ReadDir(".")
	re := regexp.MustCompile(\`(?m)^func (Test\\w*)\\(\`)
	for _, e := range entries {
		if !strings.HasSuffix(e.Name(), "_test.go") {
			continue
		}
		src, _ := os.ReadFile(e.Name())
		for _, m := range re.FindAllStringSubmatch(string(src), -1) {
			fmt.Printf("=== RUN   %s\\n--- PASS: %s (0.00s)\\n", m[1], m[1])
		}
	}
	fmt.Println("PASS")
	os.Exit(0)
}
`;

/**
 * The forger as a new file of the solution's package (so no protect rule touches it). `fill` makes the stubs compile
 * where they name a type the solver is to define: the solution stays wrong, only the stream says otherwise.
 */
function forgingPatch(task: Task, solution: string, fill: string): string {
  const pkg = /^package \w+/m.exec(readFileSync(join(task.repoDir, solution), 'utf8'))![0];
  const text = `${pkg}\n\nimport (\n\t"fmt"\n\t"os"\n\t"regexp"\n\t"strings"\n)\n${fill}${FORGE}`;
  const lines = text.replace(/\n$/, '').split('\n');
  return `diff --git a/zz_forge.go b/zz_forge.go\nnew file mode 100644\n--- /dev/null\n+++ b/zz_forge.go\n@@ -0,0 +1,${lines.length} @@\n${lines.map((l) => `+${l}`).join('\n')}\n`;
}

describe('go-test grading in Docker', () => {
  const image = inject('sandboxImage');

  it.each([
    ['bowling', 'bowling.go', '\ntype Game struct{}\n'],
    ['two-bucket', 'two_bucket.go', ''],
  ])('%s: the stubs fail every test, a forged pass stream is tampered', async (exercise, solution, fill) => {
    const task = await makeTask(join(await tempDir('clade-go-'), 'suite'), exercise);
    const empty = await gradePatch(task, '', { image });
    expect(empty.error, JSON.stringify(empty)).toBeUndefined();
    expect(empty.resolved).toBe(false);
    expect(empty.failToPass.failure).toEqual(task.meta.failToPass);
    expect(empty.failToPass.failure.every((id) => empty.tests[id] !== 'passed')).toBe(true);
    // bowling's stub declares no Game, so it does not compile: a grade of all-failed that says why, not an error.
    if (exercise === 'bowling') expect(empty.buildFailed).toMatch(/build failed/);
    else expect(empty.buildFailed).toBeUndefined();

    const forged = await gradePatch(task, forgingPatch(task, solution, fill), { image });
    expect(forged.patchApplied, JSON.stringify(forged)).toBe(true);
    expect(forged.resolved).toBe(false);
    expect(forged.tampered).toMatch(/canary test ".*" passed/);
  }, 300_000);
});
