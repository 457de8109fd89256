// The openai-compatible upstream against a fake Chat Completions server on loopback, driven end to end through a real
// gateway session by the real SDK: what the server receives, and what the agent gets back.
import { describe, expect, it } from 'vitest';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import Anthropic, { APIError, AuthenticationError, InternalServerError, NotFoundError, RateLimitError } from '@anthropic-ai/sdk';
import { GatewaySession } from '../gateway/server.ts';
import { OpenAICompatibleUpstream } from '../gateway/openai.ts';
import { parseUpstream } from '../gateway/upstream-spec.ts';
import { onCleanup, sdkOverSocket } from './helpers.ts';

const MODEL = 'qwen2.5-coder:7b';
const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** One scripted answer: JSON with a status, or a stream of SSE data items (a function is awaited between them). */
type Reply = { status?: number; json?: unknown; sse?: Array<object | string | (() => Promise<void>)> };
type Received = { url: string; headers: IncomingHttpHeaders; body: Record<string, unknown> };

async function fakeServer(replies: Reply[]): Promise<{ url: string; requests: Received[] }> {
  const requests: Received[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', async () => {
      requests.push({ url: req.url!, headers: req.headers, body: JSON.parse(Buffer.concat(chunks).toString('utf8')) });
      const reply = replies.shift() ?? { status: 500, json: { error: { message: 'fake server: no reply scripted' } } };
      if (!reply.sse) {
        res.writeHead(reply.status ?? 200, { 'content-type': 'application/json' });
        res.end(typeof reply.json === 'string' ? reply.json : JSON.stringify(reply.json));
        return;
      }
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      for (const item of reply.sse) {
        if (typeof item === 'function') await item();
        else res.write(`data: ${typeof item === 'string' ? item : JSON.stringify(item)}\n\n`);
        await sleep(10);
      }
      res.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  onCleanup(async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`, requests };
}

async function gatewayTo(url: string) {
  const session = await GatewaySession.open({ id: 'oai', upstream: new OpenAICompatibleUpstream(url, { apiKey: 'sk-local' }) });
  onCleanup(() => session.close());
  return sdkOverSocket(session.socketPath);
}

async function setup(replies: Reply[]) {
  const fake = await fakeServer(replies);
  return { fake, client: await gatewayTo(fake.url) };
}

const completion = (message: object, finish_reason: string, usage?: object) => ({ id: 'chatcmpl-1', object: 'chat.completion', model: MODEL, choices: [{ index: 0, message: { role: 'assistant', ...message }, finish_reason }], usage });
const chunk = (delta: object, finish_reason: string | null = null) => ({ id: 'chatcmpl-s', object: 'chat.completion.chunk', model: MODEL, choices: [{ index: 0, delta, finish_reason }] });
const usageChunk = (prompt_tokens: number, completion_tokens: number) => ({ id: 'chatcmpl-s', object: 'chat.completion.chunk', choices: [], usage: { prompt_tokens, completion_tokens, total_tokens: prompt_tokens + completion_tokens } });
const ask = (text: string): Anthropic.MessageCreateParamsNonStreaming => ({ model: MODEL, max_tokens: 100, messages: [{ role: 'user', content: text }] });
const errorOf = (err: unknown) => ((err as APIError).error as { error: { type: string; message: string } }).error;

describe('openai-compatible upstream: requests and responses', () => {
  it('answers a text question, sending the Chat Completions request a local server expects', async () => {
    const { fake, client } = await setup([
      { json: completion({ content: 'Hello from the local model.' }, 'stop', { prompt_tokens: 12, completion_tokens: 6, total_tokens: 18 }) },
      { json: completion({ content: 'Cut sho' }, 'length') },
    ]);
    // This SDK's types no longer list the sampling parameters; older agents and other clients still send them.
    const msg = await client.messages.create({ ...ask('hi'), system: 'You are terse.', temperature: 0.2 } as Anthropic.MessageCreateParamsNonStreaming);
    expect(msg).toMatchObject({ id: 'msg_chatcmpl-1', type: 'message', role: 'assistant', model: MODEL, stop_reason: 'end_turn', stop_sequence: null });
    expect(msg.content).toEqual([{ type: 'text', text: 'Hello from the local model.', citations: null }]);
    expect(msg.usage).toMatchObject({ input_tokens: 12, output_tokens: 6 });
    expect(fake.requests[0]!.url).toBe('/v1/chat/completions');
    expect(fake.requests[0]!.headers.authorization).toBe('Bearer sk-local');
    expect(fake.requests[0]!.body).toEqual({ model: MODEL, messages: [{ role: 'system', content: 'You are terse.' }, { role: 'user', content: 'hi' }], max_tokens: 100, temperature: 0.2 });

    const cut = await client.messages.create(ask('long story'));
    expect(cut.stop_reason).toBe('max_tokens');
    // No usage from the server: estimated, never zero, so budgets still count.
    expect(cut.usage.output_tokens).toBeGreaterThan(0);
  });

  it('translates a tool_use / tool_result conversation and the tool call that answers it', async () => {
    const { fake, client } = await setup([
      { json: completion({ content: null, tool_calls: [{ id: 'call_3', type: 'function', function: { name: 'bash', arguments: '{"command":"npm test"}' } }] }, 'tool_calls', { prompt_tokens: 300, completion_tokens: 20 }) },
      // Ollama's way: no call id, and "stop" after a tool call.
      { json: completion({ content: 'Viewing.', tool_calls: [{ function: { name: 'view', arguments: '{"path":"b.ts"}' } }] }, 'stop') },
    ]);
    const schema = { type: 'object' as const, properties: { command: { type: 'string' } }, required: ['command'] };
    const msg = await client.messages.create({
      model: MODEL,
      max_tokens: 2048,
      top_p: 0.9,
      stop_sequences: ['END'],
      thinking: { type: 'enabled', budget_tokens: 1024 },
      system: [{ type: 'text', text: 'You fix code.', cache_control: { type: 'ephemeral' } }, { type: 'text', text: 'Be brief.' }],
      tools: [
        { name: 'bash', description: 'Run a command', input_schema: schema, cache_control: { type: 'ephemeral' } },
        { name: 'view', input_schema: { type: 'object', properties: { path: { type: 'string' } } } },
      ],
      tool_choice: { type: 'any' },
      messages: [
        { role: 'user', content: 'Why does the test fail?' },
        {
          role: 'assistant',
          content: [
            { type: 'thinking', thinking: 'Look first.', signature: 'sig' },
            { type: 'text', text: 'Let me look.' },
            { type: 'tool_use', id: 'call_1', name: 'bash', input: { command: 'ls' } },
            { type: 'tool_use', id: 'call_2', name: 'view', input: { path: 'a.ts' } },
          ],
        },
        {
          role: 'user',
          content: [
            { type: 'tool_result', tool_use_id: 'call_1', content: 'a.ts\nb.ts' },
            { type: 'tool_result', tool_use_id: 'call_2', is_error: true, content: [{ type: 'text', text: 'no such file' }, { type: 'image', source: { type: 'base64', media_type: 'image/png', data: 'iVBORw0KGgo=' } }] },
            { type: 'text', text: 'Go on.', cache_control: { type: 'ephemeral' } },
          ],
        },
      ],
    } as Anthropic.MessageCreateParamsNonStreaming);
    expect(fake.requests[0]!.body).toEqual({
      model: MODEL,
      messages: [
        { role: 'system', content: 'You fix code.\n\nBe brief.' },
        { role: 'user', content: 'Why does the test fail?' },
        {
          role: 'assistant',
          content: 'Let me look.',
          tool_calls: [
            { id: 'call_1', type: 'function', function: { name: 'bash', arguments: '{"command":"ls"}' } },
            { id: 'call_2', type: 'function', function: { name: 'view', arguments: '{"path":"a.ts"}' } },
          ],
        },
        { role: 'tool', tool_call_id: 'call_1', content: 'a.ts\nb.ts' },
        { role: 'tool', tool_call_id: 'call_2', content: '[tool error] no such file\n\n[image omitted: the OpenAI-compatible upstream passes text only]' },
        { role: 'user', content: 'Go on.' },
      ],
      max_tokens: 2048,
      top_p: 0.9,
      stop: ['END'],
      tools: [
        { type: 'function', function: { name: 'bash', description: 'Run a command', parameters: schema } },
        { type: 'function', function: { name: 'view', parameters: { type: 'object', properties: { path: { type: 'string' } } } } },
      ],
      tool_choice: 'required',
    });
    expect(msg.content).toEqual([{ type: 'tool_use', id: 'call_3', name: 'bash', input: { command: 'npm test' } }]);
    expect(msg.stop_reason).toBe('tool_use');
    expect(msg.usage).toMatchObject({ input_tokens: 300, output_tokens: 20 });

    const named = await client.messages.create({
      ...ask('view b.ts'),
      tools: [{ name: 'view', input_schema: { type: 'object' } }],
      tool_choice: { type: 'tool', name: 'view', disable_parallel_tool_use: true },
    });
    expect(fake.requests[1]!.body).toMatchObject({ tool_choice: { type: 'function', function: { name: 'view' } }, parallel_tool_calls: false });
    expect(named.content).toEqual([
      { type: 'text', text: 'Viewing.', citations: null },
      { type: 'tool_use', id: expect.stringMatching(/^toolu_[0-9a-f]{32}$/), name: 'view', input: { path: 'b.ts' } },
    ]);
    expect(named.stop_reason).toBe('tool_use');
  });

  it('passes invalid JSON tool arguments on as {"_raw": ...} instead of failing, streamed or not', async () => {
    const { client } = await setup([
      { json: completion({ tool_calls: [{ id: 'call_x', function: { name: 'bash', arguments: '{"command": "ls' } }] }, 'tool_calls') },
      { sse: [chunk({ tool_calls: [{ index: 0, id: 'call_y', function: { name: 'bash', arguments: '{"command": ' } }] }), chunk({ tool_calls: [{ index: 0, function: { arguments: 'ls -la}' } }] }), chunk({}, 'tool_calls'), '[DONE]'] },
    ]);
    const plain = await client.messages.create(ask('list'));
    expect(plain.content).toEqual([{ type: 'tool_use', id: 'call_x', name: 'bash', input: { _raw: '{"command": "ls' } }]);
    const streamed = await client.messages.stream(ask('list')).finalMessage();
    expect(streamed.content).toEqual([{ type: 'tool_use', id: 'call_y', name: 'bash', input: { _raw: '{"command": ls -la}' } }]);
    expect(streamed.stop_reason).toBe('tool_use');
  });

  it('bills a local model at zero, so a dollar budget is not used up by free tokens', async () => {
    const fake = await fakeServer([{ json: completion({ content: 'free' }, 'stop', { prompt_tokens: 100000, completion_tokens: 50000, total_tokens: 150000 }) }]);
    const session = await GatewaySession.open({ id: 'oai-free', upstream: new OpenAICompatibleUpstream(fake.url), budget: { usd: 0.01 } });
    onCleanup(() => session.close());
    const client = sdkOverSocket(session.socketPath);
    await client.messages.create(ask('hi'));
    expect(session.budget.spent).toMatchObject({ requests: 1, inputTokens: 100000, outputTokens: 50000, usd: 0 });
    expect(session.budget.refusal()).toBeUndefined();
  });

  it('estimates count_tokens without asking the server', async () => {
    const { fake, client } = await setup([]);
    const counted = await client.messages.countTokens({ model: MODEL, messages: [{ role: 'user', content: 'a'.repeat(400) }] });
    expect(counted.input_tokens).toBeGreaterThanOrEqual(100);
    expect(counted.input_tokens).toBeLessThan(150);
    expect(fake.requests).toHaveLength(0);
  });
});

describe('openai-compatible upstream: streaming', () => {
  it('streams text delta by delta as the server sends it, not at the end', async () => {
    let sawTwo!: () => void;
    const twoDeltasSeen = new Promise<void>((r) => (sawTwo = r));
    let heldUntilSeen: boolean | undefined;
    // The server holds back the rest of its stream until the SDK has seen two deltas; a buffering upstream never would.
    const gate = async () => void (heldUntilSeen = await Promise.race([twoDeltasSeen.then(() => true), sleep(5000).then(() => false)]));
    const { fake, client } = await setup([
      { sse: [chunk({ role: 'assistant', content: '' }), chunk({ content: 'Hel' }), chunk({ content: 'lo, ' }), gate, chunk({ content: 'wor' }), chunk({ content: 'ld!' }), chunk({}, 'stop'), usageChunk(9, 4), '[DONE]'] },
    ]);
    const stream = client.messages.stream(ask('greet'));
    const texts: string[] = [];
    const events: string[] = [];
    stream.on('streamEvent', (e) => events.push(e.type));
    stream.on('text', (t) => {
      texts.push(t);
      if (texts.length === 2) sawTwo();
    });
    const final = await stream.finalMessage();
    expect(heldUntilSeen).toBe(true);
    expect(texts).toEqual(['Hel', 'lo, ', 'wor', 'ld!']);
    expect(events).toEqual(['message_start', 'content_block_start', 'content_block_delta', 'content_block_delta', 'content_block_delta', 'content_block_delta', 'content_block_stop', 'message_delta', 'message_stop']);
    expect(final.content).toEqual([{ type: 'text', text: 'Hello, world!', citations: null }]);
    expect(final.stop_reason).toBe('end_turn');
    expect(final.usage).toMatchObject({ input_tokens: 9, output_tokens: 4 });
    expect(fake.requests[0]!.body).toMatchObject({ model: MODEL, stream: true, stream_options: { include_usage: true }, messages: [{ role: 'user', content: 'greet' }] });
  });

  it('assembles streamed tool call arguments split across chunks, for parallel calls', async () => {
    const { client } = await setup([
      {
        sse: [
          chunk({ role: 'assistant', content: 'Running the tests.' }),
          chunk({ tool_calls: [{ index: 0, id: 'call_a', type: 'function', function: { name: 'bash', arguments: '' } }] }),
          chunk({ tool_calls: [{ index: 0, function: { arguments: '{"comm' } }] }),
          chunk({ tool_calls: [{ index: 0, function: { arguments: 'and": "npm ' } }] }),
          chunk({ tool_calls: [{ index: 0, function: { arguments: 'test"}' } }] }),
          chunk({ tool_calls: [{ index: 1, id: 'call_b', type: 'function', function: { name: 'view', arguments: '{"path":' } }] }),
          chunk({ tool_calls: [{ index: 1, function: { arguments: ' "src/a.ts", "view_range": [1, 20]}' } }] }),
          chunk({}, 'tool_calls'),
          usageChunk(120, 30),
          '[DONE]',
        ],
      },
    ]);
    const stream = client.messages.stream({ ...ask('test it'), tools: [{ name: 'bash', input_schema: { type: 'object' } }, { name: 'view', input_schema: { type: 'object' } }] });
    const jsonParts: Array<[number, string]> = [];
    stream.on('streamEvent', (e) => {
      if (e.type === 'content_block_delta' && e.delta.type === 'input_json_delta') jsonParts.push([e.index, e.delta.partial_json]);
    });
    const final = await stream.finalMessage();
    expect(final.content).toEqual([
      { type: 'text', text: 'Running the tests.', citations: null },
      { type: 'tool_use', id: 'call_a', name: 'bash', input: { command: 'npm test' } },
      { type: 'tool_use', id: 'call_b', name: 'view', input: { path: 'src/a.ts', view_range: [1, 20] } },
    ]);
    expect(jsonParts).toEqual([
      [1, '{"comm'],
      [1, 'and": "npm '],
      [1, 'test"}'],
      [2, '{"path":'],
      [2, ' "src/a.ts", "view_range": [1, 20]}'],
    ]);
    expect(final.stop_reason).toBe('tool_use');
    expect(final.usage).toMatchObject({ input_tokens: 120, output_tokens: 30 });
  });
});

describe('openai-compatible upstream: errors', () => {
  it('maps server errors to the API error types and statuses the SDK raises', async () => {
    const { fake, client } = await setup([
      { status: 401, json: { error: { message: 'Invalid API Key', type: 'authentication_error', code: 401 } } },
      { status: 404, json: { error: { message: 'model "qwen9" not found, try pulling it first', type: 'api_error' } } },
      { status: 429, json: { error: { message: 'Too many requests' } } },
      { status: 500, json: { object: 'error', message: 'CUDA out of memory', type: 'InternalServerError', code: 500 } },
      { status: 503, json: { detail: 'Loading model' } },
    ]);
    const endpoint = `${fake.url}/chat/completions`;
    const fail = (p: Promise<unknown>) => p.then(() => expect.fail('should have failed'), (e: unknown) => e);

    const unauthorized = await fail(client.messages.create(ask('1')));
    expect(unauthorized).toBeInstanceOf(AuthenticationError);
    expect(errorOf(unauthorized)).toEqual({ type: 'authentication_error', message: `OpenAI-compatible server at ${endpoint} answered 401: Invalid API Key. Fix: set OPENAI_API_KEY in the host environment to the key the server expects.` });

    const notFound = await fail(client.messages.create(ask('2')));
    expect(notFound).toBeInstanceOf(NotFoundError);
    expect(errorOf(notFound).type).toBe('not_found_error');
    expect(errorOf(notFound).message).toContain(`answered 404: model "qwen9" not found, try pulling it first. The URL or the model name may be wrong: this was POST ${endpoint} for model "${MODEL}"`);

    const limited = await fail(client.messages.create(ask('3')));
    expect(limited).toBeInstanceOf(RateLimitError);
    expect(errorOf(limited)).toEqual({ type: 'rate_limit_error', message: `OpenAI-compatible server at ${endpoint} answered 429: Too many requests.` });

    const crashed = await fail(client.messages.create(ask('4')));
    expect(crashed).toBeInstanceOf(InternalServerError);
    expect((crashed as APIError).status).toBe(500);
    expect(errorOf(crashed)).toEqual({ type: 'api_error', message: `OpenAI-compatible server at ${endpoint} answered 500: CUDA out of memory.` });

    // A stream refused up front keeps the server's status: nothing was streamed yet.
    const loading = await fail(client.messages.stream(ask('5')).finalMessage());
    expect(loading).toBeInstanceOf(InternalServerError);
    expect((loading as APIError).status).toBe(503);
    expect(errorOf(loading)).toEqual({ type: 'overloaded_error', message: `OpenAI-compatible server at ${endpoint} answered 503: Loading model.` });
  });

  it('says which URL it tried and what to do when no server is listening', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const client = await gatewayTo(`http://127.0.0.1:${port}/v1`);
    const err = await client.messages.create(ask('hi')).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InternalServerError);
    expect((err as APIError).status).toBe(502);
    expect(errorOf(err).message).toMatch(new RegExp(`^cannot connect to the OpenAI-compatible server at http://127\\.0\\.0\\.1:${port}/v1/chat/completions: connection refused\\. Is the server running\\? Fix: start it`));
  });

  it('names what is wrong with a malformed response, and a stream cut short', async () => {
    const { client } = await setup([
      { json: { id: 'x', choices: [] } },
      { json: 'Internal proxy page' },
      { sse: [chunk({ content: 'partial' }), chunk({ content: ' answer' })] },
    ]);
    const empty = await client.messages.create(ask('1')).catch((e: unknown) => e);
    expect((empty as APIError).status).toBe(502);
    expect(errorOf(empty).message).toMatch(/the response from .* is not a Chat Completions response: choices: Too small/);
    const html = await client.messages.create(ask('2')).catch((e: unknown) => e);
    expect((html as APIError).status).toBe(502);
    expect(errorOf(html).message).toMatch(/the response from .* is not JSON: "Internal proxy page"/);
    const cut = await client.messages.stream(ask('3')).finalMessage().catch((e: unknown) => e);
    expect(cut).toBeInstanceOf(APIError);
    expect((cut as APIError).message).toMatch(/ended before its last chunk \(no finish_reason, no \[DONE\]\)/);
  });
});

describe('--model openai-compatible:URL', () => {
  it('accepts a colon or a space before an http(s) URL, and explains anything else', () => {
    expect(parseUpstream('openai-compatible:http://127.0.0.1:11434/v1').name).toBe('openai-compatible:http://127.0.0.1:11434/v1');
    expect(parseUpstream('openai-compatible http://localhost:8000/v1')).toBeInstanceOf(OpenAICompatibleUpstream);
    expect(() => parseUpstream('openai-compatible:ftp://127.0.0.1/v1')).toThrow(/needs the http\(s\) URL .* not "ftp:\/\/127\.0\.0\.1\/v1"\. Fix: e\.g\. --model openai-compatible:http:\/\/127\.0\.0\.1:11434\/v1/);
    expect(() => parseUpstream('openai-compatible:')).toThrow(/needs the http\(s\) URL/);
    expect(() => parseUpstream('ollama')).toThrow(/unknown model upstream "ollama".*anthropic.*scripted:FILE.*openai-compatible:URL/);
  });
});

// `clade chat` runs the agent in a sandbox container: "in Docker" in the name keeps it out of the fast tier.
describe('openai-compatible from the command line, with the agent in Docker', () => {
  it('drives the real agent through `clade chat --model openai-compatible URL`, written as two words', async () => {
    const { execa } = await import('execa');
    const { mkdtempSync, readFileSync, writeFileSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const repo = mkdtempSync(join(tmpdir(), 'clade-oai-repo-'));
    writeFileSync(join(repo, 'add.js'), 'module.exports = (a, b) => a - b;\n');
    const call = { index: 0, id: 'call_1', type: 'function', function: { name: 'str_replace_based_edit_tool', arguments: JSON.stringify({ command: 'str_replace', path: 'add.js', old_str: 'a - b', new_str: 'a + b' }) } };
    const fake = await fakeServer([
      { sse: [chunk({ role: 'assistant', tool_calls: [call] }), chunk({}, 'tool_calls'), usageChunk(50, 10), '[DONE]'] },
      { sse: [chunk({ role: 'assistant', content: 'Fixed by the ' }), chunk({ content: 'local model.' }), chunk({}, 'stop'), usageChunk(80, 6), '[DONE]'] },
    ]);
    const r = await execa('node', ['bin/clade.js', 'chat', '--repo', repo, '--model', 'openai-compatible', fake.url, '--model-name', MODEL, '--yes', '--message', 'fix add'], { reject: false });
    expect(r.exitCode, r.stderr).toBe(0);
    expect(r.stdout).toContain('Fixed by the local model.');
    expect(readFileSync(join(repo, 'add.js'), 'utf8')).toBe('module.exports = (a, b) => a + b;\n');
    expect(fake.requests.map((q) => q.body.model)).toEqual([MODEL, MODEL]);
    expect((fake.requests[0]!.body.tools as Array<{ function: { name: string } }>).map((t) => t.function.name)).toContain('str_replace_based_edit_tool');
  }, 180_000);
});
