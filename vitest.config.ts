import { defineConfig } from 'vitest/config';

// Tests start real containers; two cores cannot run many at once, and a container start takes ~0.5 s.
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts', 'test/**/*.test.tsx'],
    // Engine stops and image removals would break the tests running beside them: vitest.faults.config.ts runs them alone.
    exclude: ['test/faults/**', '**/node_modules/**'],
    testTimeout: 120_000,
    hookTimeout: 300_000,
    pool: 'forks',
    maxWorkers: 2,
    globalSetup: ['test/global-setup.ts'],
  },
});
