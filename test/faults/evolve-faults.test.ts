// Real faults during a run, with no hook in product code: the grading container killed from outside, the sandbox
// image removed, the Docker engine stopped and started again. Each evaluation is retried rather than scored, the
// variant's result is the one a run without the fault gets, and the archive records the retry and its cost.
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { execa, type ResultPromise } from 'execa';
import { Archive } from '../../archive/archive.ts';
import { ensureDockerEngine } from '../../sandbox/setup.ts';
import { imageRecipe } from '../../sandbox/image.ts';
import { listSandboxContainers, ownerAlive } from '../../sandbox/sweep.ts';
import { loggedMicros, tempDir } from '../helpers.ts';

const ARGS = ['--demo', '--parallel', '1', '--max-evals', '1', '--json'];
const evolveCmd = (run: string): ResultPromise => execa('node', ['bin/clade.js', 'evolve', '--run', run, ...ARGS], { reject: false, all: true });

async function containersOf(pid: number): Promise<string[]> {
  return (await listSandboxContainers(`clade.owner=${hostname()}:${pid}`).catch(() => [])).filter((c) => c.state === 'running').map((c) => c.id);
}

/** Waits for a running container of `pid` for which `accept` holds; its id. */
async function waitForContainer(pid: number, accept: (id: string) => Promise<boolean>, timeoutMs = 300_000): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    for (const id of await containersOf(pid)) if (await accept(id)) return id;
    await new Promise((r) => setTimeout(r, 300));
  }
  throw new Error(`no matching container of process ${pid} within ${timeoutMs} ms`);
}

/** The grader's container is the one with its private folder in the workspace. */
const isGrader = async (id: string) => (await execa('docker', ['exec', id, 'sh', '-c', 'ls -a /workspace'], { reject: false })).stdout.includes('.grader-');
const isAgent = async (id: string) => (await execa('docker', ['exec', id, 'sh', '-c', 'ls /workspace'], { reject: false })).stdout.includes('problem.md');

interface Result {
  evaluations: Array<{ variant: string; task: string; outcome: string; attempts: number }>;
  retries: number;
  retryMicros: number;
  spent: number;
  logged: number;
}

async function result(run: string): Promise<Result> {
  const archive = await Archive.open(run, { readOnly: true });
  try {
    const retries = archive.events('retry');
    return {
      evaluations: archive.evaluations().map((e) => ({ variant: e.variantId, task: e.taskId, outcome: e.outcome, attempts: e.attempts })),
      retries: retries.length,
      retryMicros: retries.reduce((a, e) => a + e.costMicros, 0),
      spent: archive.spentMicros(),
      logged: loggedMicros(run),
    };
  } finally {
    archive.close();
  }
}

describe('faults during an evaluation', () => {
  let baseline: Result;

  it('gives the same result as a run without faults when the grading container is killed from outside', async () => {
    const root = await tempDir();
    const clean = await evolveCmd(join(root, 'clean'));
    expect(clean.exitCode, String(clean.all)).toBe(0);
    baseline = await result(join(root, 'clean'));
    expect(baseline.evaluations).toHaveLength(1);
    expect(baseline.retries).toBe(0);

    const run = join(root, 'killed');
    const proc = evolveCmd(run);
    const grader = await waitForContainer(proc.pid!, isGrader);
    await execa('docker', ['kill', grader]);
    const r = await proc;
    expect(r.exitCode, String(r.all)).toBe(0);
    const got = await result(run);
    expect(got.evaluations.map(({ attempts: _, ...e }) => e)).toEqual(baseline.evaluations.map(({ attempts: _, ...e }) => e));
    expect(got.evaluations[0]!.attempts).toBe(2);
    expect(got.retries).toBe(1);
    // The first attempt's agent run was paid for: its cost is in the retry's record and in the run's total.
    expect(got.retryMicros).toBeGreaterThan(0);
    expect(got.spent).toBe(got.logged);
    expect(got.spent).toBeGreaterThan(baseline.spent);
  });

  it('builds the sandbox image again when it disappears during a run, and retries', async () => {
    const { tag } = await imageRecipe();
    const run = join(await tempDir(), 'run');
    const proc = evolveCmd(run);
    await waitForContainer(proc.pid!, isAgent);
    await execa('docker', ['rmi', '-f', tag]);
    const r = await proc;
    expect(r.exitCode, String(r.all)).toBe(0);
    expect(String(r.all)).toMatch(/infrastructure error, trying again/);
    const got = await result(run);
    expect(got.evaluations.map(({ attempts: _, ...e }) => e)).toEqual(baseline.evaluations.map(({ attempts: _, ...e }) => e));
    expect(got.retries).toBeGreaterThanOrEqual(1);
    expect(got.spent).toBe(got.logged);
    expect((await execa('docker', ['image', 'inspect', tag], { reject: false })).exitCode).toBe(0);
  });

  it('retries when the Docker engine stops during an evaluation and comes back', async () => {
    const run = join(await tempDir(), 'run');
    const proc = evolveCmd(run);
    await waitForContainer(proc.pid!, isAgent);
    const pid = Number(readFileSync('/var/run/docker.pid', 'utf8'));
    process.kill(pid, 'SIGTERM');
    for (let i = 0; i < 100; i++) {
      try {
        process.kill(pid, 0);
        await new Promise((r) => setTimeout(r, 200));
      } catch {
        break;
      }
    }
    await ensureDockerEngine(() => {});
    const r = await proc;
    expect(r.exitCode, String(r.all)).toBe(0);
    const got = await result(run);
    expect(got.evaluations.map(({ attempts: _, ...e }) => e)).toEqual(baseline.evaluations.map(({ attempts: _, ...e }) => e));
    expect(got.retries).toBeGreaterThanOrEqual(1);
    expect(got.spent).toBe(got.logged);
    const orphans = (await listSandboxContainers()).filter((c) => !ownerAlive(c.labels['clade.owner']));
    expect(orphans).toEqual([]);
  });
});
