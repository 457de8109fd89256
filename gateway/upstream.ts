// Where the gateway sends a request: the real API, or a script that stands in for it in tests and demos.
import { readFileSync } from 'node:fs';
import Anthropic from '@anthropic-ai/sdk';
import type { Message, RawMessageStreamEvent } from '@anthropic-ai/sdk/resources/messages';
import { Script, type CountTokensRequest, type MessagesRequest, type ScriptedEntry } from './schema.ts';
import { describeIssues } from '../lib/zod-issues.ts';
import { messageEvents } from './sse.ts';

/**
 * An error the gateway forwards in the API's own shape: `{type: "error", error: {type, message}}`. `fields` adds typed
 * facts beside the message (e.g. which limit refused a request), for callers that must not parse prose.
 */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly type: string,
    message: string,
    readonly fields: Record<string, string | number> = {},
  ) {
    super(message);
  }
  body(): { type: 'error'; error: { type: string; message: string } & Record<string, string | number> } {
    return { type: 'error', error: { ...this.fields, type: this.type, message: this.message } };
  }
}

export interface UpstreamStream {
  events: AsyncIterable<RawMessageStreamEvent>;
  /** Resolves after the last event with the assembled message, for logging and accounting. */
  final: () => Promise<Message>;
}

export interface Upstream {
  readonly name: string;
  /** A fresh upstream per gateway session: a script's cursor belongs to the session that reads it. */
  fork(): Upstream;
  create(body: MessagesRequest, signal: AbortSignal): Promise<Message>;
  stream(body: MessagesRequest, signal: AbortSignal): Promise<UpstreamStream>;
  countTokens(body: CountTokensRequest, signal: AbortSignal): Promise<{ input_tokens: number }>;
  /**
   * Checks with a free call that the key is accepted and `model` exists: resolves with what was checked, or rejects
   * with the upstream's ApiError (401/403 for the key, 404 for the model). Optional: stand-ins in tests have none.
   */
  checkAccess?(model: string, signal: AbortSignal): Promise<string>;
  /** Dollars per million input and output tokens when the price table does not apply (a local model is free). */
  readonly flatPrice?: { input: number; output: number };
}

/** A rough count (4 characters a token) for scripted runs, where there is no tokenizer to ask. */
export function estimateTokens(value: unknown): number {
  return Math.ceil(JSON.stringify(value ?? '').length / 4);
}

/** Every piece of text in a request, in order, for a conversation's `match` to search. */
function requestText(body: MessagesRequest): string {
  const parts: string[] = [];
  const visit = (v: unknown): void => {
    if (typeof v === 'string') parts.push(v);
    else if (Array.isArray(v)) v.forEach(visit);
    else if (v && typeof v === 'object') {
      const o = v as Record<string, unknown>;
      for (const key of ['text', 'content']) if (key in o) visit(o[key]);
    }
  };
  visit(body.system);
  for (const m of body.messages) visit(m.content);
  return parts.join('\n');
}

export class ScriptedUpstream implements Upstream {
  private cursor = 0;
  private responses: ScriptedEntry[] | undefined;
  readonly name: string;

  constructor(
    readonly script: Script,
    readonly source = 'inline script',
  ) {
    this.name = `scripted:${source}`;
  }

  static fromFile(file: string): ScriptedUpstream {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (err) {
      throw new Error(`scripted upstream: cannot read ${file} (${(err as NodeJS.ErrnoException).code ?? err}). Fix: pass --model scripted:PATH with an existing JSON file.`);
    }
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch (err) {
      throw new Error(`scripted upstream: ${file} is not valid JSON (${(err as Error).message}). Fix: the file must be {"responses": [ ...Messages API response bodies... ]}.`);
    }
    const parsed = Script.safeParse(json);
    if (!parsed.success) {
      throw new Error(`scripted upstream: ${file} does not match {"responses": [...]} or {"conversations": [{"match", "responses"}]}: ${describeIssues(parsed.error)}. Each response needs "content" (text/tool_use/thinking blocks) and "stop_reason", or is {"error": {status, type, message}}.`);
    }
    return new ScriptedUpstream(parsed.data, file);
  }

  fork(): Upstream {
    return new ScriptedUpstream(this.script, this.source);
  }

  private conversation(body: MessagesRequest): ScriptedEntry[] {
    if (this.responses) return this.responses;
    if (this.script.responses) return (this.responses = this.script.responses);
    const text = requestText(body);
    const found = this.script.conversations!.find((c) => new RegExp(c.match).test(text));
    if (!found) {
      throw new ApiError(400, 'invalid_request_error', `no scripted conversation in ${this.source} matches this session's first request, which begins: ${JSON.stringify(text.slice(0, 300))}. Fix: add a conversation whose "match" finds it.`);
    }
    return (this.responses = found.responses);
  }

  private next(body: MessagesRequest): Message {
    const responses = this.conversation(body);
    const index = this.cursor++;
    const entry: ScriptedEntry | undefined = responses[index];
    if (!entry) {
      throw new ApiError(400, 'invalid_request_error', `scripted upstream exhausted: ${this.source} has ${responses.length} responses for this conversation and this is request ${index + 1} of the session. Fix: add responses to the script, or stop the agent sooner.`);
    }
    if ('error' in entry) throw new ApiError(entry.error.status, entry.error.type, entry.error.message);
    const content = entry.content.map((block, i) => {
      if (block.type === 'text') return { type: 'text' as const, text: block.text, citations: null };
      if (block.type === 'thinking') return { type: 'thinking' as const, thinking: block.thinking, signature: block.signature ?? 'scripted' };
      return { type: 'tool_use' as const, id: block.id ?? `toolu_scripted_${index + 1}_${i}`, name: block.name, input: block.input };
    });
    const output = estimateTokens(entry.content);
    return {
      id: `msg_scripted_${index + 1}`,
      type: 'message',
      role: 'assistant',
      model: body.model,
      content,
      stop_reason: entry.stop_reason,
      stop_sequence: null,
      container: null,
      usage: {
        input_tokens: entry.usage?.input_tokens ?? estimateTokens([body.system, body.messages, body.tools]),
        output_tokens: entry.usage?.output_tokens ?? output,
        cache_creation_input_tokens: entry.usage?.cache_creation_input_tokens ?? 0,
        cache_read_input_tokens: entry.usage?.cache_read_input_tokens ?? 0,
        server_tool_use: null,
        service_tier: null,
      },
    } as Message;
  }

  async create(body: MessagesRequest): Promise<Message> {
    return this.next(body);
  }

  async stream(body: MessagesRequest, signal: AbortSignal): Promise<UpstreamStream> {
    const message = this.next(body);
    const delay = this.script.chunkDelayMs ?? 0;
    async function* events(): AsyncGenerator<RawMessageStreamEvent> {
      for (const event of messageEvents(message)) {
        if (signal.aborted) return;
        if (delay > 0 && event.type === 'content_block_delta') await new Promise((r) => setTimeout(r, delay));
        yield event;
      }
    }
    return { events: events(), final: async () => message };
  }

  async countTokens(body: CountTokensRequest): Promise<{ input_tokens: number }> {
    return { input_tokens: estimateTokens([body.system, body.messages, body.tools]) };
  }

  /** A script stands in for a key and a model through its first response: one that is a 401, 403 or 404 error
   * (of any conversation) fails the check, as the real upstream would fail the first call of a run. */
  async checkAccess(model: string): Promise<string> {
    const firsts = this.script.responses ? [this.script.responses[0]!] : this.script.conversations!.map((c) => c.responses[0]!);
    for (const entry of firsts) {
      if ('error' in entry && [401, 403, 404].includes(entry.error.status)) throw new ApiError(entry.error.status, entry.error.type, entry.error.message);
    }
    return `scripted upstream ${this.source} accepts model "${model}" (no key needed)`;
  }
}

/** The real Messages API. The key lives here, on the host, and nowhere else. */
export class AnthropicUpstream implements Upstream {
  readonly name = 'anthropic';
  private readonly client: Anthropic;

  constructor(apiKey = process.env.ANTHROPIC_API_KEY, baseURL = process.env.ANTHROPIC_BASE_URL) {
    if (!apiKey) throw new Error('upstream anthropic needs ANTHROPIC_API_KEY in the host environment. Fix: export it, or use --model scripted:FILE for an offline run.');
    // Retries belong to the agent, which sees the error; a gateway that also retried would multiply them.
    this.client = new Anthropic({ apiKey, baseURL, maxRetries: 0 });
  }

  fork(): Upstream {
    return this;
  }

  async create(body: MessagesRequest, signal: AbortSignal): Promise<Message> {
    try {
      return (await this.client.messages.create({ ...body, stream: false } as Anthropic.MessageCreateParamsNonStreaming, { signal })) as Message;
    } catch (err) {
      throw toApiError(err);
    }
  }

  async stream(body: MessagesRequest, signal: AbortSignal): Promise<UpstreamStream> {
    const stream = this.client.messages.stream({ ...body, stream: true } as unknown as Anthropic.MessageStreamParams, { signal });
    async function* events(): AsyncGenerator<RawMessageStreamEvent> {
      try {
        for await (const event of stream) yield event;
      } catch (err) {
        throw toApiError(err);
      }
    }
    return { events: events(), final: () => stream.finalMessage() };
  }

  async countTokens(body: CountTokensRequest, signal: AbortSignal): Promise<{ input_tokens: number }> {
    try {
      return await this.client.messages.countTokens(body as unknown as Anthropic.MessageCountTokensParams, { signal });
    } catch (err) {
      throw toApiError(err);
    }
  }

  /** count_tokens is free, and answers 401/403 for a bad key and 404 for a model that does not exist. */
  async checkAccess(model: string, signal: AbortSignal): Promise<string> {
    const { input_tokens } = await this.countTokens({ model, messages: [{ role: 'user', content: 'ping' }] }, signal);
    return `the key is accepted and model "${model}" exists (count_tokens, which is free, counted ${input_tokens} tokens)`;
  }
}

function toApiError(err: unknown): ApiError {
  if (err instanceof Anthropic.APIError && err.status) {
    const body = err.error as { error?: { type?: string; message?: string } } | undefined;
    return new ApiError(err.status, body?.error?.type ?? 'api_error', body?.error?.message ?? err.message);
  }
  return new ApiError(502, 'api_error', `upstream request failed: ${(err as Error).message}`);
}
