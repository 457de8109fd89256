// `clade chat --sandbox`: the agent runs in a sandbox (no network, capabilities dropped, read-only root, the sandbox's
// uid 1000) on a copy of the repository's working tree, and speaks the session contract over the exec's stdin and
// stdout. The user's repository is never mounted: `.git/` stays out of reach, so nothing the agent writes can become
// a hook or configuration that the user's next git command runs. After each turn Clade computes the agent's changes
// in the sandbox as a patch, which the UI shows and applies on the host (patch.ts) once the user agrees.
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { buildAgent } from '../../bench/agent-build.ts';
import { SAFE_GIT } from '../../bench/git.ts';
import type { GatewaySession } from '../../gateway/server.ts';
import { ensureSandboxImage } from '../../sandbox/image.ts';
import { Sandbox } from '../../sandbox/session.ts';
import { sweepSandboxes } from '../../sandbox/sweep.ts';
import { applyPatch, summarize, type AgentPatch, type PatchReview } from './patch.ts';
import { processTransport, type SessionTransport } from './transport.ts';

export interface SandboxSessionOptions {
  /** The agent folder to build and run (the seed or a variant). */
  agentDir: string;
  /** The repository the agent works on: copied in, never mounted. */
  repo: string;
  /** Where the agent's patches are saved on the host (patch-1.diff, patch-2.diff, …). */
  saveDir: string;
  /** The gateway session; its `mount` gives the container the socket. */
  gateway: GatewaySession;
  /** The model name the agent asks for. */
  model: string;
  autoApprove: boolean;
  log: (line: string) => void;
}

/** A session with an agent that works on a copy: its changes come back through `patches`. */
export interface SandboxChatSession extends SessionTransport {
  patches: PatchReview;
}

const REPO_IN_SANDBOX = '/workspace/repo';
const MAX_PATCH_BYTES = 32 * 1024 * 1024;
// `git add -A` and then the diff of the index against the last base: everything the agent changed, new files
// included. The index stays as diffed, so committing it later makes exactly this patch the new base.
const DIFF = `${SAFE_GIT} add -A && ${SAFE_GIT} diff --cached --binary --no-ext-diff --no-textconv --no-renames HEAD`;

export async function openSandboxSession(opts: SandboxSessionOptions): Promise<SandboxChatSession> {
  await sweepSandboxes();
  const image = (await ensureSandboxImage({ log: opts.log })).tag;
  const build = await buildAgent(opts.agentDir, { image, log: opts.log });
  const sandbox = await Sandbox.create({ image, mounts: [opts.gateway.mount], lifetimeSec: 12 * 3600, workspaceMb: 1024 });
  try {
    await sandbox.sh('mkdir -p agent repo', { cwd: '/workspace' });
    await sandbox.copyIn(build.distDir, '/workspace/agent');
    // The working tree only: no `.git` at any depth (history, remotes with their credentials, hooks, config).
    await sandbox.copyIn(opts.repo, REPO_IN_SANDBOX, ['.git']);
    const base = await sandbox.sh(`${SAFE_GIT} init -q && ${SAFE_GIT} add -A && ${SAFE_GIT} commit -qm base --allow-empty --no-verify`, { cwd: REPO_IN_SANDBOX, timeoutSec: 300 });
    if (base.exitCode !== 0) throw new Error(`could not snapshot the copy of ${opts.repo} in the sandbox: ${base.stderr.trim() || base.stdout.trim()}`);
    const args = ['node', '/workspace/agent/agent.mjs', 'session', '--repo', REPO_IN_SANDBOX, '--model', opts.model];
    if (opts.autoApprove) args.push('--auto-approve');
    const proc = await sandbox.attach(args, { cwd: REPO_IN_SANDBOX, env: { HOME: '/tmp', PATH: '/usr/local/bin:/usr/bin:/bin' } });
    opts.log(`agent running in sandbox ${sandbox.id.slice(0, 12)} (no network) on a copy of ${opts.repo}; its changes come back as a patch for you to apply`);

    let saved = 0;
    let lastOffered: AgentPatch | undefined;
    const patches: PatchReview = {
      async pending() {
        const r = await sandbox.sh(DIFF, { cwd: REPO_IN_SANDBOX, maxOutputBytes: MAX_PATCH_BYTES, timeoutSec: 300 });
        if (r.exitCode !== 0) throw new Error(`could not compute the agent's changes in the sandbox: ${r.stderr.trim()}`);
        if (r.truncated) throw new Error(`the agent's changes are larger than ${MAX_PATCH_BYTES / 1024 / 1024} MiB; refusing them`);
        if (!r.stdout) return undefined;
        if (lastOffered?.diff === r.stdout) return lastOffered;
        await mkdir(opts.saveDir, { recursive: true });
        const savedTo = join(opts.saveDir, `patch-${++saved}.diff`);
        await writeFile(savedTo, r.stdout);
        lastOffered = { diff: r.stdout, summary: await summarize(r.stdout, opts.repo), savedTo };
        return lastOffered;
      },
      async apply(patch) {
        const result = await applyPatch(opts.repo, patch);
        // A patch that did not go in stays in the copy and comes back with the next turn's changes, so the agent can
        // be asked to fix what was refused, or the user can undo what conflicts.
        if (!result.ok) return { ok: false, message: `${result.message}. The changes stay in the sandbox and come back after the next turn` };
        // The index holds exactly what was diffed, whatever the agent did since: committed, it is the next base.
        const next = await sandbox.sh(`${SAFE_GIT} commit -qm applied --allow-empty --no-verify`, { cwd: REPO_IN_SANDBOX, timeoutSec: 120 });
        if (next.exitCode !== 0) opts.log(`could not record the applied patch in the sandbox, so the next one repeats it: ${next.stderr.trim()}`);
        lastOffered = undefined;
        return result;
      },
    };

    const transport = processTransport(
      {
        ...proc,
        exited: proc.exit.then((code) => (code === 0 ? undefined : `exited (code ${code})`)),
        async stop(done) {
          try {
            await Promise.race([done, new Promise((r) => setTimeout(r, 5000))]);
            // Whatever was not applied leaves the sandbox as a file before the sandbox goes, so nothing is lost.
            const left = await patches.pending().catch((err: Error) => opts.log(`the agent's last changes could not be saved: ${err.message}`));
            if (left) opts.log(`the agent's changes that were not applied are saved in ${left.savedTo}; review them, then apply with: git apply ${left.savedTo}`);
          } finally {
            await sandbox.remove();
          }
        },
      },
      'the agent in the sandbox',
    );
    return { ...transport, patches };
  } catch (err) {
    await sandbox.remove();
    throw err;
  }
}
