// Per-session spending limits. A request is refused once any limit is reached; the request that crosses a limit
// completes (its cost is only known afterwards), so a session overshoots by at most one response.
import type { Usage } from './schema.ts';
import { costUsd } from './pricing.ts';

export interface BudgetLimits {
  requests?: number;
  inputTokens?: number;
  outputTokens?: number;
  usd?: number;
}

export interface Spend {
  requests: number;
  inputTokens: number;
  outputTokens: number;
  cacheCreationTokens: number;
  cacheReadTokens: number;
  usd: number;
}

export class Budget {
  readonly spent: Spend = { requests: 0, inputTokens: 0, outputTokens: 0, cacheCreationTokens: 0, cacheReadTokens: 0, usd: 0 };

  constructor(readonly limits: BudgetLimits = {}) {}

  /** Why the next request must be refused, or undefined if it may go. */
  refusal(): string | undefined {
    const { limits: l, spent: s } = this;
    if (l.requests !== undefined && s.requests >= l.requests) return `request budget exhausted: ${s.requests} of ${l.requests} requests used`;
    if (l.inputTokens !== undefined && s.inputTokens >= l.inputTokens) return `input token budget exhausted: ${s.inputTokens} of ${l.inputTokens} used`;
    if (l.outputTokens !== undefined && s.outputTokens >= l.outputTokens) return `output token budget exhausted: ${s.outputTokens} of ${l.outputTokens} used`;
    if (l.usd !== undefined && s.usd >= l.usd) return `dollar budget exhausted: $${s.usd.toFixed(4)} of $${l.usd.toFixed(2)} spent`;
    return undefined;
  }

  /** Counts a request before it is sent, so concurrent requests cannot all slip under the request limit. */
  admit(): void {
    this.spent.requests += 1;
  }

  charge(model: string, usage: Usage, flatPrice?: { input: number; output: number }): number {
    const usd = flatPrice ? (usage.input_tokens * flatPrice.input + usage.output_tokens * flatPrice.output) / 1e6 : costUsd(model, usage);
    this.spent.inputTokens += usage.input_tokens + (usage.cache_creation_input_tokens ?? 0) + (usage.cache_read_input_tokens ?? 0);
    this.spent.outputTokens += usage.output_tokens;
    this.spent.cacheCreationTokens += usage.cache_creation_input_tokens ?? 0;
    this.spent.cacheReadTokens += usage.cache_read_input_tokens ?? 0;
    this.spent.usd += usd;
    return usd;
  }
}
