import type { Command } from 'commander';
import { ensureDockerEngine } from '../../sandbox/setup.ts';
import { emit, progress, type OutputOptions } from '../output.ts';

export function registerSetup(program: Command): void {
  program
    .command('setup')
    .description('make a Docker engine answer (install docker.io and debootstrap if missing, start dockerd with no bridge); idempotent')
    .option('--json', 'print the result as JSON')
    .action(async (opts: OutputOptions) => {
      const report = await ensureDockerEngine(progress);
      emit(opts, report, () =>
        `docker ${report.dockerVersion} ${report.startedDaemon ? 'started' : 'already running'}` +
        (report.installed.length ? `; installed ${report.installed.join(', ')}` : ''),
      );
    });
}
