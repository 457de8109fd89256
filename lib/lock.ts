// A lock that several Clade processes share (two runs, a validation beside a test run): used by agent builds and
// image builds alike, so it belongs to neither.
import { readFileSync } from 'node:fs';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';

/**
 * A lock that survives processes: mkdir is atomic, and a lock whose owner died is taken over. The owner is its PID and
 * the time it started, since a busy machine hands a dead owner's PID to a new process soon, and a lock that trusted
 * the PID alone would then wait for a stranger (up to `waitMs`).
 */
export async function withLock<T>(lockDir: string, fn: () => Promise<T>, waitMs = 15 * 60_000, busy?: () => Error): Promise<T> {
  await mkdir(dirname(lockDir), { recursive: true });
  const deadline = Date.now() + waitMs;
  while (true) {
    try {
      await mkdir(lockDir);
      break;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const owner = await readFile(join(lockDir, 'pid'), 'utf8').catch(() => '');
      if (owner && !ownerAlive(owner)) {
        await rm(lockDir, { recursive: true, force: true });
        continue;
      }
      if (Date.now() > deadline) throw busy?.() ?? new Error(`waited ${waitMs / 1000} s for ${lockDir}; if no clade process is building an agent, remove it`);
      await new Promise((r) => setTimeout(r, 250));
    }
  }
  await writeFile(join(lockDir, 'pid'), ownerId(process.pid));
  try {
    return await fn();
  } finally {
    await rm(lockDir, { recursive: true, force: true });
  }
}

/** `PID START`: START is the process's start time in clock ticks since boot, or empty where /proc has none. */
export function ownerId(pid: number): string {
  return `${pid} ${procStat(pid)?.start ?? ''}`.trim();
}

/** Whether the process a lock's owner line names is still that process, and not a zombie. */
export function ownerAlive(owner: string): boolean {
  const [pidText, start] = owner.trim().split(/\s+/);
  const pid = Number(pidText);
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  const stat = procStat(pid);
  if (!stat) return true; // no /proc: the PID is all there is to go by
  if (stat.state === 'Z') return false;
  return !start || stat.start === start;
}

function procStat(pid: number): { state: string; start: string } | undefined {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) may hold spaces and parentheses; the fields after its last ')' are fixed.
    const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
    return { state: fields[0]!, start: fields[19]! };
  } catch {
    return undefined;
  }
}
