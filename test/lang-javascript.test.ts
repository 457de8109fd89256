// The jest runner: its report parsing, canaries and Polyglot hooks on the benchmark's real files, then real grading in
// its environment image (jest 29 + babel from bench/languages/javascript-env): the reference solution resolves, the
// stubs do not, and a solution that swaps jest's `expect` for one that never fails is caught by the canary.
import { describe, expect, inject, it } from 'vitest';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { javascriptPolyglot, jest } from '../bench/languages/javascript.ts';
import { gradePatch } from '../bench/grade.ts';
import { loadTask, type Task } from '../bench/task.ts';
import { judgeCanaries } from '../bench/grader/canaries.ts';
import { checkLockfile } from '../bench/npm-install.ts';
import { importPolyglot } from '../bench/import-polyglot.ts';
import { POLYGLOT_DIR, polyglotExercises, requirePolyglot, tempDir } from './helpers.ts';

requirePolyglot();
const { root: EXERCISES, read, files: exerciseFiles } = polyglotExercises('javascript');


const assertion = (ancestorTitles: string[], title: string, status: string) => ({ ancestorTitles, title, status, fullName: [...ancestorTitles, title].join(' '), failureMessages: [] });

async function readResults(report: string | undefined, files = ['bowling.spec.js']) {
  const graderDir = '/g';
  return jest.results({
    files,
    graderDir,
    nonce: 'n',
    tests: {},
    run: { stdout: '', stderr: '', exitCode: 1, timedOut: false },
    readFile: async (path) => (path === `${graderDir}/jest.json` && report !== undefined ? Buffer.from(report) : undefined),
  });
}

describe('jest results (the --json report)', () => {
  it('reads passed, failed and skipped tests by file, describes and title; a failure wins over a duplicate pass', async () => {
    const report = {
      numTotalTests: 5,
      testResults: [
        {
          name: '/workspace/repo/bowling.spec.js',
          status: 'failed',
          assertionResults: [
            assertion(['Bowling', 'scores'], 'all zeros', 'passed'),
            assertion(['Bowling'], 'a strike', 'failed'),
            assertion([], 'top level', 'pending'),
            assertion([], 'later', 'todo'),
            assertion(['Bowling'], 'twice', 'passed'),
            assertion(['Bowling'], 'twice', 'failed'),
          ],
        },
        // A file the task does not name is none of its results.
        { name: '/workspace/repo/other.spec.js', assertionResults: [assertion([], 'x', 'passed')] },
        // A file that did not compile has no assertion results: its tests are missing.
        { name: '/workspace/repo/sub/bowling.spec.js', status: 'failed', message: 'SyntaxError', assertionResults: [] },
      ],
    };
    expect(await readResults(JSON.stringify(report), ['bowling.spec.js', 'sub/bowling.spec.js'])).toEqual({
      kind: 'results',
      results: {
        'bowling.spec.js > Bowling > scores > all zeros': 'passed',
        'bowling.spec.js > Bowling > a strike': 'failed',
        'bowling.spec.js > top level': 'skipped',
        'bowling.spec.js > later': 'skipped',
        'bowling.spec.js > Bowling > twice': 'failed',
      },
    });
  });

  it('names a file by the longest of the task files its path ends with', async () => {
    const report = { testResults: [{ name: '/workspace/repo/sub/a.spec.js', assertionResults: [assertion([], 't', 'passed')] }] };
    expect(await readResults(JSON.stringify(report), ['a.spec.js', 'sub/a.spec.js'])).toEqual({ kind: 'results', results: { 'sub/a.spec.js > t': 'passed' } });
  });

  it('is none without a report, and unreadable when it is not jest JSON', async () => {
    expect(await readResults(undefined)).toEqual({ kind: 'none' });
    expect(await readResults('')).toEqual({ kind: 'none' });
    expect((await readResults('PASS bowling.spec.js\n')).kind).toBe('unreadable');
    expect((await readResults('{"testResults": [{"name": 3}]}')).kind).toBe('unreadable');
    expect((await readResults('{"testResults": [{"name": "/x/bowling.spec.js", "assertionResults": [{"title": "t"}]}]}')).kind).toBe('unreadable');
  });

  it('runs jest from the image on exactly the task files, its report in the grader folder', () => {
    const { script, env } = jest.command({ files: ["it's.spec.js", 'b.spec.js'], graderDir: '/workspace/.grader-1', nonce: 'n' });
    expect(script).toContain("'--outputFile=/workspace/.grader-1/jest.json'");
    expect(script).toContain("'--cacheDirectory=/workspace/.grader-1/jest-cache'");
    for (const flag of ['--ci', '--runInBand', '--watchman=false', '--json', '--runTestsByPath']) expect(script).toContain(`'${flag}'`);
    expect(script).toMatch(/'--' 'it'\\''s\.spec\.js' 'b\.spec\.js'$/);
    expect(script.startsWith('rm -rf -- node_modules && ')).toBe(true);
    expect(env?.HOME).toBe('/workspace');
  });
});

describe('the jest environment', () => {
  it('installs from a lockfile that npm-install.ts accepts: registry packages by version and integrity', () => {
    const dir = new URL('../bench/languages/javascript-env/', import.meta.url);
    const manifest = JSON.parse(readFileSync(new URL('package.json', dir), 'utf8'));
    const lock = JSON.parse(readFileSync(new URL('package-lock.json', dir), 'utf8'));
    expect(() => checkLockfile(manifest, lock, 'https://registry.npmjs.org/')).not.toThrow();
    expect(lock.packages['node_modules/jest'].version).toMatch(/^29\./);
    expect(lock.packages['node_modules/@exercism/babel-preset-javascript'].version).toMatch(/^0\.2\./);
  });

  it('protects modules, mocks, babel and jest configuration and package.json, and nothing else', () => {
    const whole = (p: string) => jest.protect.whole(p, ['bowling.spec.js']);
    for (const p of ['node_modules', 'node_modules/core-js/index.js', 'sub/node_modules/x.js', '__mocks__/fs.js', 'babel.config.js', '.babelrc', 'sub/.babelrc.json', 'jest.config.js', 'package.json', 'sub/package.json']) {
      expect(whole(p), p).toBe(true);
    }
    for (const p of ['bowling.js', 'lib/helpers.js', 'data/iliad.txt', 'babel.js', 'README.md']) expect(whole(p), p).toBe(false);
  });
});

describe('test file lexing', () => {
  // The fixture's skip markers, spelled in parts so that no check takes them for this file's own.
  const skipped = (fn: string) => [fn, 'skip'].join('.');
  const src = [
    "// test('in a line comment', () => {})",
    "/* xtest('in a block comment', () => {}) */",
    "const re = /test\\('in a regex'/;",
    "const s = \"test('in a string')\";",
    "const t = `test('in a template ${'x'}')`;",
    "describe('outer \\'quoted\\'', () => {",
    "  xtest(\"it's double\", () => { expect(a / b).toBe(re.test('x')); });",
    `  ${skipped('describe')}('inner', () => {`,
    `    ${skipped('test')}(`,
    "      'multi line',",
    '      () => {},',
    '      20 * 1000,',
    '    );',
    "    fit('focused', () => {});",
    '  });',
    "  test('a' + name, () => {});",
    '});',
    "xit('top', () => {});",
  ].join('\n');

  it('lists tests under their describes, skipping calls in comments, strings, templates and regexes', () => {
    expect(javascriptPolyglot.listTests('x.spec.js', src)).toEqual([
      "x.spec.js > outer 'quoted' > it's double",
      "x.spec.js > outer 'quoted' > inner > multi line",
      "x.spec.js > outer 'quoted' > inner > focused",
      'x.spec.js > top',
    ]);
  });

  it('enableAll turns skipped and focused forms plain and touches nothing else', () => {
    const enabled = javascriptPolyglot.enableAll('x.spec.js', src);
    expect(enabled).toContain("  test(\"it's double\"");
    expect(enabled).toContain("  describe('inner'");
    expect(enabled).toContain('    test(\n');
    expect(enabled).toContain("    it('focused'");
    expect(enabled).toContain("\nit('top'");
    expect(enabled).toContain("/* xtest('in a block comment'");
    expect(enabled).not.toMatch(/^\s*(x|f)(test|it|describe)\(|\.(skip|only)\(/m);
    expect(javascriptPolyglot.listTests('x.spec.js', enabled)).toEqual(javascriptPolyglot.listTests('x.spec.js', src));
  });
});

describe('javascript Polyglot hooks on the benchmark', () => {
  it('lists every test of real files, with their describes', () => {
    const bowling = javascriptPolyglot.listTests('bowling.spec.js', read('bowling', 'bowling.spec.js'));
    expect(bowling).toHaveLength(30);
    expect(bowling[0]).toBe('bowling.spec.js > Bowling > Check game can be scored correctly. > should be able to score a game with all zeros');
    const words = javascriptPolyglot.listTests('word-search.spec.js', read('word-search', 'word-search.spec.js'));
    expect(words).toContain("word-search.spec.js > vertical directions > word doesn't exist > should fail to locate a word that is not in the puzzle");
    // Its two skipped tests (test.skip over several lines) are tests too.
    expect(javascriptPolyglot.listTests('robot-name.spec.js', read('robot-name', 'robot-name.spec.js'))).toContain('robot-name.spec.js > Robot > all the names can be generated');
  });

  it('enables xtest, xit and test.skip in real files', () => {
    for (const [exercise, file] of [['bowling', 'bowling.spec.js'], ['grep', 'grep.spec.js'], ['palindrome-products', 'palindrome-products.spec.js']]) {
      const text = read(exercise!, file!);
      const enabled = javascriptPolyglot.enableAll(file!, text);
      expect(enabled).not.toMatch(/^\s*(xtest|xit)\(|\btest\.skip\(/m);
      expect(enabled.split('\n')).toHaveLength(text.split('\n').length);
      expect(javascriptPolyglot.listTests(file!, enabled)).toEqual(javascriptPolyglot.listTests(file!, text));
    }
  });

  it.each(['bowling', 'grep', 'zipper'])('adds a canary to %s that listTests finds, in the file style', (exercise) => {
    const file = JSON.parse(read(exercise, '.meta/config.json')).files.test[0] as string;
    const content = javascriptPolyglot.enableAll(file, read(exercise, file));
    const taken = new Set(javascriptPolyglot.listTests(file, content));
    const made = jest.canary(file, content, taken);
    expect(made.content.startsWith(content.replace(/\n*$/, '\n'))).toBe(true);
    expect(taken.has(made.canary.id)).toBe(false);
    expect(javascriptPolyglot.listTests(file, made.content)).toEqual([...taken, made.canary.id]);
    const added = made.content.slice(content.length);
    const usesIt = /^\s*it\(/m.test(content) && !/^\s*test\(/m.test(content);
    expect(added).toMatch(usesIt ? /\bit\(/ : /\btest\(/);
    expect(added).toMatch(/expect\(.+\)\.(toEqual|toBe|toStrictEqual)\(.+\);/);
    expect(made.canary.group).toBe(made.canary.id.split(' > ').slice(0, 2).join(' > '));
    expect(judgeCanaries([made.canary], { [made.canary.id]: 'passed' })).toMatch(/canary/);
  });

  it('decides what cannot build: every benchmark exercise builds; a package the image lacks does not', () => {
    for (const exercise of readdirSync(EXERCISES)) expect(javascriptPolyglot.cannotBuild(exerciseFiles(exercise)), exercise).toBeUndefined();
    const files = exerciseFiles('bowling');
    files.set('bowling.js', "// require('lodash') in a comment is fine\nimport _ from 'lodash/fp';\n");
    expect(javascriptPolyglot.cannotBuild(files)).toMatch(/bowling\.js imports lodash/);
    files.set('bowling.js', "import { EventEmitter } from 'node:events';\nconst fs = require('fs');\nimport { expect } from '@jest/globals';\n");
    expect(javascriptPolyglot.cannotBuild(files)).toBeUndefined();
  });

  it('protects the build files and test fixtures', () => {
    expect(javascriptPolyglot.protectedPaths(exerciseFiles('bowling'))).toEqual(['.npmrc', 'babel.config.js', 'package.json']);
    expect(javascriptPolyglot.protectedPaths(exerciseFiles('grep'))).toEqual(['.npmrc', 'babel.config.js', 'data/iliad.txt', 'data/midsummer-night.txt', 'data/paradise-lost.txt', 'package.json']);
  });
});

// ---- Docker: real grading in the runner's image ----

// Loaded with the solution, this replaces jest's `expect` in the test file's global scope by one whose every matcher
// passes: every test, the canary included, "passes".
const NEUTER_EXPECT = `
const never = () => new Proxy(() => never(), { get: () => never() });
globalThis.expect = never;
`;

function neuteringPatch(task: Task, solution: string): string {
  const stub = readFileSync(join(task.repoDir, solution), 'utf8');
  const added = NEUTER_EXPECT.replace(/^\n/, '').replace(/\n$/, '').split('\n');
  const n = stub.replace(/\n$/, '').split('\n').length;
  return `--- a/${solution}\n+++ b/${solution}\n@@ -${n},0 +${n + 1},${added.length} @@\n${added.map((l) => `+${l}`).join('\n')}\n`;
}

describe('jest grading in Docker', () => {
  const image = inject('sandboxImage');

  it.each(['bowling', 'grep'])('%s: the stubs do not resolve, a neutered expect does not pass', async (exercise) => {
    const suite = join(await tempDir('clade-jest-'), 'suite');
    await importPolyglot(POLYGLOT_DIR, { out: suite, languages: ['javascript'], exercises: [exercise] });
    const task = loadTask(join(suite, 'tasks', `javascript-${exercise}`));
    const solution = (JSON.parse(read(exercise, '.meta/config.json')).files.solution as string[])[0]!;
    const empty = await gradePatch(task, '', { image });
    expect(empty.error, JSON.stringify(empty)).toBeUndefined();
    expect(empty.resolved).toBe(false);
    // grep's stub prints nothing, which is right for its three no-match tests; every other test fails.
    expect(empty.failToPass.failure.length).toBeGreaterThanOrEqual(task.meta.failToPass.length - (exercise === 'grep' ? 3 : 0));
    expect(empty.failToPass.failure.every((id) => empty.tests[id] !== 'passed')).toBe(true);

    const neutered = await gradePatch(task, neuteringPatch(task, solution), { image });
    expect(neutered.patchApplied, JSON.stringify(neutered)).toBe(true);
    expect(neutered.resolved).toBe(false);
    // grep's tests run the solution in a child process (node grep.js), so the patch never reaches jest's expect.
    if (exercise === 'grep') expect(neutered.tampered).toBeUndefined();
    else expect(neutered.tampered).toMatch(/canary test ".*" passed/);
  }, 300_000);
});
