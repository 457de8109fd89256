// Runs inside a sandbox: the unmodified @anthropic-ai/sdk, reaching the model only through the gateway's socket.
// Each argument is one request of a conversation ("create", "stream" or "count"); after a tool_use turn the probe
// answers every tool call with a tool_result, as an agent would. It prints one JSON line per request.
import type Anthropic from '@anthropic-ai/sdk';
import { sdkOverSocket } from '../client.ts';

const client = sdkOverSocket(process.env.CLADE_GATEWAY_SOCKET ?? '/run/clade/gateway.sock');

type Param = Anthropic.MessageParam;
const tools: Anthropic.Tool[] = [{ name: 'bash', description: 'Run a shell command', input_schema: { type: 'object', properties: { command: { type: 'string' } }, required: ['command'] } }];

async function main(): Promise<void> {
  const messages: Param[] = [{ role: 'user', content: process.env.CLADE_PROBE_PROMPT ?? 'Say hello, then list the files.' }];
  const steps = process.argv.slice(2);
  for (const [step, mode] of steps.entries()) {
    const params = { model: process.env.CLADE_PROBE_MODEL ?? 'claude-sonnet-4-6', max_tokens: 1024, messages, tools };
    try {
      if (mode === 'count') {
        const counted = await client.messages.countTokens({ model: params.model, messages, tools });
        console.log(JSON.stringify({ step, mode, input_tokens: counted.input_tokens }));
        continue;
      }
      let streamedText = '';
      let message: Anthropic.Message;
      if (mode === 'stream') {
        const stream = client.messages.stream(params);
        stream.on('text', (t) => (streamedText += t));
        message = await stream.finalMessage();
      } else {
        message = await client.messages.create(params);
      }
      console.log(JSON.stringify({ step, mode, id: message.id, stop_reason: message.stop_reason, content: message.content, usage: message.usage, streamedText }));
      messages.push({ role: 'assistant', content: message.content });
      const calls = message.content.filter((b): b is Anthropic.ToolUseBlock => b.type === 'tool_use');
      messages.push(
        calls.length
          ? { role: 'user', content: calls.map((c) => ({ type: 'tool_result' as const, tool_use_id: c.id, content: 'ok' })) }
          : { role: 'user', content: 'continue' },
      );
    } catch (err) {
      const e = err as { status?: number; error?: { error?: { type?: string; message?: string } }; message: string };
      console.log(JSON.stringify({ step, mode, error: { status: e.status ?? null, type: e.error?.error?.type ?? null, message: e.error?.error?.message ?? e.message } }));
      process.exitCode = 3;
      return;
    }
  }
}

void main();
