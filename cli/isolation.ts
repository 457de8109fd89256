// `--isolation runc|gvisor`, an option of the root command, so every command takes it, before or after its name.
// It is here rather than with the sandbox command because commands are loaded only when they run (program.ts).
import { Option, type Command } from 'commander';
import { ISOLATIONS, SandboxError, resolveIsolation } from '../sandbox/backend.ts';
import { UsageError } from '../lib/usage-error.ts';

/** The root options that take a value: program.ts skips their values when it looks for the command's name. */
export const ROOT_OPTIONS_WITH_VALUES = ['--isolation'];

/**
 * `--isolation runc|gvisor`, on the root command so every command that runs variants takes it (`clade evolve
 * --isolation gvisor`, `clade sandbox exec --isolation gvisor -- …`). It sets CLADE_ISOLATION, which every sandbox
 * session reads, and which child processes inherit. A bad CLADE_ISOLATION is a usage error before any work starts.
 */
export function registerIsolationOption(program: Command): void {
  program.addOption(new Option('--isolation <kind>', 'how variant containers are walled off: runc (default) or gvisor (needs `clade setup --gvisor`)').choices([...ISOLATIONS]));
  program.hook('preAction', () => {
    const chosen = program.opts<{ isolation?: string }>().isolation;
    if (chosen) process.env.CLADE_ISOLATION = chosen;
    try {
      resolveIsolation();
    } catch (err) {
      if (err instanceof SandboxError) throw new UsageError(err.message);
      throw err;
    }
  });
}
