// Suites: loading, the errors a broken one gets (one line, naming the file, nothing written), the content hash, and
// the commands that take --suite: listing, the held-out refusal and the refusal to resume on a changed suite.
import { describe, expect, it } from 'vitest';
import { cpSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { execa } from 'execa';
import { BUILTIN, loadSuite, splitTasks, suiteHash, SuiteError } from '../bench/suite.ts';
import { BENCH_DIR } from '../bench/task.ts';
import { tempDir } from './helpers.ts';

const bin = fileURLToPath(new URL('../bin/clade.js', import.meta.url));
const clade = (args: string[], cwd?: string) => execa('node', [bin, ...args], { reject: false, cwd, timeout: 600_000 });

const SUITE_JSON = { name: 'tiny', description: 'two built-in tasks', languages: ['javascript'], source: 'bench/ of this repository', license: 'MIT', limits: { taskTimeoutSec: 300, taskUsd: 0.5, maxTurns: 7 } };

/** A suite in a temp folder made of built-in tasks: `ids` run, `blocked` are marked cannotBuild. */
async function tinySuite(opts: { ids?: string[]; blocked?: Record<string, string>; splits?: unknown; meta?: unknown } = {}): Promise<string> {
  const dir = join(await tempDir(), 'tiny');
  const ids = opts.ids ?? ['semverlite-001', 'semverlite-002'];
  for (const id of [...ids, ...Object.keys(opts.blocked ?? {})]) {
    cpSync(join(BENCH_DIR, 'tasks', id), join(dir, 'tasks', id), { recursive: true });
    const meta = JSON.parse(readFileSync(join(BENCH_DIR, 'tasks', id, 'task.json'), 'utf8'));
    cpSync(join(BENCH_DIR, 'repos', meta.repo), join(dir, 'repos', meta.repo), { recursive: true });
    if (opts.blocked?.[id]) writeFileSync(join(dir, 'tasks', id, 'task.json'), JSON.stringify({ ...meta, cannotBuild: opts.blocked[id] }));
  }
  writeFileSync(join(dir, 'suite.json'), typeof opts.meta === 'string' ? opts.meta : JSON.stringify(opts.meta ?? SUITE_JSON));
  writeFileSync(join(dir, 'splits.json'), JSON.stringify(opts.splits ?? { small: [ids[0]], medium: ids }));
  return dir;
}

/** Every file under `dir` with a digest of its bytes: equal before and after means nothing was written. */
function snapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (p: string) => {
    for (const name of readdirSync(p)) {
      const full = join(p, name);
      if (statSync(full).isDirectory()) walk(full);
      else out[relative(dir, full)] = createHash('sha256').update(readFileSync(full)).digest('hex');
    }
  };
  walk(dir);
  return out;
}

async function loadError(dirOrName: string): Promise<SuiteError> {
  const err = await loadSuite(dirOrName).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(SuiteError);
  const message = (err as SuiteError).message;
  expect(message.split('\n')).toHaveLength(1);
  return err as SuiteError;
}

describe('loadSuite', () => {
  it('loads the built-in tasks as the suite "builtin", with splits and a hash', async () => {
    const started = performance.now();
    const suite = await loadSuite();
    console.log(`builtin suite: loaded and hashed ${suite.tasks.length} tasks in ${(performance.now() - started).toFixed(0)} ms`);
    expect(suite.name).toBe(BUILTIN);
    expect(suite.tasks).toHaveLength(43);
    expect(suite.hash).toMatch(/^[0-9a-f]{64}$/);
    expect(splitTasks(suite, 'small')).toHaveLength(10);
    // full: every task not held out.
    expect(splitTasks(suite, 'full')).toHaveLength(43 - suite.splits.heldout!.length);
    expect((await loadSuite('builtin')).hash).toBe(suite.hash);
  });

  it('lists a cannotBuild task with its reason, never among the tasks or in full', async () => {
    const dir = await tinySuite({ blocked: { 'semverlite-003': 'needs rxjava2, which the image does not have' } });
    const suite = await loadSuite(dir);
    expect(suite.tasks.map((t) => t.meta.id)).toEqual(['semverlite-001', 'semverlite-002']);
    expect(suite.cannotBuild).toEqual([{ id: 'semverlite-003', language: 'javascript', reason: 'needs rxjava2, which the image does not have' }]);
    expect(splitTasks(suite, 'full').map((t) => t.meta.id)).toEqual(['semverlite-001', 'semverlite-002']);
    expect(suite.meta.limits).toEqual({ taskTimeoutSec: 300, taskUsd: 0.5, maxTurns: 7 });
  });

  it('refuses each broken suite in one line naming the path, and writes nothing', async () => {
    const noTasks = await tempDir();
    writeFileSync(join(noTasks, 'suite.json'), JSON.stringify(SUITE_JSON));
    const before = snapshot(noTasks);
    const e1 = await loadError(noTasks);
    expect(e1.message).toBe(`${noTasks} is not a suite folder: it has no tasks/ folder. See bench/TASKS.md, "Suites".`);
    expect(e1.usage).toBe(true);
    expect(snapshot(noTasks)).toEqual(before);

    const missing = await tinySuite({ splits: { small: ['semverlite-001', 'semverlite-999'] } });
    const snap = snapshot(missing);
    const e2 = await loadError(missing);
    expect(e2.message).toBe(`${join(missing, 'splits.json')}: split "small" names task "semverlite-999", which is not in ${join(missing, 'tasks')}; remove it or add the task`);
    expect(snapshot(missing)).toEqual(snap);

    const blockedInSplit = await tinySuite({ blocked: { 'semverlite-003': 'no compiler' }, splits: { small: ['semverlite-003'] } });
    expect((await loadError(blockedInSplit)).message).toMatch(/splits\.json: split "small" names task "semverlite-003", which cannot build \(no compiler\)/);

    const badJson = await tinySuite({ meta: '{"name": "tiny",' });
    expect((await loadError(badJson)).message).toMatch(new RegExp(`^${join(badJson, 'suite.json')} is not valid JSON \\(`));
    const badField = await tinySuite({ meta: { ...SUITE_JSON, languages: ['cobol'], limits: { maxTurns: 0 } } });
    const e3 = await loadError(badField);
    expect(e3.message).toMatch(new RegExp(`^${join(badField, 'suite.json')}: languages\\.0: .*; limits\\.maxTurns: `));
    const extra = await tinySuite({ meta: { ...SUITE_JSON, licence: 'MIT' } });
    expect((await loadError(extra)).message).toMatch(/suite\.json: \(root\): Unrecognized key: "licence"/);

    const cwd = process.cwd();
    const e4 = await loadError('no-such-suite-here');
    expect(e4.message).toBe(`no suite "no-such-suite-here": ${join(cwd, '.clade/suites/no-such-suite-here')} does not exist; import one (\`clade bench import polyglot DIR --out .clade/suites/no-such-suite-here\`) or pass --suite a suite folder`);
    expect(e4.usage).toBe(true);
  });

  it('hashes content: stable across copies and loads, changed by any byte of a task, a repo or the splits', async () => {
    const dir = await tinySuite();
    const hash = await suiteHash(dir);
    expect(await suiteHash(dir)).toBe(hash);
    const copy = join(await tempDir(), 'elsewhere');
    cpSync(dir, copy, { recursive: true });
    expect(await suiteHash(copy)).toBe(hash);
    // Files outside suite.json, splits.json, tasks/ and repos/ are not the suite.
    writeFileSync(join(copy, 'NOTES.md'), 'mine');
    expect(await suiteHash(copy)).toBe(hash);
    const problem = join(copy, 'tasks', 'semverlite-001', 'problem.md');
    writeFileSync(problem, readFileSync(problem, 'utf8') + ' ');
    const changed = await suiteHash(copy);
    expect(changed).not.toBe(hash);
    writeFileSync(join(copy, 'splits.json'), JSON.stringify({ small: ['semverlite-002'] }));
    expect(await suiteHash(copy)).not.toBe(changed);
    // Bytes moved from one file to the next are a different suite.
    const a = join(copy, 'repos', 'semverlite', 'a.txt');
    const b = join(copy, 'repos', 'semverlite', 'b.txt');
    writeFileSync(a, 'xy');
    writeFileSync(b, 'z');
    const one = await suiteHash(copy);
    writeFileSync(a, 'x');
    writeFileSync(b, 'yz');
    expect(await suiteHash(copy)).not.toBe(one);
  });

  it('hashes 225 small tasks quickly (prints the time)', async () => {
    const dir = join(await tempDir(), 'big');
    for (let i = 0; i < 225; i++) cpSync(join(BENCH_DIR, 'tasks', 'semverlite-001'), join(dir, 'tasks', `t-${i}`), { recursive: true });
    mkdirSync(join(dir, 'repos'));
    const started = performance.now();
    await suiteHash(dir);
    console.log(`suite hash of 225 tasks: ${(performance.now() - started).toFixed(0)} ms`);
  });
});

describe('--suite on the command line', () => {
  it('bench list --suite shows the suite, counts per language and the cannot-build tasks with reasons', async () => {
    const dir = await tinySuite({ blocked: { 'semverlite-003': 'needs org.json' } });
    const r = await clade(['bench', 'list', '--suite', dir, '--json']);
    expect(r.exitCode, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.suite).toMatchObject({ name: 'tiny', path: dir, hash: await suiteHash(dir) });
    expect(out.languages).toEqual({ javascript: { tasks: 2, cannotBuild: 1 } });
    expect(out.splits).toEqual({ small: 1, medium: 2, full: 2 });
    expect(out.cannotBuild).toEqual([{ id: 'semverlite-003', language: 'javascript', reason: 'needs org.json' }]);
    const human = await clade(['bench', 'list', '--suite', dir]);
    expect(human.stdout).toMatch(/^suite tiny: /);
    expect(human.stdout).toMatch(/semverlite-003 +needs org\.json/);
    const none = await clade(['bench', 'list', '--suite', join(dir, 'tasks')]);
    expect(none.exitCode).toBe(2);
    expect(none.stderr.trim()).toBe(`clade: ${join(dir, 'tasks')} is not a suite folder: it has no tasks/ folder. See bench/TASKS.md, "Suites".`);
  });

  it('evolve --tasks refuses a held-out task, and --split heldout', async () => {
    const r = await clade(['evolve', '--model', 'scripted:/nonexistent.json', '--tasks', 'semverlite-001,csvkit-004', '--dry-run']);
    expect(r.exitCode).toBe(2);
    expect(r.stderr.trim()).toBe(`clade: --tasks: "csvkit-004" is held out in ${join(BENCH_DIR, 'splits.json').replace(/\/+/g, '/')}; held-out tasks are never shown to evolution`);
    const split = await clade(['evolve', '--model', 'scripted:/nonexistent.json', '--split', 'heldout', '--dry-run']);
    expect(split.exitCode).toBe(2);
    expect(split.stderr).toMatch(/--split heldout: held-out tasks are never shown to evolution/);
  });

  it("evolve --dry-run takes the suite's limits as defaults; explicit flags win", async () => {
    const dir = await tinySuite();
    const model = join(await tempDir(), 'model.json');
    writeFileSync(model, JSON.stringify({ responses: [{ content: [{ type: 'text', text: 'Done.' }], stop_reason: 'end_turn' }] }));
    const r = await clade(['evolve', '--suite', dir, '--model', `scripted:${model}`, '--max-evals', '2', '--max-expansions', '1', '--dry-run', '--json']);
    expect(r.exitCode, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ caps: { taskUsd: 0.5 }, taskTimeoutSec: 300, maxTurns: 7, suite: { name: 'tiny', path: dir } });
    const flags = await clade(['evolve', '--suite', dir, '--model', `scripted:${model}`, '--task-cap-usd', '2', '--task-timeout', '60', '--max-turns', '3', '--dry-run', '--json']);
    expect(JSON.parse(flags.stdout)).toMatchObject({ caps: { taskUsd: 2 }, taskTimeoutSec: 60, maxTurns: 3 });
  });

  it('a run keeps its suite: resuming on a changed suite, or another one, is refused even with --change-config, and nothing is written', async () => {
    const dir = await tinySuite({ ids: ['semverlite-001'] });
    const work = await tempDir();
    writeFileSync(join(work, 'model.json'), JSON.stringify({ responses: [{ content: [{ type: 'text', text: 'Done.' }], stop_reason: 'end_turn' }] }));
    const run = join(work, 'run');
    const args = ['evolve', '--suite', dir, '--run', run, '--model', `scripted:${join(work, 'model.json')}`, '--policy', 'dgm', '--split', 'small', '--stage2', 'none', '--max-evals', '1', '--parallel', '1', '--json'];
    const first = await clade(args);
    expect(first.exitCode, first.stderr).toBe(0);
    expect(JSON.parse(first.stdout)).toMatchObject({ evaluations: 1 });
    const before = snapshot(run);
    const hash = await suiteHash(dir);
    // The same suite resumes (nothing left to do within --max-evals 1).
    const again = await clade(args);
    expect(again.exitCode, again.stderr).toBe(0);

    const afterResume = snapshot(run);
    const problem = join(dir, 'tasks', 'semverlite-001', 'problem.md');
    writeFileSync(problem, readFileSync(problem, 'utf8') + '\nAlso: be quick.\n');
    const changed = await clade([...args, '--change-config']);
    expect(changed.exitCode).toBe(2);
    expect(changed.stderr.trim().split('\n')).toHaveLength(1);
    expect(changed.stderr).toContain(`the suite at ${dir} changed since the run started (hash ${hash.slice(0, 12)}, now ${(await suiteHash(dir)).slice(0, 12)})`);
    expect(changed.stderr).toContain('not even --change-config');
    expect(snapshot(run)).toEqual(afterResume);

    const other = await clade(['evolve', '--run', run, '--model', `scripted:${join(work, 'model.json')}`, '--policy', 'dgm', '--max-evals', '1', '--change-config']);
    expect(other.exitCode).toBe(2);
    expect(other.stderr).toContain(`the run was started on the suite tiny at ${dir} (hash ${hash.slice(0, 12)}), not builtin at ${BENCH_DIR.replace(/\/$/, '')}`);
    expect(snapshot(run)).toEqual(afterResume);
    expect(Object.keys(before).sort()).toEqual(Object.keys(afterResume).sort().filter((k) => k in before));
  }, 600_000);
});
