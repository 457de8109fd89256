// How one evaluation ends, decided where the failure happens and carried as a type, never read back from message text.
// Only the first four are the agent's result and count in scores; the last two are the run's business.
import type { Spend } from '../gateway/budget.ts';

export type Outcome =
  /** The hidden tests pass. */
  | 'resolved'
  /** They do not. */
  | 'unresolved'
  /** The grader caught the test process being tampered with: counts as unresolved. */
  | 'tampered'
  /** The agent crashed, broke the session contract, or hit its own session's limits: counts as unresolved. */
  | 'agent_error'
  /** The engine, a sandbox, the grader or the gateway failed: retried, never scored. */
  | 'infra_error'
  /** The run's money ran out during the evaluation: discarded, never scored. */
  | 'budget_stop';

export type ScoredOutcome = Extract<Outcome, 'resolved' | 'unresolved' | 'tampered' | 'agent_error'>;

export function isScored(o: Outcome): o is ScoredOutcome {
  return o !== 'infra_error' && o !== 'budget_stop';
}

/** Something the agent did made the harness give up on its run (an unreadable repository, a patch over the cap). */
export class AgentFault extends Error {
  override readonly name = 'AgentFault';
}

/**
 * The upstream refused the run's credentials or model (401, 403, or 404 for the pinned model). Waiting cannot fix it,
 * so the run stops and nothing is recorded against the variant.
 */
export class UpstreamRefused extends Error {
  override readonly name = 'UpstreamRefused';
  constructor(
    readonly status: number,
    readonly type: string,
    upstreamMessage: string,
  ) {
    super(`the model API refused the run's ${status === 404 ? 'model' : 'credentials'} (${status} ${type}): ${upstreamMessage}. Fix: ${UPSTREAM_FIX[status] ?? UPSTREAM_FIX[401]}`);
  }
}

const UPSTREAM_FIX: Record<number, string> = {
  401: 'check ANTHROPIC_API_KEY (or the key of your --model server); `clade doctor` checks it for free',
  403: 'the key lacks permission for this model or API; use another key, or ask its owner',
  404: 'check --model-name; `clade doctor --model-name NAME` checks it for free',
};

/** Typed facts from a gateway session: what refused the agent's requests, and whether the upstream refused the run. */
export interface SessionFacts {
  refusals: { session: number; run: number };
  unfixable?: { status: number; type: string; message: string };
}

/** A solve that threw: what its gateway session had spent by then goes with the error, so no dollar is dropped. */
export class SolveFailed extends Error {
  override readonly name = 'SolveFailed';
  constructor(
    override readonly cause: unknown,
    readonly spent: Spend,
    readonly facts: SessionFacts,
  ) {
    super(cause instanceof Error ? cause.message : String(cause));
  }
}
