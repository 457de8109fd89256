// Once per test run: a Docker engine that answers, and the sandbox image, so test files never race to build it.
import type { TestProject } from 'vitest/node';
import { ensureDockerEngine } from '../sandbox/setup.ts';
import { ensureSandboxImage } from '../sandbox/image.ts';
import { sweepSandboxes } from '../sandbox/sweep.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    sandboxImage: string;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  await ensureDockerEngine((l) => console.log(`[setup] ${l}`));
  const { tag } = await ensureSandboxImage({ log: (l) => console.log(`[setup] ${l}`) });
  project.provide('sandboxImage', tag);
  return async () => {
    await sweepSandboxes();
  };
}
