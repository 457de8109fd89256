// A scripted Messages API on a Unix socket, for the agent's own tests (agent/ imports nothing from outside itself, so
// it cannot use Clade's gateway). It streams like the API, records every request body, and answers count_tokens.
import { createServer, type Server } from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export type Block = { type: 'text'; text: string } | { type: 'tool_use'; id?: string; name: string; input: unknown };
export type Reply = { content: Block[]; stop_reason?: string; usage?: { input_tokens: number; output_tokens: number } } | { status: number; error: string };

export interface FakeModel {
  socketPath: string;
  requests: Array<Record<string, any>>;
  countRequests: Array<Record<string, any>>;
  /** Tokens count_tokens reports for a request; the default counts four characters a token. */
  countTokens: (body: Record<string, any>) => number;
  close(): Promise<void>;
}

const sse = (type: string, data: object) => `event: ${type}\ndata: ${JSON.stringify({ type, ...data })}\n\n`;

export async function fakeModel(replies: Reply[], opts: { delayMs?: number } = {}): Promise<FakeModel> {
  const dir = mkdtempSync(join(tmpdir(), 'fake-model-'));
  const socketPath = join(dir, 'model.sock');
  let next = 0;
  const model: FakeModel = {
    socketPath,
    requests: [],
    countRequests: [],
    countTokens: (body) => Math.ceil(JSON.stringify(body).length / 4),
    close: () => new Promise<void>((resolve) => server.close(() => (rmSync(dir, { recursive: true, force: true }), resolve()))),
  };
  const server: Server = createServer((req, res) => {
    let raw = '';
    req.on('data', (c) => (raw += c));
    req.on('end', async () => {
      const body = JSON.parse(raw) as Record<string, any>;
      if (req.url?.startsWith('/v1/messages/count_tokens')) {
        model.countRequests.push(body);
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ input_tokens: model.countTokens(body) }));
        return;
      }
      model.requests.push(body);
      const reply = replies[next++];
      if (!reply) {
        res.writeHead(400, { 'content-type': 'application/json', 'x-should-retry': 'false' }).end(JSON.stringify({ type: 'error', error: { type: 'invalid_request_error', message: 'fake model: script exhausted' } }));
        return;
      }
      if ('error' in reply) {
        res.writeHead(reply.status, { 'content-type': 'application/json' }).end(JSON.stringify({ type: 'error', error: { type: reply.error, message: reply.error } }));
        return;
      }
      const content = reply.content.map((b, i) => (b.type === 'tool_use' ? { ...b, id: b.id ?? `toolu_${next}_${i}` } : b));
      const usage = reply.usage ?? { input_tokens: Math.ceil(raw.length / 4), output_tokens: 20 };
      const message = { id: `msg_${next}`, type: 'message', role: 'assistant', model: body.model, content, stop_reason: reply.stop_reason ?? (content.some((b) => b.type === 'tool_use') ? 'tool_use' : 'end_turn'), stop_sequence: null, usage };
      if (!body.stream) {
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(message));
        return;
      }
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.write(sse('message_start', { message: { ...message, content: [], stop_reason: null, usage: { ...usage, output_tokens: 1 } } }));
      for (const [index, block] of content.entries()) {
        if (block.type === 'text') {
          res.write(sse('content_block_start', { index, content_block: { type: 'text', text: '' } }));
          for (let i = 0; i < block.text.length; i += 8) {
            if (opts.delayMs) await new Promise((r) => setTimeout(r, opts.delayMs));
            if (res.destroyed) return;
            res.write(sse('content_block_delta', { index, delta: { type: 'text_delta', text: block.text.slice(i, i + 8) } }));
          }
        } else {
          res.write(sse('content_block_start', { index, content_block: { ...block, input: {} } }));
          res.write(sse('content_block_delta', { index, delta: { type: 'input_json_delta', partial_json: JSON.stringify(block.input) } }));
        }
        res.write(sse('content_block_stop', { index }));
      }
      res.write(sse('message_delta', { delta: { stop_reason: message.stop_reason, stop_sequence: null }, usage: { output_tokens: usage.output_tokens } }));
      res.end(sse('message_stop', {}));
    });
  });
  await new Promise<void>((resolve) => server.listen(socketPath, resolve));
  return model;
}

export const text = (t: string): Reply => ({ content: [{ type: 'text', text: t }] });
export const tool = (name: string, input: unknown, say = ''): Reply => ({ content: [...(say ? [{ type: 'text' as const, text: say }] : []), { type: 'tool_use', name, input }] });
