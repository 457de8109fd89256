import type { Command } from 'commander';
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { buildReportData } from '../../evolve/report.ts';
import { renderReport } from '../../report/html.ts';
import { emit, type OutputOptions } from '../output.ts';
import { runDirFlag } from '../flags.ts';
import { DEFAULT_RUN_DIR, withRun } from '../../evolve/open-run.ts';

export function registerReport(program: Command): void {
  program
    .command('report')
    .option('--run <dir>', 'the run directory', runDirFlag, DEFAULT_RUN_DIR)
    .requiredOption('--out <file>', 'the HTML file to write, e.g. report.html')
    .option('--json', 'print a summary as JSON')
    .action((opts: OutputOptions & { run: string; out: string }) =>
      withRun(opts.run, async (archive) => {
        const data = await buildReportData(archive);
        const out = resolve(opts.out);
        await mkdir(dirname(out), { recursive: true });
        await writeFile(out, renderReport(data));
        const suite = data.suite && { name: data.suite.name, path: data.suite.path, hash: data.suite.hash, state: data.suite.state };
        emit(opts, { out, variants: data.totals.variants, evaluations: data.totals.evaluations, bestBelief: data.bestBelief, suite }, () => out);
      }),
    );
}
