import { Option, type Command } from 'commander';
import { ensureSandboxImage, type ImageSource } from '../../sandbox/image.ts';
import { Sandbox, parseMount, DEFAULT_LIMITS, SandboxError, type Mount } from '../../sandbox/session.ts';
import { sweepSandboxes } from '../../sandbox/sweep.ts';
import { emit, progress, type OutputOptions } from '../output.ts';
import { numberOption } from '../flags.ts';
import { UsageError } from '../../lib/usage-error.ts';

interface ExecFlags extends OutputOptions {
  timeout: number;
  memory: number;
  cpus: number;
  pids: number;
  mount: Mount[];
  image?: string;
}

/** A bad --mount is the user's to fix: exit 2 while parsing, before any container starts. */
function mountFlag(value: string, mounts: Mount[]): Mount[] {
  try {
    return [...mounts, parseMount(value)];
  } catch (err) {
    if (err instanceof SandboxError) throw new UsageError(err.message);
    throw err;
  }
}

export function registerSandbox(program: Command): void {
  const sandbox = program.command('sandbox');

  sandbox
    .command('build')
    .description('build the sandbox image if its inputs changed (offline: debootstrap + the host Node binary)')
    .addOption(new Option('--source <source>', 'debootstrap (offline) or dockerfile (needs a registry)').choices(['debootstrap', 'dockerfile']).default('debootstrap'))
    .option('--force', 'rebuild even if an image with this tag exists')
    .option('--json', 'print the result as JSON')
    .action(async (opts: OutputOptions & { source: ImageSource; force?: boolean }) => {
      const result = await ensureSandboxImage({ source: opts.source, force: opts.force, log: progress });
      emit(opts, result, () => (result.built ? `built ${result.tag} in ${result.seconds.toFixed(1)} s` : `${result.tag} is up to date`));
    });

  sandbox
    .command('exec')
    .description('run one command in a fresh sandbox, stream its output, exit with its exit code (124 on timeout); --isolation gvisor runs it under runsc')
    .argument('<command...>', 'the command and its arguments (put them after --)')
    .addOption(numberOption('--timeout <seconds>', 'hard time limit', { min: 0, minExclusive: true }, 600))
    .addOption(numberOption('--memory <mb>', "memory limit (no swap); Docker's minimum is 6", { integer: true, min: 6 }, DEFAULT_LIMITS.memoryMb))
    .addOption(numberOption('--cpus <n>', 'CPU limit', { min: 0, minExclusive: true }, DEFAULT_LIMITS.cpus))
    .addOption(numberOption('--pids <n>', 'process limit', { integer: true, min: 1 }, DEFAULT_LIMITS.pids))
    .option('--mount <host:path[:ro]>', 'bind-mount a host path (repeatable)', mountFlag, [] as Mount[])
    .option('--image <tag>', 'sandbox image (default: the one built from the current inputs)')
    .option('--json', 'print the result as JSON instead of streaming')
    .action(async (command: string[], opts: ExecFlags) => {
      const timeoutSec = opts.timeout;
      const limits = { memoryMb: opts.memory, cpus: opts.cpus, pids: opts.pids };
      const image = opts.image ?? (await ensureSandboxImage({ log: progress })).tag;
      const sb = await Sandbox.create({ image, mounts: opts.mount, ...limits, lifetimeSec: timeoutSec + 60 });
      // Interrupted: 130 for SIGINT, 143 for SIGTERM, as every clade command (cli/interrupt.ts).
      const stop = (code: number) => () => void sb.remove().finally(() => process.exit(code));
      const onInt = stop(130);
      const onTerm = stop(143);
      process.once('SIGINT', onInt);
      process.once('SIGTERM', onTerm);
      try {
        const result = await sb.exec(command, {
          timeoutSec,
          onStdout: opts.json ? undefined : (c) => process.stdout.write(c),
          onStderr: opts.json ? undefined : (c) => process.stderr.write(c),
        });
        if (opts.json) emit(opts, result, () => '');
        else if (result.timedOut) process.stderr.write(`clade: timed out after ${timeoutSec} s\n`);
        process.exitCode = result.exitCode;
      } finally {
        process.off('SIGINT', onInt);
        process.off('SIGTERM', onTerm);
        await sb.remove();
      }
    });

  sandbox
    .command('sweep')
    .description('remove sandbox containers whose owner process died or whose lifetime ran out')
    .option('--json', 'print the result as JSON')
    .action(async (opts: OutputOptions) => {
      const result = await sweepSandboxes();
      emit(opts, result, () => `removed ${result.removed.length} leftover sandbox(es); ${result.kept} in use`);
    });
}
