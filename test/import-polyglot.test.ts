// The Polyglot importer on the real benchmark snapshot (read-only; never copied into the project): what a task is made
// of, that the gold patch is the reference solution over the stubs (checked with real git), seeded splits, and bad
// input refused with nothing half-written.
import { describe, expect, it } from 'vitest';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { importPolyglot } from '../bench/import-polyglot.ts';
import { loadTask } from '../bench/task.ts';
import { POLYGLOT_DIR } from './helpers.ts';

const temp = () => mkdtempSync(join(tmpdir(), 'clade-polyglot-test-'));

/** A benchmark checkout with only the given exercises, copied so that the test may break them. */
function miniBenchmark(exercises: Array<[string, string]>): string {
  const root = temp();
  for (const [language, name] of exercises) {
    cpSync(join(POLYGLOT_DIR, language, 'exercises', 'practice', name), join(root, language, 'exercises', 'practice', name), { recursive: true });
  }
  return root;
}

describe('bench import polyglot', () => {
  it('makes a task per exercise: stubs as the starting state, the tests hidden, every test to pass', async () => {
    const out = join(temp(), 'suite');
    const r = await importPolyglot(POLYGLOT_DIR, { out, languages: ['python'], exercises: ['bowling', 'paasio'] });
    expect(r.imported).toEqual(['python-bowling', 'python-paasio']);
    const task = loadTask(join(out, 'tasks', 'python-bowling'));
    expect(task.meta).toMatchObject({ language: 'python', runner: 'pytest', testFiles: ['bowling_test.py'], passToPass: [] });
    // Every test method of the file, by pytest's id.
    const source = readFileSync(join(POLYGLOT_DIR, 'python/exercises/practice/bowling/bowling_test.py'), 'utf8');
    expect(task.meta.failToPass).toHaveLength(source.match(/^ {4}def test_/gm)!.length);
    expect(task.meta.failToPass).toContain('bowling_test.py > BowlingTest > test_should_be_able_to_score_a_game_with_all_zeros');
    // The agent's repository has the stub and not the tests or the reference solution.
    expect(readdirSync(join(out, 'repos', 'python-bowling')).sort()).toEqual(['bowling.py']);
    expect(readFileSync(join(out, 'tasks', 'python-bowling', 'tests', 'bowling_test.py'), 'utf8')).toBe(source);
    expect(task.problem).toContain(readFileSync(join(POLYGLOT_DIR, 'python/exercises/practice/bowling/.docs/instructions.md'), 'utf8').trim());
    expect(task.problem).toContain('`bowling.py`');
    // paasio's test helper module is a test file too: hidden, and its own tests are none.
    const paasio = loadTask(join(out, 'tasks', 'python-paasio'));
    expect(paasio.meta.testFiles.sort()).toEqual(['paasio_test.py', 'test_utils.py']);
    expect(existsSync(join(out, 'repos', 'python-paasio', 'test_utils.py'))).toBe(false);
    const suite = JSON.parse(readFileSync(join(out, 'suite.json'), 'utf8'));
    expect(suite).toMatchObject({ name: 'polyglot', languages: ['python'] });
    expect(suite.source).toContain('7e0611e77b54e2dea774cdc0aa00cf9f7ed6144f');
  });

  it('writes a gold patch that git applies to the stubs and that gives the reference solution', async () => {
    const out = join(temp(), 'suite');
    await importPolyglot(POLYGLOT_DIR, { out, languages: ['python'], exercises: ['bowling', 'zipper'] });
    for (const name of ['bowling', 'zipper']) {
      const work = temp();
      cpSync(join(out, 'repos', `python-${name}`), work, { recursive: true });
      await execa('git', ['apply', '--verbose', join(out, 'tasks', `python-${name}`, 'gold.patch')], { cwd: work });
      const reference = readFileSync(join(POLYGLOT_DIR, 'python/exercises/practice', name, '.meta/example.py'), 'utf8');
      expect(readFileSync(join(work, `${name}.py`), 'utf8')).toBe(reference);
    }
  });

  it('draws seeded, stable splits that spread over the languages, and holds out only when asked', async () => {
    const a = join(temp(), 'a');
    const b = join(temp(), 'b');
    const c = join(temp(), 'c');
    await importPolyglot(POLYGLOT_DIR, { out: a, languages: ['python'] });
    await importPolyglot(POLYGLOT_DIR, { out: b, languages: ['python'] });
    await importPolyglot(POLYGLOT_DIR, { out: c, languages: ['python'], heldout: 5, seed: 7 });
    const splitsOf = (dir: string) => JSON.parse(readFileSync(join(dir, 'splits.json'), 'utf8'));
    expect(splitsOf(a)).toEqual(splitsOf(b));
    expect(splitsOf(a).small).toHaveLength(10);
    expect(splitsOf(a).heldout).toBeUndefined();
    const held = splitsOf(c);
    expect(held.heldout).toHaveLength(5);
    expect(held.small.filter((id: string) => held.heldout.includes(id))).toEqual([]);
    expect(held.medium.filter((id: string) => held.heldout.includes(id))).toEqual([]);
    expect(held.small).not.toEqual(splitsOf(a).small);
  });

  it('refuses a malformed exercise with one line naming it, and writes nothing', async () => {
    const root = miniBenchmark([['python', 'bowling'], ['python', 'zipper']]);
    // The snapshot is read-only; the copies must be writable to be broken.
    await execa('chmod', ['-R', 'u+w', root]);
    const config = join(root, 'python/exercises/practice/zipper/.meta/config.json');
    writeFileSync(config, JSON.stringify({ files: { solution: ['zipper.py'], test: [], example: ['.meta/example.py'] } }));
    const out = join(temp(), 'suite');
    const error = await importPolyglot(root, { out }).catch((e: Error) => e);
    expect(error).toBeInstanceOf(Error);
    expect((error as Error).message).toContain(join(root, 'python/exercises/practice/zipper'));
    expect((error as Error).message).toContain('files.test');
    expect((error as Error).message.split('\n')).toHaveLength(1);
    expect(existsSync(out)).toBe(false);
    expect(readdirSync(join(out, '..'))).toEqual([]);

    writeFileSync(config, '{ not json');
    expect(await importPolyglot(root, { out }).catch((e: Error) => e.message)).toMatch(/zipper: \.meta\/config\.json is not valid JSON/);
    rmSync(config);
    expect(await importPolyglot(root, { out }).catch((e: Error) => e.message)).toMatch(/zipper: no \.meta\/config\.json/);
    expect(existsSync(out)).toBe(false);
  });

  it('refuses an unknown language, a folder that is not a checkout, and an existing suite unless --force', async () => {
    const out = join(temp(), 'suite');
    expect(await importPolyglot(POLYGLOT_DIR, { out, languages: ['cobol'] }).catch((e: Error) => e.message)).toMatch(/unknown language "cobol"; the benchmark's languages are cpp, go, java, javascript, python, rust/);
    expect(await importPolyglot(temp(), { out }).catch((e: Error) => e.message)).toMatch(/has none of cpp\/exercises\/practice/);
    expect(await importPolyglot(join(temp(), 'nope'), { out }).catch((e: Error) => e.message)).toMatch(/no such folder/);
    expect(existsSync(out)).toBe(false);
    await importPolyglot(POLYGLOT_DIR, { out, languages: ['python'], exercises: ['bowling'] });
    expect(await importPolyglot(POLYGLOT_DIR, { out, languages: ['python'], exercises: ['zipper'] }).catch((e: Error) => e.message)).toMatch(/already exists; choose another --out, or pass --force/);
    await importPolyglot(POLYGLOT_DIR, { out, languages: ['python'], exercises: ['zipper'], force: true });
    expect(readdirSync(join(out, 'tasks'))).toEqual(['python-zipper']);
    expect(readdirSync(join(out, '..'))).toEqual(['suite']);
  });
});
