// The chat UI against an in-memory transport: what it draws for each session event, and exactly what it sends back.
import { stripVTControlCharacters } from 'node:util';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { EventQueue, parseEvent, type SessionEvent, type SessionInput, type SessionTransport } from '../cli/chat/transport.ts';
import { initialState, reduce } from '../cli/chat/state.ts';
import type { AgentPatch, PatchReview } from '../cli/chat/patch.ts';

// Colors are part of what is tested (the diff); Ink's chalk decides whether to emit them when it is first imported.
process.env.FORCE_COLOR = '1';
// With CI set, Ink draws only the last frame, when the app unmounts; these tests read frames as a person at a terminal
// sees them. Ink reads it when first imported, hence before the imports below.
delete process.env.CI;
const { render, cleanup } = await import('ink-testing-library');
const { App } = await import('../cli/chat/App.tsx');

const ESC = '\u001B';
const CTRL_C = '\u0003';
const GREEN = '\u001B[32m';
const RED = '\u001B[31m';
const CYAN = '\u001B[36m';

afterEach(() => cleanup());

function fake() {
  const queue = new EventQueue<SessionEvent>();
  const sent: SessionInput[] = [];
  const transport: SessionTransport = { send: (m) => void sent.push(m), events: queue, close: async () => queue.end() };
  // Through parseEvent, as a real transport does, so the contract's validation is in the loop.
  const line = (raw: string) => queue.push(parseEvent(raw));
  const emit = (event: object) => line(JSON.stringify(event));
  return { transport, sent, emit, line };
}

function start(opts: { autoApprove?: boolean; patches?: PatchReview } = {}) {
  const f = fake();
  const ui = render(<App transport={f.transport} banner="clade chat test" autoApprove={opts.autoApprove} patches={opts.patches} />);
  const frame = () => stripVTControlCharacters(ui.lastFrame() ?? '');
  const see = (text: string) => vi.waitFor(() => expect(frame()).toContain(text), { timeout: 10_000, interval: 10 });
  // Ink subscribes a newly shown prompt to keys in an effect, just after it draws it; let that happen first.
  const type = async (keys: string) => {
    await new Promise((r) => setTimeout(r, 20));
    ui.stdin.write(keys);
    await new Promise((r) => setTimeout(r, 20));
  };
  return { ...f, ui, frame, see, type };
}

const usage = (input: number, output: number, cacheRead = 0) => ({ input_tokens: input, output_tokens: output, cache_read_input_tokens: cacheRead, cache_creation_input_tokens: 0 });
const totals = (inputTokens: number, outputTokens: number, costUsd: number) => ({ turns: 1, inputTokens, outputTokens, cacheReadTokens: 0, cacheCreationTokens: 0, costUsd });
const ready = { type: 'ready', version: '0.1.0', model: 'claude-test-1', tools: ['bash', 'str_replace_based_edit_tool'] };

async function startTurn(t: ReturnType<typeof start>, text = 'fix the greeting') {
  t.emit(ready);
  await t.see('agent 0.1.0 ready: model claude-test-1, tools bash, str_replace_based_edit_tool');
  await t.type(text);
  await t.type('\r');
  await t.see(`› ${text}`);
  expect(t.sent).toEqual([{ type: 'user_message', text }]);
}

describe('clade chat UI', () => {
  it('streams the answer as it arrives, and commits finished lines so only the last one redraws', async () => {
    const t = start();
    await startTurn(t);
    t.emit({ type: 'text', text: 'Hel' });
    await t.see('Hel');
    expect(t.frame()).not.toContain('Hello');
    t.emit({ type: 'text', text: 'lo wor' });
    await t.see('Hello wor');
    expect(t.frame()).not.toContain('Hello world');
    t.emit({ type: 'text', text: 'ld\nSecond li' });
    await t.see('Hello world\nSecond li');
    t.emit({ type: 'model_call', turn: 1, message: { usage: usage(10, 5) }, costUsd: 0.001, durationMs: 5, contextTokens: 10 });
    t.emit({ type: 'turn_end', reason: 'end_turn', totals: totals(10, 5, 0.001) });
    await t.see('Esc cancels a turn · Ctrl-C twice quits');
  });

  it('keeps finished lines in the transcript and only the partial line live', () => {
    let s = reduce(initialState({}), { type: 'submitted', text: 'hi' });
    s = reduce(s, { type: 'event', event: { type: 'text', text: 'first line\nsecond line\nthi' } });
    expect(s.items.map(({ key: _key, ...item }) => item)).toEqual([
      { kind: 'user', text: 'hi' },
      { kind: 'assistant', text: 'first line\nsecond line', first: true },
    ]);
    expect(s.live).toBe('thi');
    s = reduce(s, { type: 'event', event: { type: 'text', text: 'rd' } });
    s = reduce(s, { type: 'event', event: { type: 'turn_end', reason: 'end_turn', totals: totals(0, 0, 0) } });
    expect(s.items.at(-1)).toMatchObject({ kind: 'assistant', text: 'third', first: false });
    expect(s.live).toBe('');
    expect(s.busy).toBe(false);
  });

  it('shows a tool call with its arguments and an edit as a colored diff', async () => {
    const t = start();
    await startTurn(t);
    t.emit({ type: 'tool_call', id: 't1', name: 'bash', input: { command: 'cat greeting.txt' }, description: 'bash: cat greeting.txt' });
    t.emit({ type: 'tool_result', id: 't1', name: 'bash', output: 'hello world\n[exit code 0]', isError: false, durationMs: 3 });
    await t.see('● bash(command: "cat greeting.txt")\n  ⎿ hello world\n    [exit code 0]');
    const diff = '===================================================================\n--- a/greeting.txt\n+++ b/greeting.txt\n@@ -1,1 +1,1 @@\n-hello world\n+hello clade\n';
    const input = { command: 'str_replace', path: 'greeting.txt', old_str: 'hello world', new_str: 'hello clade' };
    t.emit({ type: 'tool_call', id: 't2', name: 'str_replace_based_edit_tool', input, description: 'str_replace_based_edit_tool str_replace greeting.txt' });
    t.emit({ type: 'tool_result', id: 't2', name: 'str_replace_based_edit_tool', output: 'Edited greeting.txt', display: diff, isError: false, durationMs: 3 });
    // One line, cut to the terminal's width (100 columns here).
    await t.see('● str_replace_based_edit_tool(command: "str_replace", path: "greeting.txt", old_str: "hello world",…\n');
    await t.see('  ⎿ --- a/greeting.txt\n    +++ b/greeting.txt\n    @@ -1,1 +1,1 @@\n    -hello world\n    +hello clade');
    expect(t.frame()).not.toContain('=====');
    const colored = t.ui.lastFrame()!;
    expect(colored).toContain(`${GREEN}+hello clade`);
    expect(colored).toContain(`${RED}-hello world`);
    expect(colored).toContain(`${CYAN}@@ -1,1 +1,1 @@`);
  });

  it('truncates a long tool result', async () => {
    const t = start();
    await startTurn(t);
    const output = Array.from({ length: 30 }, (_, i) => `row ${i + 1}`).join('\n');
    t.emit({ type: 'tool_call', id: 't1', name: 'bash', input: { command: 'seq' }, description: 'bash: seq' });
    t.emit({ type: 'tool_result', id: 't1', name: 'bash', output, isError: false, durationMs: 3 });
    await t.see('row 8\n    … 22 more lines');
    expect(t.frame()).not.toContain('row 9');
  });

  it('asks before a change: y allows once, a allows for the session, and then nothing more is asked', async () => {
    const t = start();
    await startTurn(t);
    t.emit({ type: 'tool_call', id: 't1', name: 'bash', input: { command: 'rm -rf build' }, description: 'bash: rm -rf build' });
    t.emit({ type: 'approval_request', id: 't1', name: 'bash', input: { command: 'rm -rf build' }, description: 'bash: rm -rf build' });
    await t.see('Allow bash: rm -rf build?');
    await t.see('[y] allow once [a] allow for this session [n] deny');
    await t.type('y');
    await t.see('✓ allowed once');
    expect(t.sent.slice(1)).toEqual([{ type: 'approval', id: 't1', decision: 'allow' }]);
    expect(t.frame()).not.toContain('[y] allow once');

    t.emit({ type: 'approval_request', id: 't2', name: 'bash', input: { command: 'make' }, description: 'bash: make' });
    await t.see('Allow bash: make?');
    await t.type('a');
    await t.see('✓ allowed for the rest of this session');
    expect(t.sent.slice(1)).toEqual([
      { type: 'approval', id: 't1', decision: 'allow' },
      { type: 'approval', id: 't2', decision: 'allow_session' },
    ]);

    // The agent allows everything itself now; an approval_request is only an announcement.
    t.emit({ type: 'approval_request', id: 't3', name: 'bash', input: { command: 'make test' }, description: 'bash: make test' });
    t.emit({ type: 'text', text: 'after t3' });
    await t.see('after t3');
    expect(t.frame()).not.toContain('Allow bash: make test?');
    expect(t.sent).toHaveLength(3);
  });

  it('n asks for a reason and sends the denial with it; keys typed at the prompt never reach the message box', async () => {
    const t = start();
    await startTurn(t);
    t.emit({ type: 'approval_request', id: 'toolu_9', name: 'bash', input: { command: 'git push -f' }, description: 'bash: git push -f' });
    await t.see('Allow bash: git push -f?');
    await t.type('n');
    await t.see('Reason for denying (Enter sends it to the model):');
    await t.type('never force-push');
    await t.see('never force-push');
    await t.type('\r');
    await t.see('✗ denied: never force-push');
    expect(t.sent).toEqual([
      { type: 'user_message', text: 'fix the greeting' },
      { type: 'approval', id: 'toolu_9', decision: 'deny', reason: 'never force-push' },
    ]);
    t.emit({ type: 'turn_end', reason: 'end_turn', totals: totals(0, 0, 0) });
    await t.see('Esc cancels a turn · Ctrl-C twice quits');
    expect(t.frame()).toContain('› ');
    expect(t.frame()).not.toMatch(/› n?never/);
  });

  it('with --yes, approval requests are not asked', async () => {
    const t = start({ autoApprove: true });
    await startTurn(t);
    t.emit({ type: 'approval_request', id: 't1', name: 'bash', input: { command: 'ls' }, description: 'bash: ls' });
    t.emit({ type: 'text', text: 'went on' });
    await t.see('went on');
    expect(t.frame()).not.toContain('Allow bash');
    expect(t.sent).toHaveLength(1);
  });

  it('Esc cancels the running turn, and the conversation goes on', async () => {
    const t = start();
    t.emit(ready);
    await t.see('ready');
    await t.type(ESC); // idle: nothing to cancel
    expect(t.sent).toEqual([]);
    await t.type('tell me a story');
    await t.type('\r');
    t.emit({ type: 'text', text: 'Once upon a time' });
    await t.see('Once upon a time');
    await t.type(ESC);
    await t.see('cancelling…');
    expect(t.sent).toEqual([{ type: 'user_message', text: 'tell me a story' }, { type: 'cancel' }]);
    t.emit({ type: 'turn_end', reason: 'cancelled', totals: totals(0, 0, 0) });
    await t.see('✗ turn cancelled');
    await t.type('still there?');
    await t.type('\r');
    await t.see('› still there?');
    expect(t.sent.at(-1)).toEqual({ type: 'user_message', text: 'still there?' });
  });

  it('a message typed while a turn runs survives an approval question and waits for Enter after the turn', async () => {
    const t = start();
    await startTurn(t);
    await t.type('next');
    await t.type('\r');
    expect(t.sent).toHaveLength(1);
    t.emit({ type: 'approval_request', id: 't1', name: 'bash', input: { command: 'ls' }, description: 'bash: ls' });
    await t.see('Allow bash: ls?');
    await t.type('y');
    await t.see('✓ allowed once');
    await t.see('› next');
    expect(t.sent).toEqual([{ type: 'user_message', text: 'fix the greeting' }, { type: 'approval', id: 't1', decision: 'allow' }]);
    t.emit({ type: 'turn_end', reason: 'end_turn', totals: totals(0, 0, 0) });
    await t.see('Esc cancels a turn · Ctrl-C twice quits');
    await t.type('\r');
    await t.see('› next\n');
    expect(t.sent.at(-1)).toEqual({ type: 'user_message', text: 'next' });
  });

  it('Ctrl-C twice quits with shutdown; another key in between disarms it', async () => {
    const t = start();
    t.emit(ready);
    await t.see('ready');
    await t.type(CTRL_C);
    await t.see('press Ctrl-C again to quit');
    await t.type('x');
    await vi.waitFor(() => expect(t.frame()).not.toContain('press Ctrl-C again'));
    await t.type(CTRL_C);
    await t.see('press Ctrl-C again to quit');
    expect(t.sent).toEqual([]);
    await t.type(CTRL_C);
    expect(t.sent).toEqual([{ type: 'shutdown' }]);
  });

  it('shows tokens, cost and context use in the status line', async () => {
    const t = start();
    await startTurn(t);
    await t.see('tokens 0 in / 0 out · $0.0000 · context 0 ');
    t.emit({ type: 'model_call', turn: 1, message: { usage: usage(200, 40, 1300) }, costUsd: 0.0123, durationMs: 900, contextTokens: 1500 });
    await t.see('tokens 1.5k in / 40 out · $0.0123 · context 1.5k ');
    t.emit({ type: 'model_call', turn: 2, message: { usage: usage(100, 60, 1500) }, costUsd: 0.01, durationMs: 900, contextTokens: 1600 });
    await t.see('tokens 3.1k in / 100 out · $0.0223 · context 1.6k');
    // The agent's totals at the end of a turn are the ones that count.
    t.emit({ type: 'turn_end', reason: 'end_turn', totals: totals(3200, 101, 0.025) });
    await t.see('tokens 3.2k in / 101 out · $0.0250 · context 1.6k ');
  });

  it('shows an invalid event line as an error and keeps going', async () => {
    const t = start();
    await startTurn(t);
    t.line('this is not json');
    await t.see('the agent printed a line that is not JSON: this is not json');
    t.line('{"type":"tool_result","id":"t1"}');
    await t.see('✗ the agent sent an event that breaks the session contract (name: Invalid input: expected string, \n');
    t.line('{"type":"bogus"}');
    await t.see('breaks the session contract');
    t.emit({ type: 'text', text: 'still streaming' });
    await t.see('still streaming');
    t.emit({ type: 'turn_end', reason: 'error', error: 'upstream 500', totals: totals(0, 0, 0) });
    await t.see('✗ turn ended with an error: upstream 500');
  });

  it('when the agent goes away, says why and exits', async () => {
    const t = start();
    t.emit(ready);
    t.emit({ type: 'error', message: 'the agent exited (code 1):\nboom' });
    await t.transport.close();
    await t.see('the agent exited (code 1):');
    await t.see('boom');
  });

  describe('a sandboxed agent\'s changes', () => {
    const patch: AgentPatch = {
      diff: 'diff --git a/greeting.txt b/greeting.txt\n--- a/greeting.txt\n+++ b/greeting.txt\n@@ -1 +1 @@\n-hello world\n+hello there\n',
      summary: ' greeting.txt | 2 +-\n 1 file changed, 1 insertion(+), 1 deletion(-)',
      savedTo: '/tmp/chat/patch-1.diff',
    };
    /** A PatchReview that offers `offers` in turn and records what was applied. */
    function review(offers: Array<AgentPatch | undefined>, result = { ok: true, message: 'applied to /tmp/project' }) {
      const applied: AgentPatch[] = [];
      const patches: PatchReview = {
        pending: async () => offers.shift(),
        apply: async (p) => (applied.push(p), result),
      };
      return { patches, applied };
    }

    it('after a turn, shows the patch as a colored diff and applies it on y; the message box waits until then', async () => {
      const r = review([patch]);
      const t = start({ patches: r.patches });
      await startTurn(t);
      t.emit({ type: 'turn_end', reason: 'end_turn', totals: totals(0, 0, 0) });
      await t.see('changes made in the sandbox (the whole patch: /tmp/chat/patch-1.diff)');
      await t.see('Apply these changes to your working tree?');
      await t.see('[y] apply [n] not now (they stay in the sandbox)');
      const raw = t.ui.lastFrame() ?? '';
      expect(raw).toContain(`${GREEN}+hello there`);
      expect(raw).toContain(`${RED}-hello world`);
      expect(t.frame()).toContain('greeting.txt | 2 +-');
      // Keys at the question never reach the message box, and nothing goes to the agent.
      await t.type('x');
      expect(t.frame()).not.toMatch(/› x/);
      await t.type('y');
      await t.see('applied to /tmp/project');
      expect(r.applied).toEqual([patch]);
      expect(t.frame()).not.toContain('Apply these changes');
      expect(t.sent).toEqual([{ type: 'user_message', text: 'fix the greeting' }]);
    });

    it('n leaves the changes in the sandbox; a turn without changes asks nothing; a failed apply says why', async () => {
      const r = review([patch, undefined, patch], { ok: false, message: "the agent's changes do not apply; the patch is in /tmp/chat/patch-1.diff" });
      const t = start({ patches: r.patches });
      await startTurn(t);
      t.emit({ type: 'turn_end', reason: 'end_turn', totals: totals(0, 0, 0) });
      await t.see('Apply these changes to your working tree?');
      await t.type('n');
      await t.see("not applied: the changes stay in the sandbox and come back with the next turn's");
      expect(r.applied).toEqual([]);
      await t.type('and now?');
      await t.type('\r');
      await t.see('› and now?');
      t.emit({ type: 'turn_end', reason: 'end_turn', totals: totals(0, 0, 0) });
      await t.see('Esc cancels a turn · Ctrl-C twice quits');
      expect(t.frame()).not.toContain('Apply these changes');
      await t.type('once more');
      await t.type('\r');
      t.emit({ type: 'turn_end', reason: 'cancelled', totals: totals(0, 0, 0) });
      await t.see('Apply these changes to your working tree?');
      await t.type('y');
      await t.see("✗ the agent's changes do not apply; the patch is in /tmp/chat/patch-1.diff");
    });

    it('with --yes, applies without asking; and an agent cannot forge a patch of its own', async () => {
      const r = review([patch]);
      const t = start({ autoApprove: true, patches: r.patches });
      await startTurn(t);
      t.line(JSON.stringify({ type: 'patch', diff: patch.diff, summary: '', savedTo: '/x' }));
      await t.see('breaks the session contract');
      t.emit({ type: 'turn_end', reason: 'end_turn', totals: totals(0, 0, 0) });
      await t.see('applied to /tmp/project');
      expect(r.applied).toEqual([patch]);
      expect(t.frame()).not.toContain('Apply these changes');
    });
  });
});
