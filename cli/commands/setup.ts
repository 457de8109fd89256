import type { Command } from 'commander';
import { ensureDockerEngine } from '../../sandbox/setup.ts';
import { ensureGvisor, type GvisorReport } from '../../sandbox/gvisor-setup.ts';
import { emit, progress, type OutputOptions } from '../output.ts';

export function registerSetup(program: Command): void {
  program
    .command('setup')
    .option('--gvisor', 'also install gVisor (runsc) and register it with the engine, without restarting it (for --isolation gvisor)')
    .option('--json', 'print the result as JSON')
    .action(async (opts: OutputOptions & { gvisor?: boolean }) => {
      const report = await ensureDockerEngine(progress);
      const gvisor: GvisorReport | undefined = opts.gvisor ? await ensureGvisor(progress) : undefined;
      emit(opts, { ...report, gvisor }, () =>
        `docker ${report.dockerVersion} ${report.startedDaemon ? 'started' : 'already running'}` +
        (report.installed.length ? `; installed ${report.installed.join(', ')}` : '') +
        (gvisor ? `\ngvisor: runsc registered${gvisor.installed.length ? ' (installed)' : ''}${gvisor.reloaded ? ', engine reloaded' : gvisor.configured ? '' : ', nothing to do'}` : ''),
      );
    });
}
