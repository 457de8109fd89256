// The trajectory: one JSON line per model call and tool call, with timings, tokens and cost, written as it happens so
// a killed run still leaves what it did.
import { appendFileSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { AgentEvent } from './loop.ts';

export class Trajectory {
  private readonly calls = new Map<string, { name: string; input: unknown }>();

  constructor(readonly path: string) {
    mkdirSync(dirname(path), { recursive: true });
  }

  write(record: Record<string, unknown>): void {
    appendFileSync(this.path, JSON.stringify({ time: new Date().toISOString(), ...record }) + '\n');
  }

  /** Records the events that matter for diagnosis; streamed deltas are already in the model_call they belong to. */
  record(event: AgentEvent): void {
    switch (event.type) {
      case 'model_call':
        this.write({ type: 'model_call', turn: event.turn, content: event.message.content, stop_reason: event.message.stop_reason, usage: event.message.usage, costUsd: event.costUsd, durationMs: event.durationMs, contextTokens: event.contextTokens });
        break;
      case 'tool_call':
        this.calls.set(event.id, { name: event.name, input: event.input });
        break;
      case 'tool_result':
        this.write({ type: 'tool_call', id: event.id, name: event.name, input: this.calls.get(event.id)?.input, output: event.output, isError: event.isError, errorCode: event.errorCode, durationMs: event.durationMs });
        break;
      case 'context_elided':
      case 'turn_end':
        this.write({ ...event });
        break;
    }
  }
}
