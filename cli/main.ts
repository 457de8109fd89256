// The `clade` command: every way a user reaches Clade starts here.
import { Command, CommanderError } from 'commander';
import { readFileSync } from 'node:fs';
import { registerSetup } from './commands/setup.ts';
import { registerDoctor } from './commands/doctor.ts';
import { registerSandbox } from './commands/sandbox.ts';
import { registerGateway } from './commands/gateway.ts';
import { registerSmoke } from './commands/smoke.ts';
import { registerSolve } from './commands/solve.ts';
import { registerBench } from './commands/bench.ts';
import { registerSim } from './commands/sim.ts';
import { registerArchive } from './commands/archive.ts';
import { registerReport } from './commands/report.ts';
import { registerEvolve } from './commands/evolve.ts';
import { registerChat } from './commands/chat.ts';
import { registerExport } from './commands/export.ts';
import { UsageError } from './output.ts';

const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };

const program = new Command('clade')
  .description('Clade: a self-improving coding agent, evolved in a Docker sandbox')
  .version(pkg.version)
  .showHelpAfterError()
  .exitOverride();

registerSetup(program);
registerDoctor(program);
registerSandbox(program);
registerGateway(program);
registerSmoke(program);
registerSolve(program);
registerBench(program);
registerSim(program);
registerArchive(program);
registerReport(program);
registerEvolve(program);
registerChat(program);
registerExport(program);

try {
  await program.parseAsync(process.argv);
} catch (err) {
  if (err instanceof CommanderError) process.exit(err.exitCode);
  const message = err instanceof Error ? err.message : String(err);
  process.stderr.write(`clade: ${message}\n`);
  process.exit(err instanceof UsageError ? err.exitCode : 1);
}
