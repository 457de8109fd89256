// Per-session spending limits. Before a request is forwarded it reserves the most it can cost (see `maxCostUsd`), and it
// is refused if that does not fit in what is left of the dollar budget after what was spent and what requests in
// flight have reserved. So however many requests run at once, the dollars spent stay within the budget as long as
// the upper bound holds, and overshoot by at most one response when it does not. When the answer comes, the
// reservation is settled with the real usage; a request the API refused releases it, and one its caller abandoned
// mid-way forfeits it.
// Token limits count in-flight reservations too, more loosely: a request is refused once spent plus reserved tokens
// reach the limit, so the request that crosses it completes.
import type { Usage } from './schema.ts';
import { costUsd, maxCostUsd } from './pricing.ts';

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

/** What a request in flight may still cost, held against the budget until it is settled or released. */
export interface Reservation {
  usd: number;
  inputTokens: number;
  outputTokens: number;
}

/** Which limit refused a request, in the words of the 402's typed `clade_limit_kind` field. */
export type LimitKind = 'requests' | 'input_tokens' | 'output_tokens' | 'usd';

export interface Refusal {
  kind: LimitKind;
  /** The limit was reached, as opposed to this request not fitting in what is left. */
  exhausted: boolean;
  message: string;
}

type FlatPrice = { input: number; output: number };

export class Budget {
  readonly spent: Spend = { requests: 0, inputTokens: 0, outputTokens: 0, cacheCreationTokens: 0, cacheReadTokens: 0, usd: 0 };
  /** The sum of the reservations of requests in flight. */
  readonly reserved: Reservation = { usd: 0, inputTokens: 0, outputTokens: 0 };
  private inFlight = 0;

  constructor(readonly limits: BudgetLimits = {}) {}

  /** Why the next request must be refused whatever it asks for, or undefined if some request may still go. */
  refusal(): string | undefined {
    return this.exhausted()?.message;
  }

  private exhausted(): Refusal | undefined {
    const { limits: l, spent: s, reserved: r } = this;
    const held = (n: number) => (n > 0 ? ` (${n} of them reserved by requests in flight)` : '');
    if (l.requests !== undefined && s.requests >= l.requests) return { kind: 'requests', exhausted: true, message: `request budget exhausted: ${s.requests} of ${l.requests} requests used` };
    if (l.inputTokens !== undefined && s.inputTokens + r.inputTokens >= l.inputTokens) {
      return { kind: 'input_tokens', exhausted: true, message: `input token budget exhausted: ${s.inputTokens + r.inputTokens} of ${l.inputTokens} used${held(r.inputTokens)}` };
    }
    if (l.outputTokens !== undefined && s.outputTokens + r.outputTokens >= l.outputTokens) {
      return { kind: 'output_tokens', exhausted: true, message: `output token budget exhausted: ${s.outputTokens + r.outputTokens} of ${l.outputTokens} used${held(r.outputTokens)}` };
    }
    if (l.usd !== undefined && s.usd >= l.usd) return { kind: 'usd', exhausted: true, message: `dollar budget exhausted: $${s.usd.toFixed(4)} of $${l.usd.toFixed(2)} spent` };
    return undefined;
  }

  /**
   * Admits a request and holds its upper bound against the budget, or says which limit refuses it. `inputBytes` is
   * the request body's size, which bounds its input tokens. Counts the request, so concurrent requests cannot all slip
   * under the request limit either.
   */
  reserve(model: string, maxTokens: number, inputBytes: number, flatPrice?: FlatPrice): { reservation: Reservation } | { refusal: Refusal } {
    const admitted = this.admit(model, maxTokens, inputBytes, flatPrice);
    if ('reservation' in admitted) this.take(admitted.reservation);
    return admitted;
  }

  /**
   * What `reserve` would hold, or which limit refuses it, holding nothing yet. With `take`, a request can be admitted
   * by several budgets (a session's and its run's) or by none: both steps run without an await in between.
   */
  admit(model: string, maxTokens: number, inputBytes: number, flatPrice?: FlatPrice): { reservation: Reservation } | { refusal: Refusal } {
    const exhausted = this.exhausted();
    if (exhausted) return { refusal: exhausted };
    const usd = flatPrice ? (inputBytes * flatPrice.input + maxTokens * flatPrice.output) / 1e6 : maxCostUsd(model, maxTokens, inputBytes);
    const { limits: l, spent: s, reserved: r } = this;
    if (l.usd !== undefined && usd > 0 && s.usd + r.usd + usd > l.usd) {
      const left = Math.max(0, l.usd - s.usd - r.usd);
      const held = r.usd > 0 ? ` ($${r.usd.toFixed(4)} more is reserved by ${this.inFlight} request${this.inFlight === 1 ? '' : 's'} in flight)` : '';
      return {
        refusal: {
          kind: 'usd',
          exhausted: false,
          message: `dollar budget: this request may cost up to $${usd.toFixed(4)} (max_tokens ${maxTokens} at the output price, and ${inputBytes} bytes of input counted as tokens at the cache-write price), and $${left.toFixed(4)} of $${l.usd.toFixed(2)} is left${held}`,
        },
      };
    }
    return { reservation: { usd, inputTokens: inputBytes, outputTokens: maxTokens } };
  }

  /** Holds a reservation `admit` granted, and counts its request. */
  take(reservation: Reservation): void {
    this.spent.requests += 1;
    this.hold(reservation, 1);
  }

  /** Ends a request without an answer to charge (an error, a cancel): its reservation no longer holds budget. */
  release(reservation: Reservation): void {
    this.hold(reservation, -1);
  }

  /**
   * Ends a request the caller abandoned after it was forwarded: the API bills the tokens generated before the cancel,
   * and the gateway cannot know how many, so the whole reservation counts as spent. Returns that cost.
   */
  forfeit(reservation: Reservation): number {
    this.release(reservation);
    this.spent.usd += reservation.usd;
    return reservation.usd;
  }

  /** Replaces a request's reservation with what its answer really cost; returns that cost. */
  settle(reservation: Reservation, model: string, usage: Usage, flatPrice?: FlatPrice): number {
    this.release(reservation);
    return this.charge(model, usage, flatPrice);
  }

  charge(model: string, usage: Usage, flatPrice?: FlatPrice): number {
    const usd = flatPrice ? (usage.input_tokens * flatPrice.input + usage.output_tokens * flatPrice.output) / 1e6 : costUsd(model, usage);
    this.spent.inputTokens += usage.input_tokens + (usage.cache_creation_input_tokens ?? 0) + (usage.cache_read_input_tokens ?? 0);
    this.spent.outputTokens += usage.output_tokens;
    this.spent.cacheCreationTokens += usage.cache_creation_input_tokens ?? 0;
    this.spent.cacheReadTokens += usage.cache_read_input_tokens ?? 0;
    this.spent.usd += usd;
    return usd;
  }

  private hold(r: Reservation, sign: 1 | -1): void {
    this.inFlight += sign;
    if (this.inFlight === 0) {
      // Nothing in flight holds anything: start from zero again rather than carry floating-point dust.
      Object.assign(this.reserved, { usd: 0, inputTokens: 0, outputTokens: 0 });
      return;
    }
    this.reserved.usd += sign * r.usd;
    this.reserved.inputTokens += sign * r.inputTokens;
    this.reserved.outputTokens += sign * r.outputTokens;
  }
}
