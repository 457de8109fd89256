// Removes sandbox containers that outlived their owner: a host process killed with -9 cannot clean up after itself.
import type Docker from 'dockerode';
import { hostname } from 'node:os';
import { readFileSync } from 'node:fs';
import { requireDocker, isAlreadyGone } from './docker.ts';
import { DEADLINE_LABEL, LABEL, OWNER_LABEL } from './session.ts';

export interface SweepResult {
  removed: string[];
  kept: number;
}

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
export async function sweepSandboxes(docker?: Docker): Promise<SweepResult> {
  docker ??= await requireDocker();
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
