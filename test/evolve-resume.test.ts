// Exact resume: a --parallel 1 run killed with SIGKILL at five moments, chosen by seed, and resumed each time, ends
// with the same archive as a run never stopped: the same variants, parents and proposals, the same tasks in the same
// order with the same outcomes. And every dollar a gateway logged, in either run, is in its archive to the micro.
import { describe, expect, it } from 'vitest';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { execa, type ResultPromise } from 'execa';
import { Archive } from '../archive/archive.ts';
import { seededRng } from '../evolve/random.ts';
import { listSandboxContainers, ownerAlive } from '../sandbox/sweep.ts';
import { loggedMicros, tempDir } from './helpers.ts';

const ARGS = ['--demo', '--parallel', '1', '--max-evals', '4', '--max-expansions', '1', '--json'];
const evolveCmd = (run: string): ResultPromise => execa('node', ['bin/clade.js', 'evolve', '--run', run, ...ARGS], { reject: false, all: true, detached: true });

/** The moments a kill may land at; the test's seed picks five and their order. */
const MOMENTS: Array<{ name: string; line?: RegExp; container?: true }> = [
  { name: 'at start-up', line: /new run in|resuming the run/ },
  { name: 'while a sandbox works', container: true },
  { name: 'while diagnosing', line: /diagnosing its failure/ },
  { name: 'while the parent rewrites itself', line: /rewriting itself/ },
  { name: 'while the child is checked', line: /checking the child/ },
  { name: 'right after a result', line: /v\d+:[\w-]+: (resolved|unresolved|agent_error|tampered)/ },
];
const SEED = Number(process.env.CLADE_RESUME_SEED ?? 7);

function pickMoments(seed: number, n: number): typeof MOMENTS {
  const rng = seededRng(seed);
  const order = [...MOMENTS];
  for (let i = order.length - 1; i > 0; i--) {
    const j = Math.floor(rng.next() * (i + 1));
    [order[i], order[j]] = [order[j]!, order[i]!];
  }
  return order.slice(0, n);
}

/** Resolves when the moment comes (true), or when the process ends first (false). */
async function reach(proc: ResultPromise, m: (typeof MOMENTS)[number]): Promise<boolean> {
  let ended = false;
  void proc.then(() => (ended = true));
  if (m.line) {
    let seen = '';
    const hit = new Promise<boolean>((resolve) => {
      proc.stderr!.on('data', (chunk: Buffer) => {
        seen += chunk.toString();
        if (seen.split('\n').some((l) => m.line!.test(l))) resolve(true);
      });
    });
    return Promise.race([hit, proc.then(() => false)]);
  }
  while (!ended) {
    const mine = await listSandboxContainers(`clade.owner=${hostname()}:${proc.pid}`).catch(() => []);
    if (mine.some((c) => c.state === 'running')) return true;
    await new Promise((r) => setTimeout(r, 200));
  }
  return false;
}

interface Shape {
  variants: unknown[];
  evaluations: unknown[];
  failedSteps: unknown[];
  spent: number;
  logged: number;
}

async function shape(run: string): Promise<Shape> {
  const archive = await Archive.open(run, { readOnly: true });
  try {
    return {
      variants: archive.variants().map((v) => ({ id: v.id, parentId: v.parentId, status: v.status, proposal: v.proposal })),
      evaluations: archive.evaluations().map((e) => ({ variant: e.variantId, task: e.taskId, split: e.split, outcome: e.outcome })),
      failedSteps: archive.failedSteps().map((f) => ({ parentId: f.parentId, kind: f.kind })),
      spent: archive.spentMicros(),
      logged: loggedMicros(run),
    };
  } finally {
    archive.close();
  }
}

describe('clade evolve --parallel 1, killed and resumed', () => {
  it(`ends with the archive of an uninterrupted run (kill moments from seed ${SEED})`, async () => {
    const root = await tempDir();
    const whole = join(root, 'whole');
    const straight = await evolveCmd(whole);
    expect(straight.exitCode, String(straight.all)).toBe(0);
    const expected = await shape(whole);
    expect(expected.evaluations.length).toBeGreaterThan(0);
    expect(expected.variants.length).toBeGreaterThan(1);
    expect(expected.spent).toBe(expected.logged);

    const broken = join(root, 'broken');
    const kills: string[] = [];
    for (const moment of pickMoments(SEED, 5)) {
      const proc = evolveCmd(broken);
      if (!(await reach(proc, moment))) break; // the run finished before this moment came
      process.kill(-proc.pid!, 'SIGKILL');
      await proc;
      kills.push(moment.name);
    }
    expect(kills.length, `kills that landed: ${kills.join(', ')}`).toBeGreaterThanOrEqual(4);
    const last = await evolveCmd(broken);
    expect(last.exitCode, String(last.all)).toBe(0);

    const got = await shape(broken);
    expect(got.variants).toEqual(expected.variants);
    expect(got.evaluations).toEqual(expected.evaluations);
    expect(got.failedSteps).toEqual(expected.failedSteps);
    // Every call any of the six processes logged is in the archive, exactly: killed work included.
    expect(got.spent).toBe(got.logged);
    expect(got.spent).toBeGreaterThanOrEqual(expected.spent);
    // The killed processes' containers are gone: the resumes swept them.
    const orphans = (await listSandboxContainers()).filter((c) => !ownerAlive(c.labels['clade.owner']));
    expect(orphans).toEqual([]);
  }, 1_800_000);
});
