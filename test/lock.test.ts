// The cross-process lock (lib/lock.ts) that image and agent builds wait on: a dead owner's lock, or one whose PID a
// new process has since been given, is taken over at once; a live owner's is waited for, and only up to the limit.
import { describe, expect, it } from 'vitest';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { execa } from 'execa';
import { ownerAlive, ownerId, withLock } from '../lib/lock.ts';
import { tempDir } from './helpers.ts';

async function heldBy(owner: string): Promise<string> {
  const lock = join(await tempDir('clade-lock-'), 'lock');
  await mkdir(lock);
  await writeFile(join(lock, 'pid'), owner);
  return lock;
}

describe('withLock', () => {
  it('runs one holder at a time', async () => {
    const lock = join(await tempDir('clade-lock-'), 'lock');
    let inside = 0;
    let most = 0;
    const work = () =>
      withLock(lock, async () => {
        most = Math.max(most, ++inside);
        await new Promise((r) => setTimeout(r, 50));
        inside--;
      });
    await Promise.all([work(), work(), work()]);
    expect(most).toBe(1);
  });

  it('takes over the lock of an owner that died', async () => {
    const child = execa('sleep', ['0.3']);
    const pid = child.pid!;
    const owner = ownerId(pid);
    await child;
    expect(owner).toMatch(/^\d+ \d+$/);
    const lock = await heldBy(owner);
    expect(ownerAlive(owner)).toBe(false);
    await expect(withLock(lock, async () => 'mine', 1000)).resolves.toBe('mine');
  });

  it('takes over the lock of a PID that now belongs to another process', async () => {
    // This process's PID, but a start time that is not this process's: the owner died and its PID was handed on.
    const lock = await heldBy(`${process.pid} 1`);
    expect(ownerAlive(`${process.pid} 1`)).toBe(false);
    await expect(withLock(lock, async () => 'mine', 1000)).resolves.toBe('mine');
  });

  it("waits for a live owner, and gives up at the limit with the caller's error", async () => {
    expect(ownerAlive(ownerId(process.pid))).toBe(true);
    const lock = await heldBy(ownerId(process.pid));
    const started = Date.now();
    await expect(withLock(lock, async () => 'mine', 600, () => new Error('busy building'))).rejects.toThrow('busy building');
    expect(Date.now() - started).toBeGreaterThanOrEqual(600);
  });
});
