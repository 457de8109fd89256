// Runs an agent on a repository and a problem statement inside a sandbox, and returns what it did: the patch (computed
// here, as the diff against the starting state) and its trajectory. The model is reached only through a gateway
// session whose socket is the container's one way out.
import { mkdir, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { GatewaySession } from '../gateway/server.ts';
import type { Upstream } from '../gateway/upstream.ts';
import type { Budget, BudgetLimits, Spend } from '../gateway/budget.ts';
import type { HostIsolation } from '../sandbox/host-sandbox.ts';
import { withSandbox, type ExecResult, type Workspace } from '../sandbox/session.ts';
import { HostWorkspace } from '../sandbox/host-workspace.ts';
import { SAFE_GIT } from './git.ts';
import { buildAgent } from './agent-build.ts';
import { SEED_AGENT_DIR } from './agent-deps.ts';
import { RUN_OUTPUT, type OutputBudget } from './output-budget.ts';
import { AgentFault, SolveFailed, type SessionFacts } from './outcome.ts';

export interface SolveOptions {
  repoDir: string;
  problem: string;
  outDir: string;
  upstream: Upstream;
  /** The sandbox image; not needed with local. */
  image?: string;
  /** With local: the OS sandbox (the default), or none when the user said --unsafe-host. */
  hostIsolation?: HostIsolation;
  agentDir?: string;
  model?: string;
  budget?: BudgetLimits;
  /** The run's dollar budget, shared by all its sessions: a refusal from it is a budget stop, not the agent's. */
  runBudget?: Budget;
  timeoutSec?: number;
  maxTurns?: number;
  /** The run's cap on what is copied out of containers; the process's by default. */
  outputBudget?: OutputBudget;
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
  gateway: SessionFacts;
}

const GIT = SAFE_GIT;

/** Runs the agent in a sandbox (the default), or on the host in a temporary directory with `local: true`. */
export async function solve(opts: SolveOptions & { local?: boolean }): Promise<SolveResult> {
  const outDir = resolve(opts.outDir);
  await mkdir(outDir, { recursive: true });
  if (!existsSync(opts.repoDir)) throw new Error(`--repo ${opts.repoDir} does not exist`);
  const build = await buildAgent(opts.agentDir ?? SEED_AGENT_DIR, { image: opts.image, host: opts.local, hostIsolation: opts.hostIsolation, log: opts.log });
  const gatewayLog = join(outDir, 'gateway.jsonl');
  const gateway = await GatewaySession.open({ id: `solve-${build.hash}`, upstream: opts.upstream, budget: opts.budget, runBudget: opts.runBudget, logPath: gatewayLog, model: opts.model });
  const timeoutSec = opts.timeoutSec ?? 1800;
  try {
    let result: Awaited<ReturnType<typeof runAgent>>;
    if (opts.local) {
      const ws = await HostWorkspace.create({ isolation: opts.hostIsolation, sockets: [gateway.socketPath] });
      try {
        result = await runAgent(ws, build.distDir, opts, timeoutSec, { CLADE_GATEWAY_SOCKET: gateway.socketPath });
      } finally {
        await ws.remove();
      }
    } else {
      if (!opts.image) throw new Error('a sandbox image is needed unless --local');
      result = await withSandbox({ image: opts.image, mounts: [gateway.mount], lifetimeSec: timeoutSec + 300 }, (sb) => runAgent(sb, build.distDir, opts, timeoutSec));
    }
    await gateway.flush();
    const patchPath = join(outDir, 'patch.diff');
    await writeFile(patchPath, result.patch);
    const trajectoryPath = join(outDir, 'trajectory.jsonl');
    await writeFile(trajectoryPath, result.trajectory);
    const { exitCode, timedOut, durationMs, stderr } = result.run;
    return { patch: result.patch, patchPath, trajectoryPath, gatewayLog, agentHash: build.hash, agent: { exitCode, timedOut, durationMs, stderr }, spent: { ...gateway.budget.spent }, gateway: sessionFacts(gateway) };
  } catch (err) {
    await gateway.flush();
    throw new SolveFailed(err, { ...gateway.budget.spent }, sessionFacts(gateway));
  } finally {
    await gateway.close();
  }
}

function sessionFacts(gateway: GatewaySession): SessionFacts {
  return { refusals: { ...gateway.refusals }, unfixable: gateway.unfixable };
}

async function runAgent(ws: Workspace, distDir: string, opts: SolveOptions, timeoutSec: number, env?: Record<string, string>) {
  const at = (p: string) => `${ws.root}/${p}`;
  await ws.sh('mkdir -p agent repo out', { cwd: ws.root });
  await ws.copyIn(distDir, at('agent'));
  // The agent sees the working tree only: no history, remotes or tags that could reveal a fix.
  await ws.copyIn(opts.repoDir, at('repo'), ['./.git']);
  await ws.writeFiles({ 'problem.md': opts.problem }, ws.root);
  const base = await ws.sh(`${GIT} init -q && ${GIT} add -A && ${GIT} commit -qm base --allow-empty`, { cwd: at('repo') });
  if (base.exitCode !== 0) throw new Error(`could not snapshot the repository: ${base.stderr}`);
  opts.log?.(`agent solving in ${ws.root === '/workspace' ? 'the sandbox' : ws.root}`);
  const args = ['node', at('agent/agent.mjs'), 'solve', '--repo', at('repo'), '--problem', at('problem.md'), '--out', at('out'), '--timeout', String(timeoutSec)];
  if (opts.model) args.push('--model', opts.model);
  if (opts.maxTurns) args.push('--max-turns', String(opts.maxTurns));
  const run = await ws.exec(args, { timeoutSec: timeoutSec + 60, onStdout: opts.onOutput, onStderr: opts.onOutput, env, cwd: ws.root });
  // The patch is computed here, not taken from the agent: everything the agent changed, new files included.
  const diff = await ws.sh(`${GIT} add -A && ${GIT} diff --cached --binary --no-ext-diff --no-textconv HEAD`, { cwd: at('repo'), maxOutputBytes: 32 * 1024 * 1024 });
  // The agent owns the repository and its .git: if git cannot read them, the agent broke them.
  if (diff.exitCode !== 0) throw new AgentFault(`could not compute the patch: ${diff.stderr}`);
  if (diff.truncated) throw new AgentFault('the patch is larger than 32 MiB; refusing it');
  // Capped per task and, through the run's budget, per run: past it, a trajectory is replaced by a note that says so.
  const budget = opts.outputBudget ?? RUN_OUTPUT;
  const perTask = 256 * 1024 * 1024;
  const cap = budget.cap(perTask);
  const spent = () => Buffer.from(budget.note('this trajectory'));
  const trajectory = cap > 0 ? await ws.readFile(at('out/trajectory.jsonl'), cap).catch(() => (cap < perTask ? spent() : Buffer.alloc(0))) : spent();
  budget.take(trajectory.length);
  return { run, patch: diff.stdout, trajectory };
}
