// The gateway budget flags, shared by every command that starts a gateway session.
import type { Command } from 'commander';
import type { BudgetLimits } from '../gateway/budget.ts';
import { UsageError } from './output.ts';

export interface BudgetFlags {
  budgetRequests?: string;
  budgetInputTokens?: string;
  budgetOutputTokens?: string;
  budgetUsd?: string;
}

export function budgetOptions(cmd: Command): Command {
  return cmd
    .option('--budget-requests <n>', 'refuse model requests after this many')
    .option('--budget-input-tokens <n>', 'refuse model requests after this many input tokens')
    .option('--budget-output-tokens <n>', 'refuse model requests after this many output tokens')
    .option('--budget-usd <dollars>', 'refuse model requests after this much spend (price table in gateway/pricing.ts)');
}

export function budgetFrom(flags: BudgetFlags): BudgetLimits {
  const num = (name: string, v: string | undefined) => {
    if (v === undefined) return undefined;
    const n = Number(v);
    if (!Number.isFinite(n) || n < 0) throw new UsageError(`--${name} must be a non-negative number, got "${v}"`);
    return n;
  };
  return {
    requests: num('budget-requests', flags.budgetRequests),
    inputTokens: num('budget-input-tokens', flags.budgetInputTokens),
    outputTokens: num('budget-output-tokens', flags.budgetOutputTokens),
    usd: num('budget-usd', flags.budgetUsd),
  };
}
