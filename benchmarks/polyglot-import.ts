// Importing the whole Aider polyglot benchmark (225 exercises), image builds excluded, against the issue's target of
// 60 s. Rounds alternate with a plain copy of the same checkout, so the ratio says what the importer adds to reading
// and writing the files at all.
//   npm run bench:polyglot-import [-- --rounds 3] [-- --from DIR]
import { execa } from 'execa';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { importPolyglot } from '../bench/import-polyglot.ts';

const arg = (name: string) => (process.argv.includes(name) ? process.argv[process.argv.indexOf(name) + 1] : undefined);
const rounds = Number(arg('--rounds')) || 3;
const from = resolve(arg('--from') ?? process.env.CLADE_POLYGLOT_DIR ?? '../shared/polyglot-benchmark');
const TARGET_SEC = 60;

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const work = mkdtempSync(join(tmpdir(), 'clade-bench-import-'));
const importSec: number[] = [];
const copySec: number[] = [];
let summary = '';
try {
  for (let i = 0; i < rounds; i++) {
    let start = Date.now();
    const r = await importPolyglot(from, { out: join(work, `suite-${i}`) });
    importSec.push((Date.now() - start) / 1000);
    summary = `${r.imported.length} exercises (${Object.entries(r.byLanguage).map(([l, c]) => `${l} ${c.tasks}${c.cannotBuild ? `, ${c.cannotBuild} cannot build` : ''}`).join('; ')})`;
    start = Date.now();
    await execa('cp', ['-r', from, join(work, `copy-${i}`)]);
    copySec.push((Date.now() - start) / 1000);
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}
const imp = median(importSec);
console.log(`imported ${summary}`);
console.log(`import: median ${imp.toFixed(2)} s of ${rounds} rounds; target ${TARGET_SEC} s; ratio to target ${(imp / TARGET_SEC).toFixed(3)} (≤ 1 passes)`);
console.log(`plain copy of the checkout: median ${median(copySec).toFixed(2)} s; import / copy ${(imp / median(copySec)).toFixed(1)}×`);
if (imp > TARGET_SEC) process.exitCode = 1;
