// The chat's state as a pure reducer over session events, so the UI components only draw it.
// Finished things go to `items`, which the UI hands to Ink's <Static> and never redraws; only `live` (the line of
// the answer still streaming) and the prompt below it change from frame to frame, so a long answer does not flicker.
import type { EventOf, SessionEvent } from './transport.ts';
import { turnEndNotice } from './format.ts';
import type { AgentPatch } from './patch.ts';

export type Item =
  | { kind: 'banner'; text: string }
  | { kind: 'user'; text: string }
  /** Complete lines of an answer; `first` starts a new answer, the rest continue it. */
  | { kind: 'assistant'; text: string; first: boolean }
  | { kind: 'thinking'; text: string }
  | { kind: 'tool_call'; name: string; input: unknown }
  | { kind: 'tool_result'; name: string; output: string; display?: string | null; isError: boolean }
  /** How the user answered an approval request. */
  | { kind: 'answer'; text: string; denied: boolean }
  /** The changes an agent made in its sandbox's copy during a turn, as the patch that would apply them here. */
  | { kind: 'patch'; diff: string; summary: string; savedTo: string }
  | { kind: 'notice'; text: string; tone: 'info' | 'warn' | 'error' };

export interface Usage {
  inputTokens: number;
  outputTokens: number;
  costUsd: number;
  contextTokens: number;
}

export interface ChatState {
  items: Array<Item & { key: number }>;
  live: string;
  /** Whether the streaming answer already committed lines, so its next lines continue it. */
  liveContinues: boolean;
  thinking: string;
  approval?: EventOf<'approval_request'>;
  /** A sandboxed agent's changes, waiting for the user to apply them or not; `applying` once they said yes. */
  patch?: AgentPatch;
  applying: boolean;
  busy: boolean;
  usage: Usage;
  model?: string;
  /**
   * Whether the agent approves changes by itself (--yes, or after "allow for the session"). The seed agent still
   * announces each change with an approval_request then, but waits for no answer, so none is asked for.
   */
  autoApprove: boolean;
  /** The agent has gone: no more events will come. */
  ended: boolean;
}

export type Action =
  | { type: 'event'; event: SessionEvent }
  | { type: 'submitted'; text: string }
  | { type: 'answered'; text: string; denied: boolean; allowSession: boolean }
  | { type: 'notice'; text: string; tone: 'info' | 'warn' | 'error' }
  | { type: 'patch'; patch: AgentPatch }
  | { type: 'patch_answered'; apply: boolean }
  | { type: 'patch_applied'; ok: boolean; message: string }
  | { type: 'ended' };

export function initialState({ banner, autoApprove = false }: { banner?: string; autoApprove?: boolean }): ChatState {
  const usage = { inputTokens: 0, outputTokens: 0, costUsd: 0, contextTokens: 0 };
  const state: ChatState = { items: [], live: '', liveContinues: false, thinking: '', busy: false, applying: false, usage, autoApprove, ended: false };
  return banner ? commit(state, { kind: 'banner', text: banner }) : state;
}

function commit(state: ChatState, ...items: Item[]): ChatState {
  const last = state.items.at(-1)?.key ?? -1;
  return { ...state, items: [...state.items, ...items.map((item, i) => ({ ...item, key: last + 1 + i }))] };
}

/** Moves whatever is still streaming into the transcript: a new event means that text is finished. */
function flush(state: ChatState): ChatState {
  let s = state;
  if (s.thinking.trim()) s = commit(s, { kind: 'thinking', text: s.thinking.trim() });
  if (s.live) s = commit(s, { kind: 'assistant', text: s.live, first: !s.liveContinues });
  return { ...s, thinking: '', live: '', liveContinues: false };
}

function onText(state: ChatState, delta: string): ChatState {
  // The answer starting means the thinking before it is finished.
  const s = state.thinking.trim() ? { ...commit(state, { kind: 'thinking', text: state.thinking.trim() }), thinking: '' } : state;
  const live = s.live + delta;
  const cut = live.lastIndexOf('\n');
  if (cut < 0) return { ...s, live };
  // Complete lines are final: commit them now, so only the last, partial line is redrawn as it grows.
  const done = commit(s, { kind: 'assistant', text: live.slice(0, cut), first: !s.liveContinues });
  return { ...done, live: live.slice(cut + 1), liveContinues: true };
}

function onEvent(state: ChatState, e: SessionEvent): ChatState {
  switch (e.type) {
    case 'ready':
      return commit({ ...state, model: e.model }, { kind: 'notice', tone: 'info', text: `agent ${e.version} ready: model ${e.model}, tools ${e.tools.join(', ')}` });
    case 'text':
      return onText(state, e.text);
    case 'thinking':
      return { ...state, thinking: state.thinking + e.text };
    case 'model_call': {
      const u = e.message.usage;
      const input = u.input_tokens + (u.cache_read_input_tokens ?? 0) + (u.cache_creation_input_tokens ?? 0);
      const usage = {
        inputTokens: state.usage.inputTokens + input,
        outputTokens: state.usage.outputTokens + u.output_tokens,
        costUsd: state.usage.costUsd + e.costUsd,
        contextTokens: e.contextTokens,
      };
      return { ...flush(state), usage };
    }
    case 'tool_call':
      return commit(flush(state), { kind: 'tool_call', name: e.name, input: e.input });
    case 'approval_request':
      return state.autoApprove ? flush(state) : { ...flush(state), approval: e };
    case 'tool_result':
      return commit({ ...flush(state), approval: state.approval?.id === e.id ? undefined : state.approval }, { kind: 'tool_result', name: e.name, output: e.output, display: e.display, isError: e.isError });
    case 'context_elided':
      return commit(flush({ ...state, usage: { ...state.usage, contextTokens: e.contextTokens } }), {
        kind: 'notice',
        tone: 'info',
        text: `context was getting full: ${e.results} old tool results elided`,
      });
    case 'turn_end': {
      const notice = turnEndNotice(e.reason, e.error);
      // The agent's totals are authoritative; the running sums only fill the gap while a turn streams.
      const t = e.totals;
      const s: ChatState = { ...flush(state), busy: false, approval: undefined, usage: { ...state.usage, inputTokens: t.inputTokens, outputTokens: t.outputTokens, costUsd: t.costUsd } };
      return notice ? commit(s, { kind: 'notice', tone: e.reason === 'cancelled' ? 'warn' : 'error', text: notice }) : s;
    }
    case 'error':
      return commit(flush(state), { kind: 'notice', tone: 'error', text: e.message });
  }
}

export function reduce(state: ChatState, action: Action): ChatState {
  switch (action.type) {
    case 'event':
      return onEvent(state, action.event);
    case 'submitted':
      return commit({ ...state, busy: true }, { kind: 'user', text: action.text });
    case 'answered':
      return commit({ ...state, approval: undefined, autoApprove: state.autoApprove || action.allowSession }, { kind: 'answer', text: action.text, denied: action.denied });
    case 'notice':
      return commit(state, { kind: 'notice', tone: action.tone, text: action.text });
    case 'patch': {
      const { diff, summary, savedTo } = action.patch;
      return commit({ ...state, patch: action.patch }, { kind: 'patch', diff, summary, savedTo });
    }
    case 'patch_answered':
      if (action.apply) return { ...state, applying: true };
      return commit({ ...state, patch: undefined }, { kind: 'notice', tone: 'warn', text: 'not applied: the changes stay in the sandbox and come back with the next turn\'s' });
    case 'patch_applied':
      return commit({ ...state, patch: undefined, applying: false }, action.ok ? { kind: 'answer', text: action.message, denied: false } : { kind: 'notice', tone: 'error', text: action.message });
    case 'ended':
      return { ...flush(state), busy: false, approval: undefined, patch: undefined, ended: true };
  }
}
