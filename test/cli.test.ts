// The `clade` command as a user runs it: a real process, real exit codes, real Docker.
import { describe, expect, it } from 'vitest';
import { execa } from 'execa';
import { fileURLToPath } from 'node:url';
import { readFileSync } from 'node:fs';
import { tempDir } from './helpers.ts';

const bin = fileURLToPath(new URL('../bin/clade.js', import.meta.url));
const clade = (args: string[], env: Record<string, string> = {}) => execa('node', [bin, ...args], { reject: false, env, timeout: 180_000 });
const version = (JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }).version;

describe('clade CLI', () => {
  it('prints its version and help', async () => {
    expect((await clade(['--version'])).stdout.trim()).toBe(version);
    const help = await clade(['--help']);
    expect(help.exitCode).toBe(0);
    for (const cmd of ['setup', 'doctor', 'sandbox', 'gateway', 'smoke']) expect(help.stdout).toContain(cmd);
  });

  it('setup is idempotent: with a daemon running it changes nothing', async () => {
    const r = await clade(['setup', '--json']);
    expect(r.exitCode).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ startedDaemon: false, installed: [] });
  });

  it('doctor reports every check as JSON', async () => {
    const r = await clade(['doctor', '--json']);
    const report = JSON.parse(r.stdout) as { ok: boolean; checks: Array<{ name: string; ok: boolean; detail: string }> };
    expect(report.checks.map((c) => c.name)).toEqual(['node', 'docker', 'debootstrap', 'sandbox image', 'test images', 'gvisor', 'bwrap', 'model key']);
    // Each language's test image by its tag, built or not: Python's tests run in the sandbox image itself.
    const images = report.checks.find((c) => c.name === 'test images')!.detail;
    for (const language of ['go', 'rust', 'cpp', 'java', 'javascript']) expect(images).toMatch(new RegExp(`\\b${language} clade-env-[a-z]+:[0-9a-f]{12}\\b`));
    expect(report.ok).toBe(true);
    expect(r.exitCode).toBe(0);
  });

  it('sandbox exec streams output and passes the exit code through', async () => {
    const r = await clade(['sandbox', 'exec', '--', 'bash', '-c', 'echo out; echo err >&2; exit 7']);
    expect(r.exitCode).toBe(7);
    expect(r.stdout).toBe('out');
    expect(r.stderr).toContain('err');
  });

  it('sandbox exec exits 124 on timeout and reports JSON with --json', async () => {
    const timeout = await clade(['sandbox', 'exec', '--timeout', '1', '--', 'sleep', '30']);
    expect(timeout.exitCode).toBe(124);
    expect(timeout.stderr).toContain('timed out after 1 s');
    const json = await clade(['sandbox', 'exec', '--json', '--memory', '256', '--', 'id', '-u']);
    expect(JSON.parse(json.stdout)).toMatchObject({ exitCode: 0, stdout: '1000\n', timedOut: false });
  });

  it('sandbox exec mounts a host directory', async () => {
    const dir = await tempDir();
    const { chmod, writeFile } = await import('node:fs/promises');
    await chmod(dir, 0o755);
    await writeFile(`${dir}/hello.txt`, 'mounted');
    const r = await clade(['sandbox', 'exec', '--mount', `${dir}:/data:ro`, '--', 'cat', '/data/hello.txt']);
    expect(r.stdout).toBe('mounted');
  });

  it('explains bad flags without a stack trace', async () => {
    const mount = await clade(['sandbox', 'exec', '--mount', 'nocolon', '--', 'true']);
    expect(mount.exitCode).not.toBe(0);
    expect(mount.stderr).toMatch(/bad --mount "nocolon": expected HOST:PATH/);
    const timeout = await clade(['sandbox', 'exec', '--timeout', 'soon', '--', 'true']);
    expect(timeout.exitCode).toBe(2);
    expect(timeout.stderr).toContain('--timeout must be a positive number, got "soon"');
    expect(timeout.stderr).not.toMatch(/\n\s+at /);
    const missing = await clade(['gateway', 'serve', '--socket-dir', '/tmp/x', '--model', 'scripted:/nonexistent.json']);
    expect(missing.exitCode).toBe(1);
    expect(missing.stderr).toMatch(/cannot read \/nonexistent\.json \(ENOENT\)/);
  });

  it('says how to fix it when Docker is not reachable', async () => {
    const env = { CLADE_DOCKER_SOCKET: '/tmp/no-docker-here.sock' };
    const r = await clade(['sandbox', 'exec', '--', 'true'], env);
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toMatch(/Docker is not reachable at \/tmp\/no-docker-here\.sock \(ENOENT\)/);
    expect(r.stderr).toContain('npx clade setup');
    expect(r.stderr).not.toMatch(/\n\s+at /);
    const doctor = await clade(['doctor', '--json'], env);
    expect(doctor.exitCode).toBe(1);
    const checks = (JSON.parse(doctor.stdout) as { checks: Array<{ name: string; ok: boolean; detail: string }> }).checks;
    expect(checks.find((c) => c.name === 'docker')).toMatchObject({ ok: false, detail: expect.stringContaining('clade setup') });
  });

  it('smoke runs the SDK in a sandbox through the gateway and says its model is scripted', async () => {
    const out = await tempDir();
    const human = await clade(['smoke', '--out', out]);
    expect(human.exitCode).toBe(0);
    expect(human.stdout).toMatch(/scripted: its answers are canned/);
    const r = await clade(['smoke', '--json', '--out', out]);
    const summary = JSON.parse(r.stdout) as { ok: boolean; steps: Array<{ mode: string; stop_reason: string }>; spent: { requests: number }; log: string };
    expect(summary.ok).toBe(true);
    expect(summary.steps.map((s) => s.stop_reason)).toEqual(['end_turn', 'tool_use', 'end_turn']);
    expect(summary.spent.requests).toBe(3);
    expect(readFileSync(summary.log, 'utf8').trim().split('\n')).toHaveLength(3);
  });
});
