import { describe, expect, inject, it } from 'vitest';
import { execa } from 'execa';
import { fileURLToPath } from 'node:url';
import { Sandbox } from '../sandbox/session.ts';
import { sweepSandboxes } from '../sandbox/sweep.ts';
import { dockerClient } from '../sandbox/docker.ts';
import { onCleanup } from './helpers.ts';

const image = inject('sandboxImage');
const leak = fileURLToPath(new URL('./fixtures/leak-sandbox.ts', import.meta.url));

async function exists(id: string): Promise<boolean> {
  return dockerClient()
    .getContainer(id)
    .inspect()
    .then(() => true, () => false);
}

describe('the sweeper', () => {
  it('removes the sandbox of a host process killed with -9, and spares live owners', async () => {
    const live = await Sandbox.create({ image, lifetimeSec: 300 });
    onCleanup(() => live.remove());
    const child = execa('npx', ['tsx', leak, image], { reject: false });
    const id = await new Promise<string>((resolve, reject) => {
      child.stdout!.on('data', (d: Buffer) => resolve(d.toString().trim()));
      void child.then((r) => reject(new Error(`leaker exited early: ${r.stderr}`)));
    });
    // npx and tsx sit between us and the process that owns the sandbox; kill the whole group like a crash would.
    process.kill(child.pid!, 'SIGKILL');
    await execa('pkill', ['-9', '-f', leak], { reject: false });
    await child;
    expect(await exists(id)).toBe(true); // nothing cleaned up after the crash...
    const result = await sweepSandboxes();
    expect(result.removed).toContain(id); // ...until the sweeper ran
    expect(await exists(id)).toBe(false);
    expect(await exists(live.id)).toBe(true);
    expect(result.removed).not.toContain(live.id);
  });

  it('removes a sandbox whose lifetime ran out even if its owner lives', async () => {
    const sb = await Sandbox.create({ image, lifetimeSec: 1 });
    onCleanup(() => sb.remove());
    await new Promise((r) => setTimeout(r, 1500));
    await sweepSandboxes();
    expect(await exists(sb.id)).toBe(false);
  });
});
