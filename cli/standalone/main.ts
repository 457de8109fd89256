// The entry point of an exported agent (`clade export`): a standalone CLI that needs neither the Clade repository nor
// Docker. It is bundled with esbuild into one file next to the variant's own build (agent/agent.mjs), and it plays the
// gateway's part in-process: the agent still reaches the model only through a Unix socket, with budgets and a log.
// The agent works on the user's repository in place, so it runs in the OS sandbox (bubblewrap, found on PATH when this
// runs), as `clade chat` does: it never shares a PID namespace or a file system view with this process and its key.
import { Command, CommanderError } from 'commander';
import { spawn } from 'node:child_process';
import { constants, existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { open, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { GatewaySession } from '../../gateway/server.ts';
import { parseUpstream } from '../../gateway/upstream-spec.ts';
import { agentEnv, hostIsolation, HostSandboxUnavailable, spawnInHostSandbox, type HostIsolation } from '../../sandbox/host-sandbox.ts';
import { runChat } from '../chat/run.ts';
import { spawnHostSession } from '../chat/transport.ts';
import { MODEL_HELP, modelSpec } from '../model-option.ts';
import { numberOption } from '../flags.ts';
import { UsageError } from '../../lib/usage-error.ts';

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
  if (!modelSpec) throw new UsageError('no model: set ANTHROPIC_API_KEY, or pass --model anthropic | openai-compatible:URL | scripted:FILE');
  const session = await GatewaySession.open({ id: info.name, upstream: parseUpstream(modelSpec), logPath: logDir ? join(logDir, 'gateway.jsonl') : undefined });
  try {
    return await fn(session.socketPath);
  } finally {
    await session.flush();
    await session.close();
  }
}

/** The sandbox, or a refusal that says how to fix it (exit 2), or none with --unsafe-host. */
function isolationFor(repo: string, unsafe: boolean | undefined): Promise<HostIsolation> {
  return hostIsolation({ repo, unsafe, warn: (l) => process.stderr.write(`${info.name}: ${l}\n`), howToFix: 'or accept the risk with --unsafe-host' });
}

/** The agent's trajectory, read as data: a regular file only (never a link it left), capped. */
async function readTrajectory(path: string): Promise<Buffer> {
  const file = await open(path, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK).catch(() => undefined);
  if (!file) return Buffer.alloc(0);
  try {
    const st = await file.stat();
    return st.isFile() && st.size <= 256 * 1024 * 1024 ? await file.readFile() : Buffer.alloc(0);
  } finally {
    await file.close();
  }
}

const UNSAFE_HELP = 'run the agent with no OS sandbox (when bubblewrap is missing); it can then read your API key';

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
  .addOption(numberOption('--max-turns <n>', 'model calls the agent may make', { integer: true, min: 1 }))
  .option('--unsafe-host', UNSAFE_HELP)
  .action(async (opts: { repo: string; problem: string; out?: string; model?: string | string[]; modelName: string; maxTurns?: number; unsafeHost?: boolean }) => {
    if (!existsSync(opts.repo)) throw new UsageError(`--repo ${opts.repo} does not exist`);
    if (!existsSync(opts.problem)) throw new UsageError(`--problem ${opts.problem} does not exist`);
    const repo = resolve(opts.repo);
    const isolation = await isolationFor(repo, opts.unsafeHost);
    const out = resolve(opts.out ?? mkdtempSync(join(tmpdir(), `${info.name}-`)));
    // The agent writes its trajectory to a folder of its own; --out, where the gateway appends its log, is not its to
    // write (a link in place of gateway.jsonl would make this process append where the agent chose).
    const agentOut = mkdtempSync(join(tmpdir(), `${info.name}-agent-`));
    try {
      const code = await withGateway(modelSpec(opts.model), out, (socketPath) => {
        const args = [agentMjs, 'solve', '--repo', repo, '--problem', resolve(opts.problem), '--out', agentOut, '--model', opts.modelName];
        if (opts.maxTurns) args.push('--max-turns', String(opts.maxTurns));
        const env = agentEnv(socketPath, isolation);
        let child;
        if (isolation.kind === 'unsafe') {
          child = spawn(process.execPath, args, { stdio: 'inherit', env });
        } else {
          const sandbox = { repo, readOnly: [dirname(agentMjs), resolve(opts.problem)], writable: [agentOut], protect: [out], sockets: [socketPath], env };
          child = spawnInHostSandbox([process.execPath, ...args], sandbox, 'inherit');
        }
        return new Promise<number>((done) => {
          child.once('error', (err) => {
            process.stderr.write(`${info.name}: could not start the agent: ${err.message}\n`);
            done(1);
          });
          child.once('close', (c) => done(c ?? 1));
        });
      });
      await writeFile(join(out, 'trajectory.jsonl'), await readTrajectory(join(agentOut, 'trajectory.jsonl')));
      process.stderr.write(`trajectory: ${join(out, 'trajectory.jsonl')}\n`);
      process.exitCode = code;
    } finally {
      await rm(agentOut, { recursive: true, force: true });
    }
  });

program
  .command('chat')
  .description('an interactive session on a repository (asks before commands and edits)')
  .option('--repo <dir>', 'the repository', process.cwd())
  .option('--model <upstream...>', MODEL_HELP, defaultModel)
  .option('--model-name <name>', 'the model to ask for', 'claude-sonnet-4-6')
  .option('--yes', 'approve every command and edit without asking')
  .option('--message <text>', 'without a terminal: the message (otherwise read from stdin)')
  .option('--unsafe-host', UNSAFE_HELP)
  .action(async (opts: { repo: string; model?: string | string[]; modelName: string; yes?: boolean; message?: string; unsafeHost?: boolean }) => {
    if (!existsSync(opts.repo)) throw new UsageError(`--repo ${opts.repo} does not exist`);
    const repo = resolve(opts.repo);
    const isolation = await isolationFor(repo, opts.unsafeHost);
    const autoApprove = Boolean(opts.yes);
    process.exitCode = await withGateway(modelSpec(opts.model), undefined, (socketPath) =>
      runChat(spawnHostSession({ agentMjs, repo, socketPath, model: opts.modelName, autoApprove, isolation }), { message: opts.message, autoApprove, banner: `${repo} · ${opts.modelName}` }),
    );
  });

try {
  await program.parseAsync(process.argv);
} catch (err) {
  // The exit codes of `clade` (cli/main.ts): commander's 0 for --help and --version, 2 for every usage mistake.
  if (err instanceof CommanderError) process.exit(err.exitCode === 0 ? 0 : 2);
  process.stderr.write(`${info.name}: ${(err as Error).message}\n`);
  // No OS sandbox is for the user to fix (install bubblewrap, or --unsafe-host), like a wrong flag: 2.
  process.exit(err instanceof UsageError || err instanceof HostSandboxUnavailable ? 2 : 1);
}
