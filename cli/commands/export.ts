import type { Command } from 'commander';
import { projectPath } from '../../lib/paths.ts';
import { ensureSandboxImage } from '../../sandbox/image.ts';
import { exportVariant } from '../../evolve/export.ts';
import { emit, progress, type OutputOptions } from '../output.ts';
import { runDirFlag } from '../flags.ts';
import { DEFAULT_RUN_DIR } from '../../evolve/open-run.ts';

/** The exported CLI's entry: bundled, with what it imports, next to the variant's build. */
const LAUNCHER = projectPath('cli', 'standalone', 'main.ts');

export function registerExport(program: Command): void {
  program
    .command('export')
    .argument('<id>', 'the variant (clade archive ls)')
    .option('--run <dir>', 'the run whose archive holds the variant', runDirFlag, DEFAULT_RUN_DIR)
    .requiredOption('--out <dir>', 'an empty or new directory to write the CLI package into')
    .option('--name <name>', 'the command (and npm package) name', 'clade-agent')
    .option('--json', 'print the result as JSON')
    .action(async (id: string, opts: OutputOptions & { run: string; out: string; name: string }) => {
      const image = (await ensureSandboxImage({ log: progress })).tag;
      // A wrong run, variant, --name or --out is a UsageError (exit 2).
      const result = await exportVariant({ runDir: opts.run, variant: id, outDir: opts.out, name: opts.name, image, launcher: LAUNCHER, log: progress });
      emit(opts, result, () => [`exported ${id} as ${result.name} in ${result.outDir}`, `  try: node ${result.bin} --version`, `  install: npm install -g ${result.outDir}`].join('\n'));
    });
}
