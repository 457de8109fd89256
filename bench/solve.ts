// Runs an agent on a repository and a problem statement inside a sandbox, and returns what it did: the patch (computed
// here, as the diff against the starting state) and its trajectory. The model is reached only through a gateway
// session whose socket is the container's one way out.
import { mkdir, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { GatewaySession } from '../gateway/server.ts';
import type { Upstream } from '../gateway/upstream.ts';
import type { BudgetLimits, Spend } from '../gateway/budget.ts';
import { withSandbox, type ExecResult } from '../sandbox/session.ts';
import { buildAgent, SEED_AGENT_DIR } from './agent-build.ts';

export interface SolveOptions {
  repoDir: string;
  problem: string;
  outDir: string;
  upstream: Upstream;
  image: string;
  agentDir?: string;
  model?: string;
  budget?: BudgetLimits;
  timeoutSec?: number;
  maxTurns?: number;
  onOutput?: (chunk: Buffer) => void;
  log?: (line: string) => void;
}

export interface SolveResult {
  patch: string;
  patchPath: string;
  trajectoryPath: string;
  gatewayLog: string;
  agentHash: string;
  agent: Pick<ExecResult, 'exitCode' | 'timedOut' | 'durationMs' | 'stderr'>;
  spent: Spend;
}

/** git, with every knob a repository's own config could turn to run code or alter a diff switched off. */
const GIT = 'git -c core.hooksPath=/dev/null -c core.fsmonitor=false -c diff.external= -c core.pager=cat -c user.name=clade -c user.email=clade@localhost';

export async function solveInSandbox(opts: SolveOptions): Promise<SolveResult> {
  const outDir = resolve(opts.outDir);
  await mkdir(outDir, { recursive: true });
  if (!existsSync(opts.repoDir)) throw new Error(`--repo ${opts.repoDir} does not exist`);
  const build = await buildAgent(opts.agentDir ?? SEED_AGENT_DIR, { image: opts.image, log: opts.log });
  const gatewayLog = join(outDir, 'gateway.jsonl');
  const gateway = await GatewaySession.open({ id: `solve-${build.hash}`, upstream: opts.upstream, budget: opts.budget, logPath: gatewayLog });
  const timeoutSec = opts.timeoutSec ?? 1800;
  try {
    const result = await withSandbox({ image: opts.image, mounts: [gateway.mount], lifetimeSec: timeoutSec + 300 }, async (sb) => {
      await sb.sh('mkdir -p agent repo out');
      await sb.copyIn(build.distDir, '/workspace/agent');
      // The agent sees the working tree only: no history, remotes or tags that could reveal a fix.
      await sb.copyIn(opts.repoDir, '/workspace/repo', ['./.git']);
      await sb.writeFiles({ 'problem.md': opts.problem });
      const base = await sb.sh(`cd repo && ${GIT} init -q && ${GIT} add -A && ${GIT} commit -qm base --allow-empty`);
      if (base.exitCode !== 0) throw new Error(`could not snapshot the repository: ${base.stderr}`);
      opts.log?.(`agent ${build.hash} solving in the sandbox`);
      const args = ['node', '/workspace/agent/agent.mjs', 'solve', '--repo', '/workspace/repo', '--problem', '/workspace/problem.md', '--out', '/workspace/out', '--timeout', String(timeoutSec)];
      if (opts.model) args.push('--model', opts.model);
      if (opts.maxTurns) args.push('--max-turns', String(opts.maxTurns));
      const run = await sb.exec(args, { timeoutSec: timeoutSec + 60, onStdout: opts.onOutput, onStderr: opts.onOutput });
      // The patch is computed here, not taken from the agent: everything the agent changed, new files included.
      const diff = await sb.sh(`cd repo && ${GIT} add -A && ${GIT} diff --cached --binary --no-ext-diff --no-textconv HEAD`, { maxOutputBytes: 32 * 1024 * 1024 });
      if (diff.exitCode !== 0) throw new Error(`could not compute the patch: ${diff.stderr}`);
      if (diff.truncated) throw new Error('the patch is larger than 32 MiB; refusing it');
      const trajectory = await sb.readFile('/workspace/out/trajectory.jsonl', 256 * 1024 * 1024).catch(() => Buffer.alloc(0));
      return { run, patch: diff.stdout, trajectory };
    });
    await gateway.flush();
    const patchPath = join(outDir, 'patch.diff');
    await writeFile(patchPath, result.patch);
    const trajectoryPath = join(outDir, 'trajectory.jsonl');
    await writeFile(trajectoryPath, result.trajectory);
    const { exitCode, timedOut, durationMs, stderr } = result.run;
    return { patch: result.patch, patchPath, trajectoryPath, gatewayLog, agentHash: build.hash, agent: { exitCode, timedOut, durationMs, stderr }, spent: { ...gateway.budget.spent } };
  } finally {
    await gateway.close();
  }
}
