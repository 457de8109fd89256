import { afterEach, describe, expect, it } from 'vitest';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type Anthropic from '@anthropic-ai/sdk';
import { Agent, type AgentEvent, type AgentOptions } from '../src/loop.ts';
import { createClient } from '../src/model.ts';
import { Toolbox } from '../src/tools/index.ts';
import { ELIDED_MARKER } from '../src/context.ts';
import { fakeModel, text, tool, type FakeModel, type Reply } from './fake-model.ts';
import { tempRepo } from './helpers.ts';

const models: FakeModel[] = [];
const agents: Agent[] = [];
afterEach(async () => {
  for (const a of agents.splice(0)) a.opts.toolbox.close();
  for (const m of models.splice(0)) await m.close();
});

async function setup(replies: Reply[], opts: Partial<AgentOptions> = {}, files: Record<string, string> = {}, delayMs?: number, maxRetries = 0) {
  const model = await fakeModel(replies, { delayMs });
  models.push(model);
  const root = tempRepo(files);
  const agent = new Agent({
    client: createClient({ CLADE_GATEWAY_SOCKET: model.socketPath }, maxRetries),
    model: 'claude-sonnet-4-6',
    system: 'You fix bugs.',
    toolbox: new Toolbox(root, { timeoutSec: 20 }),
    limits: { maxTurns: 20, maxCostUsd: 10, maxTotalTokens: 10_000_000, deadline: Date.now() + 60_000 },
    ...opts,
  });
  agents.push(agent);
  return { model, root, agent };
}

async function collect(gen: AsyncGenerator<AgentEvent>): Promise<AgentEvent[]> {
  const events: AgentEvent[] = [];
  for await (const e of gen) events.push(e);
  return events;
}

/** The API's rules: roles alternate from user, every tool_use is answered in the next message, the turn ends on the assistant. */
function expectValidHistory(messages: Anthropic.MessageParam[]): void {
  expect(messages[0]!.role).toBe('user');
  messages.forEach((m, i) => {
    if (i > 0) expect(m.role, `message ${i}`).not.toBe(messages[i - 1]!.role);
    if (m.role !== 'assistant' || typeof m.content === 'string') return;
    const ids = m.content.filter((b) => b.type === 'tool_use').map((b) => (b as Anthropic.ToolUseBlock).id);
    if (ids.length === 0) return;
    const next = messages[i + 1];
    expect(next, `tool_use in message ${i} is answered`).toBeDefined();
    const answered = (next!.content as Anthropic.ContentBlockParam[]).filter((b) => b.type === 'tool_result').map((b) => (b as Anthropic.ToolResultBlockParam).tool_use_id);
    expect(answered).toEqual(ids);
  });
  expect(messages.at(-1)!.role).toBe('assistant');
}

const BUGGY = { 'src/add.js': 'exports.add = (a, b) => a - b;\n', 'test.js': "const { add } = require('./src/add');\nif (add(2, 3) !== 5) { console.error('FAIL'); process.exit(1); }\nconsole.log('PASS');\n" };

describe('agent loop', () => {
  it('fixes a bug: views, edits, runs the tests, and ends', async () => {
    const { root, agent, model } = await setup(
      [
        tool('str_replace_based_edit_tool', { command: 'view', path: 'src/add.js' }, 'Looking at add.'),
        tool('str_replace_based_edit_tool', { command: 'str_replace', path: 'src/add.js', old_str: 'a - b', new_str: 'a + b' }),
        tool('bash', { command: 'node test.js' }),
        text('Fixed: add subtracted instead of adding.'),
      ],
      {},
      BUGGY,
    );
    const events = await collect(agent.send('add(2, 3) returns -1', new AbortController().signal));
    expect(readFileSync(join(root, 'src/add.js'), 'utf8')).toBe('exports.add = (a, b) => a + b;\n');
    const results = events.filter((e) => e.type === 'tool_result') as Extract<AgentEvent, { type: 'tool_result' }>[];
    expect(results.map((r) => r.isError)).toEqual([false, false, false]);
    expect(results[2]!.output).toBe('PASS\n[exit code 0]');
    expect(events.filter((e) => e.type === 'text').map((e) => (e as { text: string }).text).join('')).toContain('Looking at add.');
    const end = events.at(-1) as Extract<AgentEvent, { type: 'turn_end' }>;
    expect(end.reason).toBe('end_turn');
    expect(end.totals.turns).toBe(4);
    expect(end.totals.costUsd).toBeGreaterThan(0);
    expect(model.requests).toHaveLength(4);
    expect(model.requests.every((r) => r.stream === true)).toBe(true);
    expectValidHistory(agent.messages);
  });

  it('moves the cache breakpoints forward with the conversation', async () => {
    const { agent, model } = await setup([tool('bash', { command: 'echo 1' }), tool('bash', { command: 'echo 2' }), text('done')]);
    await collect(agent.send('go', new AbortController().signal));
    const marked = (req: Record<string, any>) =>
      (req.messages as Array<{ role: string; content: unknown }>).flatMap((m, i) => (Array.isArray(m.content) && m.content.some((b: any) => b.cache_control) ? [i] : []));
    // Request k marks the last two user messages, and only them: [0], then [0, 2], then [2, 4].
    expect(model.requests.map(marked)).toEqual([[0], [0, 2], [2, 4]]);
    for (const req of model.requests) {
      expect(req.system[0].cache_control).toEqual({ type: 'ephemeral' });
      expect(req.tools.at(-1).cache_control).toEqual({ type: 'ephemeral' });
      expect(req.tools.slice(0, -1).some((t: any) => t.cache_control)).toBe(false);
    }
    // The stored conversation itself carries no markers; they are added per request.
    expect(JSON.stringify(agent.messages)).not.toContain('cache_control');
  });

  it('asks for extended thinking when given a budget, with room for the answer', async () => {
    const { agent, model } = await setup([text('thought about it')], { thinkingBudget: 2048, maxOutputTokens: 1024 });
    await collect(agent.send('think', new AbortController().signal));
    expect(model.requests[0]!.thinking).toEqual({ type: 'enabled', budget_tokens: 2048 });
    expect(model.requests[0]!.max_tokens).toBe(3072);
  });

  it('answers unknown tools and malformed input with errors the model can recover from', async () => {
    const { agent } = await setup([
      tool('delete_everything', { path: '/' }),
      tool('str_replace_based_edit_tool', { command: 'view' }),
      tool('bash', 'ls -la'),
      text('I will stop.'),
    ]);
    const events = await collect(agent.send('go', new AbortController().signal));
    const results = events.filter((e) => e.type === 'tool_result') as Extract<AgentEvent, { type: 'tool_result' }>[];
    expect(results.map((r) => r.errorCode)).toEqual(['UNKNOWN_TOOL', 'INVALID_INPUT', 'INVALID_INPUT']);
    expect(results[1]!.output).toContain('path');
    expect((events.at(-1) as { reason: string }).reason).toBe('end_turn');
    expectValidHistory(agent.messages);
  });

  it('stops at the turn limit with a valid history, and can go on afterwards', async () => {
    const replies = [tool('bash', { command: 'echo 1' }), tool('bash', { command: 'echo 2' }), tool('bash', { command: 'echo 3' }), text('continued')];
    const { agent } = await setup(replies, { limits: { maxTurns: 2, maxCostUsd: 10, maxTotalTokens: 1e9, deadline: Date.now() + 60_000 } });
    const events = await collect(agent.send('go', new AbortController().signal));
    expect((events.at(-1) as { reason: string }).reason).toBe('max_turns');
    expectValidHistory(agent.messages);
    agent.opts.limits.maxTurns = 10;
    const more = await collect(agent.send('keep going', new AbortController().signal));
    expect((more.at(-1) as { reason: string }).reason).toBe('end_turn');
    expectValidHistory(agent.messages);
  });

  it('stops at the cost and deadline limits', async () => {
    const big = { ...tool('bash', { command: 'true' }), usage: { input_tokens: 1_000_000, output_tokens: 10 } };
    const { agent } = await setup([big, big], { limits: { maxTurns: 10, maxCostUsd: 1, maxTotalTokens: 1e9, deadline: Date.now() + 60_000 } });
    expect(((await collect(agent.send('go', new AbortController().signal))).at(-1) as { reason: string }).reason).toBe('max_cost');
    const late = await setup([text('x')], { limits: { maxTurns: 10, maxCostUsd: 1, maxTotalTokens: 1e9, deadline: Date.now() - 1 } });
    expect(((await collect(late.agent.send('go', new AbortController().signal))).at(-1) as { reason: string }).reason).toBe('deadline');
    expectValidHistory(late.agent.messages);
  });

  it('cancels mid-stream and leaves a conversation that continues', async () => {
    const { agent } = await setup([text('a long answer that streams slowly '.repeat(20)), text('after cancel')], {}, {}, 20);
    const controller = new AbortController();
    const events: AgentEvent[] = [];
    for await (const e of agent.send('talk', controller.signal)) {
      events.push(e);
      if (e.type === 'text') controller.abort();
    }
    expect((events.at(-1) as { reason: string }).reason).toBe('cancelled');
    expectValidHistory(agent.messages);
    const next = await collect(agent.send('and now?', new AbortController().signal));
    expect((next.at(-1) as { reason: string }).reason).toBe('end_turn');
    expectValidHistory(agent.messages);
  });

  it('answers every tool call of a cancelled turn', async () => {
    const twoCalls: Reply = { content: [{ type: 'tool_use', name: 'bash', input: { command: 'sleep 5' } }, { type: 'tool_use', name: 'bash', input: { command: 'echo never' } }] };
    const { agent } = await setup([twoCalls]);
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 500);
    const events = await collect(agent.send('go', controller.signal));
    expect((events.at(-1) as { reason: string }).reason).toBe('cancelled');
    const results = events.filter((e) => e.type === 'tool_result') as Extract<AgentEvent, { type: 'tool_result' }>[];
    expect(results.map((r) => r.errorCode)).toEqual(['CANCELLED']);
    expectValidHistory(agent.messages);
    const answered = agent.messages[2]!.content as Anthropic.ToolResultBlockParam[];
    expect(answered.map((b) => b.is_error)).toEqual([true, true]);
  });

  it('retries overloaded and rate-limited responses with backoff, and reports errors that remain', async () => {
    const ok = await setup([{ status: 529, error: 'overloaded_error' }, { status: 429, error: 'rate_limit_error' }, text('made it')], {}, {}, undefined, 2);
    const events = await collect(ok.agent.send('go', new AbortController().signal));
    expect((events.at(-1) as { reason: string }).reason).toBe('end_turn');
    expect(ok.model.requests).toHaveLength(3);
    const bad = await setup([{ status: 500, error: 'api_error' }]);
    const failed = await collect(bad.agent.send('go', new AbortController().signal));
    const end = failed.at(-1) as { reason: string; error: string };
    expect(end.reason).toBe('error');
    expect(end.error).toMatch(/500/);
    expectValidHistory(bad.agent.messages);
  });

  it('elides old tool output when the measured context nears the window', async () => {
    const replies = Array.from({ length: 6 }, (_, i) => tool('bash', { command: `seq 1 2000 # ${i}` }));
    const { agent, model } = await setup([...replies, text('done')], { contextWindow: 20_000 });
    model.countTokens = (body) => Math.ceil(JSON.stringify(body.messages).length / 2);
    const events = await collect(agent.send('go', new AbortController().signal));
    const elided = events.filter((e) => e.type === 'context_elided') as Extract<AgentEvent, { type: 'context_elided' }>[];
    expect(elided.length).toBeGreaterThan(0);
    expect(model.countRequests.length).toBeGreaterThan(0); // measured with count_tokens, not guessed
    expect(JSON.stringify(model.requests.at(-1)!.messages)).toContain(ELIDED_MARKER);
    expect((events.at(-1) as { reason: string }).reason).toBe('end_turn');
    expectValidHistory(agent.messages);
  });

  it('asks before commands and edits, and sends a denial back to the model', async () => {
    const asked: string[] = [];
    const { agent, root } = await setup(
      [tool('str_replace_based_edit_tool', { command: 'view', path: '.' }), tool('bash', { command: 'touch denied.txt' }), text('ok, I will not')],
      { approve: async (call) => (asked.push(call.description), { decision: 'deny', reason: 'not now' }) },
    );
    const events = await collect(agent.send('go', new AbortController().signal));
    expect(asked).toEqual(['bash: touch denied.txt']); // the read needed no approval
    const results = events.filter((e) => e.type === 'tool_result') as Extract<AgentEvent, { type: 'tool_result' }>[];
    expect(results[1]!.output).toContain('the user did not allow this: not now');
    expect(events.some((e) => e.type === 'approval_request')).toBe(true);
    expect(existsSync(join(root, 'denied.txt'))).toBe(false);
    expectValidHistory(agent.messages);
  });
});
