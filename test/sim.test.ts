// The synthetic landscape: deterministic, finite, and an oracle that knows the hidden truth beats choosing at random.
import { describe, expect, it } from 'vitest';
import { execa } from 'execa';
import { fileURLToPath } from 'node:url';
import { simulate, simulateRun, SIM_DEFAULTS, type SimReport } from '../evolve/sim.ts';
import { POLICIES } from '../evolve/policy.ts';

const bin = fileURLToPath(new URL('../bin/clade.js', import.meta.url));
const clade = (args: string[]) => execa('node', [bin, ...args], { reject: false, timeout: 60_000 });

describe('simulator', () => {
  it('is deterministic: the same seed gives the same run, another seed another run', () => {
    for (const policy of ['oracle', ...POLICIES] as const) {
      expect(simulateRun(policy, 4)).toEqual(simulateRun(policy, 4));
    }
    expect(simulateRun('dgm', 4)).not.toEqual(simulateRun('dgm', 5));
  });

  it('spends the budget and no more', () => {
    for (const policy of ['oracle', ...POLICIES] as const) {
      const run = simulateRun(policy, 1, { budget: 200 });
      const spent = run.evaluations + (run.variants - 1) * SIM_DEFAULTS.expandCost;
      expect(spent).toBeLessThanOrEqual(200);
      expect(spent).toBeGreaterThan(200 - SIM_DEFAULTS.expandCost);
    }
  });

  it('gives finite numbers for every policy over 30 seeds, and the oracle beats random', () => {
    const report = simulate({ seeds: 30 });
    expect(report.results.map((r) => r.policy)).toEqual(['oracle', 'hgm', 'dgm', 'greedy', 'random']);
    for (const r of report.results) {
      for (const s of [r.finalTrueP, r.bestTrueP]) {
        for (const x of Object.values(s)) expect(Number.isFinite(x)).toBe(true);
        expect(s.min).toBeGreaterThanOrEqual(0);
        expect(s.max).toBeLessThanOrEqual(1);
      }
      expect(r.reached + r.neverReached).toBe(30);
      if (r.evalsToTarget) expect(r.evalsToTarget.max).toBeLessThanOrEqual(SIM_DEFAULTS.budget);
    }
    const oracle = report.results.find((r) => r.policy === 'oracle')!;
    const random = report.results.find((r) => r.policy === 'random')!;
    // With the defaults: oracle ≈ 0.73, random ≈ 0.37 mean final true p; the oracle also reaches the target more often.
    expect(oracle.finalTrueP.mean).toBeGreaterThan(random.finalTrueP.mean + 0.15);
    expect(oracle.reached).toBeGreaterThan(random.reached);
    // Every policy should at least improve on the seed's p0 somewhere in its tree.
    for (const r of report.results) expect(r.bestTrueP.mean).toBeGreaterThan(SIM_DEFAULTS.p0);
  });
});

// Needs `registerSim(program)` in cli/main.ts.
describe('clade sim', () => {
  it('prints one JSON report with the oracle as the reference row', async () => {
    const r = await clade(['sim', '--seeds', '30', '--json']);
    expect(r.exitCode).toBe(0);
    const report = JSON.parse(r.stdout) as SimReport;
    expect(report.seeds).toBe(30);
    expect(report.results.map((x) => x.policy)).toEqual(['oracle', ...POLICIES]);
    expect(report).toEqual(simulate({ seeds: 30 }));
  });

  it('prints an aligned table, and explains bad flags', async () => {
    const table = await clade(['sim', '--seeds', '3', '--policy', 'dgm,hgm', '--budget', '100']);
    expect(table.exitCode).toBe(0);
    const rows = table.stdout.split('\n').filter((l) => /^(policy|oracle|dgm|hgm)\b/.test(l));
    expect(rows.map((l) => l.split(/\s+/)[0])).toEqual(['policy', 'oracle', 'dgm', 'hgm']);
    expect(new Set(rows.map((l) => l.length)).size).toBe(1);
    for (const [args, hint] of [
      [['--policy', 'dgm,foo'], /unknown foo.*hgm,dgm,greedy,random/],
      [['--seeds', '0'], /--seeds must be a whole number ≥ 1/],
      [['--target', '1'], /--target must be .* between 0 and 1/],
    ] as const) {
      const bad = await clade(['sim', ...args]);
      expect(bad.exitCode).toBe(2);
      expect(bad.stderr).toMatch(hint);
      expect(bad.stderr).not.toContain('    at ');
    }
  });
});
