// Removes sandbox containers that outlived their owner: a host process killed with -9 cannot clean up after itself.
import { hostname } from 'node:os';
import { readFileSync } from 'node:fs';
import { DEADLINE_LABEL, LABEL, OWNER_LABEL, requireDocker, isAlreadyGone } from './docker.ts';
import type { SweepResult } from './backend.ts';

export type { SweepResult };

export function ownerAlive(owner: string | undefined): boolean {
  const [host, pidText] = (owner ?? '').split(':');
  // Containers owned on another host (a shared daemon) are that host's to judge.
  if (host !== hostname()) return true;
  const pid = Number(pidText);
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
  // A process killed with -9 whose parent has not reaped it yet still answers kill(0): a zombie owns nothing.
  try {
    return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
}

/** Removes every Clade sandbox whose owner process is gone or whose deadline passed. */
export async function sweepSandboxes(): Promise<SweepResult> {
  const docker = await requireDocker();
  const now = Date.now() / 1000;
  const containers = await docker.listContainers({ all: true, filters: { label: [LABEL] } });
  const removed: string[] = [];
  for (const c of containers) {
    const expired = Number(c.Labels[DEADLINE_LABEL] ?? 0) < now;
    if (!expired && ownerAlive(c.Labels[OWNER_LABEL])) continue;
    try {
      await docker.getContainer(c.Id).remove({ force: true, v: true });
      removed.push(c.Id);
    } catch (err) {
      if (!isAlreadyGone(err)) throw err;
    }
  }
  // Workspace volumes are anonymous and go with their container; this catches any a crash left behind.
  const { Volumes } = await docker.listVolumes({ filters: { label: [LABEL], dangling: ['true'] } });
  for (const v of Volumes ?? []) {
    if (ownerAlive(v.Labels?.[OWNER_LABEL])) continue;
    await docker.getVolume(v.Name).remove().catch((err: unknown) => {
      if (!isAlreadyGone(err)) throw err;
    });
  }
  return { removed, kept: containers.length - removed.length };
}

export interface SandboxContainer {
  id: string;
  labels: Record<string, string>;
  /** The engine's word: running, exited, paused… */
  state: string;
}

/** Sandbox containers on the engine, all of them or those carrying `label` (`key` or `key=value`), as plain data. */
export async function listSandboxContainers(label = LABEL): Promise<SandboxContainer[]> {
  const docker = await requireDocker();
  const containers = await docker.listContainers({ all: true, filters: { label: [label] } });
  return containers.map((c) => ({ id: c.Id, labels: c.Labels, state: c.State }));
}
