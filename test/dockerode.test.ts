// sandbox/dockerode.ts puts off dockerode's gRPC and ssh2 parts: a Clade process that only talks to a local engine
// never loads them, and code that does call them gets the real thing. Each case runs in a fresh Node process, since
// the module cache it changes is per process.
import { describe, expect, it } from 'vitest';
import { execa } from 'execa';
import { writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { tempDir } from './helpers.ts';

const ROOT = resolve(import.meta.dirname, '..');

/** Runs an ES module in a fresh Node (through tsx); returns what it printed as JSON. */
async function fresh(body: string): Promise<unknown> {
  const dir = await tempDir('clade-dockerode-');
  const script = join(dir, 'probe.mts');
  await writeFile(script, `import { createRequire } from 'node:module';\nconst require = createRequire(${JSON.stringify(join(ROOT, 'sandbox', 'docker.ts'))});\n${body}`);
  const r = await execa('node', ['--import', 'tsx', script], { cwd: ROOT, reject: false, all: true });
  expect(r.exitCode, r.all).toBe(0);
  return JSON.parse(r.stdout.trim().split('\n').at(-1)!);
}

describe('dockerode, loaded by sandbox/', () => {
  it('does not load gRPC, protobuf or ssh2 to make a client', async () => {
    const loaded = (await fresh(`
      const { dockerClient } = await import(${JSON.stringify(join(ROOT, 'sandbox', 'docker.ts'))});
      dockerClient();
      console.log(JSON.stringify(Object.keys(require.cache)));
    `)) as string[];
    expect(loaded.some((p) => p.includes('/node_modules/dockerode/'))).toBe(true);
    expect(loaded.filter((p) => /\/node_modules\/(@grpc|protobufjs|ssh2)\//.test(p))).toEqual([]);
  });

  it('hands a BuildKit session to the real session module when one is asked for', async () => {
    const dialled = await fresh(`
      const { DEFERRED_MODULES } = await import(${JSON.stringify(join(ROOT, 'sandbox', 'dockerode.ts'))});
      const withSession = require(DEFERRED_MODULES.find((p) => p.endsWith('session.js')));
      let seen;
      withSession({ modem: { dial: (opts) => (seen = opts) } }, null, () => {});
      const grpc = Object.keys(require.cache).some((p) => p.includes('/node_modules/@grpc/grpc-js/'));
      console.log(JSON.stringify({ path: seen?.path, upgrade: seen?.headers?.Upgrade, grpc }));
    `);
    expect(dialled).toEqual({ path: '/session', upgrade: 'h2c', grpc: true });
  });

  it('reaches an ssh:// engine through the real ssh2 (here: nothing listens, and ssh2 says so)', async () => {
    const result = (await fresh(`
      const { Dockerode } = await import(${JSON.stringify(join(ROOT, 'sandbox', 'dockerode.ts'))});
      const docker = new Dockerode({ protocol: 'ssh', host: '127.0.0.1', port: 1, username: 'nobody' });
      const err = await docker.version().then(() => undefined, (e) => e);
      console.log(JSON.stringify({ code: err?.code, name: err?.name, ssh2: Object.keys(require.cache).some((p) => p.includes('/node_modules/ssh2/')) }));
    `)) as { code?: string; name?: string; ssh2: boolean };
    expect(result).toEqual({ code: 'ECONNREFUSED', name: 'Error', ssh2: true });
  });
});
