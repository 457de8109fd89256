// The agent's numeric flags, checked on a bundle of src/main.ts run as its own process: a bad value is a one-line
// usage error (exit 2) before the agent does anything, never a NaN limit that silently lifts the limit.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { tempRepo } from './helpers.ts';

const agentDir = join(dirname(fileURLToPath(import.meta.url)), '..');
// Its own bundle, not dist/: build.mjs empties dist/, which the contract test may be reading at the same time.
const outDir = mkdtempSync(join(tmpdir(), 'agent-flags-'));
const bundle = join(outDir, 'agent.mjs');

beforeAll(async () => {
  await build({
    entryPoints: [join(agentDir, 'src', 'main.ts')],
    outfile: bundle,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    banner: { js: "import { createRequire as __cladeRequire } from 'node:module'; const require = __cladeRequire(import.meta.url);" },
    logLevel: 'warning',
  });
});
afterAll(() => rmSync(outDir, { recursive: true, force: true }));

// No gateway socket: if a bad value got through, the agent would fail later, with another message and code.
const run = (args: string[]) => spawnSync('node', [bundle, ...args], { encoding: 'utf8', env: { PATH: process.env.PATH! }, timeout: 30_000 });

const NUMERIC: Array<[flag: string, bad: string[]]> = [
  ['--max-turns', ['x', '0', '-1', '1.5', '']],
  ['--max-cost', ['x', '0', '-1', 'Infinity']],
  ['--max-tokens', ['x', '0', '1.5', '0x10']],
  ['--timeout', ['x', '0', '-5']],
  ['--thinking', ['x', '0', '1.5']],
  ['--bash-timeout', ['x', '0', 'NaN']],
];

describe('numeric flags', () => {
  for (const [flag, bad] of NUMERIC) {
    it(`${flag}: a bad value exits 2 with one line naming the flag`, () => {
      const repo = tempRepo({ 'a.txt': 'a' });
      for (const value of bad) {
        // session, which waits on stdin, gets the same check: a wrong value must not leave it hanging.
        const command = value === 'x' ? ['session', '--repo', repo] : ['solve', '--repo', repo, '--problem', join(repo, 'a.txt'), '--out', repo];
        const r = run([...command, `${flag}=${value}`]);
        expect(r.status, `${flag}=${value}: ${r.stderr}`).toBe(2);
        expect(r.stderr).toBe(`clade-agent: ${flag} must be a positive ${['--max-cost', '--timeout', '--bash-timeout'].includes(flag) ? 'number' : 'whole number'}, got ${JSON.stringify(value)}\n`);
        expect(r.stdout).toBe('');
      }
    });
  }

  it('takes good values, including the ones Clade passes', () => {
    const r = run(['--version', '--max-turns', '7', '--max-cost', '0.5', '--timeout', '1e3', '--thinking', '2048', '--bash-timeout', '2.5']);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
  });

  it('an unknown flag is a one-line usage error', () => {
    const r = run(['solve', '--max-turn', '3']);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/^clade-agent: .*--max-turn.*\n$/);
  });
});
