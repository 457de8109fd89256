// `clade archive` and `clade report` over a hand-built run: the real binary on a real archive (git + SQLite), with
// every timestamp fixed so counts, scores and cumulative spend can be asserted exactly.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { execa } from 'execa';
import { Archive } from '../archive/archive.ts';
import { ancestry, buildReportData } from '../evolve/report.ts';
import { DEFAULT_RUN_DIR } from '../evolve/open-run.ts';

const bin = fileURLToPath(new URL('../bin/clade.js', import.meta.url));
const clade = (args: string[], cwd?: string) => execa('node', [bin, ...args], { reject: false, cwd, timeout: 60_000, stripFinalNewline: false });

const T0 = Date.parse('2025-03-01T10:00:00.000Z');
const at = (minute: number) => new Date(T0 + minute * 60_000).toISOString();
const HOSTILE = '<script>alert("pwned")</script> rewrite the prompt';

const grade = (taskId: string, resolved: boolean) => ({
  taskId,
  patchApplied: true,
  applyMethod: 'git-apply',
  resolved,
  failToPass: resolved ? { success: [`test/${taskId}.test.js > fixes the bug`], failure: [] } : { success: [], failure: [`test/${taskId}.test.js > fixes the bug`] },
  passToPass: { success: [`test/${taskId}.test.js > keeps the rest`, 'test/smoke.test.js > starts'], failure: [] },
  tests: { [`test/${taskId}.test.js > fixes the bug`]: resolved ? 'passed' : 'failed', [`test/${taskId}.test.js > keeps the rest`]: 'passed', 'test/smoke.test.js > starts': 'passed' },
  durationMs: 4210,
});

let root: string;
let run: string;

async function files(name: string, content: Record<string, string>): Promise<string> {
  const dir = join(root, 'src-trees', name);
  for (const [path, text] of Object.entries(content)) {
    await mkdir(join(dir, path, '..'), { recursive: true });
    await writeFile(join(dir, path), text);
  }
  return dir;
}

const SEED = { 'src/loop.ts': 'export const turns = 10;\n', 'src/prompt.ts': "export const SYSTEM = 'Edit files, then stop.';\n", 'README.md': '# agent\n' };
const modify = (costUsd: number, trajectory: string) => ({ costUsd, inputTokens: 4000, outputTokens: 1000, seconds: 60, trajectory });

/**
 * v0 seed ─┬─ v1 valid ── v4 valid
 *          ├─ v2 valid (hostile proposal)
 *          └─ v3 invalid
 * Minute by minute, so the report's timeline has known cumulative numbers.
 */
async function buildRun(dir: string): Promise<void> {
  vi.useFakeTimers({ toFake: ['Date'] });
  try {
    const archive = await Archive.open(dir, { create: true });
    let minute = 0;
    const tick = () => vi.setSystemTime(T0 + minute++ * 60_000);
    const evaluate = (variantId: string, taskId: string, status: 'resolved' | 'unresolved' | 'error', costUsd = 0.25, sameMinute = false) => {
      if (!sameMinute) tick();
      archive.recordEvaluation({
        variantId,
        taskId,
        split: 'small',
        status,
        costUsd,
        inputTokens: 9000,
        outputTokens: 1000,
        seconds: 42,
        trajectory: join(dir, 'evals', variantId, taskId, 'trajectory.jsonl'),
        patch: join(dir, 'evals', variantId, taskId, 'patch.diff'),
        grade: status === 'error' ? null : grade(taskId, status === 'resolved'),
        error: status === 'error' ? 'agent timed out after 300 s' : null,
      });
    };
    archive.setMeta('config', JSON.stringify({ policy: 'hgm', seed: 1, model: 'claude-sonnet-4-6', upstream: 'scripted:demo.json', demo: true }));

    tick(); // minute 0
    await archive.add({ parentId: null, dir: await files('v0', SEED), status: 'seed' });
    evaluate('v0', 't1', 'resolved'); // 1
    evaluate('v0', 't2', 'unresolved'); // 2
    tick(); // 3
    await archive.add({
      parentId: 'v0',
      dir: await files('v1', { ...SEED, 'src/loop.ts': 'export const turns = 20;\n' }),
      status: 'valid',
      proposal: { taskId: 't2', problem: 'The agent ran out of turns on t2.', improvement: 'Raise the turn limit\nso that long tasks can finish.', implementation: 'turns 10 → 20 in src/loop.ts' },
      modify: modify(1, join(dir, 'modify', 'v1.jsonl')),
    });
    tick(); // 4
    archive.recordFailedStep({ parentId: 'v0', kind: 'diagnose', reason: 'no valid proposal after 3 tries', costUsd: 0.5 });
    // The same instant as the failed step: "spent up to this evaluation" includes it.
    evaluate('v1', 't1', 'resolved', 0.25, true); // 4
    tick(); // 5
    await archive.add({
      parentId: 'v0',
      dir: await files('v2', { ...SEED, 'src/prompt.ts': "export const SYSTEM = 'Run the failing test first.';\n" }),
      status: 'valid',
      proposal: { taskId: 't1', problem: 'It edits blind.', improvement: HOSTILE, implementation: 'src/prompt.ts' },
      modify: modify(0.5, join(dir, 'modify', 'v2.jsonl')),
    });
    tick(); // 6
    await archive.add({
      parentId: 'v0',
      dir: await files('v3', { ...SEED, 'src/loop.ts': 'export const turns = ;\n' }),
      status: 'invalid',
      reason: 'own tests failed\nnpm test exited 1: 2 failing',
      proposal: { problem: 'Slow.', improvement: 'Cache the repo map', implementation: 'src/loop.ts' },
      modify: modify(0.25, join(dir, 'modify', 'v3.jsonl')),
    });
    evaluate('v1', 't2', 'resolved'); // 7
    evaluate('v2', 't1', 'unresolved'); // 8
    evaluate('v2', 't2', 'error', 0); // 9
    evaluate('v1', 't3', 'resolved'); // 10
    tick(); // 11
    await archive.add({
      parentId: 'v1',
      dir: await files('v4', { ...SEED, 'src/loop.ts': 'export const turns = 30;\n' }),
      status: 'valid',
      proposal: { taskId: 't2', problem: 'Still out of turns.', improvement: 'Raise it again', implementation: 'turns 20 → 30' },
      modify: modify(0.75, join(dir, 'modify', 'v4.jsonl')),
    });
    evaluate('v4', 't1', 'resolved'); // 12
    evaluate('v4', 't2', 'unresolved'); // 13
    tick(); // 14: after the last evaluation, so in the totals but on no timeline point
    archive.recordFailedStep({ parentId: 'v4', kind: 'modify', reason: 'modification crashed', costUsd: 0.5 });
    archive.close();
  } finally {
    vi.useRealTimers();
  }
}

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'clade-archive-cli-'));
  run = join(root, 'run');
  await buildRun(run);
});

afterAll(async () => {
  if (root) await rm(root, { recursive: true, force: true });
});

describe('clade archive', () => {
  it('ls lists every variant with exact scores, clade totals and costs', async () => {
    const r = await clade(['archive', 'ls', '--run', run, '--json']);
    expect(r.stderr).toBe('');
    expect(r.exitCode).toBe(0);
    const rows = JSON.parse(r.stdout) as Array<Record<string, unknown> & { clade: Record<string, unknown> }>;
    expect(rows.map((v) => [v.id, v.parentId, v.status, v.resolved, v.evaluated, v.score, v.bestBelief])).toEqual([
      ['v0', null, 'seed', 1, 2, 0.5, false],
      ['v1', 'v0', 'valid', 3, 3, 1, true],
      ['v2', 'v0', 'valid', 0, 2, 0, false],
      ['v3', 'v0', 'invalid', 0, 0, null, false],
      ['v4', 'v1', 'valid', 1, 2, 0.5, false],
    ]);
    expect(rows.map((v) => [v.clade.size, v.clade.resolved, v.clade.evaluated])).toEqual([
      [5, 5, 9],
      [2, 4, 5],
      [1, 0, 2],
      [1, 0, 0],
      [1, 1, 2],
    ]);
    expect(rows.map((v) => [v.modifyCostUsd, v.evalCostUsd, v.costUsd])).toEqual([
      [0, 0.5, 0.5],
      [1, 0.75, 1.75],
      [0.5, 0.25, 0.75],
      [0.25, 0, 0.25],
      [0.75, 0.5, 1.25],
    ]);
    expect(rows[3]).toMatchObject({ reason: 'own tests failed', interval: null, createdAt: at(6) });
    expect(rows[1]).toMatchObject({ improvement: 'Raise the turn limit', createdAt: at(3) });
    // Wilson 95% for 3/3: [z²/(n+z²), 1].
    expect((rows[1]!.interval as { low: number }).low).toBeCloseTo(3 / (3 + 1.96 ** 2), 12);

    const human = await clade(['archive', 'ls', '--run', run]);
    expect(human.exitCode).toBe(0);
    const lines = human.stdout.split('\n');
    expect(lines[0]).toMatch(/^ID +PARENT +STATUS +SCORE +95% CI +CLADE \(CMP\) +COST +CREATED +IMPROVEMENT \/ REASON$/);
    expect(lines.find((l) => l.startsWith('v1 '))).toMatch(/^v1 +v0 +valid +3\/3 100% +44%–100% +4\/5 80% +\$1\.7500 +2025-03-01 10:03:00Z +★ Raise the turn limit$/);
    expect(lines.find((l) => l.startsWith('v3 '))).toMatch(/✕ own tests failed$/);
    expect(human.stdout).toContain('5 variants (4 valid, 1 invalid), 9 evaluations, 2 failed steps, $5.5000 spent · best belief v1 (3/3');
    expect(human.stdout).toContain('DEMO run');
  });

  it('show gives one variant in full: proposal, evaluations with their grades, children, changes', async () => {
    const r = await clade(['archive', 'show', 'v1', '--run', run, '--json']);
    expect(r.exitCode).toBe(0);
    const v = JSON.parse(r.stdout) as Record<string, unknown> & { evaluations: Array<Record<string, unknown>> };
    expect(v.proposal).toEqual({ taskId: 't2', problem: 'The agent ran out of turns on t2.', improvement: 'Raise the turn limit\nso that long tasks can finish.', implementation: 'turns 10 → 20 in src/loop.ts' });
    expect(v.children).toEqual([{ id: 'v4', status: 'valid' }]);
    expect(v.evaluations.map((e) => [e.taskId, e.status, e.costUsd, e.tokens, e.seconds, e.createdAt])).toEqual([
      ['t1', 'resolved', 0.25, 10000, 42, at(4)],
      ['t2', 'resolved', 0.25, 10000, 42, at(7)],
      ['t3', 'resolved', 0.25, 10000, 42, at(10)],
    ]);
    expect(v.evaluations[0]).toMatchObject({ trajectory: join(run, 'evals', 'v1', 't1', 'trajectory.jsonl'), tests: { failToPass: { passed: 1, total: 1 }, passToPass: { passed: 2, total: 2 } } });
    expect(v.modify).toEqual({ costUsd: 1, inputTokens: 4000, outputTokens: 1000, seconds: 60, trajectory: join(run, 'modify', 'v1.jsonl') });
    expect(v.diffStat).toMatch(/src\/loop\.ts \| 2 \+-/);
    expect(v).toMatchObject({ id: 'v1', parentId: 'v0', status: 'valid', bestBelief: true, resolved: 3, evaluated: 3 });

    const errored = JSON.parse((await clade(['archive', 'show', 'v2', '--run', run, '--json'])).stdout) as { evaluations: Array<Record<string, unknown>> };
    expect(errored.evaluations[1]).toMatchObject({ taskId: 't2', status: 'error', error: 'agent timed out after 300 s', tests: null });

    const human = await clade(['archive', 'show', 'v3', '--run', run]);
    expect(human.exitCode).toBe(0);
    expect(human.stdout).toContain('invalid: own tests failed\n    npm test exited 1: 2 failing');
    expect(human.stdout).toContain('children: none');
    expect(human.stdout).toContain('evaluations: none');
  });

  it('diff prints the git diff between any two variants', async () => {
    const r = await clade(['archive', 'diff', 'v0', 'v1', '--run', run]);
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toContain('--- a/src/loop.ts\n+++ b/src/loop.ts\n');
    expect(r.stdout).toContain('\n-export const turns = 10;\n+export const turns = 20;\n');
    expect(r.stdout).not.toContain('prompt.ts');
    const json = JSON.parse((await clade(['archive', 'diff', 'v4', 'v2', '--run', run, '--json'])).stdout) as { from: string; to: string; diff: string };
    expect(json.from).toBe('v4');
    expect(json.to).toBe('v2');
    expect(json.diff).toContain('-export const turns = 30;\n+export const turns = 10;');
    expect(json.diff).toContain("+export const SYSTEM = 'Run the failing test first.';");
  });

  it('tree draws the lineage with ★ on the best belief and ✕ on invalid variants', async () => {
    const r = await clade(['archive', 'tree', '--run', run]);
    expect(r.exitCode).toBe(0);
    expect(r.stdout.startsWith(
      [
        'v0 seed 1/2 (50%)',
        '├── v1 valid 3/3 (100%) ★',
        '│   └── v4 valid 1/2 (50%)',
        '├── v2 valid 0/2 (0%)',
        '└── v3 ✕ invalid: own tests failed',
        '',
      ].join('\n'),
    )).toBe(true);
    const json = JSON.parse((await clade(['archive', 'tree', '--run', run, '--json'])).stdout) as { bestBelief: string; roots: Array<{ id: string; children: Array<{ id: string; children: Array<{ id: string }> }> }> };
    expect(json.bestBelief).toBe('v1');
    expect(json.roots.map((r0) => [r0.id, r0.children.map((c) => [c.id, c.children.map((g) => g.id)])])).toEqual([['v0', [['v1', ['v4']], ['v2', []], ['v3', []]]]]);
  });

  it('says how to fix an unknown id or a missing run, without a stack', async () => {
    const unknown = await clade(['archive', 'show', 'v9', '--run', run]);
    expect(unknown.exitCode).toBe(2);
    expect(unknown.stderr).toContain('no variant "v9"');
    expect(unknown.stderr).toContain(`clade archive ls --run ${run}`);
    expect(unknown.stderr).not.toMatch(/\n\s+at /);
    const badDiff = await clade(['archive', 'diff', 'v0', 'nope', '--run', run]);
    expect(badDiff.exitCode).toBe(2);
    expect(badDiff.stderr).toContain('no variant "nope"');

    const missing = join(root, 'no-such-run');
    const gone = await clade(['archive', 'ls', '--run', missing]);
    expect(gone.exitCode).toBe(2);
    expect(gone.stderr).toContain(`no run at ${missing}`);
    expect(gone.stderr).not.toMatch(/\n\s+at /);
    expect(existsSync(missing)).toBe(false);

    // No --run: the default is relative to where the user stands.
    const cwd = await mkdtemp(join(root, 'cwd-'));
    const byDefault = await clade(['archive', 'tree'], cwd);
    expect(byDefault.exitCode).toBe(2);
    expect(byDefault.stderr).toContain(`no run at ${join(cwd, DEFAULT_RUN_DIR)}`);

    // A folder that exists but holds no archive is Archive.open's error, with its own fix.
    const empty = await clade(['report', '--run', cwd, '--out', join(cwd, 'r.html')]);
    expect(empty.exitCode).toBe(1);
    expect(empty.stderr).toMatch(/no archive in .*clade evolve --run/);
    expect(empty.stderr).not.toMatch(/\n\s+at /);
  });
});

describe('clade report', () => {
  it('writes one HTML page with every variant, the demo banner, and model text escaped', async () => {
    const out = join(root, 'pages', 'report.html');
    const r = await clade(['report', '--run', run, '--out', out, '--json']);
    expect(r.stderr).toBe('');
    expect(r.exitCode).toBe(0);
    const summary = JSON.parse(r.stdout) as { out: string; variants: number; evaluations: number; bestBelief: { id: string; mean: number } };
    expect(summary).toMatchObject({ out, variants: 5, evaluations: 9, bestBelief: { id: 'v1', mean: 0.8 } });
    const html = readFileSync(out, 'utf8');
    for (const id of ['v0', 'v1', 'v2', 'v3', 'v4']) expect(html).toContain(`<section id="variant-${id}"`);
    expect(html).toContain("<b>Demo run:</b> the model's answers were scripted");
    expect(html).toContain('&lt;script&gt;alert(&quot;pwned&quot;)&lt;/script&gt; rewrite the prompt');
    expect(html).not.toContain('<script');
    expect(html).toContain('<b>Invalid:</b> own tests failed\nnpm test exited 1: 2 failing');
    expect(html).toContain('+export const turns = 20;');

    const human = await clade(['report', '--run', run, '--out', out]);
    expect(human.stdout).toBe(`${out}\n`);
  });

  it('needs --out', async () => {
    const r = await clade(['report', '--run', run]);
    expect(r.exitCode).not.toBe(0);
    expect(r.stderr).toContain("required option '--out <file>' not specified");
  });
});

describe('buildReportData', () => {
  it('maps the archive to the report: best path, results, exact cumulative timeline and totals', async () => {
    const archive = await Archive.open(run);
    try {
      const data = await buildReportData(archive, { now: new Date(T0 + 3_600_000) });
      expect(data).toMatchObject({ title: 'Clade run run', generatedAt: at(60), runDir: run, policy: 'hgm', model: 'claude-sonnet-4-6 via scripted:demo.json', demo: true });
      expect(data.bestBelief).toMatchObject({ id: 'v1', mean: 0.8 });
      expect(data.bestBelief!.low).toBeCloseTo(0.05 ** (1 / 4), 6);
      expect(data.bestPath).toEqual(['v0', 'v1']);
      expect(data.totals).toEqual({ variants: 5, valid: 4, invalid: 1, evaluations: 9, spendUsd: 5.5 });
      // One point per evaluation: the best-belief posterior mean given only the evaluations so far (it may fall), and
      // spend = modifications and failed steps up to that minute + evaluations up to and including this one.
      expect(data.timeline).toEqual([
        { at: at(1), evaluations: 1, bestScore: 2 / 3, spendUsd: 0.25 }, // v0 1/1
        { at: at(2), evaluations: 2, bestScore: 2 / 4, spendUsd: 0.5 }, // v0 1/2: the belief drops
        { at: at(4), evaluations: 3, bestScore: 2 / 3, spendUsd: 2.25 }, // + v1 modify 1 + failed step 0.5 (same instant); v1 1/1 leads
        { at: at(7), evaluations: 4, bestScore: 3 / 4, spendUsd: 3.25 }, // + v2 0.5 + v3 0.25 modify
        { at: at(8), evaluations: 5, bestScore: 3 / 4, spendUsd: 3.5 },
        { at: at(9), evaluations: 6, bestScore: 3 / 4, spendUsd: 3.5 }, // an errored evaluation that cost nothing
        { at: at(10), evaluations: 7, bestScore: 4 / 5, spendUsd: 3.75 },
        { at: at(12), evaluations: 8, bestScore: 4 / 5, spendUsd: 4.75 }, // + v4 modify 0.75
        { at: at(13), evaluations: 9, bestScore: 4 / 5, spendUsd: 5 },
      ]);
      const byId = new Map(data.variants.map((v) => [v.id, v]));
      expect(byId.get('v0')).toMatchObject({ diff: '', resolved: 1, evaluated: 2, score: 0.5, modifyCostUsd: 0, createdAt: at(0) });
      expect(byId.get('v3')).toMatchObject({ status: 'invalid', reason: 'own tests failed\nnpm test exited 1: 2 failing', evaluated: 0, score: null, results: [] });
      expect(byId.get('v3')!.interval).toBeUndefined();
      expect(byId.get('v2')!.results).toEqual([
        { taskId: 't1', status: 'unresolved', costUsd: 0.25, seconds: 42, tokens: 10000 },
        { taskId: 't2', status: 'error', costUsd: 0, seconds: 42, tokens: 10000, error: 'agent timed out after 300 s' },
      ]);
      expect(byId.get('v4')!.diff).toContain('-export const turns = 20;\n+export const turns = 30;');
    } finally {
      archive.close();
    }
  });

  it('walks the best path through every ancestor and stops on a corrupt parent cycle', () => {
    const variants = [
      { id: 'v0', parentId: null },
      { id: 'v1', parentId: 'v0' },
      { id: 'v2', parentId: 'v1' },
      { id: 'v3', parentId: 'v2' },
      { id: 'x', parentId: 'y' },
      { id: 'y', parentId: 'x' },
    ];
    expect(ancestry(variants, 'v3')).toEqual(['v0', 'v1', 'v2', 'v3']);
    expect(ancestry(variants, 'v0')).toEqual(['v0']);
    expect(ancestry(variants, 'x')).toEqual(['y', 'x']);
  });
});
