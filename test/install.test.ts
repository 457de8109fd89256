// Clade installed the ways a user puts it on the PATH (`npm install -g` of the checkout, and `npm pack` then
// `npm install -g` of the tarball, each into a temporary prefix) and run from a folder outside the checkout: every
// command's help, and real commands, work there and leave nothing behind in that folder. Commands are found by
// walking the command tree, so one added later is run too.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execa } from 'execa';
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Command } from 'commander';
import { buildProgram } from '../cli/program.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

function* walk(cmd: Command, path: string[] = []): Generator<string[]> {
  for (const sub of cmd.commands) {
    yield [...path, sub.name()];
    yield* walk(sub, [...path, sub.name()]);
  }
}

let clade: string;
let cwd: string;
let env: Record<string, string>;
let cleanup = () => {};
afterAll(() => cleanup());
const run = (args: string[]) => execa(clade, args, { cwd, env, extendEnv: false, reject: false, all: true, timeout: 60_000 });

beforeAll(async () => {
  // For the whole file: helpers' tempDir would be removed after the first test.
  const prefix = mkdtempSync(join(tmpdir(), 'clade-prefix-'));
  cwd = mkdtempSync(join(tmpdir(), 'clade-elsewhere-'));
  cleanup = () => [prefix, cwd].forEach((d) => rmSync(d, { recursive: true, force: true }));
  // No Docker: nothing below needs it, and a command that reached for it would fail rather than pass by accident.
  env = { PATH: `${join(prefix, 'bin')}:${process.env.PATH}`, HOME: cwd, CLADE_DOCKER_SOCKET: join(cwd, 'no-docker.sock') };
  const installed = await execa('npm', ['install', '--global', '--prefix', prefix, '--no-audit', '--no-fund', ROOT], { cwd, reject: false, all: true });
  expect(installed.exitCode, installed.all).toBe(0);
  clade = join(prefix, 'bin', 'clade');
}, 120_000);

describe('clade installed globally, run from another folder', () => {
  it("prints every command's help", async () => {
    const paths = [...walk(await buildProgram())];
    expect(paths.length).toBeGreaterThan(20);
    // A few at a time: each is a separate start-up, and there are some thirty.
    for (let i = 0; i < paths.length; i += 4) {
      const batch = paths.slice(i, i + 4);
      const results = await Promise.all(batch.map((path) => run([...path, '--help'])));
      for (const [j, r] of results.entries()) {
        expect(r.exitCode, `clade ${batch[j]!.join(' ')} --help: ${r.all}`).toBe(0);
        expect(r.stdout).toContain(`Usage: clade ${batch[j]!.join(' ')}`);
      }
    }
  }, 120_000);

  it('lists the built-in suite, simulates, and reads a run, leaving the folder as it was', async () => {
    const listed = await run(['bench', 'list', '--json']);
    expect(listed.exitCode, listed.all).toBe(0);
    expect((JSON.parse(listed.stdout) as { tasks: unknown[] }).tasks).toHaveLength(43);

    const sim = await run(['sim', '--seeds', '2', '--budget', '50', '--json']);
    expect(sim.exitCode, sim.all).toBe(0);
    expect(JSON.parse(sim.stdout)).toHaveProperty('results');

    // No run here: a clear usage error, not a crash from a path resolved against the checkout.
    const ls = await run(['archive', 'ls']);
    expect(ls.exitCode, ls.all).toBe(2);
    expect(ls.stderr).toMatch(/^clade: .*runs\/default/m);
    expect(readdirSync(cwd).filter((n) => n !== '.npm')).toEqual([]);
  }, 120_000);
});

describe('clade packed with npm pack and installed from the tarball', () => {
  let packed: string[] = [];
  let packClade = '';
  let pkgDir = '';
  const runPacked = (args: string[]) => execa(packClade, args, { cwd, env, extendEnv: false, reject: false, all: true, timeout: 60_000 });

  beforeAll(async () => {
    const out = mkdtempSync(join(tmpdir(), 'clade-pack-'));
    const prefix = join(out, 'prefix');
    const previous = cleanup;
    cleanup = () => {
      previous();
      rmSync(out, { recursive: true, force: true });
    };
    const pack = await execa('npm', ['pack', '--json', '--pack-destination', out], { cwd: ROOT, reject: false, all: true });
    expect(pack.exitCode, pack.all).toBe(0);
    const [info] = JSON.parse(pack.stdout.slice(pack.stdout.indexOf('['))) as Array<{ filename: string; files: Array<{ path: string }> }>;
    packed = info!.files.map((f) => f.path);
    // Dependencies come from npm's cache where it has them; better-sqlite3 may compile, hence the time allowed.
    const installed = await execa('npm', ['install', '--global', '--prefix', prefix, '--no-audit', '--no-fund', '--prefer-offline', join(out, info!.filename)], { cwd, reject: false, all: true });
    expect(installed.exitCode, installed.all).toBe(0);
    packClade = join(prefix, 'bin', 'clade');
    pkgDir = join(prefix, 'lib', 'node_modules', 'clade');
  }, 600_000);

  it('ships the build, the agent and the built-in suite, and no tests, benchmarks or dependencies', () => {
    expect(packed).toContain('dist/cli/main.js');
    expect(packed).toContain('bin/clade.js');
    expect(packed).toContain('agent/package-lock.json');
    expect(packed).toContain('bench/suite.json');
    expect(packed).toContain('cli/standalone/main.ts'); // `clade export` bundles it from source
    expect(packed.filter((p) => /^(test|benchmarks|runs)\/|(^|\/)node_modules\/|^\.clade\//.test(p))).toEqual([]);
  });

  it('runs the build it shipped with, without rebuilding it, from another folder', async () => {
    const built = statSync(join(pkgDir, 'dist', 'cli', 'main.js')).mtimeMs;
    const help = await runPacked(['evolve', '--help']);
    expect(help.exitCode, help.all).toBe(0);
    expect(help.stdout).toContain('Usage: clade evolve');
    const listed = await runPacked(['bench', 'list', '--json']);
    expect(listed.exitCode, listed.all).toBe(0);
    const list = JSON.parse(listed.stdout) as { suite: { path: string }; tasks: unknown[] };
    expect(list.tasks).toHaveLength(43);
    expect(list.suite.path).toBe(join(pkgDir, 'bench'));
    const sim = await runPacked(['sim', '--seeds', '2', '--budget', '50', '--json']);
    expect(sim.exitCode, sim.all).toBe(0);
    // Unpacking dates the files in no order; a rebuild here would fail for a user who cannot write the package folder.
    expect(statSync(join(pkgDir, 'dist', 'cli', 'main.js')).mtimeMs).toBe(built);
    expect(readdirSync(cwd).filter((n) => n !== '.npm')).toEqual([]);
  }, 120_000);
});
