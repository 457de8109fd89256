import { defineConfig } from 'vitest/config';

// Faults that reach past one test: the Docker engine is stopped, the sandbox image removed. They run alone, after the
// main suite, one file at a time, so no other test sees the engine or the image go away.
export default defineConfig({
  test: {
    include: ['test/faults/**/*.test.ts'],
    testTimeout: 600_000,
    hookTimeout: 600_000,
    pool: 'forks',
    maxWorkers: 1,
    fileParallelism: false,
    globalSetup: ['test/global-setup.ts'],
  },
});
