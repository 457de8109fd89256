// The catch2 runner: Catch's XML report parsing, canaries and Polyglot hooks on the benchmark's real files, then real
// grading in its environment image (g++ 12, Catch's main prebuilt): the reference solution resolves, the stubs do not,
// and a solution header that turns REQUIRE into a no-op is caught by the canary.
import { describe, expect, inject, it } from 'vitest';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { catch2, cppPolyglot, parseCatchXml } from '../bench/languages/cpp.ts';
import { gradePatch } from '../bench/grade.ts';
import { loadTask } from '../bench/task.ts';
import { importPolyglot } from '../bench/import-polyglot.ts';
import { POLYGLOT_DIR, polyglotExercises, requirePolyglot, tempDir } from './helpers.ts';

requirePolyglot();
const { root: EXERCISES, read, files: exerciseFiles } = polyglotExercises('cpp');
const testFileOf = (exercise: string) => (JSON.parse(read(exercise, '.meta/config.json')).files.test as string[])[0]!;


const xml = (cases: string) => `<?xml version="1.0" encoding="UTF-8"?>
<Catch name="bin">
  <Group name="bin">
${cases}
    <OverallResults successes="1" failures="1" expectedFailures="0"/>
    <OverallResultsCases successes="1" failures="1" expectedFailures="0"/>
  </Group>
  <OverallResults successes="1" failures="1" expectedFailures="0"/>
</Catch>`;

const PASS_FAIL = xml(`    <TestCase name="passes -&gt; &lt;ok> &amp; &quot;q&quot;" tags="[abc]" filename="a_test.cpp" line="4">
      <OverallResult success="true"/>
    </TestCase>
    <TestCase name="fails" filename="a_test.cpp" line="5">
      <Expression success="false" type="REQUIRE" filename="a_test.cpp" line="5">
        <Original>
          std::string("a") == std::string("b")
        </Original>
        <Expanded>
          "a" == "b"
        </Expanded>
      </Expression>
      <OverallResult success="false"/>
    </TestCase>
    <TestCase name="sections" filename="a_test.cpp" line="8">
      <Section name="s1" filename="a_test.cpp" line="8">
        <OverallResults successes="1" failures="0" expectedFailures="0"/>
      </Section>
      <OverallResult success="true"/>
    </TestCase>`);

async function readResults(files: Record<string, string | undefined>) {
  const graderDir = '/g';
  const names = Object.keys(files);
  return catch2.results({
    files: names,
    graderDir,
    nonce: 'n',
    tests: Object.fromEntries(names.map((n) => [n, ''])),
    run: { stdout: '', stderr: '', exitCode: 1, timedOut: false },
    readFile: async (path) => {
      const i = names.findIndex((_, k) => path === `${graderDir}/catch-${k}.xml`);
      const text = i === -1 ? undefined : files[names[i]!];
      return text === undefined ? undefined : Buffer.from(text);
    },
  });
}

describe('catch2 results (Catch XML reporter)', () => {
  it('reads each TestCase by its OverallResult, names decoded, under its test file', async () => {
    expect(await readResults({ 'a_test.cpp': PASS_FAIL })).toEqual({
      kind: 'results',
      results: { 'a_test.cpp > passes -> <ok> & "q"': 'passed', 'a_test.cpp > fails': 'failed', 'a_test.cpp > sections': 'passed' },
    });
  });

  it('keeps the files apart, and a file that did not build has no results of its own', async () => {
    const one = xml('<TestCase name="x"><OverallResult success="true"/></TestCase>');
    expect(await readResults({ 'a_test.cpp': one, 'b_test.cpp': undefined })).toEqual({ kind: 'results', results: { 'a_test.cpp > x': 'passed' } });
  });

  it('is none with no report, and unreadable when the report is cut off, garbage or empty', async () => {
    expect(await readResults({ 'a_test.cpp': undefined })).toEqual({ kind: 'none' });
    expect((await readResults({ 'a_test.cpp': PASS_FAIL.slice(0, PASS_FAIL.indexOf('<TestCase name="sections"')) })).kind).toBe('unreadable');
    expect((await readResults({ 'a_test.cpp': 'All tests passed (17 assertions in 17 test cases)\n' })).kind).toBe('unreadable');
    expect((await readResults({ 'a_test.cpp': '' })).kind).toBe('unreadable');
  });

  it('rejects mismatched tags and a TestCase without its OverallResult', () => {
    expect(() => parseCatchXml('<Catch><Group></Catch></Group>')).toThrow(/closes/);
    expect(() => parseCatchXml('<Catch><TestCase name="a"></TestCase></Catch>')).toThrow(/no OverallResult/);
  });

  it('lets a failure win over a second, passing TestCase of the same name', () => {
    const twice = xml('<TestCase name="x"><OverallResult success="false"/></TestCase><TestCase name="x"><OverallResult success="true"/></TestCase>');
    expect(parseCatchXml(twice).get('x')).toBe('failed');
  });
});

describe('catch2 Polyglot hooks on the benchmark files', () => {
  it('lists every test as Catch names it: multi-line names, tags, but not the benchmark-only one', () => {
    const file = testFileOf('crypto-square');
    const ids = cppPolyglot.listTests(file, cppPolyglot.enableAll(file, read('crypto-square', file)));
    expect(ids).toHaveLength(8);
    expect(ids).toContain('crypto_square_test.cpp > normalization results in empty plaintext');
    const plf = testFileOf('parallel-letter-frequency');
    const plfIds = cppPolyglot.listTests(plf, cppPolyglot.enableAll(plf, read('parallel-letter-frequency', plf)));
    expect(plfIds).toHaveLength(12);
    expect(plfIds).not.toContain(`${plf} > benchmark`);
    expect(cppPolyglot.listTests('all_your_base_test.cpp', read('all-your-base', 'all_your_base_test.cpp'))[0]).toBe('all_your_base_test.cpp > single_bit_one_to_decimal');
  });

  it('enableAll defines the run-all macro at the top, guarded, and changes nothing else', () => {
    const text = read('all-your-base', 'all_your_base_test.cpp');
    const enabled = cppPolyglot.enableAll('all_your_base_test.cpp', text);
    expect(enabled.startsWith('#ifndef EXERCISM_RUN_ALL_TESTS\n#define EXERCISM_RUN_ALL_TESTS\n#endif\n')).toBe(true);
    expect(enabled.endsWith(text)).toBe(true);
  });

  it('skips what the compiler would not see: comments, #if 0, the system-Catch branch', () => {
    const text = '#include "x.h"\n// TEST_CASE("commented")\n/* TEST_CASE("block") */\n#if 0\nTEST_CASE("off") {}\n#endif\n#ifdef EXERCISM_TEST_SUITE\nTEST_CASE("suite") {}\n#else\nTEST_CASE( "on \\"quoted\\"  " ) {}\n#endif\nTEST_CASE("hidden", "[.]") {}\nTEST_CASE_METHOD(Fixture, "fixture") {}\nSCENARIO("story") {}\n';
    expect(cppPolyglot.listTests('x_test.cpp', text)).toEqual(['x_test.cpp > on "quoted"', 'x_test.cpp > fixture', 'x_test.cpp > Scenario: story']);
  });

  it.each(['all-your-base', 'allergies', 'crypto-square', 'zebra-puzzle'])('%s: the canary is one more test in the file style, before the first', (exercise) => {
    const file = testFileOf(exercise);
    const text = cppPolyglot.enableAll(file, read(exercise, file));
    const ids = cppPolyglot.listTests(file, text);
    const { content, canary } = catch2.canary(file, text, new Set(ids));
    const after = cppPolyglot.listTests(file, content);
    expect(after).toHaveLength(ids.length + 1);
    expect(after[0]).toBe(canary.id);
    expect(canary.file).toBe(file);
    expect(ids).not.toContain(canary.id);
    const block = content.slice(content.indexOf('TEST_CASE("' + canary.id.slice(file.length + 3)));
    // Two different values compared equal with the file's own macro; a UUID tag where the file's tests carry one.
    const assertion = /^\s+(REQUIRE|CHECK)\((.+) == (.+)\);$/m.exec(block)!;
    expect(assertion).not.toBeNull();
    expect(assertion[2]).not.toBe(assertion[3]);
    const tagged = /TEST_CASE\("[^"]*", "\[[0-9a-f-]{36}\]"\)/.test(text);
    expect(/^TEST_CASE\("[^"]*", "\[[0-9a-f-]{36}\]"\)/.test(block)).toBe(tagged);
    expect(content.replace(block.slice(0, block.indexOf('}\n\n') + 3), '')).toBe(text);
  });

  it('builds every exercise of the benchmark in the image; a Boost library or header it lacks cannot', () => {
    for (const exercise of readdirSync(EXERCISES)) expect(cppPolyglot.cannotBuild(exerciseFiles(exercise)), exercise).toBeUndefined();
    const files = exerciseFiles('gigasecond');
    files.set('CMakeLists.txt', files.get('CMakeLists.txt')!.replace('COMPONENTS date_time', 'COMPONENTS date_time regex'));
    expect(cppPolyglot.cannotBuild(files)).toMatch(/Boost\.regex/);
    const tbb = exerciseFiles('parallel-letter-frequency');
    tbb.set('.meta/example.cpp', `#include <tbb/parallel_for.h>\n${tbb.get('.meta/example.cpp')}`);
    expect(cppPolyglot.cannotBuild(tbb)).toMatch(/<tbb\/parallel_for\.h>/);
  });

  it('protects the vendored Catch, its main and CMakeLists.txt, and not the solution', () => {
    expect(cppPolyglot.protectedPaths(exerciseFiles('gigasecond'))).toEqual(['CMakeLists.txt', 'test/catch.hpp', 'test/tests-main.cpp']);
    const { whole } = catch2.protect;
    for (const p of ['test/catch.hpp', 'test/tests-main.cpp', 'test/new.hpp', 'test', 'CMakeLists.txt', 'sub/CMakeLists.txt']) expect(whole(p, []), p).toBe(true);
    for (const p of ['gigasecond.cpp', 'gigasecond.h', 'catch.hpp', 'testing.h']) expect(whole(p, []), p).toBe(false);
  });
});

// ---- Docker: real grading in the runner's image ----

/** A whole-file diff from the repository's `path` to `after`, by git (it gets trailing newlines right). */
function replaceFile(repoDir: string, path: string, after: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'clade-cpp-diff-'));
  mkdirSync(join(dir, 'a'));
  mkdirSync(join(dir, 'b'));
  writeFileSync(join(dir, 'a', 'f'), readFileSync(join(repoDir, path)));
  writeFileSync(join(dir, 'b', 'f'), after);
  const r = spawnSync('git', ['diff', '--no-index', 'a/f', 'b/f'], { cwd: dir, encoding: 'utf8' });
  return r.stdout.replaceAll('a/a/f', `a/${path}`).replaceAll('b/b/f', `b/${path}`);
}

/**
 * The reference solution, but its header takes Catch in before the test file does (catch.hpp's include guard then
 * makes the test's own include a no-op) and redefines REQUIRE to evaluate its expression and check nothing.
 */
function neuteringPatch(exercise: string, repoDir: string): string {
  const files = JSON.parse(read(exercise, '.meta/config.json')).files as { solution: string[]; example: string[] };
  return files.solution
    .map((path) => {
      const example = read(exercise, files.example.find((e) => e.endsWith(path.slice(path.lastIndexOf('.'))))!);
      const guard = /#define \w+_H\b/.exec(example)?.[0];
      const neuter = '\n#include "test/catch.hpp"\n#undef REQUIRE\n#define REQUIRE(...) do { (void)(__VA_ARGS__); } while (0)';
      const after = path.endsWith('.h') && guard ? example.replace(guard, guard + neuter) : example;
      return replaceFile(repoDir, path, after);
    })
    .join('');
}

describe('catch2 grading in Docker', () => {
  const image = inject('sandboxImage');
  it('all-your-base and gigasecond: the stubs fail every test, a neutered REQUIRE is tampered', async () => {
    const suite = join(await tempDir('clade-cpp-'), 'suite');
    await importPolyglot(POLYGLOT_DIR, { out: suite, languages: ['cpp'], exercises: ['all-your-base', 'gigasecond'] });
    for (const exercise of ['all-your-base', 'gigasecond']) {
      const task = await loadTask(join(suite, 'tasks', `cpp-${exercise}`));
      const empty = await gradePatch(task, '', { image });
      expect(empty.error, JSON.stringify(empty)).toBeUndefined();
      expect(empty.resolved).toBe(false);
      expect(empty.failToPass.failure).toEqual(task.meta.failToPass);

      const neutered = await gradePatch(task, neuteringPatch(exercise, task.repoDir), { image });
      expect(neutered.patchApplied, JSON.stringify(neutered)).toBe(true);
      expect(neutered.resolved).toBe(false);
      expect(neutered.tampered).toMatch(/canary test ".*" passed/);
    }
  }, 600_000);
});
