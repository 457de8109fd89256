// A lock that several Clade processes share (two runs, a validation beside a test run): used by agent builds and
// image builds alike, so it belongs to neither.
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';

/** A lock that survives processes: mkdir is atomic, and a lock whose owner died is taken over. */
export async function withLock<T>(lockDir: string, fn: () => Promise<T>, waitMs = 15 * 60_000, busy?: () => Error): Promise<T> {
  await mkdir(dirname(lockDir), { recursive: true });
  const deadline = Date.now() + waitMs;
  while (true) {
    try {
      await mkdir(lockDir);
      break;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const owner = Number(await readFile(join(lockDir, 'pid'), 'utf8').catch(() => '0'));
      if (owner && !processAlive(owner)) {
        await rm(lockDir, { recursive: true, force: true });
        continue;
      }
      if (Date.now() > deadline) throw busy?.() ?? new Error(`waited ${waitMs / 1000} s for ${lockDir}; if no clade process is building an agent, remove it`);
      await new Promise((r) => setTimeout(r, 250));
    }
  }
  await writeFile(join(lockDir, 'pid'), String(process.pid));
  try {
    return await fn();
  } finally {
    await rm(lockDir, { recursive: true, force: true });
  }
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
