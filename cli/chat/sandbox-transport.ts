// `clade chat --sandbox`: the agent runs in a sandbox (no network, capabilities dropped, read-only root) with the
// user's repository bind-mounted read-write, and speaks the session contract over the exec's stdin and stdout. The
// container runs as the repository's owner, so the files the agent writes belong to the user.
import { statSync } from 'node:fs';
import { buildAgent } from '../../bench/agent-build.ts';
import type { GatewaySession } from '../../gateway/server.ts';
import { ensureSandboxImage } from '../../sandbox/image.ts';
import { Sandbox } from '../../sandbox/session.ts';
import { sweepSandboxes } from '../../sandbox/sweep.ts';
import { processTransport, type SessionTransport } from './transport.ts';

export interface SandboxSessionOptions {
  /** The agent folder to build and run (the seed or a variant). */
  agentDir: string;
  /** The repository the agent works on. */
  repo: string;
  /** The gateway session; its `mount` gives the container the socket. */
  gateway: GatewaySession;
  /** The model name the agent asks for. */
  model: string;
  autoApprove: boolean;
  log: (line: string) => void;
}

const REPO_IN_SANDBOX = '/workspace/repo';

export async function openSandboxSession(opts: SandboxSessionOptions): Promise<SessionTransport> {
  await sweepSandboxes();
  const image = (await ensureSandboxImage({ log: opts.log })).tag;
  const build = await buildAgent(opts.agentDir, { image, log: opts.log });
  const owner = statSync(opts.repo);
  const sandbox = await Sandbox.create({
    image,
    mounts: [opts.gateway.mount, { hostPath: opts.repo, containerPath: REPO_IN_SANDBOX, readOnly: false }],
    user: { uid: owner.uid, gid: owner.gid },
    lifetimeSec: 12 * 3600,
    workspaceMb: 1024,
  });
  try {
    // The engine writes archives as root, so this works whoever the container runs as.
    await sandbox.writeFiles({ 'agent/.keep': '' }, '/workspace');
    await sandbox.copyIn(build.distDir, '/workspace/agent');
    const args = ['node', '/workspace/agent/agent.mjs', 'session', '--repo', REPO_IN_SANDBOX, '--model', opts.model];
    if (opts.autoApprove) args.push('--auto-approve');
    const proc = await sandbox.attach(args, { cwd: REPO_IN_SANDBOX, env: { HOME: '/tmp', PATH: '/usr/local/bin:/usr/bin:/bin' } });
    opts.log(`agent running in sandbox ${sandbox.id.slice(0, 12)} (no network; ${opts.repo} mounted at ${REPO_IN_SANDBOX})`);

    return processTransport(
      {
        ...proc,
        exited: proc.exit.then((code) => (code === 0 ? undefined : `exited (code ${code})`)),
        async stop(done) {
          await Promise.race([done, new Promise((r) => setTimeout(r, 5000))]);
          await sandbox.remove();
        },
      },
      'the agent in the sandbox',
    );
  } catch (err) {
    await sandbox.remove();
    throw err;
  }
}
