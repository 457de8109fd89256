// The entry point of an exported agent (`clade export`): a standalone CLI that needs neither the Clade repository nor
// Docker. It is bundled with esbuild into one file next to the variant's own build (agent/agent.mjs), and it plays the
// gateway's part in-process: the agent still reaches the model only through a Unix socket, with budgets and a log.
import { Command, CommanderError } from 'commander';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { GatewaySession } from '../../gateway/server.ts';
import { parseUpstream } from '../../gateway/upstream.ts';
import { runChatSession } from '../chat/run.ts';
import { MODEL_HELP, modelSpec } from '../model-option.ts';

const here = dirname(fileURLToPath(import.meta.url));
const agentMjs = join(here, 'agent', 'agent.mjs');

interface ExportInfo {
  name: string;
  version: string;
  variant: string;
  run: string;
  lineage: string[];
  score: { resolved: number; evaluated: number } | null;
  model: string | null;
}

const info = JSON.parse(readFileSync(join(here, 'clade-export.json'), 'utf8')) as ExportInfo;
const defaultModel = process.env.ANTHROPIC_API_KEY ? 'anthropic' : undefined;

async function withGateway<T>(modelSpec: string | undefined, logDir: string | undefined, fn: (socketPath: string) => Promise<T>): Promise<T> {
  if (!modelSpec) throw new Error('no model: set ANTHROPIC_API_KEY, or pass --model anthropic | openai-compatible:URL | scripted:FILE');
  const session = await GatewaySession.open({ id: info.name, upstream: parseUpstream(modelSpec), logPath: logDir ? join(logDir, 'gateway.jsonl') : undefined });
  try {
    return await fn(session.socketPath);
  } finally {
    await session.flush();
    await session.close();
  }
}

const program = new Command(info.name)
  .description(`${info.name}: a coding agent evolved by Clade (variant ${info.variant})`)
  .version(`${info.version} (Clade variant ${info.variant}; lineage ${info.lineage.join(' → ')})`)
  .exitOverride();

program
  .command('solve')
  .description('work on a repository in place to resolve the problem in FILE; writes the trajectory to --out')
  .requiredOption('--repo <dir>', 'the repository to change')
  .requiredOption('--problem <file>', 'the issue text')
  .option('--out <dir>', 'where to write trajectory.jsonl and gateway.jsonl')
  .option('--model <upstream...>', MODEL_HELP, defaultModel)
  .option('--model-name <name>', 'the model to ask for', 'claude-sonnet-4-6')
  .option('--max-turns <n>', 'model calls the agent may make')
  .action(async (opts: { repo: string; problem: string; out?: string; model?: string | string[]; modelName: string; maxTurns?: string }) => {
    if (!existsSync(opts.repo)) throw new Error(`--repo ${opts.repo} does not exist`);
    if (!existsSync(opts.problem)) throw new Error(`--problem ${opts.problem} does not exist`);
    const out = resolve(opts.out ?? mkdtempSync(join(tmpdir(), `${info.name}-`)));
    const code = await withGateway(modelSpec(opts.model), out, (socketPath) => {
      const args = [agentMjs, 'solve', '--repo', resolve(opts.repo), '--problem', resolve(opts.problem), '--out', out, '--model', opts.modelName];
      if (opts.maxTurns) args.push('--max-turns', opts.maxTurns);
      // The agent gets no key and no other secret: the gateway in this process holds them.
      const env: Record<string, string> = { CLADE_GATEWAY_SOCKET: socketPath };
      for (const key of ['PATH', 'HOME'] as const) if (process.env[key]) env[key] = process.env[key]!;
      const child = spawn(process.execPath, args, { stdio: 'inherit', env });
      return new Promise<number>((done) => child.on('close', (c) => done(c ?? 1)));
    });
    process.stderr.write(`trajectory: ${join(out, 'trajectory.jsonl')}\n`);
    process.exitCode = code;
  });

program
  .command('chat')
  .description('an interactive session on a repository (asks before commands and edits)')
  .option('--repo <dir>', 'the repository', process.cwd())
  .option('--model <upstream...>', MODEL_HELP, defaultModel)
  .option('--model-name <name>', 'the model to ask for', 'claude-sonnet-4-6')
  .option('--yes', 'approve every command and edit without asking')
  .option('--message <text>', 'without a terminal: the message (otherwise read from stdin)')
  .action(async (opts: { repo: string; model?: string | string[]; modelName: string; yes?: boolean; message?: string }) => {
    if (!existsSync(opts.repo)) throw new Error(`--repo ${opts.repo} does not exist`);
    process.exitCode = await withGateway(modelSpec(opts.model), undefined, (socketPath) =>
      runChatSession({ agentMjs, repo: resolve(opts.repo), socketPath, model: opts.modelName, autoApprove: Boolean(opts.yes), message: opts.message }),
    );
  });

try {
  await program.parseAsync(process.argv);
} catch (err) {
  if (err instanceof CommanderError) process.exit(err.exitCode);
  process.stderr.write(`${info.name}: ${(err as Error).message}\n`);
  process.exit(1);
}
