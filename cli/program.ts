// The `clade` command tree, built apart from running it so a test can walk every command and option.
import { Command } from 'commander';
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

const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };

export function buildProgram(): Command {
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
  return program;
}
