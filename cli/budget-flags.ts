// The gateway budget flags, shared by every command that starts a gateway session.
import type { Command } from 'commander';
import type { BudgetLimits } from '../gateway/budget.ts';
import { numberOption } from './flags.ts';

export interface BudgetFlags {
  budgetRequests?: number;
  budgetInputTokens?: number;
  budgetOutputTokens?: number;
  budgetUsd?: number;
}

const COUNT = { integer: true, min: 0 };

export function budgetOptions(cmd: Command): Command {
  return cmd
    .addOption(numberOption('--budget-requests <n>', 'refuse model requests after this many', COUNT))
    .addOption(numberOption('--budget-input-tokens <n>', 'refuse model requests after this many input tokens', COUNT))
    .addOption(numberOption('--budget-output-tokens <n>', 'refuse model requests after this many output tokens', COUNT))
    .addOption(numberOption('--budget-usd <dollars>', 'refuse model requests after this much spend (price table in gateway/pricing.ts)', { min: 0 }));
}

export function budgetFrom(flags: BudgetFlags): BudgetLimits {
  return { requests: flags.budgetRequests, inputTokens: flags.budgetInputTokens, outputTokens: flags.budgetOutputTokens, usd: flags.budgetUsd };
}
