// Imports a checkout of the Aider polyglot benchmark (Exercism exercises in six languages) as a suite. Nothing is
// fetched: the user points at a checkout. Per exercise, the starting state is the stubs, the hidden tests are the test
// files with every test enabled, the gold patch is the reference solution over the stubs, and FAIL_TO_PASS is every
// test by the id its runner gives it. Exercises that cannot build in their language's image are kept, marked with the
// reason, and left out of the splits. The suite is written to a temporary folder and renamed into place, so a failed
// import leaves nothing half-written.
import { createHash } from 'node:crypto';
import { existsSync, lstatSync, readdirSync, readFileSync } from 'node:fs';
import { cp, mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { basename, dirname, extname, join, posix, resolve } from 'node:path';
import { structuredPatch } from 'diff';
import { z } from 'zod';
import { POLYGLOT_LANGUAGES, type PolyglotLanguageName } from './languages/polyglot.ts';
import type { TaskMeta } from './task.ts';

export class PolyglotImportError extends Error {
  override readonly name = 'PolyglotImportError';
}

export const POLYGLOT_LANGUAGE_NAMES = Object.keys(POLYGLOT_LANGUAGES) as PolyglotLanguageName[];

export interface PolyglotImportOptions {
  /** The suite folder to write; it must not exist unless `force`. */
  out: string;
  languages?: string[];
  /** Only these exercises (`name` or `language/name`): for samples and tests. */
  exercises?: string[];
  /** How many exercises to hold out (never shown to evolution); none by default. */
  heldout?: number;
  seed?: number;
  /** Replace an existing suite at `out` (the old one is removed only after the new one is in place). */
  force?: boolean;
}

export interface PolyglotImportResult {
  suiteDir: string;
  imported: string[];
  cannotBuild: Array<{ id: string; reason: string }>;
  /** Exercises left out of the suite, with why: nothing to grade by (Go's counter), or a stub that already passes. */
  notImported: Array<{ id: string; reason: string }>;
  byLanguage: Record<string, { tasks: number; cannotBuild: number }>;
}

const ExerciseConfig = z.object({
  blurb: z.string().optional(),
  files: z.object({
    solution: z.array(z.string().min(1)).min(1),
    test: z.array(z.string().min(1)).min(1),
    example: z.array(z.string().min(1)).min(1),
    editor: z.array(z.string().min(1)).optional(),
    invalidator: z.array(z.string().min(1)).optional(),
  }),
});

/**
 * Exercises that no grade can score, found by validating the whole benchmark: the tests cannot tell a solution from
 * the untouched stub. Reported at import as not imported, never counted.
 */
const REFACTORING = 'a refactoring exercise whose stub already passes every test, so a grade cannot tell a patch from none';
const UNFIT: Record<string, string> = {
  'go/ledger': REFACTORING,
  'go/markdown': REFACTORING,
  'java/ledger': REFACTORING,
  'java/tree-building': REFACTORING,
  'javascript/ledger': REFACTORING,
};

/** Split sizes, as the issue and DGM use them: a quick look, a medium pass, and everything. */
const SMALL = 10;
const MEDIUM = 50;
const TEST_TIME_LIMIT: Record<PolyglotLanguageName, number> = { cpp: 600, go: 300, java: 600, javascript: 300, python: 300, rust: 600 };

export async function importPolyglot(benchDir: string, opts: PolyglotImportOptions): Promise<PolyglotImportResult> {
  const root = resolve(benchDir);
  if (!existsSync(root) || !lstatSync(root).isDirectory()) throw new PolyglotImportError(`${root}: no such folder; point at a checkout of Aider-AI/polyglot-benchmark`);
  const languages = chooseLanguages(root, opts.languages);
  const wanted = opts.exercises ? new Set(opts.exercises) : undefined;
  const out = resolve(opts.out);
  if (existsSync(out) && !opts.force) throw new PolyglotImportError(`${out} already exists; choose another --out, or pass --force to replace it`);

  const exercises: Array<{ language: PolyglotLanguageName; name: string; dir: string }> = [];
  for (const language of languages) {
    const practice = join(root, language, 'exercises', 'practice');
    for (const name of readdirSync(practice).sort()) {
      if (wanted && !wanted.has(name) && !wanted.has(`${language}/${name}`)) continue;
      if (lstatSync(join(practice, name)).isDirectory()) exercises.push({ language, name, dir: join(practice, name) });
    }
  }
  if (wanted) {
    const found = new Set(exercises.flatMap((e) => [e.name, `${e.language}/${e.name}`]));
    const missing = [...wanted].filter((w) => !found.has(w));
    if (missing.length) throw new PolyglotImportError(`${root}: no exercise ${missing.join(', ')} in ${languages.join(', ')}`);
  }
  // Everything is read and checked before anything is written: a malformed exercise stops the import untouched.
  const read = exercises.map((e) => readExercise(e.language, e.name, e.dir));
  const tasks = read.filter((t): t is ImportedTask => !('skipped' in t));
  // An exercise with nothing to grade by (Go's counter asks the solver to write the tests) is reported, not written.
  const skipped = read.flatMap((t) => ('skipped' in t ? [t.skipped] : []));

  const staging = `${out}.importing-${process.pid}`;
  await rm(staging, { recursive: true, force: true });
  try {
    for (const t of tasks) {
      const repoDir = join(staging, 'repos', t.meta.id);
      await mkdir(repoDir, { recursive: true });
      for (const rel of t.stubFiles) {
        await mkdir(dirname(join(repoDir, rel)), { recursive: true });
        await cp(join(t.dir, rel), join(repoDir, rel), { preserveTimestamps: false });
      }
      const taskDir = join(staging, 'tasks', t.meta.id);
      for (const [rel, text] of Object.entries(t.hiddenTests)) {
        await mkdir(dirname(join(taskDir, 'tests', rel)), { recursive: true });
        await writeFile(join(taskDir, 'tests', rel), text);
      }
      await writeFile(join(taskDir, 'task.json'), JSON.stringify(t.meta, null, 2) + '\n');
      await writeFile(join(taskDir, 'problem.md'), t.problem);
      await writeFile(join(taskDir, 'gold.patch'), t.goldPatch);
    }
    const buildable = tasks.filter((t) => !t.meta.cannotBuild).map((t) => t.meta.id);
    await writeFile(join(staging, 'splits.json'), JSON.stringify(splits(buildable, opts.seed ?? 1, opts.heldout ?? 0), null, 2) + '\n');
    await writeFile(join(staging, 'suite.json'), JSON.stringify(suiteMeta(root, languages), null, 2) + '\n');
    if (existsSync(out)) {
      const old = `${out}.replaced-${process.pid}`;
      await rename(out, old);
      await rename(staging, out);
      await rm(old, { recursive: true, force: true });
    } else {
      await mkdir(dirname(out), { recursive: true });
      await rename(staging, out);
    }
  } catch (err) {
    await rm(staging, { recursive: true, force: true });
    throw err;
  }
  const byLanguage: PolyglotImportResult['byLanguage'] = {};
  for (const t of tasks) {
    const entry = (byLanguage[t.meta.language] ??= { tasks: 0, cannotBuild: 0 });
    entry.tasks++;
    if (t.meta.cannotBuild) entry.cannotBuild++;
  }
  return {
    suiteDir: out,
    imported: tasks.map((t) => t.meta.id),
    cannotBuild: tasks.filter((t) => t.meta.cannotBuild).map((t) => ({ id: t.meta.id, reason: t.meta.cannotBuild! })),
    notImported: skipped,
    byLanguage,
  };
}

function chooseLanguages(root: string, asked: string[] | undefined): PolyglotLanguageName[] {
  for (const name of asked ?? []) {
    if (!(POLYGLOT_LANGUAGE_NAMES as string[]).includes(name)) throw new PolyglotImportError(`unknown language "${name}"; the benchmark's languages are ${POLYGLOT_LANGUAGE_NAMES.join(', ')}`);
  }
  const present = POLYGLOT_LANGUAGE_NAMES.filter((l) => existsSync(join(root, l, 'exercises', 'practice')));
  if (!present.length) throw new PolyglotImportError(`${root} has none of ${POLYGLOT_LANGUAGE_NAMES.map((l) => `${l}/exercises/practice`).join(', ')}; point at a checkout of Aider-AI/polyglot-benchmark`);
  const chosen = asked ? (asked as PolyglotLanguageName[]) : present;
  for (const l of chosen) if (!present.includes(l)) throw new PolyglotImportError(`${join(root, l, 'exercises', 'practice')}: no such folder; the checkout has ${present.join(', ')}`);
  return chosen;
}

interface ImportedTask {
  meta: TaskMeta & { source: Record<string, string> };
  dir: string;
  stubFiles: string[];
  hiddenTests: Record<string, string>;
  problem: string;
  goldPatch: string;
}

function readExercise(language: PolyglotLanguageName, name: string, dir: string): ImportedTask | { skipped: { id: string; reason: string } } {
  const hooks = POLYGLOT_LANGUAGES[language];
  const configPath = join(dir, '.meta', 'config.json');
  const fail = (what: string): never => {
    throw new PolyglotImportError(`${dir}: ${what}`);
  };
  if (!existsSync(configPath)) fail('no .meta/config.json; an exercise lists its solution, test and example files there');
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(configPath, 'utf8'));
  } catch (err) {
    fail(`.meta/config.json is not valid JSON (${(err as Error).message})`);
  }
  const parsed = ExerciseConfig.safeParse(raw);
  if (!parsed.success) fail(`.meta/config.json: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  const config = parsed.data!;
  const all = listFiles(dir);
  for (const f of [...config.files.solution, ...config.files.test, ...config.files.example, ...(config.files.editor ?? [])]) {
    if (f.startsWith('/') || f.split('/').includes('..')) fail(`.meta/config.json names "${f}", which is not a path inside the exercise`);
    if (!all.has(f)) fail(`.meta/config.json names ${f}, which does not exist`);
  }
  if (!existsSync(join(dir, '.docs', 'instructions.md'))) fail('no .docs/instructions.md');

  const unfit = UNFIT[`${language}/${name}`];
  if (unfit) return { skipped: { id: `${language}-${name}`, reason: unfit } };

  const tests = new Set(config.files.test);
  const stubFiles = [...all.keys()].filter((f) => !f.startsWith('.meta/') && !f.startsWith('.docs/') && !tests.has(f)).sort();
  const hiddenTests = Object.fromEntries(config.files.test.map((f) => [f, hooks.enableAll(f, all.get(f)!)]));
  const ids = Object.entries(hiddenTests).flatMap(([f, text]) => hooks.listTests(f, text));
  if (!ids.length) {
    const reason = hooks.cannotBuild(all);
    if (reason) return { skipped: { id: `${language}-${name}`, reason } };
    fail(`no tests found in ${config.files.test.join(', ')}`);
  }

  const gold = new Map<string, string>();
  for (const example of config.files.example) gold.set(exampleTarget(example, config.files.solution, fail), all.get(example)!);
  for (const [path, text] of hooks.referenceExtras?.(all) ?? []) if (!gold.has(path) && all.get(path) !== text) gold.set(path, text);
  const goldPatch = [...gold.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([path, text]) => unifiedDiff(path, all.has(path) && !tests.has(path) ? all.get(path)! : undefined, text))
    .join('');
  if (!goldPatch) fail('the reference solution is the same as the stubs');

  const id = `${language}-${name}`;
  const instructions = readFileSync(join(dir, '.docs', 'instructions.md'), 'utf8');
  const append = join(dir, '.docs', 'instructions.append.md');
  const problem = [
    instructions.trimEnd(),
    existsSync(append) ? readFileSync(append, 'utf8').trimEnd() : undefined,
    // What Aider's harness tells the model besides the instructions: where the answer goes and what it may use.
    `## Where the solution goes\n\nModify ${config.files.solution.map((f) => `\`${f}\``).join(', ')} to solve this exercise. Keep the names of existing functions, types and classes: hidden tests use them. Use only the standard library; nothing can be installed.`,
  ]
    .filter(Boolean)
    .join('\n\n') + '\n';
  const cannotBuild = hooks.cannotBuild(all);
  const meta = {
    id,
    title: `${language}: ${config.blurb ?? name}`.slice(0, 120),
    repo: id,
    language,
    difficulty: 'medium' as const,
    kind: 'feature' as const,
    runner: hooks.runner as TaskMeta['runner'],
    testFiles: config.files.test,
    failToPass: ids,
    passToPass: [],
    everyTest: true,
    timeLimitSec: TEST_TIME_LIMIT[language],
    protectedPaths: [...new Set([...(config.files.editor ?? []), ...hooks.protectedPaths(all)])].filter((p) => !tests.has(p)).sort(),
    ...(cannotBuild ? { cannotBuild } : {}),
    source: { dataset: 'polyglot', language, exercise: name },
  };
  return { meta, dir, stubFiles, hiddenTests, problem, goldPatch };
}

/**
 * Where a reference file goes in the repository: the solution file of the same name (Java's reference folder), else
 * the one solution file with its extension (`.meta/example.py`, `.meta/proof.ci.js`), else beside the solution files
 * with that extension (a helper class of the reference).
 */
function exampleTarget(example: string, solution: string[], fail: (what: string) => never): string {
  const name = basename(example);
  const same = solution.find((s) => basename(s) === name);
  if (same) return same;
  const ext = extname(name);
  const byExt = solution.filter((s) => extname(s) === ext);
  if (/^(example|proof\.ci)\./.test(name)) {
    if (byExt.length === 1) return byExt[0]!;
    return fail(`.meta/config.json: cannot tell which solution file ${example} replaces (${byExt.length} solution files end in ${ext || 'no extension'})`);
  }
  if (byExt.length) return posix.join(posix.dirname(byExt[0]!), name);
  return fail(`.meta/config.json: ${example} matches no solution file`);
}

/** Every regular file under `dir`, by relative path; links and special files are not part of an exercise. */
function listFiles(dir: string, prefix = '', out = new Map<string, string>()): Map<string, string> {
  for (const entry of readdirSync(join(dir, prefix), { withFileTypes: true })) {
    const rel = prefix ? `${prefix}/${entry.name}` : entry.name;
    if (entry.isDirectory()) listFiles(dir, rel, out);
    else if (entry.isFile()) {
      // Binary files (a gradle wrapper's jar) are copied, never read as text.
      const bytes = readFileSync(join(dir, rel));
      out.set(rel, bytes.includes(0) ? '' : bytes.toString('utf8'));
    }
  }
  return out;
}

/** A git-style diff of one file; `before` undefined means the file is new. */
function unifiedDiff(path: string, before: string | undefined, after: string): string {
  if (before === after) return '';
  const patch = structuredPatch(`a/${path}`, `b/${path}`, before ?? '', after, '', '', { context: 3 });
  const header = before === undefined ? [`diff --git a/${path} b/${path}`, 'new file mode 100644', '--- /dev/null', `+++ b/${path}`] : [`diff --git a/${path} b/${path}`, `--- a/${path}`, `+++ b/${path}`];
  const hunks = patch.hunks.map((h) => {
    // A file that is empty on one side has a zero-length range, which git writes as start 0.
    const oldStart = h.oldLines === 0 ? h.oldStart - 1 : h.oldStart;
    const newStart = h.newLines === 0 ? h.newStart - 1 : h.newStart;
    return [`@@ -${oldStart},${h.oldLines} +${newStart},${h.newLines} @@`, ...h.lines].join('\n');
  });
  return [...header, ...hunks].join('\n') + '\n';
}

/**
 * Seeded, stable splits: each exercise is ranked by a hash of the seed and its id, so adding an exercise never
 * reshuffles the others. small and medium take from each language in turn, so every language is in both.
 */
function splits(ids: string[], seed: number, heldout: number): Record<string, string[]> {
  const rank = (id: string) => createHash('sha256').update(`${seed}:${id}`).digest('hex');
  const ranked = [...ids].sort((a, b) => rank(a).localeCompare(rank(b)));
  const held = ranked.slice(0, heldout);
  const rest = ranked.slice(heldout);
  const byLanguage = new Map<string, string[]>();
  for (const id of rest) {
    const language = id.split('-')[0]!;
    byLanguage.set(language, [...(byLanguage.get(language) ?? []), id]);
  }
  const take = (n: number) => {
    const out: string[] = [];
    for (let round = 0; out.length < Math.min(n, rest.length); round++) {
      for (const list of byLanguage.values()) if (list[round] && out.length < n) out.push(list[round]!);
    }
    return out.sort();
  };
  return { small: take(SMALL), medium: take(MEDIUM), ...(held.length ? { heldout: held.sort() } : {}) };
}

function suiteMeta(root: string, languages: string[]): Record<string, unknown> {
  const sourceFile = join(root, 'SOURCE.md');
  const commit = existsSync(sourceFile) ? /\b([0-9a-f]{40})\b/.exec(readFileSync(sourceFile, 'utf8'))?.[1] : undefined;
  return {
    name: 'polyglot',
    description: 'The Aider polyglot benchmark: Exercism exercises in C++, Go, Java, JavaScript, Python and Rust, each graded by its own test suite with every test enabled.',
    languages,
    source: `Aider-AI/polyglot-benchmark${commit ? ` at ${commit}` : ''}, imported from ${root}`,
    license: "MIT (Exercism's tracks; see the benchmark's README and each exercise)",
    reference: [
      { label: 'DGM, initial agent (Claude 3.5 Sonnet)', resolveRate: 0.142, split: 'full', source: 'Darwin Gödel Machine (Zhang et al., 2025)' },
      { label: 'DGM, best discovered agent (Claude 3.5 Sonnet)', resolveRate: 0.307, split: 'full', source: 'Darwin Gödel Machine (Zhang et al., 2025)' },
    ],
    limits: { taskTimeoutSec: 900, taskUsd: 3, maxTurns: 50 },
  };
}
