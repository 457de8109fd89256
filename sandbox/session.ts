// The front door of the sandbox seam: every caller creates sessions here, and gets a SandboxSession whichever
// backend runs it. Today that is Docker, with runc or (opt-in) gVisor; see backend.ts for the interfaces.
import type { SandboxBackend, SandboxOptions, SandboxSession } from './backend.ts';
import { dockerBackend } from './docker-session.ts';

export * from './backend.ts';
export { OWNER, OWNER_LABEL } from './docker.ts';

/** The backend that runs sessions; one today, chosen here when there are more (a remote worker). */
export function sandboxBackend(): SandboxBackend {
  return dockerBackend;
}

/** A sandbox session. `Sandbox.create(opts)` makes one; the type names what callers may do with it. */
export type Sandbox = SandboxSession;
export const Sandbox = {
  create: (opts: SandboxOptions): Promise<SandboxSession> => sandboxBackend().create(opts),
};

/** Creates a sandbox, runs `fn`, and removes the session whatever happens. */
export async function withSandbox<T>(opts: SandboxOptions, fn: (sb: SandboxSession) => Promise<T>): Promise<T> {
  const sandbox = await Sandbox.create(opts);
  try {
    return await fn(sandbox);
  } finally {
    await sandbox.remove();
  }
}
