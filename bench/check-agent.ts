// Step 5 of self-improvement: is a child a working agent? Type check, build, its own tests, then the contract tests as
// the seed wrote them (a child cannot weaken the contract by editing its copy of them). Everything runs in one sandbox:
// a child's build script and tests are its own code, and untrusted.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { withSandbox, type ExecResult } from '../sandbox/session.ts';
import { SEED_AGENT_DIR } from './agent-deps.ts';

export type CheckStage = 'typecheck' | 'build' | 'own-tests' | 'contract';

export interface AgentCheck {
  ok: boolean;
  /** The first stage that failed. */
  failed?: CheckStage;
  /** Why, with the end of the output: this is the reason an invalid variant is archived with. */
  reason?: string;
  stages: Array<{ stage: CheckStage; ok: boolean; seconds: number }>;
}

const CONTRACT_FILES = ['contract.test.ts', 'fake-model.ts', 'helpers.ts'];
const CONTRACT_CONFIG = `export default { test: { root: '/workspace/agent', include: ['.clade-contract/**/*.test.ts'], testTimeout: 60000, pool: 'forks' } };\n`;

const STAGES: Array<[CheckStage, string, number]> = [
  ['typecheck', 'node node_modules/typescript/bin/tsc --noEmit', 300],
  ['build', 'node build.mjs && test -f dist/agent.mjs', 300],
  ['own-tests', 'node node_modules/vitest/vitest.mjs run', 900],
  ['contract', 'CLADE_AGENT_DIR=/workspace/agent node node_modules/vitest/vitest.mjs run --config .clade-contract/vitest.config.mjs', 600],
];

function tail(r: ExecResult, lines = 25): string {
  return `${r.stdout}\n${r.stderr}`.trim().split('\n').slice(-lines).join('\n');
}

export async function checkAgent(agentDir: string, opts: { image: string; log?: (l: string) => void }): Promise<AgentCheck> {
  const stages: AgentCheck['stages'] = [];
  return withSandbox({ image: opts.image, lifetimeSec: 2400, workspaceMb: 2048 }, async (sb) => {
    await sb.sh('mkdir -p agent');
    await sb.copyIn(agentDir, '/workspace/agent', ['./dist', './.git', './.clade-contract']);
    const contract = Object.fromEntries(CONTRACT_FILES.map((f) => [`.clade-contract/${f}`, readFileSync(join(SEED_AGENT_DIR, 'test', f))]));
    await sb.writeFiles({ ...contract, '.clade-contract/vitest.config.mjs': CONTRACT_CONFIG }, '/workspace/agent');
    for (const [stage, command, timeoutSec] of STAGES) {
      const started = Date.now();
      const r = await sb.sh(command, { cwd: '/workspace/agent', timeoutSec, env: { CI: 'true', NO_COLOR: '1' } });
      const ok = r.exitCode === 0 && !r.timedOut;
      stages.push({ stage, ok, seconds: (Date.now() - started) / 1000 });
      opts.log?.(`  ${stage}: ${ok ? 'ok' : `failed (exit ${r.exitCode}${r.timedOut ? ', timed out' : ''})`}`);
      if (!ok) return { ok: false, failed: stage, reason: `${stage} failed${r.timedOut ? ' (timed out)' : ''}: ${tail(r)}`, stages };
    }
    return { ok: true, stages };
  });
}
