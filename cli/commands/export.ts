import type { Command } from 'commander';
import { ensureSandboxImage } from '../../sandbox/image.ts';
import { exportVariant } from '../../evolve/export.ts';
import { DEFAULT_RUN_DIR, InspectError } from '../../evolve/inspect.ts';
import { emit, progress, UsageError, type OutputOptions } from '../output.ts';
import { runDirFlag } from '../flags.ts';

export function registerExport(program: Command): void {
  program
    .command('export')
    .description('turn an archived variant into a standalone CLI (one bundled launcher plus the agent; no Docker needed to run it)')
    .argument('<id>', 'the variant (clade archive ls)')
    .option('--run <dir>', 'the run whose archive holds the variant', runDirFlag, DEFAULT_RUN_DIR)
    .requiredOption('--out <dir>', 'an empty or new directory to write the CLI package into')
    .option('--name <name>', 'the command (and npm package) name', 'clade-agent')
    .option('--json', 'print the result as JSON')
    .action(async (id: string, opts: OutputOptions & { run: string; out: string; name: string }) => {
      const image = (await ensureSandboxImage({ log: progress })).tag;
      const result = await exportVariant({ runDir: opts.run, variant: id, outDir: opts.out, name: opts.name, image, log: progress }).catch((err: Error) => {
        // The user's input was wrong (no such run or variant, an invalid variant, a taken --out): say so, exit 2.
        if (err instanceof InspectError) throw new UsageError(err.message);
        throw err;
      });
      emit(opts, result, () => [`exported ${id} as ${result.name} in ${result.outDir}`, `  try: node ${result.bin} --version`, `  install: npm install -g ${result.outDir}`].join('\n'));
    });
}
