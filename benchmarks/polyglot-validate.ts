// The whole Aider polyglot benchmark validated: every exercise that builds is imported, its gold patch must resolve
// (twice, to catch flaky tests) and its empty patch must not. Prints the counts per language that the README gives,
// and every failure with its reasons. Hours of work on two cores; CI validates a fixed sample (test/polyglot.test.ts).
//   npm run bench:polyglot-validate [-- --from DIR] [-- --languages go,rust] [-- --parallel 2]
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { importPolyglot } from '../bench/import-polyglot.ts';
import { loadSuite } from '../bench/suite.ts';
import { validateTasks } from '../bench/validate.ts';
import { ensureSandboxImage } from '../sandbox/image.ts';

const arg = (name: string) => (process.argv.includes(name) ? process.argv[process.argv.indexOf(name) + 1] : undefined);
const from = resolve(arg('--from') ?? process.env.CLADE_POLYGLOT_DIR ?? '../shared/polyglot-benchmark');
const languages = arg('--languages')?.split(',');
const parallel = Number(arg('--parallel')) || 2;

const work = mkdtempSync(join(tmpdir(), 'clade-bench-validate-'));
try {
  const imported = await importPolyglot(from, { out: join(work, 'polyglot'), languages });
  const suite = await loadSuite(imported.suiteDir);
  const { tag } = await ensureSandboxImage();
  const started = Date.now();
  const report = await validateTasks(suite.tasks, {
    image: tag,
    parallel,
    cannotBuild: suite.cannotBuild,
    onResult: (v) => console.error(`${v.ok ? 'ok  ' : 'FAIL'} ${v.task}${v.ok ? '' : `: ${v.reasons.join('; ')}`}`),
  });
  const byLanguage = new Map<string, { ok: number; tasks: number; cannotBuild: number }>();
  const languageOf = new Map(suite.tasks.map((t) => [t.meta.id, t.meta.language]));
  for (const t of suite.tasks) {
    const entry = byLanguage.get(t.meta.language) ?? { ok: 0, tasks: 0, cannotBuild: 0 };
    if (t.meta.cannotBuild) entry.cannotBuild++;
    byLanguage.set(t.meta.language, entry);
  }
  for (const r of report.results) {
    const entry = byLanguage.get(languageOf.get(r.task)!)!;
    entry.tasks++;
    if (r.ok) entry.ok++;
  }
  console.log(`validated ${report.tasks} exercise(s) in ${((Date.now() - started) / 60_000).toFixed(1)} min: gold resolved ${report.goldResolved}, empty resolved ${report.emptyResolved}, flaky ${report.flaky}`);
  for (const [language, c] of [...byLanguage].sort()) console.log(`  ${language.padEnd(11)} ${c.ok}/${c.tasks} pass validation${c.cannotBuild ? `, ${c.cannotBuild} cannot build` : ''}`);
  for (const r of report.results.filter((x) => !x.ok)) console.log(`FAIL ${r.task}: ${r.reasons.join('; ')}`);
  for (const b of [...report.cannotBuild, ...imported.notImported]) console.log(`skipped ${b.id}: ${b.reason}`);
  if (report.failed.length) process.exitCode = 1;
} finally {
  rmSync(work, { recursive: true, force: true });
}
