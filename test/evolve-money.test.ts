// Runs a user can trust with real money: the run stops on what waiting cannot fix, refuses to change its experiment
// silently, never lets its budget cut an evaluation short, and its archive's spend is the sum of its call logs.
// Real containers, the real CLI, the scripted model.
import { describe, expect, inject, it } from 'vitest';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { execa } from 'execa';
import { Archive } from '../archive/archive.ts';
import { SEED_AGENT_DIR } from '../bench/agent-deps.ts';
import { findTask } from '../bench/task.ts';
import { runTask } from '../bench/run.ts';
import { Budget } from '../gateway/budget.ts';
import { ScriptedUpstream } from '../gateway/upstream.ts';
import { loggedMicros, scriptFile, tempDir } from './helpers.ts';

const CLADE = ['bin/clade.js'];
const clade = (args: string[], env: Record<string, string> = {}) => execa('node', [...CLADE, ...args], { reject: false, env: { ...env } });

function folderHash(dir: string): string {
  const h = createHash('sha256');
  const walk = (d: string) => {
    for (const name of readdirSync(d).sort()) {
      const p = join(d, name);
      const st = statSync(p);
      h.update(p);
      if (st.isDirectory()) walk(p);
      else h.update(readFileSync(p));
    }
  };
  walk(dir);
  return h.digest('hex');
}

describe('clade evolve with real money in mind', () => {
  it('stops with exit 1 on a 401 or a 404 for the model, names the fix, and records no evaluation', async () => {
    for (const [status, type, message, fix] of [
      [401, 'authentication_error', 'invalid x-api-key', /ANTHROPIC_API_KEY/],
      [404, 'not_found_error', 'model: claude-nope', /--model-name/],
    ] as const) {
      const dir = await tempDir();
      const script = await scriptFile({ responses: [{ error: { status, type, message } }] }, dir);
      const run = join(dir, 'run');
      const r = await clade(['evolve', '--model', `scripted:${script}`, '--run', run, '--tasks', 'semverlite-001', '--max-evals', '4', '--parallel', '1', '--json']);
      expect(r.exitCode, r.stderr).toBe(1);
      expect(r.stderr).toContain(message);
      expect(r.stderr).toMatch(fix);
      const archive = await Archive.open(run);
      try {
        expect(archive.evaluations()).toEqual([]);
        expect(archive.variants().map((v) => v.id)).toEqual(['v0']);
        // The refused call is in the log, and the archive agrees with it to the micro-dollar.
        expect(archive.spentMicros()).toBe(loggedMicros(run));
      } finally {
        archive.close();
      }
    }
  }, 300_000);

  it('refuses a resume with another --policy (exit 2, naming the flag), and --change-config records the change', async () => {
    const run = join(await tempDir(), 'run');
    const archive = await Archive.open(run, { create: true });
    archive.setMeta('config', JSON.stringify({ policy: 'hgm', seed: 1 }));
    await archive.add({ parentId: null, dir: SEED_AGENT_DIR, status: 'seed' });
    archive.close();
    const before = folderHash(run);

    const refused = await clade(['evolve', '--demo', '--run', run, '--policy', 'dgm', '--max-evals', '1']);
    expect(refused.exitCode).toBe(2);
    const line = refused.stderr.trim().split('\n').filter((l) => l.startsWith('clade:'));
    expect(line).toHaveLength(1);
    expect(line[0]).toMatch(/--policy was "hgm", now "dgm".*--change-config/);
    expect(folderHash(run)).toBe(before);

    // --max-hours that has already passed: the run resumes, records the change and stops before any step.
    const changed = await clade(['evolve', '--demo', '--run', run, '--policy', 'dgm', '--max-evals', '1', '--max-hours', '0.000001', '--change-config', '--json']);
    expect(changed.exitCode, changed.stderr).toBe(0);
    const after = await Archive.open(run);
    try {
      const events = after.events('config-change');
      expect(events).toHaveLength(1);
      expect(JSON.stringify(events[0]!.detail)).toMatch(/"flag":"--policy".*"from":"hgm","to":"dgm"/);
      expect(JSON.parse(after.getMeta('config')!).policy).toBe('dgm');
    } finally {
      after.close();
    }
    // Resuming with the new settings is now the run's own config: no refusal.
    const again = await clade(['evolve', '--demo', '--run', run, '--policy', 'dgm', '--max-evals', '1', '--max-hours', '0.000001', '--json']);
    expect(again.exitCode, again.stderr).toBe(0);
  }, 300_000);

  it('refuses a paid model without --budget-usd unless --no-budget, and --dry-run prints the worst case', async () => {
    const run = join(await tempDir(), 'run');
    const key = { ANTHROPIC_API_KEY: 'sk-ant-not-a-real-key' };
    const refused = await clade(['evolve', '--model', 'anthropic', '--run', run, '--max-evals', '3'], key);
    expect(refused.exitCode).toBe(2);
    expect(refused.stderr.trim().split('\n')).toHaveLength(1);
    expect(refused.stderr).toMatch(/paid model and no --budget-usd.*--no-budget/);
    expect(existsSync(run)).toBe(false);

    const dry = await clade(['evolve', '--model', 'anthropic', '--run', run, '--budget-usd', '10', '--max-evals', '5', '--max-expansions', '1', '--dry-run', '--json'], key);
    expect(dry.exitCode, dry.stderr).toBe(0);
    const plan = JSON.parse(dry.stdout);
    expect(plan.perStep).toEqual({ expansion: 7, evaluation: 3 });
    // 5 evaluations at $3 and one self-modification at $7: $22, under the budget of $10? No: the budget bounds it.
    expect(plan.worstCaseUsd).toBe(10);
    const bySteps = await clade(['evolve', '--model', 'anthropic', '--run', run, '--no-budget', '--max-evals', '2', '--max-expansions', '1', '--task-cap-usd', '1.5', '--dry-run', '--json'], key);
    expect(JSON.parse(bySteps.stdout).worstCaseUsd).toBe(2 * 1.5 + 7);
    const unbounded = await clade(['evolve', '--model', 'anthropic', '--run', run, '--no-budget', '--dry-run'], key);
    expect(unbounded.exitCode).toBe(0);
    expect(unbounded.stdout).toMatch(/worst case in total: unbounded/);
    expect(existsSync(run)).toBe(false);
  }, 120_000);

  it('a task cut off by the run budget is a budget stop, never an unresolved result', async () => {
    const dir = await tempDir();
    const task = findTask('semverlite-001');
    const upstream = new ScriptedUpstream({ responses: [{ content: [{ type: 'text', text: 'done' }], stop_reason: 'end_turn', usage: { input_tokens: 10, output_tokens: 10 } }] });
    // The run has a hundredth of a cent left: the agent's first request does not fit.
    const r = await runTask(task, { upstream, image: inject('sandboxImage'), outDir: dir, model: 'claude-sonnet-4-6', budgetPerTask: { usd: 5 }, runBudget: new Budget({ usd: 0.0001 }), timeoutSec: 120 });
    expect(r.outcome).toBe('budget_stop');
    expect(r.grade).toBeUndefined();
  }, 300_000);

  it('stops on a tight budget before a step it cannot cover, never mid-evaluation; spend is within the budget and equals the logs', async () => {
    const run = join(await tempDir(), 'run');
    const budget = 1.2;
    const r = await clade(['evolve', '--demo', '--run', run, '--max-evals', '6', '--parallel', '2', '--budget-usd', String(budget), '--task-cap-usd', '0.4', '--diagnose-cap-usd', '0.8', '--modify-cap-usd', '0.8', '--json']);
    expect(r.exitCode, r.stderr).toBe(0);
    const summary = JSON.parse(r.stdout);
    expect(summary.stopReason).toMatch(/cannot cover another step/);
    const archive = await Archive.open(run);
    try {
      const evaluations = archive.evaluations();
      expect(evaluations.length).toBeGreaterThan(0);
      // No evaluation was cut by the run's money: each ended in the agent's own result, and nothing was discarded.
      for (const e of evaluations) expect(['resolved', 'unresolved', 'tampered', 'agent_error']).toContain(e.outcome);
      expect(archive.events('discarded')).toEqual([]);
      const spent = archive.spentMicros();
      expect(spent).toBe(loggedMicros(run));
      expect(spent).toBeGreaterThan(0);
      expect(spent).toBeLessThanOrEqual(budget * 1e6);
    } finally {
      archive.close();
    }
  }, 900_000);
});
