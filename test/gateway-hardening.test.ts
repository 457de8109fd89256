// Attacks on the gateway as a boundary: what a hostile variant can send through its socket. Each test is an attack
// that went through before the gateway reserved costs, capped bodies and connections, allowlisted request fields and
// pinned the model.
import { describe, expect, it } from 'vitest';
import { readFile, stat } from 'node:fs/promises';
import { connect, type Socket } from 'node:net';
import { join } from 'node:path';
import type Anthropic from '@anthropic-ai/sdk';
import { APIError } from '@anthropic-ai/sdk';
import { GatewaySession, type CallRecord, type GatewaySessionOptions } from '../gateway/server.ts';
import { ScriptedUpstream, type Upstream } from '../gateway/upstream.ts';
import { costUsd } from '../gateway/pricing.ts';
import type { Script } from '../gateway/schema.ts';
import { onCleanup, rawRequest, sdkOverSocket, tempDir, textReply } from './helpers.ts';

const MODEL = 'claude-sonnet-4-6';
const MiB = 1024 * 1024;

async function openGateway(script: Script, opts: Partial<GatewaySessionOptions> = {}) {
  const logPath = join(await tempDir(), 'calls.jsonl');
  const session = await GatewaySession.open({ id: 'h', upstream: new ScriptedUpstream(script), logPath, ...opts });
  onCleanup(() => session.close());
  return { session, logPath };
}

async function readLog(path: string): Promise<CallRecord[]> {
  return (await readFile(path, 'utf8')).trim().split('\n').map((l) => JSON.parse(l) as CallRecord);
}

const post = (session: GatewaySession, body: unknown, path = '/v1/messages') => rawRequest(session.socketPath, path, typeof body === 'string' ? body : JSON.stringify(body));
const errorOf = (text: string) => (JSON.parse(text) as { error: { type: string; message: string } & Record<string, unknown> }).error;

describe('gateway reservation: concurrency cannot outrun the dollar budget', () => {
  it('30 concurrent streams against a $0.50 session spend at most the budget plus one response', async () => {
    // Each answer costs $0.06 (10k tokens in at $3/M, 2k out at $15/M) and streams slowly, so every request is in flight
    // before the first one is charged: checking only what was already spent lets all 30 through.
    const usage = { input_tokens: 10_000, output_tokens: 2_000 };
    const perCall = costUsd(MODEL, usage);
    expect(perCall).toBeCloseTo(0.06, 6);
    const reply = { content: [{ type: 'text' as const, text: 'a slow answer. '.repeat(16) }], stop_reason: 'end_turn' as const, usage };
    const { session, logPath } = await openGateway({ chunkDelayMs: 20, responses: Array.from({ length: 30 }, () => reply) }, { budget: { usd: 0.5 }, maxConnections: 64 });
    // 12 KB of input: the 10k input tokens the script reports fit under the bytes-as-tokens bound, as real usage would.
    const params = { model: MODEL, max_tokens: 2048, messages: [{ role: 'user' as const, content: 'y'.repeat(12_000) }] };
    const outcomes = await Promise.all(
      Array.from({ length: 30 }, () =>
        sdkOverSocket(session.socketPath)
          .messages.stream(params)
          .finalMessage()
          .then(() => 'ok' as const)
          .catch((e: unknown) => e as APIError),
      ),
    );
    const served = outcomes.filter((o) => o === 'ok').length;
    const refused = outcomes.filter((o): o is APIError => o instanceof APIError);
    expect(served).toBeGreaterThanOrEqual(1);
    expect(served + refused.length).toBe(30);
    expect(session.budget.spent.usd).toBeLessThanOrEqual(0.5 + perCall + 1e-9);
    // The refusal says which limit, how much was left, and carries the limit as typed fields for callers.
    const first = refused[0]!;
    expect(first.status).toBe(402);
    expect(first.headers?.get('x-should-retry')).toBe('false');
    const body = (first.error as { error: Record<string, unknown> }).error;
    expect(body).toMatchObject({ type: 'billing_error', clade_limit: 'session', clade_limit_kind: 'usd' });
    expect(String(body.message)).toMatch(/dollar budget.*may cost up to \$\d+\.\d+.*\$\d+\.\d+ of \$0\.50 is left/);
    await session.flush();
    const log = await readLog(logPath);
    expect(log.filter((r) => r.status === 200)).toHaveLength(served);
    expect(log.at(-1)!.spent.usd).toBeCloseTo(session.budget.spent.usd, 9);
  });

  it('releases the reservation of a request that fails, and never refuses a free upstream for its size', async () => {
    const failing = { error: { status: 529, type: 'overloaded_error', message: 'Overloaded' } };
    const { session } = await openGateway({ responses: [failing, textReply('after')] }, { budget: { usd: 0.2 } });
    const params = { model: MODEL, max_tokens: 8192, messages: [{ role: 'user' as const, content: 'x' }] };
    const client = sdkOverSocket(session.socketPath);
    expect(((await client.messages.create(params).catch((e: unknown) => e)) as APIError).status).toBe(529);
    // $0.12 of output reserved twice would not fit in $0.20: the failed request's reservation must be gone.
    expect(((await client.messages.create(params)).content[0] as Anthropic.TextBlock).text).toBe('after');

    class FreeUpstream extends ScriptedUpstream {
      readonly flatPrice = { input: 0, output: 0 };
      override fork(): Upstream {
        return new FreeUpstream(this.script);
      }
    }
    const free = await GatewaySession.open({ id: 'free', upstream: new FreeUpstream({ responses: [textReply('free')] }), budget: { usd: 0.01 } });
    onCleanup(() => free.close());
    const big = { model: 'qwen2.5-coder:7b', max_tokens: 100_000, messages: [{ role: 'user' as const, content: 'z'.repeat(2 * MiB) }] };
    expect(((await sdkOverSocket(free.socketPath).messages.stream(big).finalMessage()).content[0] as Anthropic.TextBlock).text).toBe('free');
  });

  it('charges the whole reservation of a request its caller abandons, since the API bills what it generated', async () => {
    // An upstream that answers only when cancelled, as a long generation would.
    const hanging: Upstream = {
      name: 'hanging',
      fork: () => hanging,
      create: (_body, signal) => new Promise((_resolve, reject) => signal.addEventListener('abort', () => reject(new Error('cancelled')))),
      stream: () => Promise.reject(new Error('not used')),
      countTokens: async () => ({ input_tokens: 1 }),
    };
    const session = await GatewaySession.open({ id: 'abandon', upstream: hanging, budget: { usd: 1 } });
    onCleanup(() => session.close());
    const cancel = new AbortController();
    const pending = sdkOverSocket(session.socketPath).messages.create({ model: MODEL, max_tokens: 4096, messages: [{ role: 'user', content: 'hi' }] }, { signal: cancel.signal }).catch(() => 'cancelled');
    await new Promise((r) => setTimeout(r, 200));
    cancel.abort();
    expect(await pending).toBe('cancelled');
    await new Promise((r) => setTimeout(r, 200));
    // At least every output token it allowed; before, an abandoned request cost nothing.
    expect(session.budget.spent.usd).toBeGreaterThan(4096 * 15e-6);
    expect(session.budget.reserved.usd).toBe(0);
  });

  it('bills 1-hour cache writes at twice the input price, not at the 5-minute rate', () => {
    // A variant that marks its prompt `cache_control: {ttl: "1h"}` is billed 2x input for the write by the API.
    const usage = { input_tokens: 0, output_tokens: 0, cache_creation_input_tokens: 1_000_000, cache_creation: { ephemeral_1h_input_tokens: 600_000 } };
    expect(costUsd(MODEL, usage)).toBeCloseTo(0.4 * 3 * 1.25 + 0.6 * 3 * 2, 9);
  });

  it('counts requests in flight against a token budget', async () => {
    const reply = { content: [{ type: 'text' as const, text: 'slow '.repeat(40) }], stop_reason: 'end_turn' as const, usage: { input_tokens: 10, output_tokens: 900 } };
    const { session } = await openGateway({ chunkDelayMs: 50, responses: Array.from({ length: 10 }, () => reply) }, { budget: { outputTokens: 1000 } });
    const params = { model: MODEL, max_tokens: 1000, messages: [{ role: 'user' as const, content: 'go' }] };
    const outcomes = await Promise.all(Array.from({ length: 10 }, () => sdkOverSocket(session.socketPath).messages.stream(params).finalMessage().then(() => 200, (e: APIError) => e.status)));
    // The first request reserves all 1000 output tokens; the others are refused while it is in flight (one that came
    // after it finished would find 100 tokens left, and cross the limit as the last request may).
    const served = outcomes.filter((s) => s === 200).length;
    expect(served).toBeLessThanOrEqual(2);
    expect(outcomes.filter((s) => s === 402)).toHaveLength(10 - served);
    expect(session.budget.spent.outputTokens).toBeLessThanOrEqual(1000 + 900);
  });
});

describe('gateway body limit: oversized and invalid bodies cannot flood the host', () => {
  it('refuses bodies over 8 MiB with 413 before buffering them, and logs sizes and reasons, never raw bodies', async () => {
    const { session, logPath } = await openGateway({ responses: [textReply('still here')] });
    // Valid JSON, invalid request: before, each was buffered whole, then logged raw as it was refused.
    const oversized = JSON.stringify({ model: MODEL, messages: [{ role: 'robot', content: 'A'.repeat(30 * MiB) }] });
    for (let i = 0; i < 4; i++) {
      const res = await post(session, oversized);
      expect(res.status).toBe(413);
      expect(errorOf(res.text)).toMatchObject({ type: 'request_too_large' });
      expect(errorOf(res.text).message).toMatch(/8 MiB/);
    }
    // Under the limit but invalid: logged capped, with the total size.
    const invalid = JSON.stringify({ model: MODEL, messages: [{ role: 'robot', content: 'B'.repeat(7 * MiB) }] });
    for (let i = 0; i < 3; i++) expect((await post(session, invalid)).status).toBe(400);
    expect((await post(session, '{"not json' + 'C'.repeat(7 * MiB))).status).toBe(400);
    const ok = await post(session, { model: MODEL, max_tokens: 64, messages: [{ role: 'user', content: 'hi' }] });
    expect(ok.status).toBe(200);
    await session.flush();
    expect((await stat(logPath)).size).toBeLessThan(1 * MiB);
    const log = await readLog(logPath);
    expect(log.map((r) => r.status)).toEqual([413, 413, 413, 413, 400, 400, 400, 400, 200]);
    for (const r of log.slice(0, 8)) {
      expect(r.requestBytes).toBeGreaterThan(7 * MiB);
      expect(r.error?.message).toBeTruthy();
    }
    for (const r of log.slice(0, 4)) expect(r.request).toBeUndefined();
    expect(log[4]!.request).toMatchObject({ truncated: true, bytes: invalid.length });
  });

  it('applies the body limit to count_tokens too, and to a chunked body that declares no length', async () => {
    const { session } = await openGateway({ responses: [textReply('x')] });
    const res = await post(session, JSON.stringify({ model: MODEL, messages: [{ role: 'user', content: 'D'.repeat(9 * MiB) }] }), '/v1/messages/count_tokens');
    expect(res.status).toBe(413);
    // Chunked: the size is known only as the body arrives; the gateway stops reading past the limit.
    const socket = connect(session.socketPath);
    onCleanup(async () => void socket.destroy());
    let answer = '';
    socket.on('data', (d) => (answer += d.toString()));
    socket.on('error', () => {});
    const closed = new Promise((r) => socket.on('close', r));
    socket.write('POST /v1/messages HTTP/1.1\r\nhost: gateway\r\ntransfer-encoding: chunked\r\n\r\n');
    const chunk = 'E'.repeat(MiB);
    for (let i = 0; i < 12 && !socket.destroyed; i++) socket.write(`${chunk.length.toString(16)}\r\n${chunk}\r\n`);
    await closed;
    expect(answer).toMatch(/^HTTP\/1\.1 413/);
    expect(answer).toContain('request_too_large');
  });
});

describe('gateway JSON depth: a small body cannot crash the host', () => {
  it('refuses a deeply nested body with a 400, and keeps serving and logging', async () => {
    // 40 KB of nesting parses, but JSON.stringify (the call log, the upstream's SDK) overflows the stack on it: an
    // exception in the log writer's path would be an unhandled rejection that ends the host process.
    const { session, logPath } = await openGateway({ responses: [textReply('alive'), textReply('alive')] });
    const deep = '['.repeat(20_000) + ']'.repeat(20_000);
    const res = await post(session, `{"model":"${MODEL}","max_tokens":64,"messages":[{"role":"user","content":"hi"}],"metadata":{"user_id":"u","x":${deep}}}`);
    expect(res.status).toBe(400);
    expect(errorOf(res.text).message).toMatch(/nested more than \d+ levels deep/);
    expect((await post(session, { model: MODEL, max_tokens: 64, messages: [{ role: 'user', content: 'hi' }] })).status).toBe(200);
    await session.flush();
    expect((await readLog(logPath)).map((r) => r.status)).toEqual([400, 200]);
  });
});

describe('gateway connections: a session cannot hold more than its share', () => {
  it('serves at most maxConnections requests at once and answers the rest 429 with a retry hint', async () => {
    const { session } = await openGateway({ responses: [textReply('after the flood')] }, { maxConnections: 16 });
    // 100 connections each send a request's head and half its body, then hold.
    const sockets: Socket[] = [];
    const answers: string[] = Array.from({ length: 100 }, () => '');
    const closed: boolean[] = Array.from({ length: 100 }, () => false);
    for (let i = 0; i < 100; i++) {
      const s = connect(session.socketPath);
      s.on('data', (d) => (answers[i] += d.toString()));
      s.on('error', () => {});
      s.on('close', () => (closed[i] = true));
      s.write('POST /v1/messages HTTP/1.1\r\nhost: gateway\r\ncontent-type: application/json\r\ncontent-length: 1000\r\n\r\n{"model":');
      sockets.push(s);
    }
    onCleanup(async () => sockets.forEach((s) => s.destroy()));
    // Wait until the gateway has dealt with every connection it will deal with (or 5 s, for the old code's sake).
    for (let waited = 0; waited < 5000 && answers.filter((a, i) => a !== '' || closed[i]).length < 84; waited += 100) await new Promise((r) => setTimeout(r, 100));
    await new Promise((r) => setTimeout(r, 300));
    const held = answers.filter((a, i) => a === '' && !closed[i]).length;
    expect(held).toBeLessThanOrEqual(16);
    const limited = answers.filter((a) => a.startsWith('HTTP/1.1 429'));
    expect(limited.length + answers.filter((a, i) => a === '' && closed[i]).length).toBeGreaterThanOrEqual(84);
    expect(limited.length).toBeGreaterThan(0);
    expect(limited[0]).toMatch(/retry-after: \d+/i);
    expect(limited[0]).toContain('rate_limit_error');
    // Once the holders go, the session serves again.
    sockets.forEach((s) => s.destroy());
    await new Promise((r) => setTimeout(r, 200));
    const msg = await sdkOverSocket(session.socketPath).messages.create({ model: MODEL, max_tokens: 64, messages: [{ role: 'user', content: 'hi' }] });
    expect((msg.content[0] as Anthropic.TextBlock).text).toBe('after the flood');
  });
});

describe('gateway allowlist: only client fields and client tools reach the model', () => {
  const base = { model: MODEL, max_tokens: 64, messages: [{ role: 'user', content: 'hi' }] };
  const cases: Array<[what: string, body: Record<string, unknown>, message: RegExp]> = [
    ['web_search', { ...base, tools: [{ type: 'web_search_20250305', name: 'web_search', max_uses: 5 }] }, /tools\.0.*web_search_20250305.*server tools would give a variant the network/],
    ['web_fetch', { ...base, tools: [{ type: 'web_fetch_20250910', name: 'web_fetch' }] }, /tools\.0.*web_fetch_20250910.*only client tools/],
    ['code_execution', { ...base, tools: [{ name: 'ok', input_schema: { type: 'object' } }, { type: 'code_execution_20250825', name: 'code_execution' }] }, /tools\.1.*code_execution_20250825/],
    ['mcp_servers', { ...base, mcp_servers: [{ type: 'url', url: 'https://attacker.example/mcp', name: 'x' }] }, /mcp_servers.*network/],
    ['container', { ...base, container: 'container_123' }, /container.*network/],
    ['server_tool_use block', { ...base, messages: [{ role: 'user', content: 'hi' }, { role: 'assistant', content: [{ type: 'server_tool_use', id: 'srvtoolu_1', name: 'web_search', input: { query: 'x' } }] }, { role: 'user', content: 'go on' }] }, /messages\.1\.content\.0.*server_tool_use/],
    ['an image fetched from a URL', { ...base, messages: [{ role: 'user', content: [{ type: 'image', source: { type: 'url', url: 'https://attacker.example/?secret=1' } }] }] }, /messages\.0\.content\.0\.source.*url/],
    ['an unknown field', { ...base, speed: 'fast' }, /speed/],
  ];
  for (const [what, body, message] of cases) {
    it(`refuses ${what} with a 400 that says why`, async () => {
      const { session } = await openGateway({ responses: [textReply('should not be served')] });
      const res = await post(session, body);
      expect(res.status).toBe(400);
      expect(errorOf(res.text).type).toBe('invalid_request_error');
      expect(errorOf(res.text).message).toMatch(message);
      expect(session.budget.spent.requests).toBe(0);
    });
  }

  it('checks count_tokens too, and lets client tools, caching and thinking through', async () => {
    const { session } = await openGateway({ responses: [textReply('served')] });
    const counted = await post(session, { model: MODEL, messages: base.messages, tools: [{ type: 'web_search_20250305', name: 'web_search' }] }, '/v1/messages/count_tokens');
    expect(counted.status).toBe(400);
    expect(errorOf(counted.text).message).toMatch(/server tools/);
    const good = {
      ...base,
      system: [{ type: 'text', text: 'be brief', cache_control: { type: 'ephemeral' } }],
      tools: [{ type: 'custom', name: 'bash', description: 'run', input_schema: { type: 'object' }, cache_control: { type: 'ephemeral' } }],
      tool_choice: { type: 'auto' },
      thinking: { type: 'enabled', budget_tokens: 1024 },
      max_tokens: 2048,
      metadata: { user_id: 'u' },
    };
    const { max_tokens: _max, metadata: _metadata, ...countable } = good;
    expect((await post(session, countable, '/v1/messages/count_tokens')).status).toBe(200);
    expect((await post(session, good)).status).toBe(200);
  });
});

describe('gateway model pinning', () => {
  it('refuses a request for another model than the run`s, on both endpoints', async () => {
    const { session } = await openGateway({ responses: [textReply('pinned')] }, { model: MODEL });
    const other = { model: 'claude-opus-4-1', max_tokens: 64, messages: [{ role: 'user', content: 'hi' }] };
    const res = await post(session, other);
    expect(res.status).toBe(400);
    expect(errorOf(res.text)).toMatchObject({ type: 'invalid_request_error' });
    expect(errorOf(res.text).message).toMatch(/pinned to model "claude-sonnet-4-6".*"claude-opus-4-1"/);
    expect((await post(session, { model: 'claude-opus-4-1', messages: other.messages }, '/v1/messages/count_tokens')).status).toBe(400);
    expect(session.budget.spent.requests).toBe(0);
    expect((await post(session, { ...other, model: MODEL })).status).toBe(200);
  });
});
