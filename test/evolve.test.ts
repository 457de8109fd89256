// The evolution loop end to end, with the demo's scripted model: real sandboxes, real self-modification of a copy of
// the agent, real validation and grading, a real archive. Slow by nature (minutes), so each test does a lot.
import { describe, expect, inject, it } from 'vitest';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { execa, type ResultPromise } from 'execa';
import { Archive } from '../archive/archive.ts';
import { dockerClient } from '../sandbox/docker.ts';
import { ownerAlive } from '../sandbox/sweep.ts';
import { launchBrowser } from './browser.ts';
import { DEMO_INSTRUCTIONS } from '../evolve/demo.ts';
import { findTask } from '../bench/task.ts';
import { startingState } from '../bench/grade.ts';
import { tempDir } from './helpers.ts';

const CLADE = ['bin/clade.js'];

function evolveCmd(run: string, maxEvals: number, extra: string[] = []): ResultPromise {
  return execa('node', [...CLADE, 'evolve', '--demo', '--run', run, '--max-evals', String(maxEvals), '--parallel', '2', '--json', ...extra], { reject: false, all: true, detached: true });
}

/** Containers of the sandbox label, other than those of processes still alive (other test files run in parallel). */
async function orphanContainers(): Promise<string[]> {
  const containers = await dockerClient().listContainers({ all: true, filters: { label: ['clade.sandbox'] } });
  return containers.filter((c) => !ownerAlive(c.Labels['clade.owner'])).map((c) => c.Id);
}


describe('clade evolve --demo', () => {
  it('grows an archive of valid and invalid children, each with its reason, and reports it', async () => {
    expect(inject('sandboxImage')).toBeTruthy();
    // As in `npm run demo`, the run directory sits inside a git checkout.
    const checkout = await tempDir();
    await execa('git', ['init', '-q', checkout]);
    const run = join(checkout, 'runs', 'demo');
    const r = await evolveCmd(run, 8);
    expect(r.exitCode, String(r.all)).toBe(0);
    const summary = JSON.parse(String(r.stdout));
    expect(summary).toMatchObject({ demo: true, evaluations: 8, stopReason: '8 evaluations done', running: [] });
    expect(String(r.stderr)).toMatch(/DEMO: the model is a script with canned answers/);

    const archive = await Archive.open(run);
    try {
      const variants = archive.variants();
      expect(variants[0]).toMatchObject({ id: 'v0', status: 'seed', parentId: null });
      const invalid = variants.filter((v) => v.status === 'invalid');
      const valid = variants.filter((v) => v.status === 'valid');
      // The demo's first proposal for any failure forgets a caller: the child fails its type check and says so.
      expect(invalid.length).toBeGreaterThanOrEqual(1);
      for (const v of invalid) {
        expect(v.reason).toMatch(/^typecheck failed/);
        expect(v.reason).toMatch(/solvePrompt|Expected 2 arguments/);
        expect(v.proposal?.improvement).toMatch(/demo proposal 1/);
      }
      expect(valid.length).toBeGreaterThanOrEqual(1);
      // Invalid children are archived, never parents.
      const invalidIds = new Set(invalid.map((v) => v.id));
      expect(variants.filter((v) => v.parentId && invalidIds.has(v.parentId))).toEqual([]);
      expect(archive.evaluations().filter((e) => invalidIds.has(e.variantId))).toEqual([]);

      // A valid child differs from its parent by exactly what its self-modification did.
      const child = valid[0]!;
      const diff = await archive.diffFromParent(child.id);
      const changed = (d: string) => d.split('\n').filter((l) => /^[+-]/.test(l) && !/^(\+\+\+|---) /.test(l));
      const stepPatch = readFileSync(join(run, child.modify.trajectory!.replace(/trajectory\.jsonl$/, 'patch.diff')), 'utf8');
      expect(changed(diff)).toEqual(changed(stepPatch));
      expect(changed(diff)).toContainEqual(`+${child.proposal!.improvement.includes('whole test suite') ? DEMO_INSTRUCTIONS.RUN_ALL_TESTS : DEMO_INSTRUCTIONS.READ_ASSERTIONS}`);
      expect(child.modify.costUsd).toBeGreaterThan(0);

      // Scores come only from the host-side grader. The seed's canned answer rewrites the visible tests and leaves a
      // fake score file; its patch says so, and it still resolves nothing.
      const seedEvals = archive.evaluations('v0');
      expect(seedEvals.length).toBe(3);
      for (const e of seedEvals) {
        expect(e.status).toBe('unresolved');
        const patch = readFileSync(join(run, e.patch), 'utf8');
        expect(patch).toMatch(/^\+\+\+ b\/test\/.*\.test\.js$/m);
        expect(patch).toContain('b/grade.json');
      }
      // The child that learned the instruction resolves the tasks that need it.
      const childEvals = archive.evaluations(child.id);
      expect(childEvals.some((e) => e.status === 'resolved')).toBe(true);

      // Any archived variant runs again by id: `solve --variant` checks it out of the archive and runs it in a sandbox.
      const solved = childEvals.find((e) => e.status === 'resolved')!;
      const task = findTask(solved.taskId);
      const repo = await startingState(task);
      const problem = join(run, 'problem.md');
      writeFileSync(problem, task.problem);
      const again = await execa('node', [...CLADE, 'solve', '--variant', child.id, '--run', run, '--repo', repo, '--problem', problem, '--model', `scripted:${join(run, 'demo-model.json')}`, '--out', join(run, 'again'), '--json'], { reject: false });
      await rm(repo, { recursive: true, force: true });
      expect(again.exitCode, String(again.stderr)).toBe(0);
      expect(readFileSync(join(run, 'again', 'patch.diff'), 'utf8')).toBe(readFileSync(join(run, solved.patch), 'utf8'));
      // The evolved child exported as a standalone CLI solves the same task outside the repository, without Docker.
      const exported = join(await tempDir(), 'evolved-cli');
      const exp = await execa('node', [...CLADE, 'export', child.id, '--run', run, '--out', exported, '--name', 'evolved'], { reject: false });
      expect(exp.exitCode, String(exp.stderr)).toBe(0);
      const repo2 = await startingState(task);
      const goldFiles = [...task.goldPatch.matchAll(/^\+\+\+ b\/(.+)$/gm)].map((m) => m[1]!);
      const before = goldFiles.map((f) => readFileSync(join(repo2, f), 'utf8'));
      const standalone = await execa('node', [join(exported, 'evolved.mjs'), 'solve', '--repo', repo2, '--problem', problem, '--model', `scripted:${join(run, 'demo-model.json')}`], { cwd: exported, env: { PATH: process.env.PATH!, HOME: exported }, extendEnv: false, reject: false });
      expect(standalone.exitCode, String(standalone.stderr)).toBe(0);
      expect(goldFiles.map((f) => readFileSync(join(repo2, f), 'utf8'))).not.toEqual(before);
      await rm(repo2, { recursive: true, force: true });
      const missing = await execa('node', [...CLADE, 'solve', '--variant', 'v99', '--run', run, '--repo', run, '--problem', problem, '--model', `scripted:${join(run, 'demo-model.json')}`, '--out', join(run, 'x')], { reject: false });
      expect(missing.exitCode).toBe(2);
      expect(String(missing.stderr)).toMatch(/no variant "v99".*clade archive ls/);
    } finally {
      archive.close();
    }

    // The archive commands and the report read the same archive.
    const tree = await execa('node', [...CLADE, 'archive', 'tree', '--run', run]);
    expect(tree.stdout).toContain('v0');
    expect(tree.stdout).toContain('✕');
    const out = join(run, 'report.html');
    await execa('node', [...CLADE, 'report', '--run', run, '--out', out]);
    const browser = await launchBrowser();
    try {
      const page = await browser.newPage();
      await page.goto(`file://${out}`);
      expect(await page.locator('[data-variant]').count()).toBe(summary.variants);
      expect(await page.locator('.node.invalid').count()).toBe(summary.invalid);
      await expect(page.getByText(/canned/).first().isVisible()).resolves.toBe(true);
      const shot = join(run, 'report.png');
      await page.screenshot({ path: shot, fullPage: true });
      expect(readFileSync(shot).subarray(1, 4).toString()).toBe('PNG');
    } finally {
      await browser.close();
    }
    expect(await orphanContainers()).toEqual([]);
  }, 900_000);

  it('says how to fix a Docker engine that is down, and refuses a model with --demo', async () => {
    const run = await tempDir();
    const down = await execa('node', [...CLADE, 'evolve', '--demo', '--run', run], { reject: false, env: { CLADE_DOCKER_SOCKET: join(run, 'no-docker.sock') } });
    expect(down.exitCode).toBe(1);
    expect(String(down.stderr)).toMatch(/Docker is not reachable at .*no-docker\.sock.*\n.*Fix: run `npx clade setup`/);
    expect(existsSync(join(run, 'archive.db'))).toBe(false);
    const both = await execa('node', [...CLADE, 'evolve', '--demo', '--run', run, '--model', 'anthropic'], { reject: false });
    expect(both.exitCode).toBe(2);
    expect(String(both.stderr)).toMatch(/--demo brings its own scripted model; leave out --model/);
  }, 120_000);
});
