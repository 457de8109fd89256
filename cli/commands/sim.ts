import type { Command } from 'commander';
import { POLICIES, type Policy } from '../../evolve/policy.ts';
import { SIM_DEFAULTS, simulate, type SimReport } from '../../evolve/sim.ts';
import { emit, UsageError, type OutputOptions } from '../output.ts';

interface SimFlags extends OutputOptions {
  policy: string;
  seeds: string;
  budget: string;
  target: string;
}

function parsePolicies(list: string): Policy[] {
  const names = list.split(',').map((s) => s.trim()).filter(Boolean);
  const unknown = names.filter((n) => !(POLICIES as readonly string[]).includes(n));
  if (unknown.length || !names.length) {
    throw new UsageError(`--policy ${unknown.length ? `has unknown ${unknown.join(', ')}` : 'is empty'}: give a comma-separated subset of ${POLICIES.join(',')} (the oracle is always included)`);
  }
  return [...new Set(names)] as Policy[];
}

function positiveInt(flag: string, v: string, min: number): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < min) throw new UsageError(`--${flag} must be a whole number ≥ ${min}, got "${v}"`);
  return n;
}

const f3 = (x: number) => x.toFixed(3);

function table(report: SimReport): string {
  const { config } = report;
  const head = ['policy', 'final p', 'sd', 'min', 'median', 'max', 'best found', 'reached', 'evals', 'median', 'min', 'max'];
  const rows = report.results.map((r) => {
    const e = r.evalsToTarget;
    const evals = e ? [e.mean.toFixed(0), e.median.toFixed(0), String(e.min), String(e.max)] : ['-', '-', '-', '-'];
    const fp = r.finalTrueP;
    return [r.policy, f3(fp.mean), f3(fp.sd), f3(fp.min), f3(fp.median), f3(fp.max), f3(r.bestTrueP.mean), `${r.reached}/${report.seeds}`, ...evals];
  });
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  return [
    `${report.seeds} seeds, budget ${config.budget} evaluation units, target true p ≥ ${config.target} (model and columns: evolve/SIM.md)`,
    'final p: true success rate of the best-belief variant at the end; best found: highest true p anywhere in the tree;',
    `reached/evals: seeds whose best-belief variant reached the target, and evaluation units spent when it first did`,
    '',
    line(head),
    ...rows.map(line),
  ].join('\n');
}

export function registerSim(program: Command): void {
  program
    .command('sim')
    .description('compare parent-selection policies on a seeded synthetic landscape (no model calls; see evolve/SIM.md)')
    .option('--policy <list>', `comma-separated policies; the oracle is always added as the reference row`, POLICIES.join(','))
    .option('--seeds <n>', 'landscapes (seeds 0 … n−1) each policy runs on', '30')
    .option('--budget <n>', 'evaluation units per run (one task evaluation = 1)', String(SIM_DEFAULTS.budget))
    .option('--target <p>', 'true success rate that counts as reaching the target, in (0, 1)', String(SIM_DEFAULTS.target))
    .option('--json', 'print the result as JSON')
    .action((opts: SimFlags) => {
      const policies = parsePolicies(opts.policy);
      const seeds = positiveInt('seeds', opts.seeds, 1);
      const budget = positiveInt('budget', opts.budget, SIM_DEFAULTS.batch);
      const target = Number(opts.target);
      if (!(target > 0 && target < 1)) throw new UsageError(`--target must be a number strictly between 0 and 1, got "${opts.target}"`);
      const report = simulate({ policies, seeds, budget, target });
      emit(opts, report, () => table(report));
    });
}
