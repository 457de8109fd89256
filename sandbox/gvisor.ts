// gVisor, the opt-in second wall: Docker's own runtime swapped for runsc, whose user-space kernel answers the
// variant's system calls instead of the host's. What every sandbox asks (is runsc registered?) is here; registering
// it is gvisor-setup.ts, kept apart so that `clade sandbox exec` does not load apt and zod to start a container.
import { dockerClient } from './docker.ts';
import { resolveIsolation } from './backend.ts';

export const RUNSC_RUNTIME = 'runsc';

/** The runtimes the engine knows, by name. */
export async function engineRuntimes(): Promise<string[]> {
  const info = (await dockerClient().info()) as { Runtimes?: Record<string, unknown> };
  return Object.keys(info.Runtimes ?? {});
}

let registered: Promise<boolean> | undefined;
/** Whether the engine can run gVisor containers; asked once per process. */
export function gvisorRegistered(): Promise<boolean> {
  registered ??= engineRuntimes().then(
    (r) => r.includes(RUNSC_RUNTIME),
    () => false,
  );
  return registered;
}

/** For `clade setup --gvisor`, which has just registered runsc with the engine. */
export function noteGvisorRegistered(): void {
  registered = Promise.resolve(true);
}

/** For `clade doctor`: whether runsc is registered with the engine, and whether this process asks for it. */
export async function gvisorStatus(): Promise<{ available: boolean; inUse: boolean }> {
  let inUse = false;
  try {
    inUse = resolveIsolation() === 'gvisor';
  } catch {
    // An unknown CLADE_ISOLATION is reported where a sandbox is made; doctor only says what gVisor would do.
  }
  return { available: await gvisorRegistered(), inUse };
}
