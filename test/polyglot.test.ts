// The Polyglot benchmark end to end through the CLI, as a user runs it: import a fixed sample (two exercises per
// language, plus ones that cannot build or cannot be graded), list it, and validate it in the languages' environment
// images. Validation grades the empty patch once and the gold patch twice per exercise, so this is CI's check that
// every runner reads its real results, that the stubs fail and the references pass, and that nothing is flaky. Then a
// short evolution on it: the seed evaluated on a Go and a Python exercise, one self-modification, the child checked and
// evaluated, scores by language. The whole benchmark's validation is `npm run bench:polyglot-validate`.
import { describe, expect, it } from 'vitest';
import { execa } from 'execa';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { POLYGLOT_DIR, requirePolyglot, tempDir } from './helpers.ts';
import { EVOLVE_SCRIPT, NEW_LINE } from './fixtures/evolve-script.ts';

const CLADE = 'bin/clade.js';

/** Two per language, chosen for quick builds; rust/simple-cipher needs a crate (rand) from the image. */
export const POLYGLOT_SAMPLE = [
  'cpp/all-your-base',
  'cpp/gigasecond',
  'go/bowling',
  'go/two-bucket',
  'java/bowling',
  'java/satellite',
  'javascript/bowling',
  'javascript/grep',
  'python/bowling',
  'python/zipper',
  'rust/acronym',
  'rust/simple-cipher',
];

/** Cannot build in its image (rxjava2), or cannot be graded at all (a refactoring exercise whose stub passes). */
const UNBUILDABLE = ['java/hangman', 'rust/poker'];
const UNGRADABLE = ['java/ledger'];

const tail = (text: string | undefined) => (text ?? '').slice(-6000);

const Validation = z.object({
  tasks: z.number(),
  goldResolved: z.number(),
  emptyResolved: z.number(),
  flaky: z.number(),
  failed: z.array(z.string()),
  results: z.array(z.object({ task: z.string(), ok: z.boolean(), reasons: z.array(z.string()) })),
  cannotBuild: z.array(z.object({ id: z.string(), reason: z.string() })),
});

requirePolyglot();

describe('the Polyglot benchmark through the CLI', () => {
  it('imports a sample, lists it with what cannot build and why, and validates every exercise that builds', async () => {
    const suite = join(await tempDir('clade-polyglot-'), 'polyglot-sample');
    const sample = [...POLYGLOT_SAMPLE, ...UNBUILDABLE, ...UNGRADABLE];
    const imported = await execa('node', [CLADE, 'bench', 'import', 'polyglot', POLYGLOT_DIR, '--exercises', sample.join(','), '--out', suite], { reject: false, all: true });
    expect(imported.exitCode, imported.all).toBe(0);
    expect(imported.stdout).toMatch(/^imported 14 exercise\(s\) into the suite .*; 2 cannot build; 1 not imported$/m);
    expect(imported.stdout).toMatch(/^cannot build java-hangman: needs io\.reactivex\.rxjava2:rxjava/m);
    expect(imported.stdout).toMatch(/^cannot build rust-poker: the reference solution's \.meta\/Cargo-example\.toml needs crate counter/m);
    expect(imported.stdout).toMatch(/^not imported java-ledger: a refactoring exercise/m);

    const listed = await execa('node', [CLADE, 'bench', 'list', '--suite', suite, '--json'], { reject: false, all: true });
    expect(listed.exitCode, listed.all).toBe(0);
    const list = JSON.parse(listed.stdout) as { languages: Record<string, { tasks: number; cannotBuild: number }>; tasks: Array<{ id: string }>; cannotBuild: Array<{ id: string }> };
    expect(list.tasks.map((t) => t.id).sort()).toEqual(POLYGLOT_SAMPLE.map((e) => e.replace('/', '-')).sort());
    expect(list.cannotBuild.map((b) => b.id).sort()).toEqual(['java-hangman', 'rust-poker']);
    for (const language of ['cpp', 'go', 'java', 'javascript', 'python', 'rust']) expect(list.languages[language]?.tasks, language).toBe(2);

    // Each image the sample needs is built here if this machine does not have it yet (cached by hash after that).
    // Each step has its own time limit, below the test's, so a stall fails with the step's own output rather than the
    // bare timeout of the test (which would lose it).
    const validated = await execa('node', [CLADE, 'bench', 'validate', '--suite', suite, '--parallel', '2', '--json'], { reject: false, all: true, timeout: 40 * 60_000 });
    expect(validated.timedOut, `validate stalled:\n${tail(validated.all)}`).toBe(false);
    const report = Validation.parse(JSON.parse(validated.stdout || 'null'));
    const failures = report.results.filter((r) => !r.ok).map((r) => `${r.task}: ${r.reasons.join('; ')}`);
    expect(failures, tail(validated.stderr)).toEqual([]);
    expect(validated.exitCode).toBe(0);
    expect(report).toMatchObject({ tasks: POLYGLOT_SAMPLE.length, goldResolved: POLYGLOT_SAMPLE.length, emptyResolved: 0, flaky: 0 });
    expect(report.cannotBuild.map((b) => b.id).sort()).toEqual(['java-hangman', 'rust-poker']);

    const work = await tempDir('clade-polyglot-run-');
    writeFileSync(join(work, 'model.json'), JSON.stringify(EVOLVE_SCRIPT));
    const run = join(work, 'run');
    const evolve = await execa('node', [CLADE, 'evolve', '--suite', suite, '--run', run, '--model', `scripted:${join(work, 'model.json')}`, '--policy', 'dgm', '--tasks', 'go-bowling,python-bowling', '--stage2', 'none', '--max-evals', '4', '--max-expansions', '1', '--parallel', '2', '--json'], { reject: false, all: true, timeout: 15 * 60_000 });
    expect(evolve.exitCode, tail(evolve.all)).toBe(0);
    expect(JSON.parse(evolve.stdout)).toMatchObject({ variants: 2, invalid: 0, evaluations: 4 });
    const child = await execa('node', [CLADE, 'archive', 'show', 'v1', '--run', run], { reject: false, all: true });
    expect(child.exitCode, child.all).toBe(0);
    expect(child.stdout).toMatch(/^suite polyglot: /m);
    expect(child.stdout).toMatch(/its evaluations by language: go 0\/1 0%, python 0\/1 0%/);
    const diff = await execa('node', [CLADE, 'archive', 'diff', 'v0', 'v1', '--run', run], { reject: false, all: true });
    expect(diff.stdout).toContain(`+${NEW_LINE}`);
  }, 3_600_000);
});
