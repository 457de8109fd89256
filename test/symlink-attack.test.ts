// Attacks on host-side reads of variant trees: a variant's symlink is never followed, a special file never read, and
// no file read without a size cap. Calls that used to read forever run in a child process with a time limit, so an
// unbounded read fails the test instead of hanging the suite.
import { describe, expect, inject, it } from 'vitest';
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { execa } from 'execa';
import { Archive } from '../archive/archive.ts';
import { installDependencies } from '../bench/agent-deps.ts';
import { plainFolder, SAFE_GIT } from '../bench/git.ts';
import { solve } from '../bench/solve.ts';
import { ScriptedUpstream } from '../gateway/upstream.ts';
import { SEED_AGENT_DIR } from '../bench/agent-deps.ts';
import { loadTasks } from '../bench/task.ts';
import { expand, type StepContext } from '../evolve/step.ts';
import { DIAGNOSER_MARKER } from '../evolve/diagnose.ts';
import { checkoutVariant } from '../evolve/workdir.ts';
import { tempDir, textReply } from './helpers.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const HARNESS = `const [mod, fn, ...args] = process.argv.slice(1);
try { console.log(JSON.stringify({ value: await (await import(mod))[fn](...args) })); }
catch (err) { console.log(JSON.stringify({ error: err.message })); }`;

/** Calls `module.fn(...args)` in a child process that may run for `timeoutSec` at most. */
async function callBounded(module: string, fn: string, args: string[], timeoutSec = 20): Promise<{ value?: unknown; error?: string }> {
  const r = await execa('node', ['--import', 'tsx', '--input-type=module', '-e', HARNESS, join(ROOT, module), fn, ...args], { cwd: ROOT, reject: false, timeout: timeoutSec * 1000 });
  if (r.timedOut) throw new Error(`${module} ${fn} was still reading after ${timeoutSec} s`);
  return JSON.parse(r.stdout.trim().split('\n').pop() ?? '{}') as { value?: unknown; error?: string };
}

async function agentTree(): Promise<string> {
  const dir = join(await tempDir(), 'agent');
  mkdirSync(join(dir, 'src'), { recursive: true });
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'agent', version: '1.0.0' }));
  writeFileSync(join(dir, 'package-lock.json'), JSON.stringify({ name: 'agent', version: '1.0.0', lockfileVersion: 3, packages: { '': { name: 'agent' } } }));
  writeFileSync(join(dir, 'src', 'agent.ts'), 'export {};\n');
  return dir;
}

describe('variant trees are data: no symlink followed, no unbounded read', () => {
  it('package-lock.json -> /dev/zero is refused, not read', async () => {
    const dir = await agentTree();
    const lock = join(dir, 'package-lock.json');
    await execa('rm', [lock]);
    symlinkSync('/dev/zero', lock);
    const r = await callBounded('bench/npm-install.ts', 'lockfileHash', [dir]);
    expect(r.error).toMatch(/package-lock\.json is a symlink \(-> \/dev\/zero\)/);
  });

  it('NOTES.md -> /dev/zero in a tree being hashed is refused with the reason the archive records', async () => {
    const dir = await agentTree();
    symlinkSync('/dev/zero', join(dir, 'NOTES.md'));
    const r = await callBounded('bench/agent-build.ts', 'agentSourceHash', [dir]);
    expect(r.error).toBe('symlink NOTES.md -> /dev/zero: variants may not contain symlinks');
  });

  it('a symlinked directory pointing at / is not walked', async () => {
    const dir = await agentTree();
    symlinkSync('/', join(dir, 'src', 'host'));
    const r = await callBounded('bench/agent-build.ts', 'agentSourceHash', [dir]);
    expect(r.error).toBe('symlink src/host -> /: variants may not contain symlinks');
  });

  it('package.json -> a host file: its bytes appear nowhere, not in the error, the deps cache or the archive', async () => {
    const root = await tempDir();
    const secret = `host-secret-${randomBytes(12).toString('hex')}`;
    const secretFile = join(root, 'shadow');
    writeFileSync(secretFile, `${secret}\n`, { mode: 0o600 });
    const dir = await agentTree();
    await execa('rm', [join(dir, 'package.json')]);
    symlinkSync(secretFile, join(dir, 'package.json'));
    // The lockfile must differ from the seed's, or the seed's installed dependencies are reused without an install.
    const err = await installDependencies(dir, join(root, 'deps')).then(() => undefined, (e: Error) => e);
    expect(err?.message ?? '').not.toContain(secret);
    expect(err?.message).toMatch(/package\.json is a symlink/);

    const { variantTreeProblem } = await import('../bench/variant-files.ts');
    const reason = variantTreeProblem(dir);
    expect(reason).toBe(`symlink package.json -> ${secretFile}: variants may not contain symlinks`);
    const archive = await Archive.open(join(root, 'run'), { create: true });
    try {
      await archive.add({ parentId: null, dir, status: 'invalid', reason });
    } finally {
      archive.close();
    }
    const found = await execa('grep', ['-rl', '--', secret, join(root, 'run'), join(root, 'deps')], { reject: false });
    expect(found.stdout).toBe('');
  });

  it('a self-modification patch that adds a symlink (mode 120000) makes the child invalid, with the reason', async () => {
    const { variantTreeProblem } = await import('../bench/variant-files.ts');
    const child = await agentTree();
    const patch = 'diff --git a/NOTES.md b/NOTES.md\nnew file mode 120000\nindex 0000000..a0b1c2d\n--- /dev/null\n+++ b/NOTES.md\n@@ -0,0 +1 @@\n+/dev/zero\n\\ No newline at end of file\n';
    const applied = await execa('bash', ['-c', `${SAFE_GIT} apply --binary -`], { cwd: child, input: patch, reject: false, env: plainFolder(child) });
    expect(applied.exitCode, applied.stderr).toBe(0);
    expect(variantTreeProblem(child)).toBe('symlink NOTES.md -> /dev/zero: variants may not contain symlinks');
  });

  it('caps what it reads from a variant: an 9 MiB lockfile is refused with a clear error', async () => {
    const dir = await agentTree();
    writeFileSync(join(dir, 'package-lock.json'), Buffer.alloc(9 * 1024 * 1024, 0x20));
    const r = await callBounded('bench/npm-install.ts', 'lockfileHash', [dir]);
    expect(r.error).toMatch(/package-lock\.json is larger than 8 MiB/);
  });

  it('caps trajectories copied out of containers per run, not only per task', async () => {
    const { OutputBudget } = await import('../bench/output-budget.ts');
    const repo = fileURLToPath(new URL('./fixtures/range-lib', import.meta.url));
    const budget = new OutputBudget(1500);
    const kept: string[] = [];
    for (const n of [1, 2]) {
      const r = await solve({ repoDir: repo, problem: 'Say hello.\n', outDir: join(await tempDir(), `t${n}`), upstream: new ScriptedUpstream({ responses: [textReply('hello '.repeat(100))] }), image: inject('sandboxImage'), outputBudget: budget, timeoutSec: 120 });
      kept.push(readFileSync(r.trajectoryPath, 'utf8'));
    }
    // The first trajectory is kept whole; once the run's budget is spent, later ones are a note that says so.
    expect(kept[0]).toContain('"turn_end"');
    expect(kept[1]).toMatch(/clade_note.*cap of 0 MiB on what is copied out of containers is used up/);
    expect(kept.filter((t) => !t.includes('clade_note')).join('').length).toBeLessThanOrEqual(1500);
  });

  it('a self-modification that adds NOTES.md -> /dev/zero makes an invalid child, archived with the reason', async () => {
    const root = await tempDir();
    const archive = await Archive.open(join(root, 'run'), { create: true });
    try {
      const seed = await archive.add({ parentId: null, dir: SEED_AGENT_DIR, status: 'seed' });
      const task = loadTasks()[0]!;
      archive.recordEvaluation({ variantId: seed.id, taskId: task.meta.id, split: 'small', status: 'unresolved', costUsd: 0, inputTokens: 0, outputTokens: 0, seconds: 0, trajectory: 'none.jsonl', patch: 'none.diff', grade: null, error: null });
      const proposal = { problem: 'the agent keeps no notes between turns', improvement: 'keep notes in NOTES.md', implementation: 'add a NOTES.md file' };
      const upstream = new ScriptedUpstream({
        conversations: [
          { match: DIAGNOSER_MARKER, responses: [textReply(JSON.stringify(proposal))] },
          { match: '.', responses: [{ content: [{ type: 'tool_use', id: 'toolu_1', name: 'bash', input: { command: 'ln -s /dev/zero NOTES.md' } }], stop_reason: 'tool_use' }, textReply('done')] },
        ],
      });
      const ctx: StepContext = {
        archive, upstream, image: inject('sandboxImage'), model: 'claude-sonnet-4-5', tasks: new Map([[task.meta.id, task]]),
        caps: { diagnoseUsd: 1, modifyUsd: 1, taskUsd: 1 }, retry: { attempts: 1, backoffMs: [] }, ensureImage: async () => inject('sandboxImage'), taskTimeoutSec: 120, modifyTimeoutSec: 120, log: () => {}, targeting: new Map(),
        workdir: (id) => checkoutVariant(archive, id, join(root, 'work'), join(root, 'run', 'deps')),
      };
      const outcome = await expand(ctx, seed, { next: () => 0 });
      expect(outcome.kind).toBe('child');
      const child = archive.get((outcome as { variant: { id: string } }).variant.id)!;
      expect(child.status).toBe('invalid');
      expect(child.reason).toBe('symlink NOTES.md -> /dev/zero: variants may not contain symlinks');
    } finally {
      archive.close();
    }
  });
});
