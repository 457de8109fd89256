// Once per test run: a Docker engine that answers, the sandbox image, Chromium and tmux, so test files never race to
// build or install them.
import type { TestProject } from 'vitest/node';
import { ensureDockerEngine } from '../sandbox/setup.ts';
import { ensureDebianPackages } from '../lib/apt.ts';
import { ensureChromium } from './browser.ts';
import { ensureSandboxImage } from '../sandbox/image.ts';
import { sweepSandboxes } from '../sandbox/sweep.ts';
import { ensureGvisor } from '../sandbox/gvisor-setup.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    sandboxImage: string;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  await ensureDockerEngine((l) => console.log(`[setup] ${l}`));
  // runsc registered with the engine, so the container attacks in test/sandbox.test.ts also run under gVisor.
  await ensureGvisor((l) => console.log(`[setup] ${l}`));
  // The browser and terminal tests' tools, installed once here rather than by test files racing for apt's lock.
  await ensureChromium((l) => console.log(`[setup] ${l}`));
  await ensureDebianPackages({ tmux: 'tmux' }, (l) => console.log(`[setup] ${l}`), { recommends: false });
  const { tag } = await ensureSandboxImage({ log: (l) => console.log(`[setup] ${l}`) });
  project.provide('sandboxImage', tag);
  return async () => {
    await sweepSandboxes();
  };
}
