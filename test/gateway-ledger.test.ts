// Runs a user can trust with real money: every billed call is on disk, in integer micro-dollars, before its caller has
// the answer; a run's budget holds across its sessions; a bad key or model name is a typed fact, found by doctor for free.
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { execa } from 'execa';
import type Anthropic from '@anthropic-ai/sdk';
import { APIError, AuthenticationError, NotFoundError } from '@anthropic-ai/sdk';
import { join } from 'node:path';
import { GatewaySession, type CallRecord } from '../gateway/server.ts';
import { ScriptedUpstream, type Upstream } from '../gateway/upstream.ts';
import { OpenAICompatibleUpstream } from '../gateway/openai.ts';
import { probeAccess } from '../gateway/probe-key.ts';
import { Budget, type BudgetLimits } from '../gateway/budget.ts';
import type { Script } from '../gateway/schema.ts';
import { onCleanup, scriptFile, sdkOverSocket, tempDir, textReply } from './helpers.ts';

const MODEL = 'claude-sonnet-4-6';
const bin = fileURLToPath(new URL('../bin/clade.js', import.meta.url));
const ask = (text: string, max_tokens = 256): Anthropic.MessageCreateParamsNonStreaming => ({ model: MODEL, max_tokens, messages: [{ role: 'user', content: text }] });
const reply = (text: string, usage: object) => ({ ...textReply(text), usage });
const errorEntry = (status: number, type: string, message: string) => ({ error: { status, type, message } });

async function open(upstream: Upstream, opts: { budget?: BudgetLimits; runBudget?: Budget; id?: string } = {}) {
  const dir = await tempDir();
  const logPath = join(dir, 'calls.jsonl');
  const session = await GatewaySession.open({ id: opts.id ?? 't', upstream, budget: opts.budget, runBudget: opts.runBudget, logPath });
  onCleanup(() => session.close());
  return { session, client: sdkOverSocket(session.socketPath), logPath };
}

/** The log as it is on disk at this instant: no await, so nothing the gateway does later can sneak in. */
function logNow(path: string): CallRecord[] {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    return [];
  }
  return text
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as CallRecord);
}

const bodyOf = (err: unknown) => ((err as APIError).error as { error: { type: string; message: string; clade_limit?: string; clade_limit_kind?: string } }).error;

describe('gateway ledger: every billed call is synced to the log before its answer is complete', () => {
  const usage = { input_tokens: 1234, output_tokens: 567, cache_read_input_tokens: 890, cache_creation_input_tokens: 321 };
  const replies = (n: number): Script => ({ responses: Array.from({ length: n }, (_, i) => reply(`answer ${i} `.repeat(20), usage)) });

  it('has the billed line, with integer costMicros, on disk when the SDK returns a non-streamed answer', async () => {
    const { client, logPath } = await open(new ScriptedUpstream(replies(3)));
    for (let seq = 1; seq <= 3; seq++) {
      await client.messages.create(ask(`plain ${seq}`));
      const line = logNow(logPath).find((r) => r.seq === seq);
      expect(line, `call ${seq} is in the log when the SDK returns`).toBeDefined();
      expect(line).toMatchObject({ status: 200, costMicros: Math.round(line!.costUsd! * 1e6) });
      expect(Number.isInteger(line!.costMicros) && line!.costMicros! > 0).toBe(true);
    }
  });

  it('has the billed line on disk when a streamed answer`s message_stop arrives, and when the SDK returns it', async () => {
    const { client, logPath } = await open(new ScriptedUpstream(replies(3)));
    for (let seq = 1; seq <= 3; seq++) {
      let atStop: CallRecord | undefined;
      const stream = client.messages.stream(ask(`streamed ${seq}`));
      // The earliest moment a client can tell the answer is complete.
      stream.on('streamEvent', (e) => {
        if (e.type === 'message_stop') atStop = logNow(logPath).find((r) => r.seq === seq);
      });
      await stream.finalMessage();
      const line = logNow(logPath).find((r) => r.seq === seq);
      expect(atStop, `streamed call ${seq} is in the log when message_stop arrives`).toBeDefined();
      expect(line).toMatchObject({ stream: true, status: 200, costMicros: Math.round(line!.costUsd! * 1e6) });
      expect(Number.isInteger(line!.costMicros) && line!.costMicros! > 0).toBe(true);
    }
  });

  it('sums to the session spend in micro-dollars, forfeited calls included, which are logged after their caller left', async () => {
    const usages = [
      { input_tokens: 1, output_tokens: 1 },
      { input_tokens: 333_333, output_tokens: 77_777, cache_read_input_tokens: 12_345 },
      { input_tokens: 7, output_tokens: 3, cache_creation_input_tokens: 11, cache_creation: { ephemeral_1h_input_tokens: 5 } },
      { input_tokens: 999, output_tokens: 1 },
    ];
    const scripted = new ScriptedUpstream({ responses: [...usages.map((u, i) => reply(`r${i}`, u)), errorEntry(529, 'overloaded_error', 'Overloaded')] });
    // Answers when its caller is gone and not before, as a long generation would: the gateway forfeits the reservation.
    const upstream: Upstream = {
      name: 'scripted-or-hanging',
      fork: () => upstream,
      create: (body, signal) => (JSON.stringify(body).includes('hang') ? new Promise((_r, reject) => signal.addEventListener('abort', () => reject(new Error('cancelled')))) : scripted.create(body)),
      stream: (body, signal) => scripted.stream(body, signal),
      countTokens: (body) => scripted.countTokens(body),
    };
    const { session, client, logPath } = await open(upstream, { budget: { usd: 100 } });
    await client.messages.create(ask('a'));
    await client.messages.stream(ask('b')).finalMessage();
    await client.messages.create(ask('c'));
    const cancel = new AbortController();
    const abandoned = client.messages.create(ask('hang', 2048), { signal: cancel.signal }).catch(() => 'cancelled');
    await new Promise((r) => setTimeout(r, 200));
    cancel.abort();
    expect(await abandoned).toBe('cancelled');
    await client.messages.create(ask('d'));
    await expect(client.messages.create(ask('e'))).rejects.toMatchObject({ status: 529 });
    await session.flush();
    const log = logNow(logPath);
    const billed = log.filter((r) => r.costUsd !== undefined);
    expect(billed).toHaveLength(5);
    for (const r of billed) expect(Number.isInteger(r.costMicros)).toBe(true);
    const forfeited = log.find((r) => JSON.stringify(r.request).includes('hang'))!;
    expect(forfeited.costMicros).toBe(Math.round(forfeited.reservedUsd! * 1e6));
    expect(forfeited.costMicros).toBeGreaterThan(2048 * 15);
    // Unbilled lines (the 529) carry no cost.
    expect(log.find((r) => r.status === 529)?.costMicros).toBeUndefined();
    const sum = billed.reduce((s, r) => s + r.costMicros!, 0);
    expect(Math.abs(sum - Math.round(session.budget.spent.usd * 1e6))).toBeLessThanOrEqual(billed.length);
  });
});

describe('gateway run budget: one dollar limit shared by every session of a run', () => {
  // Each answer costs $0.015 (1000 output tokens at $15/M); each request reserves a bit more.
  const costly = (n: number): Script => ({ responses: Array.from({ length: n }, () => reply('ok', { input_tokens: 0, output_tokens: 1000 })) });

  it('refuses a request that does not fit the run with clade_limit "run", and one over the session limit with "session"', async () => {
    const runBudget = new Budget({ usd: 0.04 });
    const a = await open(new ScriptedUpstream(costly(5)), { id: 'a', runBudget, budget: { usd: 10 } });
    const b = await open(new ScriptedUpstream(costly(5)), { id: 'b', runBudget, budget: { usd: 10, requests: 1 } });
    await a.client.messages.create(ask('one', 1000));
    await b.client.messages.create(ask('two', 1000));

    // Session b's own request limit comes first: its refusal names the session.
    const bySession = await b.client.messages.create(ask('three', 1000)).catch((e: unknown) => e);
    expect(bySession).toBeInstanceOf(APIError);
    expect((bySession as APIError).status).toBe(402);
    expect(bodyOf(bySession)).toMatchObject({ type: 'billing_error', clade_limit: 'session', clade_limit_kind: 'requests' });

    // Session a has $9.985 left of its own, but the run has $0.01: the run refuses, and nothing is held or counted.
    const requestsBefore = a.session.budget.spent.requests;
    const byRun = await a.client.messages.create(ask('four', 1000)).catch((e: unknown) => e);
    expect((byRun as APIError).status).toBe(402);
    expect(bodyOf(byRun)).toMatchObject({ type: 'billing_error', clade_limit: 'run', clade_limit_kind: 'usd' });
    expect(bodyOf(byRun).message).toMatch(/for the run/);
    expect(a.session.budget.spent.requests).toBe(requestsBefore);
    expect(a.session.budget.reserved.usd).toBe(0);
    expect(runBudget.reserved.usd).toBe(0);
    expect(runBudget.spent.usd).toBeCloseTo(0.03, 9);

    expect(a.session.refusals).toEqual({ session: 0, run: 1 });
    expect(b.session.refusals).toEqual({ session: 1, run: 0 });
    expect(runBudget.spent.usd).toBeCloseTo(a.session.budget.spent.usd + b.session.budget.spent.usd, 12);
  });

  it('holds concurrent requests of several sessions within the run limit', async () => {
    const runBudget = new Budget({ usd: 0.1 });
    const sessions = await Promise.all(Array.from({ length: 4 }, (_, i) => open(new ScriptedUpstream({ chunkDelayMs: 5, ...costly(10) }), { id: `s${i}`, runBudget })));
    const outcomes = await Promise.all(
      sessions.flatMap((s) => Array.from({ length: 5 }, () => s.client.messages.stream(ask('go', 1000)).finalMessage().then(() => 200, (e: APIError) => bodyOf(e).clade_limit))),
    );
    // 20 answers would cost $0.30: most are refused, by the run and by nothing else.
    const served = outcomes.filter((o) => o === 200).length;
    expect(served).toBeGreaterThan(0);
    expect(outcomes.filter((o) => o === 'run')).toHaveLength(20 - served);
    // Each reservation bounds its answer, so the run never goes over.
    expect(runBudget.spent.usd).toBeCloseTo(served * 0.015, 9);
    expect(runBudget.spent.usd).toBeLessThanOrEqual(0.1);
    expect(runBudget.reserved.usd).toBe(0);
  });
});

describe('gateway unfixable errors: a bad key or model is a typed fact on the session', () => {
  it('records a scripted 401 and a 404, forwarded to the client as before; the first one wins', async () => {
    const bad = await open(new ScriptedUpstream({ responses: [errorEntry(401, 'authentication_error', 'invalid x-api-key'), errorEntry(404, 'not_found_error', 'model: claude-nope')] }));
    await expect(bad.client.messages.create(ask('hi'))).rejects.toBeInstanceOf(AuthenticationError);
    expect(bad.session.unfixable).toEqual({ status: 401, type: 'authentication_error', message: 'invalid x-api-key' });
    await expect(bad.client.messages.create(ask('hi'))).rejects.toBeInstanceOf(NotFoundError);
    expect(bad.session.unfixable?.status).toBe(401);

    const missing = await open(new ScriptedUpstream({ responses: [errorEntry(404, 'not_found_error', 'model: claude-nope')] }));
    await expect(missing.client.messages.stream(ask('hi')).finalMessage()).rejects.toBeInstanceOf(NotFoundError);
    expect(missing.session.unfixable).toEqual({ status: 404, type: 'not_found_error', message: 'model: claude-nope' });
  });

  it('leaves it unset for errors waiting can fix, and for the gateway`s own refusals', async () => {
    const { session, client } = await open(new ScriptedUpstream({ responses: [errorEntry(529, 'overloaded_error', 'Overloaded'), errorEntry(429, 'rate_limit_error', 'slow down')] }), { budget: { usd: 0.001 } });
    await expect(client.messages.create(ask('hi', 1))).rejects.toMatchObject({ status: 529 });
    await expect(client.messages.create(ask('hi', 1))).rejects.toMatchObject({ status: 429 });
    await expect(client.messages.create(ask('hi', 10_000))).rejects.toMatchObject({ status: 402 });
    await expect(client.post('/v1/nowhere', { body: {} })).rejects.toMatchObject({ status: 404 });
    expect(session.unfixable).toBeUndefined();
  });

  it('maps an OpenAI-compatible server`s 401 and 404 the same way, and checks its model list for free', async () => {
    const statuses: number[] = [];
    const server = createServer((req, res) => {
      req.resume();
      req.on('end', () => {
        const status = req.method === 'GET' ? (statuses.shift() ?? 200) : 401;
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(JSON.stringify(status === 200 ? { object: 'list', data: [{ id: 'qwen2.5-coder:7b' }, { id: 'llama3:latest' }] } : { error: { message: status === 401 ? 'bad key' : 'no such route' } }));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    onCleanup(async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    });
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
    const upstream = new OpenAICompatibleUpstream(url, { apiKey: 'sk-wrong' });

    const { session, client } = await open(upstream);
    await expect(client.messages.create({ ...ask('hi'), model: 'qwen2.5-coder:7b' })).rejects.toBeInstanceOf(AuthenticationError);
    expect(session.unfixable).toMatchObject({ status: 401, type: 'authentication_error', message: expect.stringMatching(/bad key.*OPENAI_API_KEY/) });

    expect(await probeAccess(upstream, 'qwen2.5-coder:7b')).toMatch(/lists model "qwen2.5-coder:7b"/);
    expect(await probeAccess(upstream, 'llama3')).toMatch(/lists model "llama3"/);
    await expect(probeAccess(upstream, 'claude-sonnet-4-6')).rejects.toThrow(/model "claude-sonnet-4-6" was not found.*"qwen2.5-coder:7b", "llama3:latest".*--model-name/);
    statuses.push(401);
    await expect(probeAccess(upstream, 'qwen2.5-coder:7b')).rejects.toThrow(/key was refused.*401.*bad key.*OPENAI_API_KEY/);
    statuses.push(404);
    await expect(probeAccess(upstream, 'qwen2.5-coder:7b')).rejects.toThrow(/404.*GET .*\/v1\/models.*--model openai-compatible:URL/);
  });
});

describe('clade doctor --model: a free call checks the key and the model name', () => {
  const doctor = (args: string[], env: Record<string, string> = {}) => execa('node', [bin, 'doctor', '--json', ...args], { reject: false, env, timeout: 180_000 });
  const accessCheck = (stdout: string) => (JSON.parse(stdout) as { checks: Array<{ name: string; ok: boolean; required: boolean; detail: string }> }).checks.find((c) => c.name === 'model access');

  it('fails with exit 1 on a refused key or a missing model, naming the problem and the fix', async () => {
    const dir = await tempDir();
    const badKey = await scriptFile({ responses: [errorEntry(401, 'authentication_error', 'invalid x-api-key')] }, dir);
    const r = await doctor(['--model', `scripted:${badKey}`]);
    expect(r.exitCode).toBe(1);
    expect(accessCheck(r.stdout)).toMatchObject({ ok: false, required: true, detail: expect.stringMatching(/key was refused.*401 authentication_error: invalid x-api-key.*Fix: check ANTHROPIC_API_KEY/) });

    const noModel = await scriptFile({ conversations: [{ match: '.', responses: [errorEntry(404, 'not_found_error', 'model: claude-nope')] }] }, await tempDir());
    const m = await doctor(['--model', `scripted:${noModel}`, '--model-name', 'claude-nope']);
    expect(m.exitCode).toBe(1);
    expect(accessCheck(m.stdout)?.detail).toMatch(/model "claude-nope" was not found.*--model-name/);

    const human = await execa('node', [bin, 'doctor', '--model', `scripted:${badKey}`], { reject: false, timeout: 180_000 });
    expect(human.stdout).toMatch(/FAIL model access +the key was refused/);
  });

  it('passes the check with a good script, and without --model does not run it', async () => {
    const good = await scriptFile({ responses: [textReply('fine')] });
    const r = await doctor(['--model', `scripted:${good}`, '--model-name', 'claude-haiku-4-5']);
    expect(accessCheck(r.stdout)).toMatchObject({ ok: true, required: true, detail: expect.stringContaining('claude-haiku-4-5') });
    expect(accessCheck((await doctor([])).stdout)).toBeUndefined();
    const keyless = await doctor(['--model', 'anthropic'], { ANTHROPIC_API_KEY: '' });
    expect(keyless.exitCode).toBe(1);
    expect(accessCheck(keyless.stdout)?.detail).toMatch(/needs ANTHROPIC_API_KEY/);
  });
});
