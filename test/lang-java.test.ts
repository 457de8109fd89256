// The junit runner: its legacy-XML parsing, canaries and Polyglot hooks on the benchmark's real files, then real
// grading in its environment image (javac + JUnit 5's console launcher): the reference solution resolves, the stubs
// do not, and a solution that rewrites the JUnit report on the way out is caught by the canary.
import { describe, expect, inject, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createTwoFilesPatch } from 'diff';
import { javaPolyglot, junit, parseLegacyXml } from '../bench/languages/java.ts';
import { gradePatch } from '../bench/grade.ts';
import { loadTask, type Task } from '../bench/task.ts';
import { judgeCanaries } from '../bench/grader/canaries.ts';
import { importPolyglot } from '../bench/import-polyglot.ts';
import { POLYGLOT_DIR, polyglotExercises, requirePolyglot, tempDir } from './helpers.ts';

requirePolyglot();
const { read, files: exerciseFiles } = polyglotExercises('java');
const testFilesOf = (exercise: string) => JSON.parse(read(exercise, '.meta/config.json')).files.test as string[];


const report = (cases: string, close = '</testsuite>\n') =>
  `<?xml version="1.0" encoding="UTF-8"?>\n<testsuite name="JUnit Jupiter" tests="3">\n<properties>\n<property name="x" value="y"/>\n</properties>\n${cases}${close}`;

async function readResults(xml: string | undefined, tests: Record<string, string>) {
  const graderDir = '/g';
  return junit.results({
    files: Object.keys(tests),
    graderDir,
    nonce: 'n',
    tests,
    run: { stdout: '', stderr: '', exitCode: 1, timedOut: false },
    readFile: async (path) => (path === `${graderDir}/reports/TEST-junit-jupiter.xml` && xml !== undefined ? Buffer.from(xml) : undefined),
  });
}

describe('junit results (legacy XML report)', () => {
  const tests = {
    'src/test/java/FooTest.java': 'import org.junit.jupiter.api.*;\npublic class FooTest {\n  @Test void ok() {}\n  @Test void bad() {}\n  @Test void off() {}\n  @Nested class Inner { @Test void deep() {} }\n}\nclass ExtraTest { @Test void more() {} }\n',
  };

  it('reads passed, failed (failure or error) and skipped, nested classes under their outer class, by the declaring file', async () => {
    const xml = report(
      '<testcase name="ok()" classname="FooTest" time="0.1">\n<system-out><![CDATA[\nunique-id: x\n]]></system-out>\n</testcase>\n' +
        '<testcase name="bad()" classname="FooTest"><failure message="&lt;1&gt;" type="org.opentest4j.AssertionFailedError"><![CDATA[trace]]></failure></testcase>\n' +
        '<testcase name="off()" classname="FooTest"><skipped><![CDATA[@Disabled]]></skipped></testcase>\n' +
        '<testcase name="deep()" classname="FooTest$Inner"><error message="x" type="java.lang.IllegalStateException"/></testcase>\n' +
        '<testcase name="more()" classname="ExtraTest"/>\n' +
        '<testcase name="inorder()" classname="TreeTest"/>\n',
    );
    expect(await readResults(xml, tests)).toEqual({
      kind: 'results',
      results: {
        'src/test/java/FooTest.java > FooTest > ok': 'passed',
        'src/test/java/FooTest.java > FooTest > bad': 'failed',
        'src/test/java/FooTest.java > FooTest > off': 'skipped',
        'src/test/java/FooTest.java > FooTest > Inner > deep': 'failed',
        'src/test/java/FooTest.java > ExtraTest > more': 'passed',
        // A test class the hidden files do not declare: its canonical file.
        'src/test/java/TreeTest.java > TreeTest > inorder': 'passed',
      },
    });
  });

  it('ignores test cases spelled inside CDATA (printed text), and keeps the worst of repeated reports', async () => {
    const xml = report(
      '<testcase name="bad()" classname="FooTest"><system-out><![CDATA[</testcase><testcase name="ok()" classname="FooTest"/>]]></system-out><failure/></testcase>\n' +
        '<testcase name="bad()" classname="FooTest"/>\n',
    );
    expect(await readResults(xml, tests)).toEqual({ kind: 'results', results: { 'src/test/java/FooTest.java > FooTest > bad': 'failed' } });
  });

  it('is none without a report, unreadable when it is cut off or not a report', async () => {
    expect(await readResults(undefined, tests)).toEqual({ kind: 'none' });
    expect((await readResults('', tests)).kind).toBe('unreadable');
    expect((await readResults('Test run finished after 5 ms\n[ 3 tests successful ]\n', tests)).kind).toBe('unreadable');
    expect((await readResults(report('<testcase name="ok()" classname="FooTest"/>\n', ''), tests)).kind).toBe('unreadable');
    expect((await readResults(report('<testcase name="ok()" classname="FooTest">\n'), tests)).kind).toBe('unreadable');
    expect((await readResults(report('<testcase classname="FooTest"/>\n'), tests)).kind).toBe('unreadable');
    expect(parseLegacyXml(report(''))).toEqual([]);
  });
});

describe('java Polyglot hooks on the benchmark', () => {
  it('lists every @Test method, disabled or not, as file > class > method', () => {
    const file = 'src/test/java/BowlingGameTest.java';
    const ids = javaPolyglot.listTests(file, read('bowling', file));
    expect(ids).toHaveLength(31);
    expect(ids[0]).toBe(`${file} > BowlingGameTest > shouldBeAbleToScoreAGameWithAllZeros`);
    expect(ids).toContain(`${file} > BowlingGameTest > consecutiveSparesEachGetAOneRollBonus`);
    // A helper (playGame) is no test; an extension file has none.
    expect(ids.some((id) => id.endsWith('playGame'))).toBe(false);
    expect(javaPolyglot.listTests('src/test/java/LocaleExtension.java', read('ledger', 'src/test/java/LocaleExtension.java'))).toEqual([]);
    const nested = 'import org.junit.jupiter.api.*;\nclass ATest {\n  // @Test void commented() {}\n  String s = "@Test void quoted() {}";\n  @Test\n  @DisplayName("x (y)")\n  public void one() {}\n  @Nested class Inner {\n    @Test void two() { new Object() { void f() {} }; }\n  }\n  @TestFactory java.util.List<Object> dyn() { return null; }\n}\n';
    expect(javaPolyglot.listTests('ATest.java', nested)).toEqual(['ATest.java > ATest > one', 'ATest.java > ATest > Inner > two']);
  });

  it('removes every @Disabled, whatever its message, and nothing else', () => {
    for (const exercise of ['bowling', 'food-chain', 'forth']) {
      const file = testFilesOf(exercise)[0]!;
      const text = read(exercise, file);
      const enabled = javaPolyglot.enableAll(file, text);
      expect(enabled).not.toMatch(/@Disabled/);
      expect(javaPolyglot.listTests(file, enabled)).toEqual(javaPolyglot.listTests(file, text));
      // Only the annotation lines go.
      expect(text.split('\n').filter((l) => !/^\s*@Disabled(\(.*\))?\s*$/.test(l)).join('\n')).toBe(enabled);
    }
    expect(javaPolyglot.enableAll('A.java', '  @Disabled("a)b") @Test void x() {}\n  String s = "@Disabled";\n')).toBe('  @Test void x() {}\n  String s = "@Disabled";\n');
  });

  it.each([
    ['bowling', 'src/test/java/BowlingGameTest.java'],
    ['ledger', 'src/test/java/LedgerTest.java'],
    ['two-bucket', 'src/test/java/TwoBucketTest.java'],
    ['ledger', 'src/test/java/LocaleExtension.java'],
  ])('adds a canary to %s %s that listTests finds, in the file style', (exercise, file) => {
    const content = javaPolyglot.enableAll(file, read(exercise, file));
    const taken = new Set(javaPolyglot.listTests(file, content));
    const made = junit.canary(file, content, taken);
    expect(taken.has(made.canary.id)).toBe(false);
    expect(javaPolyglot.listTests(file, made.content)).toEqual([...taken, made.canary.id]);
    // One block of lines was inserted, and the rest of the file is as it was.
    const before = content.split('\n');
    const after = made.content.split('\n');
    let head = 0;
    while (before[head] === after[head]) head++;
    let tail = 0;
    while (tail < before.length - head && before[before.length - 1 - tail] === after[after.length - 1 - tail]) tail++;
    expect(head + tail).toBe(before.length);
    const added = after.slice(head, after.length - tail);
    if (taken.size) {
      // Inside the file's test class, with its assertion style.
      expect(made.canary.group).toBeUndefined();
      expect(added.join('\n')).toMatch(/@Test\n\s+public void \w+\(\) \{\n\s+assertThat\(.+\)\.isEqualTo\(.+\);/);
    } else {
      expect(made.canary.group).toMatch(/^src\/test\/java\/LocaleExtension\.java > \w+Test$/);
      expect(added.join('\n')).toMatch(/org\.junit\.jupiter\.api\.Assertions\.assertEquals/);
    }
    expect(judgeCanaries([made.canary], { [made.canary.id]: 'passed' })).toMatch(/canary/);
    expect(judgeCanaries([made.canary], { [made.canary.id]: 'failed' })).toBeUndefined();
  });

  it('decides what cannot build: libraries the image lacks, assertj API newer than 3.14', () => {
    expect(javaPolyglot.cannotBuild(exerciseFiles('bowling'))).toBeUndefined();
    expect(javaPolyglot.cannotBuild(exerciseFiles('ledger'))).toBeUndefined();
    expect(javaPolyglot.cannotBuild(exerciseFiles('hangman'))).toMatch(/io\.reactivex\.rxjava2:rxjava/);
    expect(javaPolyglot.cannotBuild(exerciseFiles('rest-api'))).toMatch(/org\.json:json/);
    expect(javaPolyglot.cannotBuild(exerciseFiles('mazy-mice'))).toMatch(/hasDimensions.*3\.14/);
    const imports = exerciseFiles('bowling');
    imports.set('src/test/java/BowlingGameTest.java', `import com.google.common.collect.ImmutableList;\n${imports.get('src/test/java/BowlingGameTest.java')}`);
    expect(javaPolyglot.cannotBuild(imports)).toMatch(/com\.google\.common/);
  });

  it('protects editor and build files, and restores everything under src/test', () => {
    expect(javaPolyglot.protectedPaths(exerciseFiles('satellite'))).toEqual(
      expect.arrayContaining(['build.gradle', 'src/main/java/Node.java', 'src/main/java/Tree.java', 'src/test/java/TreeTest.java']),
    );
    expect(javaPolyglot.protectedPaths(exerciseFiles('satellite'))).not.toContain('src/main/java/Satellite.java');
    const whole = (p: string) => junit.protect.whole(p, ['src/test/java/FooTest.java']);
    for (const p of ['src/test', 'src/test/java/Extra.java', 'src/test/resources/junit-platform.properties', 'src/test/java/FooTest.java']) expect(whole(p), p).toBe(true);
    for (const p of ['src/main/java/Foo.java', 'build.gradle', 'src/testing/X.java']) expect(whole(p), p).toBe(false);
  });
});

// ---- Docker: real grading in the runner's image ----

// A solution whose class, once loaded, leaves a shutdown hook that strips every failure from the JUnit report after
// the launcher wrote it: every test, the canary too, then reads as passed.
const REWRITE = `
    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try (var paths = java.nio.file.Files.walk(java.nio.file.Path.of("/workspace"))) {
                for (var p : (Iterable<java.nio.file.Path>) paths.filter(x -> x.getFileName().toString().startsWith("TEST-"))::iterator) {
                    String xml = java.nio.file.Files.readString(p);
                    xml = xml.replaceAll("(?s)<(failure|error)\\\\b.*?</\\\\1>", "").replaceAll("<(failure|error)\\\\b[^>]*/>", "");
                    java.nio.file.Files.writeString(p, xml);
                }
            } catch (Exception e) {
                // nothing to say
            }
        }));
    }
`;

function rewritingPatch(task: Task, solution: string): string {
  const stub = readFileSync(join(task.repoDir, solution), 'utf8');
  const cls = /\bclass\s+\w+[^{]*\{/.exec(stub)!;
  const at = cls.index + cls[0].length;
  const forged = stub.slice(0, at) + REWRITE + stub.slice(at);
  // The diff library writes the no-newline-at-end markers some stubs need.
  return createTwoFilesPatch(`a/${solution}`, `b/${solution}`, stub, forged, undefined, undefined, { context: 3 });
}

describe('junit grading in Docker', () => {
  const image = inject('sandboxImage');

  it.each([
    ['bowling', 'src/main/java/BowlingGame.java'],
    // Its repository keeps a test of its own (TreeTest), which runs beside the hidden one.
    ['satellite', 'src/main/java/Satellite.java'],
  ])('%s: the stubs fail every test, a report rewritten on exit is tampered', async (exercise, solution) => {
    const suite = join(await tempDir('clade-java-'), 'suite');
    await importPolyglot(POLYGLOT_DIR, { out: suite, languages: ['java'], exercises: [exercise] });
    const task = loadTask(join(suite, 'tasks', `java-${exercise}`));
    const empty = await gradePatch(task, '', { image });
    expect(empty.error, JSON.stringify(empty)).toBeUndefined();
    expect(empty.resolved).toBe(false);
    expect(empty.failToPass.failure).toEqual(task.meta.failToPass);
    expect(empty.failToPass.failure.every((id) => empty.tests[id] !== 'passed')).toBe(true);

    const rewritten = await gradePatch(task, rewritingPatch(task, solution), { image });
    expect(rewritten.patchApplied, JSON.stringify(rewritten)).toBe(true);
    expect(rewritten.resolved).toBe(false);
    expect(rewritten.tampered, JSON.stringify(rewritten)).toMatch(/canary test ".*" passed/);
  }, 400_000);
});
