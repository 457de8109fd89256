// The real SDK, inside a real container with no network, reaching the scripted model only through the gateway.
import { describe, expect, inject, it } from 'vitest';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { GatewaySession, type CallRecord } from '../gateway/server.ts';
import { ScriptedUpstream } from '../gateway/upstream.ts';
import { sdkProbeBundle } from '../gateway/probe/bundle.ts';
import type { Script } from '../gateway/schema.ts';
import { withSandbox, type ExecResult } from '../sandbox/session.ts';
import { onCleanup, tempDir, textReply } from './helpers.ts';

const image = inject('sandboxImage');

const script: Script = {
  responses: [
    textReply('plain answer'),
    { content: [{ type: 'text', text: 'running a command' }, { type: 'tool_use', name: 'bash', input: { command: 'npm test -- --grep "adds numbers"' } }], stop_reason: 'tool_use' },
    textReply('streamed final answer'),
  ],
};

async function runProbe(steps: string[], budget = {}): Promise<{ result: ExecResult; lines: Array<Record<string, unknown>>; log: CallRecord[]; gateway: GatewaySession }> {
  const logPath = join(await tempDir(), 'calls.jsonl');
  const gateway = await GatewaySession.open({ id: 'probe', upstream: new ScriptedUpstream(script), budget, logPath });
  onCleanup(() => gateway.close());
  const result = await withSandbox({ image, mounts: [gateway.mount], lifetimeSec: 120 }, async (sb) => {
    await sb.writeFiles({ 'probe.cjs': await sdkProbeBundle() });
    return sb.exec(['node', 'probe.cjs', ...steps], { timeoutSec: 60 });
  });
  await gateway.flush();
  const lines = result.stdout.trim().split('\n').filter(Boolean).map((l) => JSON.parse(l) as Record<string, unknown>);
  const log = (await readFile(logPath, 'utf8')).trim().split('\n').map((l) => JSON.parse(l) as CallRecord);
  return { result, lines, log, gateway };
}

describe('the SDK inside the sandbox, through the gateway socket', () => {
  it('creates, streams tool_use and streams text, with usage, and every call is logged', async () => {
    const { result, lines, log } = await runProbe(['create', 'stream', 'stream', 'count']);
    expect(result.stderr).toBe('');
    expect(result.exitCode).toBe(0);
    expect(lines.map((l) => l.mode)).toEqual(['create', 'stream', 'stream', 'count']);
    expect(lines[0]).toMatchObject({ stop_reason: 'end_turn', content: [{ type: 'text', text: 'plain answer' }] });
    expect(lines[1]).toMatchObject({ stop_reason: 'tool_use', streamedText: 'running a command' });
    expect((lines[1]!.content as unknown[])[1]).toMatchObject({ type: 'tool_use', name: 'bash', input: { command: 'npm test -- --grep "adds numbers"' } });
    expect(lines[2]).toMatchObject({ stop_reason: 'end_turn', streamedText: 'streamed final answer' });
    expect((lines[2]!.usage as { output_tokens: number }).output_tokens).toBeGreaterThan(0);
    expect(lines[3]!.input_tokens).toBeGreaterThan(0);
    expect(log.map((r) => [r.endpoint, r.stream, r.status])).toEqual([
      ['/v1/messages', false, 200],
      ['/v1/messages', true, 200],
      ['/v1/messages', true, 200],
      ['/v1/messages/count_tokens', false, 200],
    ]);
    // The tool_result the probe sent back is the last message of the third request, as the conversation grows.
    const third = log[2]!.request as { messages: Array<{ role: string; content: unknown }> };
    expect(third.messages).toHaveLength(5);
    expect(third.messages[4]!.content).toEqual([{ type: 'tool_result', tool_use_id: 'toolu_scripted_2_1', content: 'ok' }]);
  });

  it('refuses the request past the budget, and the agent inside sees the billing error', async () => {
    const { result, lines, log, gateway } = await runProbe(['create', 'stream', 'stream'], { requests: 2 });
    expect(result.exitCode).toBe(3);
    expect(lines[2]).toMatchObject({ step: 2, error: { status: 402, type: 'billing_error' } });
    expect(String((lines[2]!.error as { message: string }).message)).toContain('request budget exhausted');
    expect(log.map((r) => r.status)).toEqual([200, 200, 402]);
    expect(gateway.budget.spent.requests).toBe(2);
  });

  it('cannot reach the gateway without the mount: the socket is the only road', async () => {
    const result = await withSandbox({ image, lifetimeSec: 60 }, async (sb) => {
      await sb.writeFiles({ 'probe.cjs': await sdkProbeBundle() });
      return sb.exec(['node', 'probe.cjs', 'create'], { timeoutSec: 30 });
    });
    expect(result.exitCode).toBe(3);
    expect(result.stdout).toMatch(/"error"/);
    expect(result.stdout).toMatch(/Connection error|ENOENT|fetch failed/i);
  });
});
