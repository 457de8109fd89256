// gVisor as an opt-in: set up idempotently without touching what else daemon.json says, chosen per command or by
// environment, refused clearly when unknown, reported by doctor. The container attacks under runsc are in
// test/sandbox.test.ts.
import { describe, expect, it } from 'vitest';
import { execa } from 'execa';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { lstatSync, readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { tempDir } from './helpers.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const clade = (args: string[], env: Record<string, string> = {}) => execa('node', [join(ROOT, 'bin/clade.js'), ...args], { reject: false, env, cwd: ROOT });

describe('gVisor', () => {
  it('registers runsc in daemon.json idempotently, keeping every other key, and never overwrites a broken file', async () => {
    const dir = await tempDir();
    const path = join(dir, 'daemon.json');
    await writeFile(path, JSON.stringify({ 'log-level': 'warn', runtimes: { other: { path: '/usr/bin/other' } } }));
    process.env.CLADE_DOCKER_DAEMON_JSON = path;
    try {
      const { ensureGvisor, RUNSC_WRAPPER } = await import('../sandbox/gvisor-setup.ts');
      const first = await ensureGvisor();
      expect(JSON.parse(await readFile(path, 'utf8'))).toEqual({ 'log-level': 'warn', runtimes: { other: { path: '/usr/bin/other' }, runsc: { path: RUNSC_WRAPPER } } });
      expect(first.configured).toBe(true);
      expect(first.runtimes).toContain('runsc');
      expect(readFileSync(RUNSC_WRAPPER, 'utf8')).toContain('--network=none "$@"');
      expect((await ensureGvisor()).configured).toBe(false); // the second run has nothing to do
      await writeFile(path, '{"runtimes": ');
      await expect(ensureGvisor()).rejects.toThrow(new RegExp(`${path} is not a JSON object.*Fix it by hand`));
      expect(await readFile(path, 'utf8')).toBe('{"runtimes": ');
    } finally {
      delete process.env.CLADE_DOCKER_DAEMON_JSON;
    }
  });

  it('runs a command under runsc with --isolation gvisor, and refuses an unknown isolation as a usage error', async () => {
    const gv = await clade(['sandbox', 'exec', '--isolation', 'gvisor', '--timeout', '60', '--', 'dmesg']);
    expect(gv.stdout).toMatch(/Starting gVisor/); // gVisor's own kernel log: the command ran in its user-space kernel
    const bad = await clade(['sandbox', 'exec', '--', 'true'], { CLADE_ISOLATION: 'chroot' });
    expect(bad.exitCode).toBe(2);
    expect(bad.stderr).toMatch(/unknown isolation "chroot".*use runc or gvisor/);
    const badFlag = await clade(['sandbox', 'exec', '--isolation', 'kata', '--', 'true']);
    expect(badFlag.exitCode).not.toBe(0);
    expect(badFlag.stderr).toMatch(/Allowed choices are runc, gvisor/);
  });

  it('is reported by clade doctor: available, and whether in use', async () => {
    const checkOf = (out: string) => (JSON.parse(out) as { checks: Array<{ name: string; ok: boolean; detail: string }> }).checks.find((c) => c.name === 'gvisor')!;
    expect(checkOf((await clade(['doctor', '--json'])).stdout)).toMatchObject({ ok: true, detail: expect.stringMatching(/registered.*not in use/) });
    expect(checkOf((await clade(['doctor', '--json'], { CLADE_ISOLATION: 'gvisor' })).stdout)).toMatchObject({ ok: true, detail: expect.stringMatching(/in use \(CLADE_ISOLATION=gvisor\)/) });
  });

  it('keeps every dockerode type inside sandbox/', () => {
    const offenders: string[] = [];
    const walk = (dir: string) => {
      for (const name of readdirSync(dir)) {
        if (['node_modules', '.git', 'runs', 'sandbox', 'dist'].includes(name)) continue;
        const path = join(dir, name);
        const st = lstatSync(path);
        if (st.isDirectory()) walk(path);
        else if (st.isFile() && /\.(ts|tsx|mts)$/.test(name) && /from ['"]dockerode['"]/.test(readFileSync(path, 'utf8'))) offenders.push(path.slice(ROOT.length));
      }
    };
    walk(ROOT);
    expect(offenders).toEqual([]);
    // And the seam's own interfaces name no engine type.
    expect(readFileSync(join(ROOT, 'sandbox/backend.ts'), 'utf8')).not.toMatch(/dockerode|Docker\./);
  });
});
