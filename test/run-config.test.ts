// A run's config goes into its archive through one schema and comes back through the same one: the resume check and
// the views read what the loop wrote, a damaged field costs only itself, and nothing invalid is ever written.
import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { Archive } from '../archive/archive.ts';
import { readRunConfig, writeRunConfig, type RunConfig } from '../evolve/config.ts';
import { tempDir } from './helpers.ts';

const CONFIG: RunConfig = {
  policy: 'hgm',
  seed: 7,
  stage1: ['a'],
  stage2: ['b', 'c'],
  stage2Threshold: 0.4,
  model: 'claude-sonnet-4-6',
  upstream: 'scripted:demo.json',
  caps: { diagnoseUsd: 1, modifyUsd: 2, taskUsd: 0.5 },
  taskTimeoutSec: 300,
  maxTurns: null,
  demo: true,
  suite: { name: 'builtin', path: '/x/bench', hash: 'abc' },
};

async function withArchive(fn: (archive: Archive) => void | Promise<void>): Promise<void> {
  const archive = await Archive.open(join(await tempDir('clade-config-'), 'run'), { create: true });
  try {
    await fn(archive);
  } finally {
    archive.close();
  }
}

describe('run config', () => {
  it('reads back exactly what was written', () =>
    withArchive((archive) => {
      writeRunConfig(archive, CONFIG);
      expect(readRunConfig(archive)).toEqual(CONFIG);
    }));

  it('keeps the valid fields of a damaged or older config, and drops the rest', () =>
    withArchive((archive) => {
      archive.setMeta('config', JSON.stringify({ ...CONFIG, seed: 'seven', suite: { name: 'builtin' }, extra: 1, demo: undefined }));
      const { seed: _s, suite: _u, demo: _d, ...kept } = CONFIG;
      expect(readRunConfig(archive)).toEqual(kept);
    }));

  it('reads unreadable JSON, or no config at all, as nothing recorded', () =>
    withArchive((archive) => {
      expect(readRunConfig(archive)).toEqual({});
      for (const raw of ['{"policy": "hgm"', '[1, 2]', 'null', '"hgm"']) {
        archive.setMeta('config', raw);
        expect(readRunConfig(archive), raw).toEqual({});
      }
    }));

  it('refuses to write a config that does not fit its schema, and leaves the stored one as it was', () =>
    withArchive((archive) => {
      writeRunConfig(archive, CONFIG);
      expect(() => writeRunConfig(archive, { ...CONFIG, seed: '1' as unknown as number })).toThrow();
      expect(() => writeRunConfig(archive, { ...CONFIG, suite: undefined as unknown as RunConfig['suite'] })).toThrow();
      expect(readRunConfig(archive)).toEqual(CONFIG);
    }));
});
