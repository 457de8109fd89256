import type { Command } from 'commander';
import { POLICIES, type Policy } from '../../evolve/policy.ts';
import { SIM_DEFAULTS, simulate, type SimReport } from '../../evolve/sim.ts';
import { emit, type OutputOptions } from '../output.ts';
import { numberOption } from '../flags.ts';
import { UsageError } from '../../lib/usage-error.ts';

interface SimFlags extends OutputOptions {
  policy: string;
  seeds: number;
  budget: number;
  target: number;
}

function parsePolicies(list: string): Policy[] {
  const names = list.split(',').map((s) => s.trim()).filter(Boolean);
  const unknown = names.filter((n) => !(POLICIES as readonly string[]).includes(n));
  if (unknown.length || !names.length) {
    throw new UsageError(`--policy ${unknown.length ? `has unknown ${unknown.join(', ')}` : 'is empty'}: give a comma-separated subset of ${POLICIES.join(',')} (the oracle is always included)`);
  }
  return [...new Set(names)] as Policy[];
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
    .option('--policy <list>', `comma-separated policies; the oracle is always added as the reference row`, POLICIES.join(','))
    .addOption(numberOption('--seeds <n>', 'landscapes (seeds 0 … n−1) each policy runs on', { integer: true, min: 1 }, 30))
    .addOption(numberOption('--budget <n>', `evaluation units per run (one task evaluation = 1), at least ${SIM_DEFAULTS.batch}`, { integer: true, min: SIM_DEFAULTS.batch }, SIM_DEFAULTS.budget))
    .addOption(numberOption('--target <p>', 'true success rate that counts as reaching the target, in (0, 1)', { min: 0, minExclusive: true, max: 1, maxExclusive: true }, SIM_DEFAULTS.target))
    .option('--json', 'print the result as JSON')
    .action((opts: SimFlags) => {
      const policies = parsePolicies(opts.policy);
      const report = simulate({ policies, seeds: opts.seeds, budget: opts.budget, target: opts.target });
      emit(opts, report, () => table(report));
    });
}
