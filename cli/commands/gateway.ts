import type { Command } from 'commander';
import { GatewaySession } from '../../gateway/server.ts';
import { parseUpstream } from '../../gateway/upstream-spec.ts';
import { MODEL_HELP, modelSpec } from '../model-option.ts';
import { progress } from '../output.ts';
import { budgetOptions, budgetFrom, type BudgetFlags } from '../budget-flags.ts';

export function registerGateway(program: Command): void {
  const gateway = program.command('gateway');
  budgetOptions(
    gateway
      .command('serve')
      .description('serve one gateway session on a Unix socket until interrupted')
      .option('--model <upstream...>', MODEL_HELP, 'anthropic')
      .requiredOption('--socket-dir <dir>', 'directory for gateway.sock (mount it into a container at /run/clade)')
      .option('--log <file>', 'JSONL log of every request and response')
      .option('--id <id>', 'session id for logs and request ids', 'manual'),
  ).action(async (opts: BudgetFlags & { socketDir: string; model: string | string[]; log?: string; id: string }) => {
    const session = await GatewaySession.open({ id: opts.id, upstream: parseUpstream(modelSpec(opts.model)!), budget: budgetFrom(opts), logPath: opts.log, socketDir: opts.socketDir });
    progress(`gateway session ${opts.id} listening on ${session.socketPath} (upstream ${session.upstream.name}); Ctrl-C to stop`);
    await new Promise<void>((resolve) => {
      process.once('SIGINT', resolve);
      process.once('SIGTERM', resolve);
    });
    await session.close();
    progress(`spent: ${JSON.stringify(session.budget.spent)}`);
  });
}
