import { describe, expect, it } from 'vitest';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import Anthropic, { APIError } from '@anthropic-ai/sdk';
import { GatewaySession, type CallRecord } from '../gateway/server.ts';
import { ScriptedUpstream } from '../gateway/upstream.ts';
import { parseUpstream } from '../gateway/upstream-spec.ts';
import { costUsd } from '../gateway/pricing.ts';
import type { Script } from '../gateway/schema.ts';
import type { BudgetLimits } from '../gateway/budget.ts';
import { onCleanup, rawRequest, scriptFile, sdkOverSocket, tempDir, textReply } from './helpers.ts';

const MODEL = 'claude-sonnet-4-6';
const ask = (text: string): Anthropic.MessageCreateParamsNonStreaming => ({ model: MODEL, max_tokens: 256, messages: [{ role: 'user', content: text }] });

async function openGateway(script: Script, opts: { budget?: BudgetLimits; log?: boolean } = {}) {
  const dir = await tempDir();
  const logPath = opts.log === false ? undefined : join(dir, 'calls.jsonl');
  const session = await GatewaySession.open({ id: 't', upstream: new ScriptedUpstream(script), budget: opts.budget, logPath });
  onCleanup(() => session.close());
  return { session, client: sdkOverSocket(session.socketPath), logPath: logPath! };
}

async function readLog(path: string): Promise<CallRecord[]> {
  return (await readFile(path, 'utf8')).trim().split('\n').map((l) => JSON.parse(l) as CallRecord);
}

const toolScript: Script = {
  responses: [
    {
      content: [
        { type: 'text', text: 'Looking at the failing test, then fixing it. '.repeat(3) },
        { type: 'tool_use', id: 'toolu_1', name: 'str_replace_based_edit_tool', input: { command: 'str_replace', path: 'src/a.ts', old_str: 'a - b', new_str: 'a + b', nested: { list: [1, 2, 3] } } },
      ],
      stop_reason: 'tool_use',
      usage: { input_tokens: 1200, output_tokens: 80, cache_read_input_tokens: 1000 },
    },
    textReply('done'),
  ],
};

describe('gateway with the scripted upstream, driven by the real SDK', () => {
  it('serves a non-streaming response in the API shape', async () => {
    const { client } = await openGateway({ responses: [textReply('hello there')] });
    const msg = await client.messages.create(ask('hi'));
    expect(msg.type).toBe('message');
    expect(msg.role).toBe('assistant');
    expect(msg.model).toBe(MODEL);
    expect(msg.content).toEqual([{ type: 'text', text: 'hello there', citations: null }]);
    expect(msg.stop_reason).toBe('end_turn');
    expect(msg.usage.input_tokens).toBeGreaterThan(0);
  });

  it('streams text and tool_use exactly as the API does, so the SDK reassembles the tool input', async () => {
    const { client } = await openGateway(toolScript);
    const stream = client.messages.stream({ ...ask('fix it'), tools: [{ name: 'str_replace_based_edit_tool', input_schema: { type: 'object' } }] });
    const events: string[] = [];
    let text = '';
    stream.on('streamEvent', (e) => events.push(e.type));
    stream.on('text', (t) => (text += t));
    const final = await stream.finalMessage();
    expect(events[0]).toBe('message_start');
    expect(events.at(-1)).toBe('message_stop');
    expect(events.at(-2)).toBe('message_delta');
    expect(events.filter((e) => e === 'content_block_start')).toHaveLength(2);
    expect(events.filter((e) => e === 'content_block_delta').length).toBeGreaterThan(4);
    expect(text).toBe('Looking at the failing test, then fixing it. '.repeat(3));
    const tool = final.content[1] as Anthropic.ToolUseBlock;
    expect(tool).toMatchObject({ type: 'tool_use', id: 'toolu_1', name: 'str_replace_based_edit_tool' });
    expect(tool.input).toEqual((toolScript.responses![0] as { content: Array<{ input?: unknown }> }).content[1]!.input);
    expect(final.stop_reason).toBe('tool_use');
    expect(final.usage).toMatchObject({ input_tokens: 1200, output_tokens: 80, cache_read_input_tokens: 1000 });
  });

  it('sends input_json_delta chunks on the wire (raw SSE)', async () => {
    const { session } = await openGateway(toolScript);
    const res = await rawRequest(session.socketPath, '/v1/messages', JSON.stringify({ ...ask('x'), stream: true }));
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/event-stream');
    const frames = res.text.trim().split('\n\n');
    expect(frames[0]).toMatch(/^event: message_start\ndata: \{/);
    const jsonParts = frames
      .map((f) => JSON.parse(f.split('\ndata: ')[1]!) as { delta?: { type: string; partial_json?: string } })
      .filter((e) => e.delta?.type === 'input_json_delta')
      .map((e) => e.delta!.partial_json);
    expect(jsonParts.length).toBeGreaterThan(1);
    expect(JSON.parse(jsonParts.join(''))).toMatchObject({ command: 'str_replace', old_str: 'a - b' });
  });

  it('gives each session its own cursor over the script', async () => {
    const upstream = new ScriptedUpstream({ responses: [textReply('first'), textReply('second')] });
    const a = await GatewaySession.open({ id: 'a', upstream });
    const b = await GatewaySession.open({ id: 'b', upstream });
    onCleanup(async () => void (await Promise.all([a.close(), b.close()])));
    const first = (m: Anthropic.Message) => (m.content[0] as Anthropic.TextBlock).text;
    expect(first(await sdkOverSocket(a.socketPath).messages.create(ask('1')))).toBe('first');
    expect(first(await sdkOverSocket(b.socketPath).messages.create(ask('1')))).toBe('first');
    expect(first(await sdkOverSocket(a.socketPath).messages.create(ask('2')))).toBe('second');
  });

  it('answers count_tokens', async () => {
    const { client } = await openGateway({ responses: [textReply('x')] });
    const counted = await client.messages.countTokens({ model: MODEL, messages: [{ role: 'user', content: 'a'.repeat(400) }] });
    expect(counted.input_tokens).toBeGreaterThanOrEqual(100);
  });

  it('relays scripted API errors with their status, so the SDK raises its own error class', async () => {
    const { client } = await openGateway({ responses: [{ error: { status: 529, type: 'overloaded_error', message: 'Overloaded' } }, textReply('after')] });
    const err = await client.messages.create(ask('x')).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(APIError);
    expect((err as APIError).status).toBe(529);
    expect(((err as APIError).error as { error: { type: string } }).error.type).toBe('overloaded_error');
    // The error used one scripted response; the next request gets the next one.
    expect(((await client.messages.create(ask('y'))).content[0] as Anthropic.TextBlock).text).toBe('after');
  });

  it('lets the SDK retry a scripted 429 with backoff', async () => {
    const { session, logPath } = await openGateway({ responses: [{ error: { status: 429, type: 'rate_limit_error', message: 'slow down' } }, textReply('ok')] });
    const client = sdkOverSocket(session.socketPath, { maxRetries: 2 });
    const msg = await client.messages.create(ask('x'));
    expect((msg.content[0] as Anthropic.TextBlock).text).toBe('ok');
    await session.flush();
    expect((await readLog(logPath)).map((r) => r.status)).toEqual([429, 200]);
  });

  it('answers an exhausted script with an API-shaped error that says what to do, and no retry', async () => {
    const { session, logPath } = await openGateway({ responses: [textReply('only one')] });
    const client = sdkOverSocket(session.socketPath, { maxRetries: 3 });
    await client.messages.create(ask('1'));
    const err = (await client.messages.create(ask('2')).catch((e: unknown) => e)) as APIError;
    expect(err.status).toBe(400);
    expect(err.message).toMatch(/scripted upstream exhausted: .* has 1 responses for this conversation and this is request 2/);
    await session.flush();
    expect(await readLog(logPath)).toHaveLength(2);
  });

  it('chooses a conversation per session by matching its first request, and says when none matches', async () => {
    const script = {
      conversations: [
        { match: 'diagnos', responses: [textReply('a proposal'), textReply('second turn of the diagnosis')] },
        { match: 'fix the (bug|parser)', responses: [textReply('a fix')] },
      ],
    };
    const upstream = new ScriptedUpstream(script);
    const asks = async (first: string, then?: string) => {
      const session = await GatewaySession.open({ id: 'c', upstream, logPath: join(await tempDir(), 'log.jsonl') });
      try {
        const client = sdkOverSocket(session.socketPath);
        const replies = [await client.messages.create(ask(first)).catch((e: APIError) => e)];
        if (then) replies.push(await client.messages.create(ask(then)).catch((e: APIError) => e));
        return replies.map((m) => (m instanceof Error ? m.message : (m.content[0] as Anthropic.TextBlock).text));
      } finally {
        await session.close();
      }
    };
    // The choice sticks for the session: its second request reads on in the same conversation whatever it says.
    expect(await asks('please fix the parser', 'and now diagnose')).toEqual(['a fix', expect.stringMatching(/exhausted/)]);
    expect(await asks('diagnose this', 'more')).toEqual(['a proposal', 'second turn of the diagnosis']);
    const [none] = await asks('something else entirely');
    expect(none).toMatch(/no scripted conversation .* matches .*something else entirely.*Fix/);
  });
});

describe('gateway budgets and the call log', () => {
  it('refuses requests past the request budget with a billing_error the SDK does not retry', async () => {
    const { session, client, logPath } = await openGateway({ responses: [textReply('a'), textReply('b'), textReply('c')] }, { budget: { requests: 2 } });
    await client.messages.create(ask('1'));
    await client.messages.create(ask('2'));
    const retrying = sdkOverSocket(session.socketPath, { maxRetries: 3 });
    const err = (await retrying.messages.create(ask('3')).catch((e: unknown) => e)) as APIError;
    expect(err).toBeInstanceOf(APIError);
    expect(err.status).toBe(402);
    expect(err.message).toContain('request budget exhausted: 2 of 2 requests used');
    await session.flush();
    const log = await readLog(logPath);
    expect(log.map((r) => r.status)).toEqual([200, 200, 402]);
    expect(log[2]!.error?.type).toBe('billing_error');
    expect(session.budget.spent.requests).toBe(2);
  });

  it('refuses requests once the dollar budget is spent, pricing usage from the table', async () => {
    const usage = { input_tokens: 100_000, output_tokens: 10_000 };
    const expensive = { ...textReply('pricey'), usage };
    const { client, session } = await openGateway({ responses: [expensive, expensive, expensive] }, { budget: { usd: 0.5 } });
    const perCall = costUsd(MODEL, usage);
    expect(perCall).toBeCloseTo(0.45, 6); // 0.1M in at $3 + 0.01M out at $15
    await client.messages.create(ask('1'));
    await client.messages.create(ask('2')); // 0.45 < 0.5: allowed, and crosses the limit
    const err = (await client.messages.create(ask('3')).catch((e: unknown) => e)) as APIError;
    expect(err.status).toBe(402);
    expect(err.message).toMatch(/dollar budget exhausted: \$0\.9000 of \$0\.50/);
    expect(session.budget.spent.usd).toBeCloseTo(0.9, 6);
  });

  it('refuses requests past the output-token budget, counting streamed responses too', async () => {
    const reply = { ...textReply('x'), usage: { input_tokens: 10, output_tokens: 600 } };
    const { client } = await openGateway({ responses: [reply, reply] }, { budget: { outputTokens: 500 } });
    await client.messages.stream(ask('1')).finalMessage();
    const err = (await client.messages.create(ask('2')).catch((e: unknown) => e)) as APIError;
    expect(err.status).toBe(402);
    expect(err.message).toContain('output token budget exhausted: 600 of 500');
  });

  it('logs every request and response, streamed ones assembled, with cost and running spend', async () => {
    const { session, client, logPath } = await openGateway(toolScript);
    await client.messages.stream(ask('fix it')).finalMessage();
    await client.messages.create(ask('and then?'));
    await session.flush();
    const [first, second] = await readLog(logPath);
    expect(first).toMatchObject({ seq: 1, session: 't', endpoint: '/v1/messages', stream: true, status: 200 });
    expect((first!.request as { messages: Array<{ content: string }> }).messages[0]!.content).toBe('fix it');
    expect((first!.response as Anthropic.Message).content[1]).toMatchObject({ type: 'tool_use', input: { old_str: 'a - b' } });
    expect(first!.costUsd).toBeCloseTo(costUsd(MODEL, { input_tokens: 1200, output_tokens: 80, cache_read_input_tokens: 1000 }), 9);
    expect(second).toMatchObject({ seq: 2, stream: false, status: 200 });
    expect(second!.spent.requests).toBe(2);
    expect(second!.spent.usd).toBeCloseTo(first!.costUsd! + second!.costUsd!, 9);
  });
});

describe('gateway bad input: clear errors, no crash', () => {
  it('rejects a body that is not JSON, and keeps serving', async () => {
    const { session, client } = await openGateway({ responses: [textReply('still alive')] });
    const res = await rawRequest(session.socketPath, '/v1/messages', '{"model": "x", oops');
    expect(res.status).toBe(400);
    expect(JSON.parse(res.text)).toMatchObject({ type: 'error', error: { type: 'invalid_request_error' } });
    expect(JSON.parse(res.text).error.message).toMatch(/not valid JSON/);
    expect(((await client.messages.create(ask('x'))).content[0] as Anthropic.TextBlock).text).toBe('still alive');
  });

  it('names the fields that are wrong in a malformed request', async () => {
    const { session } = await openGateway({ responses: [textReply('x')] });
    const res = await rawRequest(session.socketPath, '/v1/messages', JSON.stringify({ model: MODEL, messages: [{ role: 'robot', content: 'hi' }] }));
    expect(res.status).toBe(400);
    const message = JSON.parse(res.text).error.message as string;
    expect(message).toContain('max_tokens');
    expect(message).toContain('messages.0.role');
    expect(session.budget.spent.requests).toBe(0);
  });

  it('answers unknown routes with not_found_error', async () => {
    const { session } = await openGateway({ responses: [textReply('x')] });
    const res = await rawRequest(session.socketPath, '/v1/complete', '{}');
    expect(res.status).toBe(404);
    expect(JSON.parse(res.text).error.type).toBe('not_found_error');
  });

  it('explains a missing, malformed or mis-shaped script file', async () => {
    const dir = await tempDir();
    expect(() => parseUpstream(`scripted:${join(dir, 'nope.json')}`)).toThrow(/cannot read .*nope\.json \(ENOENT\).*Fix/);
    await writeFile(join(dir, 'bad.json'), '{"responses": [');
    expect(() => parseUpstream(`scripted:${join(dir, 'bad.json')}`)).toThrow(/is not valid JSON/);
    const shapeless = await scriptFile({ responses: [{ content: [{ type: 'tool_use', input: {} }], stop_reason: 'tool_use' }] }, dir);
    expect(() => parseUpstream(`scripted:${shapeless}`)).toThrow(/responses\.0.*Each response needs "content"/);
    const empty = await scriptFile({ responses: [] }, dir);
    expect(() => parseUpstream(`scripted:${empty}`)).toThrow(/responses/);
    const both = await scriptFile({ responses: [textReply('x')], conversations: [{ match: 'x', responses: [textReply('y')] }] }, dir);
    expect(() => parseUpstream(`scripted:${both}`)).toThrow(/exactly one of "responses" or "conversations"/);
    const badRegex = await scriptFile({ conversations: [{ match: '(unclosed', responses: [textReply('y')] }] }, dir);
    expect(() => parseUpstream(`scripted:${badRegex}`)).toThrow(/conversations\.0\.match: must be a valid regular expression/);
  });

  it('rejects an unknown upstream with the list of choices, and anthropic without a key', () => {
    expect(() => parseUpstream('gpt-9')).toThrow(/unknown model upstream "gpt-9".*anthropic.*scripted:FILE/);
    const saved = process.env.ANTHROPIC_API_KEY;
    delete process.env.ANTHROPIC_API_KEY;
    try {
      expect(() => parseUpstream('anthropic')).toThrow(/ANTHROPIC_API_KEY/);
    } finally {
      if (saved !== undefined) process.env.ANTHROPIC_API_KEY = saved;
    }
  });
});
