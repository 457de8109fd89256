// `clade chat`: talk to an agent (the seed, a variant, or any agent folder) in a terminal, through its session
// contract. With a terminal it is an inline Ink UI; without one (a pipe, CI) it runs one turn as plain text.
import type { Command } from 'commander';
import { cacheDir } from '../../lib/cache-dir.ts';
import { existsSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { buildAgent } from '../../bench/agent-build.ts';
import { SEED_AGENT_DIR } from '../../bench/agent-deps.ts';
import { GatewaySession } from '../../gateway/server.ts';
import { hostIsolation, HostSandboxUnavailable, type HostIsolation } from '../../sandbox/host-sandbox.ts';
import { ensureSandboxImage } from '../../sandbox/image.ts';
import { type Upstream } from '../../gateway/upstream.ts';
import { parseUpstream } from '../../gateway/upstream-spec.ts';
import { budgetFrom, budgetOptions, type BudgetFlags } from '../budget-flags.ts';
import { isInteractive, readAll, runChat } from '../chat/run.ts';
import type { PatchReview } from '../chat/patch.ts';
import { openSandboxSession } from '../chat/sandbox-transport.ts';
import { spawnHostSession, type SessionTransport } from '../chat/transport.ts';
import { MODEL_HELP, modelSpec } from '../model-option.ts';
import { progress } from '../output.ts';
import { agentDirFrom, variantOptions, type VariantFlags } from '../variant-flags.ts';
import { runDirFlag } from '../flags.ts';
import { UsageError } from '../../lib/usage-error.ts';

interface ChatFlags extends BudgetFlags, VariantFlags {
  repo?: string;
  model: string | string[];
  modelName: string;
  yes?: boolean;
  sandbox?: boolean;
  unsafeHost?: boolean;
  message?: string;
}

export function registerChat(program: Command): void {
  budgetOptions(
    variantOptions(
      program
        .command('chat')
        .option('--model <upstream...>', MODEL_HELP, 'anthropic')
        .option('--repo <dir>', 'the repository the agent works on: in place, or a copy with --sandbox (default: the current directory)')
        .option('--model-name <name>', 'the model the agent asks for', 'claude-sonnet-4-6')
        .option('--yes', 'allow every command and edit without asking (starts the agent with --auto-approve)')
        .option('--sandbox', 'run the agent in a sandbox on a copy of --repo (no .git, no network); after each turn its changes are shown as a patch (saved under .clade/chat/) and applied to your working tree if you say y, or with --yes; .git/ is never touched')
        .option('--unsafe-host', 'without --sandbox: run the agent on the host with no OS sandbox (when bubblewrap is missing); it can then read your API key')
        .option('--message <text>', 'send this one message, print the answer as plain text and exit (the default without a terminal, reading the message from stdin)'),
    ),
  ).action(async (opts: ChatFlags) => {
    // --run comes from variantOptions; a file there is refused before any work, as on every command.
    opts.run = runDirFlag(opts.run);
    const repo = resolve(opts.repo ?? process.cwd());
    if (!existsSync(repo) || !statSync(repo).isDirectory()) throw new UsageError(`--repo ${repo} is not a directory`);
    const interactive = isInteractive(opts.message);
    const message = interactive ? '' : (opts.message ?? (await readAll(process.stdin)));
    if (!interactive && !message.trim()) throw new UsageError('no message to send: pass --message TEXT, or pipe it on stdin');
    let upstream: Upstream;
    try {
      upstream = parseUpstream(modelSpec(opts.model)!);
    } catch (err) {
      throw new UsageError((err as Error).message);
    }
    const budget = budgetFrom(opts);
    if (opts.sandbox && opts.unsafeHost) throw new UsageError('--unsafe-host is for host mode; drop it, --sandbox runs the agent in a container');
    // Refused up front: host mode without an OS sandbox would let the agent read the key from this process.
    let isolation: HostIsolation | undefined;
    if (!opts.sandbox) {
      try {
        isolation = await hostIsolation({ repo, unsafe: opts.unsafeHost, warn: progress, howToFix: 'or run the agent in a container with --sandbox, or accept the risk with --unsafe-host' });
      } catch (err) {
        if (err instanceof HostSandboxUnavailable) throw new UsageError(err.message);
        throw err;
      }
    }
    const agent = await agentDirFrom(opts);
    const agentDir = agent.agentDir ?? SEED_AGENT_DIR;
    const stamp = new Date().toISOString().replace(/[:.]/g, '-');
    const logPath = resolve('.clade', 'chat', stamp, 'gateway.jsonl');
    const gateway = await GatewaySession.open({ id: `chat-${stamp}`, upstream, logPath, budget, model: opts.modelName });
    try {
      const autoApprove = opts.yes === true;
      let transport: SessionTransport;
      let patches: PatchReview | undefined;
      if (opts.sandbox) {
        const session = await openSandboxSession({ agentDir, repo, saveDir: dirname(logPath), gateway, model: opts.modelName, autoApprove, log: progress });
        transport = session;
        patches = session.patches;
      } else {
        // A variant's build script is its own code: it runs in a container, never here (issue 10).
        const build = await buildAgent(agentDir, { image: (await ensureSandboxImage({ log: progress })).tag, log: progress });
        // The gateway log lives in ./.clade, inside the repository when it is the current directory.
        transport = spawnHostSession({ agentMjs: join(build.distDir, 'agent.mjs'), repo, socketPath: gateway.socketPath, model: opts.modelName, autoApprove, isolation, protect: [resolve('.clade'), cacheDir()] });
      }
      const banner = `clade chat · ${repo} · ${opts.modelName} via ${modelSpec(opts.model)}${autoApprove ? ' · --yes: nothing is asked before it runs' : ''}`;
      process.exitCode = await runChat(transport, { message: interactive ? undefined : message, autoApprove, banner, patches });
    } finally {
      await gateway.close();
      await agent.remove();
    }
    if (interactive) progress(`gateway log: ${logPath}`);
  });
}
