// The `clade` command: every way a user reaches Clade starts here. Exit codes, the same for every command: 0 ok;
// 1 the work failed or data is damaged; 2 a usage mistake (a bad or unknown flag, a missing argument, a wrong --run);
// 124 a time limit ran out; 130/143 interrupted (cli/interrupt.ts); `clade sandbox exec` passes its command's code on.
import { CommanderError } from 'commander';
import { buildProgram } from './program.ts';
import { UsageError } from '../lib/usage-error.ts';

try {
  await (await buildProgram(process.argv.slice(2))).parseAsync(process.argv);
} catch (err) {
  // Commander has printed its message already. It gives 0 for --help and --version and 1 for every mistake in the
  // command line, which is a usage error here like any other.
  if (err instanceof CommanderError) process.exit(err.exitCode === 0 ? 0 : 2);
  const message = err instanceof Error ? err.message : String(err);
  process.stderr.write(`clade: ${message}\n`);
  process.exit(err instanceof UsageError ? err.exitCode : 1);
}
