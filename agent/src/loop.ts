// The agent loop. A turn starts with a user message and runs model calls and tool calls until the model stops using
// tools or a limit is hit. The conversation (`messages`) is the trajectory; whatever ends a turn, it stays valid for
// the API: every tool_use gets a tool_result, and the history ends with an assistant message.
import type Anthropic from '@anthropic-ai/sdk';
import { elideOldToolResults, withCacheBreakpoints } from './context.ts';
import { costUsd } from './model.ts';
import { ToolErrorCode, isInvocation, type Toolbox } from './tools/index.ts';

export type StopReason = 'end_turn' | 'max_turns' | 'max_cost' | 'max_tokens_budget' | 'deadline' | 'cancelled' | 'refusal' | 'error';

export interface Totals {
  turns: number;
  inputTokens: number;
  outputTokens: number;
  cacheReadTokens: number;
  cacheCreationTokens: number;
  costUsd: number;
}

export type AgentEvent =
  | { type: 'text'; text: string }
  | { type: 'thinking'; text: string }
  | { type: 'model_call'; turn: number; message: Anthropic.Message; costUsd: number; durationMs: number; contextTokens: number }
  | { type: 'tool_call'; id: string; name: string; input: unknown; description: string }
  | { type: 'approval_request'; id: string; name: string; input: unknown; description: string }
  | { type: 'tool_result'; id: string; name: string; output: string; display?: string; isError: boolean; errorCode?: ToolErrorCode; durationMs: number }
  | { type: 'context_elided'; results: number; contextTokens: number }
  | { type: 'turn_end'; reason: StopReason; error?: string; totals: Totals };

export interface Limits {
  maxTurns: number;
  maxCostUsd: number;
  maxTotalTokens: number;
  /** Epoch milliseconds after which no new model call starts. */
  deadline: number;
}

export type Approval = { decision: 'allow' } | { decision: 'deny'; reason: string };

export interface AgentOptions {
  client: Anthropic;
  model: string;
  system: string;
  toolbox: Toolbox;
  limits: Limits;
  maxOutputTokens?: number;
  /** Extended thinking budget in tokens; off when absent. */
  thinkingBudget?: number;
  contextWindow?: number;
  /** Asked before a tool that changes something runs; everything is allowed when absent (headless solve). */
  approve?: (call: { id: string; name: string; description: string }) => Promise<Approval>;
  /** True when changes are allowed without asking (--auto-approve, allow_session): no approval_request is sent. */
  approvedAll?: () => boolean;
}

export class Agent {
  readonly messages: Anthropic.MessageParam[] = [];
  readonly totals: Totals = { turns: 0, inputTokens: 0, outputTokens: 0, cacheReadTokens: 0, cacheCreationTokens: 0, costUsd: 0 };
  /** Prompt size of the last request, as the API counted it. */
  private contextTokens = 0;

  constructor(readonly opts: AgentOptions) {}

  async *send(userText: string, signal: AbortSignal): AsyncGenerator<AgentEvent> {
    this.messages.push({ role: 'user', content: userText });
    const end = (reason: StopReason, error?: string): AgentEvent => {
      // Close the turn with an assistant message, so the next user message keeps roles alternating.
      if (this.messages.at(-1)?.role === 'user') this.messages.push({ role: 'assistant', content: `[turn ended: ${reason}${error ? `: ${error}` : ''}]` });
      return { type: 'turn_end', reason, error, totals: { ...this.totals } };
    };
    while (true) {
      const limit = this.limitReached(signal);
      if (limit) return yield end(limit);
      yield* this.fitContext(signal);
      let message: Anthropic.Message;
      try {
        message = yield* this.callModel(signal);
      } catch (err) {
        if (signal.aborted) return yield end('cancelled');
        return yield end('error', (err as Error).message);
      }
      this.messages.push({ role: 'assistant', content: message.content });
      if (message.stop_reason === 'refusal') return yield end('refusal');
      const calls = message.content.filter((b): b is Anthropic.ToolUseBlock => b.type === 'tool_use');
      if (message.stop_reason === 'max_tokens' && calls.length === 0) {
        this.messages.push({ role: 'user', content: 'Your last message was cut off at the output limit. Continue where you stopped, in shorter steps.' });
        continue;
      }
      if (calls.length === 0) {
        if (message.stop_reason === 'pause_turn') continue;
        return yield end('end_turn');
      }
      const results: Anthropic.ToolResultBlockParam[] = [];
      for (const call of calls) {
        if (signal.aborted) {
          results.push({ type: 'tool_result', tool_use_id: call.id, content: 'Error [CANCELLED]: the user cancelled before this tool ran.', is_error: true });
          continue;
        }
        const truncated = message.stop_reason === 'max_tokens' && call === calls.at(-1);
        const r = yield* this.runTool(call, truncated, signal);
        results.push({ type: 'tool_result', tool_use_id: call.id, content: r.output, is_error: r.isError || undefined });
      }
      this.messages.push({ role: 'user', content: results });
    }
  }

  private limitReached(signal: AbortSignal): StopReason | undefined {
    const { limits } = this.opts;
    if (signal.aborted) return 'cancelled';
    if (this.totals.turns >= limits.maxTurns) return 'max_turns';
    if (this.totals.costUsd >= limits.maxCostUsd) return 'max_cost';
    if (this.totals.inputTokens + this.totals.outputTokens >= limits.maxTotalTokens) return 'max_tokens_budget';
    if (Date.now() >= limits.deadline) return 'deadline';
    return undefined;
  }

  private request(): Anthropic.MessageCreateParamsNonStreaming {
    const { opts } = this;
    const tools = opts.toolbox.definitions();
    tools[tools.length - 1] = { ...tools.at(-1)!, cache_control: { type: 'ephemeral' } };
    const thinking = opts.thinkingBudget ? { thinking: { type: 'enabled' as const, budget_tokens: opts.thinkingBudget } } : {};
    return {
      model: opts.model,
      max_tokens: (opts.maxOutputTokens ?? 8192) + (opts.thinkingBudget ?? 0),
      system: [{ type: 'text', text: opts.system, cache_control: { type: 'ephemeral' } }],
      tools,
      messages: withCacheBreakpoints(this.messages),
      ...thinking,
    };
  }

  /** Keeps the prompt under 80% of the window, measured with count_tokens rather than guessed. */
  private async *fitContext(signal: AbortSignal): AsyncGenerator<AgentEvent> {
    const window = this.opts.contextWindow ?? 200_000;
    const threshold = window * 0.8;
    const last = this.messages.at(-1);
    const added = Math.ceil(JSON.stringify(last?.content ?? '').length / 3); // since the last measured request
    if (this.contextTokens + added < threshold) return;
    const { model, system, tools, messages, thinking } = this.request();
    let measured = (await this.opts.client.messages.countTokens({ model, system, tools, messages, thinking }, { signal })).input_tokens;
    let elided = 0;
    while (measured > threshold) {
      const n = elideOldToolResults(this.messages, 4);
      if (n === 0) break; // nothing old left to elide; the API will say if it is too long
      elided += n;
      measured = (await this.opts.client.messages.countTokens({ model, system, tools, messages: withCacheBreakpoints(this.messages), thinking }, { signal })).input_tokens;
    }
    this.contextTokens = measured;
    if (elided) yield { type: 'context_elided', results: elided, contextTokens: measured };
  }

  private async *callModel(signal: AbortSignal): AsyncGenerator<AgentEvent, Anthropic.Message> {
    const started = Date.now();
    const stream = this.opts.client.messages.stream(this.request(), { signal });
    const queue: AgentEvent[] = [];
    stream.on('text', (text) => queue.push({ type: 'text', text }));
    stream.on('thinking', (text) => queue.push({ type: 'thinking', text }));
    const done = stream.finalMessage();
    done.catch(() => {}); // awaited below; this only keeps an early failure from going unhandled
    // Relay deltas as they arrive, so a UI can show the answer while it streams.
    for await (const _event of stream) {
      while (queue.length) yield queue.shift()!;
    }
    const message = await done;
    while (queue.length) yield queue.shift()!;
    const u = message.usage;
    const cost = costUsd(this.opts.model, u);
    this.totals.turns++;
    this.totals.inputTokens += u.input_tokens + (u.cache_read_input_tokens ?? 0) + (u.cache_creation_input_tokens ?? 0);
    this.totals.outputTokens += u.output_tokens;
    this.totals.cacheReadTokens += u.cache_read_input_tokens ?? 0;
    this.totals.cacheCreationTokens += u.cache_creation_input_tokens ?? 0;
    this.totals.costUsd += cost;
    this.contextTokens = u.input_tokens + (u.cache_read_input_tokens ?? 0) + (u.cache_creation_input_tokens ?? 0);
    yield { type: 'model_call', turn: this.totals.turns, message, costUsd: cost, durationMs: Date.now() - started, contextTokens: this.contextTokens };
    return message;
  }

  private async *runTool(call: Anthropic.ToolUseBlock, truncated: boolean, signal: AbortSignal): AsyncGenerator<AgentEvent, { output: string; isError: boolean }> {
    const started = Date.now();
    const prepared = truncated
      ? { llmContent: 'Error [INVALID_INPUT]: your message was cut off at the output limit while writing this tool call, so its input is incomplete. Send it again, smaller.', error: { code: ToolErrorCode.InvalidInput, message: 'truncated' } }
      : this.opts.toolbox.prepare(call.name, call.input);
    const description = isInvocation(prepared) ? prepared.describe() : `${call.name} (invalid)`;
    yield { type: 'tool_call', id: call.id, name: call.name, input: call.input, description };
    let result = isInvocation(prepared) ? undefined : prepared;
    if (!result && isInvocation(prepared)) {
      let approval: Approval = { decision: 'allow' };
      if (prepared.mutates && this.opts.approve && !this.opts.approvedAll?.()) {
        yield { type: 'approval_request', id: call.id, name: call.name, input: call.input, description };
        approval = await this.opts.approve({ id: call.id, name: call.name, description });
      }
      if (approval.decision === 'deny') {
        result = { llmContent: `Error [DENIED]: the user did not allow this: ${approval.reason || 'no reason given'}. Do something else, or ask.`, error: { code: ToolErrorCode.Denied, message: approval.reason } };
      } else {
        try {
          result = await prepared.run(signal);
        } catch (err) {
          result = { llmContent: `Error [EXECUTION_FAILED]: ${(err as Error).message}`, error: { code: ToolErrorCode.ExecutionFailed, message: (err as Error).message } };
        }
      }
    }
    yield { type: 'tool_result', id: call.id, name: call.name, output: result!.llmContent, display: result!.display, isError: !!result!.error, errorCode: result!.error?.code, durationMs: Date.now() - started };
    return { output: result!.llmContent, isError: !!result!.error };
  }
}
