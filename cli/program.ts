// The `clade` command tree, built apart from running it so a test can walk every command and option. A command's
// module (and what it imports: Ink, the SDK, dockerode, SQLite) is loaded only when that command runs; the top-level
// help lists the commands from the table below without loading any of them.
import { Command } from 'commander';
import { CLADE_VERSION } from '../lib/paths.ts';
import { ROOT_OPTIONS_WITH_VALUES, registerIsolationOption } from './isolation.ts';

type Register = (program: Command) => void;

/** Every command: what `clade --help` says of it, and how to load it. */
const COMMANDS: Record<string, { summary: string; load: () => Promise<Register> }> = {
  setup: { summary: 'make a Docker engine answer (install docker.io and debootstrap if missing, start dockerd with no bridge); idempotent', load: async () => (await import('./commands/setup.ts')).registerSetup },
  doctor: { summary: 'check that this machine can run Clade, and say how to fix what is missing', load: async () => (await import('./commands/doctor.ts')).registerDoctor },
  sandbox: { summary: 'the Docker sandbox every variant runs in', load: async () => (await import('./commands/sandbox.ts')).registerSandbox },
  gateway: { summary: 'the host-side model gateway that sandboxes reach over a Unix socket', load: async () => (await import('./commands/gateway.ts')).registerGateway },
  smoke: { summary: 'end-to-end check of the foundation: the real SDK in a sandbox, through the gateway, with a scripted model', load: async () => (await import('./commands/smoke.ts')).registerSmoke },
  solve: { summary: 'run the agent on a copy of a repository inside the sandbox; writes patch.diff and trajectory.jsonl to --out', load: async () => (await import('./commands/solve.ts')).registerSolve },
  bench: { summary: 'SWE-style tasks: list them, grade a patch, validate the suite', load: async () => (await import('./commands/bench.ts')).registerBench },
  sim: { summary: 'compare parent-selection policies on a seeded synthetic landscape (no model calls; see evolve/SIM.md)', load: async () => (await import('./commands/sim.ts')).registerSim },
  archive: { summary: "inspect a run's archive: every variant, its results and its source", load: async () => (await import('./commands/archive.ts')).registerArchive },
  report: { summary: 'write a self-contained HTML page about a run: lineage tree, progress charts, every variant with its diff', load: async () => (await import('./commands/report.ts')).registerReport },
  evolve: { summary: 'grow an archive of agent variants by self-modification; rerun with the same --run to resume', load: async () => (await import('./commands/evolve.ts')).registerEvolve },
  chat: { summary: 'talk to the agent in your terminal; it works on --repo in place, asking before it changes anything', load: async () => (await import('./commands/chat.ts')).registerChat },
  export: { summary: 'turn an archived variant into a standalone CLI (one bundled launcher plus the agent; no Docker needed to run it)', load: async () => (await import('./commands/export.ts')).registerExport },
};

/**
 * The program for these arguments (`process.argv.slice(2)`): with the command they name loaded, and every other
 * command as a stub that only lists itself. Without arguments, every command is loaded.
 */
export async function buildProgram(args?: string[]): Promise<Command> {
  const program = new Command('clade')
    .description('Clade: a self-improving coding agent, evolved in a Docker sandbox')
    .version(CLADE_VERSION)
    .showHelpAfterError()
    .exitOverride();
  registerIsolationOption(program);
  const named = args && commandName(args);
  const wanted = args === undefined ? undefined : named === 'help' ? args[args.indexOf('help') + 1] : named;
  for (const [name, { summary, load }] of Object.entries(COMMANDS)) {
    if (args === undefined || name === wanted) (await load())(program);
    else program.command(name).description(summary);
    program.commands.at(-1)!.description(summary);
  }
  return program;
}

/** The first argument that is neither an option nor a root option's value (`clade --isolation gvisor evolve …`). */
function commandName(args: string[]): string | undefined {
  for (let i = 0; i < args.length; i++) {
    if (ROOT_OPTIONS_WITH_VALUES.includes(args[i]!)) i++;
    else if (!args[i]!.startsWith('-')) return args[i];
  }
  return undefined;
}
