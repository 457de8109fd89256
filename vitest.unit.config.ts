import { defineConfig } from 'vitest/config';

// The fast tier: `npm run test:unit`. No global setup (no Docker engine, sandbox image, Chromium or tmux), so only the
// files below, which need none of them, and in them only the tests whose full name does not say "in Docker" (a mixed
// file's Docker part is a describe or test so named; `npm test` runs every test, with nothing skipped). The engine's
// socket points nowhere, so a test that reaches for Docker here fails instead of passing on a machine that has one.
// Two files that need no Docker are left to `npm test`: cli-flags and install walk every command and
// start the CLI some 110 times between them (about 130 s of the tier's time on two cores), which the tier cannot afford.
export default defineConfig({
  test: {
    include: [
      'test/archive.test.ts',
      'test/archive-ledger.test.ts',
      'test/gateway-ledger.test.ts',
      'test/import.test.ts',
      'test/sim.test.ts',
      'test/chat-ui.test.tsx',
      'test/dockerode.test.ts',
      'test/gateway.test.ts',
      'test/gateway-hardening.test.ts',
      'test/import-polyglot.test.ts',
      'test/lang-*.test.ts',
      'test/layers.test.ts',
      'test/lock.test.ts',
      'test/openai.test.ts',
      'test/output.test.ts',
      'test/policy.test.ts',
      'test/run-config.test.ts',
    ],
    testNamePattern: /^(?!.*in Docker)/,
    env: { CLADE_DOCKER_SOCKET: '/nonexistent/clade-unit-tier-has-no-docker.sock', DOCKER_HOST: 'unix:///nonexistent/clade-unit-tier-has-no-docker.sock' },
    testTimeout: 60_000,
    pool: 'forks',
    maxWorkers: 2,
  },
});
