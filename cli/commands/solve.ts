import type { Command } from 'commander';
import { readFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { solve } from '../../bench/solve.ts';
import { parseUpstream } from '../../gateway/upstream-spec.ts';
import { hostIsolation as checkHostIsolation, HostSandboxUnavailable, type HostIsolation } from '../../sandbox/host-sandbox.ts';
import { ensureSandboxImage } from '../../sandbox/image.ts';
import { sweepSandboxes } from '../../sandbox/sweep.ts';
import { budgetFrom, budgetOptions, type BudgetFlags } from '../budget-flags.ts';
import { MODEL_HELP, modelSpec } from '../model-option.ts';
import { emit, progress, type OutputOptions } from '../output.ts';
import { agentDirFrom, variantOptions, type VariantFlags } from '../variant-flags.ts';
import { numberOption, runDirFlag } from '../flags.ts';
import { UsageError } from '../../lib/usage-error.ts';

interface SolveFlags extends OutputOptions, BudgetFlags, VariantFlags {
  repo: string;
  problem: string;
  out: string;
  model: string | string[];
  modelName?: string;
  timeout: number;
  maxTurns?: number;
  local?: boolean;
  unsafeHost?: boolean;
}

export function registerSolve(program: Command): void {
  budgetOptions(
    variantOptions(program
      .command('solve')
      .option('--model <upstream...>', MODEL_HELP, 'anthropic')
      .requiredOption('--repo <dir>', 'the repository (its working tree is copied; .git is left out)')
      .requiredOption('--problem <file>', 'the issue text for the agent')
      .requiredOption('--out <dir>', 'where to write patch.diff, trajectory.jsonl and gateway.jsonl')
      .option('--model-name <name>', 'the model the agent asks for', 'claude-sonnet-4-6')
      .addOption(numberOption('--timeout <seconds>', 'wall-clock limit for the agent', { min: 0, minExclusive: true }, 1800))
      .addOption(numberOption('--max-turns <n>', 'model calls the agent may make', { integer: true, min: 1 }))
      .option('--local', 'run the agent on the host in an OS sandbox (bubblewrap), on a copy of --repo; no Docker needed')
      .option('--unsafe-host', 'with --local: run the agent with no OS sandbox (when bubblewrap is missing); it can then read your API key')
      .option('--json', 'print the result as JSON')),
  ).action(async (opts: SolveFlags) => {
    // --run comes from variantOptions; a file there is refused before any work, as on every command.
    opts.run = runDirFlag(opts.run);
    if (!existsSync(opts.problem)) throw new UsageError(`--problem ${opts.problem} does not exist`);
    const upstream = parseUpstream(modelSpec(opts.model)!);
    if (opts.unsafeHost && !opts.local) throw new UsageError('--unsafe-host is only for --local');
    let hostIsolation: HostIsolation | undefined;
    if (opts.local) {
      try {
        // The agent works on a copy in a temporary directory, so that is what the probe runs as.
        hostIsolation = await checkHostIsolation({ repo: tmpdir(), unsafe: opts.unsafeHost, warn: progress, howToFix: 'or drop --local to run the agent in a container, or accept the risk with --unsafe-host' });
      } catch (err) {
        if (err instanceof HostSandboxUnavailable) throw new UsageError(err.message);
        throw err;
      }
    }
    let image: string | undefined;
    if (!opts.local) {
      await sweepSandboxes();
      image = (await ensureSandboxImage({ log: progress })).tag;
    }
    const agent = await agentDirFrom(opts);
    const result = await solve({
      local: opts.local,
      repoDir: opts.repo,
      problem: readFileSync(opts.problem, 'utf8'),
      outDir: opts.out,
      upstream,
      image,
      hostIsolation,
      agentDir: agent.agentDir,
      model: opts.modelName,
      budget: budgetFrom(opts),
      timeoutSec: opts.timeout,
      maxTurns: opts.maxTurns,
      onOutput: opts.json ? undefined : (c) => process.stderr.write(c),
      log: progress,
    }).finally(agent.remove);
    emit(opts, result, () =>
      [
        `agent ${result.agentHash} exited ${result.agent.exitCode}${result.agent.timedOut ? ' (timed out)' : ''} after ${(result.agent.durationMs / 1000).toFixed(1)} s`,
        `patch: ${result.patchPath} (${result.patch ? `${result.patch.split('\n').filter((l) => l.startsWith('diff --git')).length} files` : 'empty'})`,
        `trajectory: ${result.trajectoryPath}`,
        `gateway: ${result.spent.requests} requests, $${result.spent.usd.toFixed(4)}; log ${result.gatewayLog}`,
      ].join('\n'),
    );
  });
}
