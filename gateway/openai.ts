// An upstream for local models: the Messages API translated to OpenAI Chat Completions (Ollama, vLLM, llama.cpp
// server, LM Studio...) and back, so agents that speak only Messages can run on them. What has no Chat Completions
// counterpart (extended thinking, images, prompt caching, exact token counts) is listed in README.md.
import { randomUUID } from 'node:crypto';
import { Agent as HttpAgent, fetch, type Response } from 'undici';
import { z } from 'zod';
import type { Message, RawMessageStreamEvent, StopReason } from '@anthropic-ai/sdk/resources/messages';
import { type CountTokensRequest, type MessagesRequest } from './schema.ts';
import { describeIssues } from '../lib/zod-issues.ts';
import { ApiError, estimateTokens, type Upstream, type UpstreamStream } from './upstream.ts';

// ---- What the server sends back, validated loosely: local servers add fields of their own. ----

const Arguments = z.union([z.string(), z.record(z.string(), z.unknown())]).nullish();

const Completion = z.looseObject({
  id: z.string().nullish(),
  choices: z
    .array(
      z.looseObject({
        message: z.looseObject({
          content: z.string().nullish(),
          tool_calls: z.array(z.looseObject({ id: z.string().nullish(), function: z.looseObject({ name: z.string(), arguments: Arguments }) })).nullish(),
        }),
        finish_reason: z.string().nullish(),
      }),
    )
    .min(1),
  usage: z.looseObject({ prompt_tokens: z.number().nullish(), completion_tokens: z.number().nullish() }).nullish(),
});
type Completion = z.infer<typeof Completion>;

const Chunk = z.looseObject({
  id: z.string().nullish(),
  choices: z
    .array(
      z.looseObject({
        delta: z
          .looseObject({
            content: z.string().nullish(),
            tool_calls: z
              .array(
                z.looseObject({
                  index: z.number().int().nonnegative().nullish(),
                  id: z.string().nullish(),
                  function: z.looseObject({ name: z.string().nullish(), arguments: z.string().nullish() }).nullish(),
                }),
              )
              .nullish(),
          })
          .nullish(),
        finish_reason: z.string().nullish(),
      }),
    )
    .nullish(),
  usage: Completion.shape.usage,
  // Some servers report a failure inside an already-started stream.
  error: z.unknown().optional(),
});
type Chunk = z.infer<typeof Chunk>;
type ToolCallDelta = NonNullable<NonNullable<NonNullable<Chunk['choices']>[number]['delta']>['tool_calls']>[number];

// GET /models: OpenAI, Ollama, vLLM, llama.cpp server and LM Studio all answer {"data": [{"id": ...}, ...]}.
const ModelList = z.looseObject({ data: z.array(z.looseObject({ id: z.string() })) });

// OpenAI, llama.cpp and Ollama say {"error": {"message"}}, older vLLM {"message"}, FastAPI {"detail"}.
const ErrorBody = z.looseObject({
  error: z.union([z.string(), z.looseObject({ message: z.string().nullish() })]).nullish(),
  message: z.string().nullish(),
  detail: z.unknown().optional(),
});

// ---- Messages request -> Chat Completions request ----

type Block = { type: string; [key: string]: unknown };
type ChatMessage =
  | { role: 'system' | 'user'; content: string }
  | { role: 'assistant'; content: string | null; tool_calls?: Array<{ id: string; type: 'function'; function: { name: string; arguments: string } }> }
  | { role: 'tool'; tool_call_id: string; content: string };

const IMAGE_NOTE = '[image omitted: the OpenAI-compatible upstream passes text only]';

/** Text of one block as a text-only model will see it; what cannot be sent leaves a note, so the model knows. */
function blockText(block: Block): string {
  if (block.type === 'text') return String(block.text ?? '');
  if (block.type === 'image') return IMAGE_NOTE;
  // Chat Completions has no field for the model's earlier reasoning, and a note about it would only be noise.
  if (block.type === 'thinking' || block.type === 'redacted_thinking') return '';
  return `[${block.type} block omitted: the OpenAI-compatible upstream passes text only]`;
}

function flatten(content: unknown): string {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return '';
  return (content as Block[]).map(blockText).filter(Boolean).join('\n\n');
}

function chatMessages(body: MessagesRequest): ChatMessage[] {
  const out: ChatMessage[] = [];
  const system = flatten(body.system);
  if (system) out.push({ role: 'system', content: system });
  for (const message of body.messages) {
    const blocks: Block[] = typeof message.content === 'string' ? [{ type: 'text', text: message.content }] : message.content;
    if (message.role === 'assistant') {
      const text = blocks.filter((b) => b.type === 'text').map(blockText).join('');
      const calls = blocks
        .filter((b) => b.type === 'tool_use')
        .map((b) => ({ id: String(b.id), type: 'function' as const, function: { name: String(b.name), arguments: JSON.stringify(b.input ?? {}) } }));
      out.push(calls.length ? { role: 'assistant', content: text || null, tool_calls: calls } : { role: 'assistant', content: text });
      continue;
    }
    // Tool results must directly follow the assistant message that called the tools, so they go first.
    for (const b of blocks.filter((b) => b.type === 'tool_result')) {
      const text = flatten(b.content);
      out.push({ role: 'tool', tool_call_id: String(b.tool_use_id), content: b.is_error ? `[tool error] ${text}` : text });
    }
    const rest = blocks.filter((b) => b.type !== 'tool_result').map(blockText).filter(Boolean).join('\n\n');
    if (rest) out.push({ role: 'user', content: rest });
  }
  return out;
}

function chatTools(tools: MessagesRequest['tools']): unknown[] | undefined {
  if (!tools?.length) return undefined;
  return tools.map((tool) => {
    if (!tool.input_schema) {
      throw new ApiError(400, 'invalid_request_error', `tool "${tool.name}" has no input_schema: the OpenAI-compatible upstream can pass only custom tools, not Anthropic-defined or server tools (type ${String(tool.type)}). Fix: define the tool with a name, description and input_schema.`);
    }
    return { type: 'function', function: { name: tool.name, description: tool.description, parameters: tool.input_schema } };
  });
}

function chatToolChoice(choice: unknown): unknown {
  const c = choice as { type?: string; name?: string } | undefined;
  switch (c?.type) {
    case 'auto':
      return 'auto';
    case 'any':
      return 'required';
    case 'none':
      return 'none';
    case 'tool':
      return { type: 'function', function: { name: c.name } };
    default:
      return undefined;
  }
}

/** The Chat Completions body. `thinking`, `top_k`, `metadata` and every cache_control are left behind. */
function chatRequest(body: MessagesRequest, stream: boolean): Record<string, unknown> {
  const b = body as MessagesRequest & { temperature?: number; top_p?: number; stop_sequences?: string[]; tool_choice?: { disable_parallel_tool_use?: boolean } };
  const tools = chatTools(body.tools);
  // Undefined fields vanish in JSON.stringify.
  return {
    model: body.model,
    messages: chatMessages(body),
    max_tokens: body.max_tokens,
    temperature: b.temperature,
    top_p: b.top_p,
    stop: b.stop_sequences?.length ? b.stop_sequences : undefined,
    tools,
    tool_choice: tools ? chatToolChoice(b.tool_choice) : undefined,
    parallel_tool_calls: tools && b.tool_choice?.disable_parallel_tool_use ? false : undefined,
    ...(stream ? { stream: true, stream_options: { include_usage: true } } : {}),
  };
}

// ---- Chat Completions response -> Messages response ----

type TextOut = { type: 'text'; text: string; citations: null };
type ToolUseOut = { type: 'tool_use'; id: string; name: string; input: Record<string, unknown> };
type OutBlock = TextOut | ToolUseOut;

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Tool input from the model's arguments. Local models do emit broken JSON; `_raw` hands it to the agent's tool,
 * which rejects it with an error result the model can learn from, where throwing here would end the run. */
function parseArguments(args: string | Record<string, unknown> | null | undefined): Record<string, unknown> {
  if (isObject(args)) return args;
  if (!args?.trim()) return {};
  try {
    const parsed: unknown = JSON.parse(args);
    if (isObject(parsed)) return parsed;
  } catch {
    // falls through to _raw
  }
  return { _raw: args };
}

function toolUse(id: string | null | undefined, name: string, args: Parameters<typeof parseArguments>[0]): ToolUseOut {
  return { type: 'tool_use', id: id || `toolu_${randomUUID().replaceAll('-', '')}`, name, input: parseArguments(args) };
}

function stopReason(finish: string | null | undefined, content: OutBlock[]): StopReason {
  switch (finish) {
    case 'length':
      return 'max_tokens';
    case 'content_filter':
      return 'refusal';
    case 'tool_calls':
    case 'function_call':
      return 'tool_use';
  }
  // Some servers (Ollama among them) finish a tool call with "stop"; the agent loop only runs tools on tool_use.
  return content.some((b) => b.type === 'tool_use') ? 'tool_use' : 'end_turn';
}

type ChatUsage = Completion['usage'];

function usage(body: MessagesRequest, content: OutBlock[], reported: ChatUsage) {
  return {
    // Servers that report no usage are estimated, so budgets still count something.
    input_tokens: reported?.prompt_tokens ?? estimateTokens([body.system, body.messages, body.tools]),
    output_tokens: reported?.completion_tokens ?? estimateTokens(content),
    cache_creation_input_tokens: 0,
    cache_read_input_tokens: 0,
  };
}

function assemble(id: string, body: MessagesRequest, content: OutBlock[], stop_reason: StopReason | null, reported: ChatUsage): Message {
  return {
    id: `msg_${id}`,
    type: 'message',
    role: 'assistant',
    model: body.model,
    content,
    stop_reason,
    stop_sequence: null,
    container: null,
    usage: { ...usage(body, content, reported), server_tool_use: null, service_tier: null },
  } as unknown as Message;
}

function toMessage(completion: Completion, body: MessagesRequest): Message {
  const choice = completion.choices[0]!;
  const content: OutBlock[] = [];
  if (choice.message.content) content.push({ type: 'text', text: choice.message.content, citations: null });
  for (const call of choice.message.tool_calls ?? []) content.push(toolUse(call.id, call.function.name, call.function.arguments));
  return assemble(completion.id || randomUUID().replaceAll('-', ''), body, content, stopReason(choice.finish_reason, content), completion.usage);
}

/** Turns Chat Completions chunks into Messages stream events as they come. Text is passed on delta by delta; a tool
 * call is held until the stream ends, because its arguments may turn out not to be JSON, and the SDK parses every
 * input_json_delta it receives: such a call then goes out whole, as `{"_raw": ...}`. */
class StreamTranslator {
  private id: string | undefined;
  private readonly content: OutBlock[] = [];
  private text: TextOut | undefined;
  private readonly calls = new Map<number, { id: string; name: string; fragments: string[] }>();
  private finish: string | null | undefined;
  private reported: ChatUsage;
  private result: Message | undefined;

  constructor(private readonly body: MessagesRequest) {}

  get finished(): boolean {
    return this.finish != null;
  }

  *chunk(chunk: Chunk): Generator<RawMessageStreamEvent> {
    yield* this.start(chunk.id);
    if (chunk.usage) this.reported = chunk.usage;
    const choice = chunk.choices?.[0];
    if (!choice) return;
    if (choice.finish_reason) this.finish = choice.finish_reason;
    for (const call of choice.delta?.tool_calls ?? []) this.collect(call);
    const text = choice.delta?.content;
    if (!text) return;
    if (!this.text) {
      this.content.push((this.text = { type: 'text', text: '', citations: null }));
      yield { type: 'content_block_start', index: this.content.length - 1, content_block: { type: 'text', text: '', citations: null } };
    }
    this.text.text += text;
    yield { type: 'content_block_delta', index: this.content.indexOf(this.text), delta: { type: 'text_delta', text } };
  }

  *end(): Generator<RawMessageStreamEvent> {
    yield* this.start(undefined);
    if (this.text) yield { type: 'content_block_stop', index: this.content.indexOf(this.text) };
    for (const call of this.calls.values()) {
      const args = call.fragments.join('');
      const block = toolUse(call.id, call.name, args);
      const index = this.content.push(block) - 1;
      yield { type: 'content_block_start', index, content_block: { ...block, input: {} } } as RawMessageStreamEvent;
      // The server's own fragments when they make up the input; otherwise the input we settled on, in one piece.
      const parts = isObject(tryJson(args)) ? call.fragments : [JSON.stringify(block.input)];
      for (const partial_json of parts) yield { type: 'content_block_delta', index, delta: { type: 'input_json_delta', partial_json } };
      yield { type: 'content_block_stop', index };
    }
    this.result = assemble(this.id!, this.body, this.content, stopReason(this.finish, this.content), this.reported);
    const { usage } = this.result;
    yield {
      type: 'message_delta',
      delta: { stop_reason: this.result.stop_reason, stop_sequence: null, container: null },
      usage: { input_tokens: usage.input_tokens, output_tokens: usage.output_tokens, cache_creation_input_tokens: 0, cache_read_input_tokens: 0, server_tool_use: null },
    } as RawMessageStreamEvent;
    yield { type: 'message_stop' };
  }

  /** The assembled message, once end() has run. */
  message(): Message {
    if (!this.result) throw new ApiError(500, 'api_error', 'the streamed message was asked for before its stream ended');
    return this.result;
  }

  private *start(id: string | null | undefined): Generator<RawMessageStreamEvent> {
    if (this.id) return;
    this.id = id || randomUUID().replaceAll('-', '');
    // Real counts come with the last chunk, and message_delta carries them.
    yield { type: 'message_start', message: assemble(this.id, this.body, [], null, { completion_tokens: 0 }) };
  }

  private collect(delta: ToolCallDelta): void {
    // `index` tells parallel calls apart; a server that leaves it out sends them one after another.
    const last = [...this.calls.values()].at(-1);
    const key = delta.index ?? (!last || (delta.id && delta.id !== last.id) ? this.calls.size : this.calls.size - 1);
    let call = this.calls.get(key);
    if (!call) this.calls.set(key, (call = { id: '', name: '', fragments: [] }));
    call.id ||= delta.id ?? '';
    call.name ||= delta.function?.name ?? '';
    if (delta.function?.arguments) call.fragments.push(delta.function.arguments);
  }
}

function tryJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** The `data:` payloads of a server-sent event stream, one per event. */
async function* sseData(body: AsyncIterable<Uint8Array> | Iterable<Uint8Array>): AsyncGenerator<string> {
  const decoder = new TextDecoder();
  let buffer = '';
  let data: string[] = [];
  const lines = function* (final: boolean): Generator<string> {
    let nl: number;
    while ((nl = buffer.indexOf('\n')) >= 0) {
      const line = buffer.slice(0, nl).replace(/\r$/, '');
      buffer = buffer.slice(nl + 1);
      if (line === '' && data.length) {
        yield data.join('\n');
        data = [];
      } else if (line.startsWith('data:')) data.push(line.slice(5).replace(/^ /, ''));
    }
    if (final && buffer.startsWith('data:')) data.push(buffer.slice(5).replace(/^ /, ''));
    if (final && data.length) yield data.join('\n');
  };
  for await (const bytes of body) {
    buffer += decoder.decode(bytes, { stream: true });
    yield* lines(false);
  }
  buffer += decoder.decode();
  yield* lines(true);
}

// ---- Errors ----

function errorType(status: number): string {
  if (status === 400 || status === 422) return 'invalid_request_error';
  if (status === 401) return 'authentication_error';
  if (status === 403) return 'permission_error';
  if (status === 404) return 'not_found_error';
  if (status === 413) return 'request_too_large';
  if (status === 429) return 'rate_limit_error';
  if (status === 503 || status === 529) return 'overloaded_error';
  return status >= 500 ? 'api_error' : 'invalid_request_error';
}

function serverMessage(text: string): string {
  const parsed = ErrorBody.safeParse(tryJson(text));
  if (parsed.success) {
    const { error, message, detail } = parsed.data;
    const found: unknown = typeof error === 'string' ? error : (error?.message ?? message ?? detail);
    if (typeof found === 'string' && found) return found;
    if (found != null) return JSON.stringify(found);
  }
  return text.trim().slice(0, 500);
}

// ---- The upstream ----

export interface OpenAICompatibleOptions {
  /** Sent as a bearer token; most local servers want none. Defaults to OPENAI_API_KEY. */
  apiKey?: string;
}

export class OpenAICompatibleUpstream implements Upstream {
  readonly name: string;
  /** Local servers cost nothing per token; the pricing table's top rate would exhaust dollar budgets for nothing. */
  readonly flatPrice = { input: 0, output: 0 };
  private readonly url: string;
  private readonly modelsUrl: string;
  private readonly apiKey: string | undefined;
  // A local model on a CPU may think for many minutes before its first byte, past undici's default 5 minute timeouts;
  // so the limit here is generous, and the gateway aborts sooner when its own client gives up.
  private readonly dispatcher = new HttpAgent({ headersTimeout: 30 * 60_000, bodyTimeout: 30 * 60_000 });

  constructor(
    readonly baseUrl: string,
    opts: OpenAICompatibleOptions = {},
  ) {
    this.name = `openai-compatible:${baseUrl}`;
    const base = baseUrl.replace(/\/+$/, '');
    this.url = base.endsWith('/chat/completions') ? base : `${base}/chat/completions`;
    this.modelsUrl = `${this.url.slice(0, -'/chat/completions'.length)}/models`;
    this.apiKey = opts.apiKey ?? process.env.OPENAI_API_KEY;
  }

  fork(): Upstream {
    return this;
  }

  async create(body: MessagesRequest, signal: AbortSignal): Promise<Message> {
    const res = await this.post(chatRequest(body, false), signal);
    const text = await res.text().catch((err: unknown) => {
      throw this.networkError(err, signal);
    });
    return toMessage(this.validate(Completion, text, 'response'), body);
  }

  async stream(body: MessagesRequest, signal: AbortSignal): Promise<UpstreamStream> {
    const res = await this.post(chatRequest(body, true), signal);
    const translator = new StreamTranslator(body);
    return { events: this.events(res, translator, signal), final: async () => translator.message() };
  }

  private async *events(res: Response, translator: StreamTranslator, signal: AbortSignal): AsyncGenerator<RawMessageStreamEvent> {
    try {
      let done = false;
      for await (const data of sseData(res.body ?? [])) {
        if (data === '[DONE]') {
          done = true;
          break;
        }
        const chunk = this.validate(Chunk, data, 'stream chunk');
        if (chunk.error != null) throw this.streamError(chunk.error);
        yield* translator.chunk(chunk);
      }
      if (!done && !translator.finished) {
        throw new ApiError(502, 'api_error', `the stream from ${this.url} ended before its last chunk (no finish_reason, no [DONE]); the server may have crashed or run out of memory.`);
      }
      yield* translator.end();
    } catch (err) {
      throw err instanceof ApiError ? err : this.networkError(err, signal);
    }
  }

  /** Chat Completions has no standard counting endpoint (llama.cpp and vLLM each have their own /tokenize, Ollama
   * none), so this is the gateway's four-characters-a-token estimate, as for scripted runs. */
  async countTokens(body: CountTokensRequest): Promise<{ input_tokens: number }> {
    return { input_tokens: estimateTokens([body.system, body.messages, body.tools]) };
  }

  /** The server's model list (free), and whether `model` is in it: a missing one is a 404, as a request for it is. */
  async checkAccess(model: string, signal: AbortSignal): Promise<string> {
    const res = await this.send('GET', this.modelsUrl, undefined, model, signal);
    const text = await res.text().catch((err: unknown) => {
      throw this.networkError(err, signal);
    });
    const ids = this.validate(ModelList, text, 'model list', this.modelsUrl).data.map((m) => m.id);
    // Ollama serves "name" as "name:latest".
    if (ids.includes(model) || (!model.includes(':') && ids.includes(`${model}:latest`))) return `the server at ${this.modelsUrl} lists model "${model}"`;
    const shown = ids.length ? `it lists ${ids.slice(0, 20).map((id) => `"${id}"`).join(', ')}${ids.length > 20 ? `, and ${ids.length - 20} more` : ''}` : 'it lists none';
    throw new ApiError(404, 'not_found_error', `OpenAI-compatible server at ${this.modelsUrl} has no model "${model}": ${shown}. Fix: pass one of its models with --model-name (or pull it first, e.g. \`ollama pull ${model}\`).`);
  }

  private post(payload: Record<string, unknown>, signal: AbortSignal): Promise<Response> {
    return this.send('POST', this.url, JSON.stringify(payload), String(payload.model), signal);
  }

  private async send(method: 'GET' | 'POST', url: string, body: string | undefined, model: string, signal: AbortSignal): Promise<Response> {
    let res: Response;
    try {
      res = await fetch(url, {
        method,
        headers: { ...(body !== undefined ? { 'content-type': 'application/json' } : {}), ...(this.apiKey ? { authorization: `Bearer ${this.apiKey}` } : {}) },
        body,
        signal,
        dispatcher: this.dispatcher,
      });
    } catch (err) {
      throw this.networkError(err, signal);
    }
    if (res.ok) return res;
    const detail = (serverMessage(await res.text().catch(() => '')) || res.statusText).replace(/\.$/, '');
    const status = res.status >= 400 && res.status < 600 ? res.status : 502;
    let fix = '';
    if (res.status === 404) fix = ` The URL or the model name may be wrong: this was ${method} ${url} for model "${model}". Fix: check --model openai-compatible:URL (usually ending in /v1) and --model-name (a model the server has, e.g. from \`ollama list\` or GET /v1/models).`;
    if (res.status === 401 || res.status === 403) fix = ' Fix: set OPENAI_API_KEY in the host environment to the key the server expects.';
    throw new ApiError(status, errorType(status), `OpenAI-compatible server at ${url} answered ${res.status}: ${detail}.${fix}`);
  }

  private validate<T extends z.ZodType>(schema: T, text: string, what: string, url = this.url): z.infer<T> {
    const json = tryJson(text);
    if (json === undefined) throw new ApiError(502, 'api_error', `the ${what} from ${url} is not JSON: ${JSON.stringify(text.slice(0, 200))}`);
    const parsed = schema.safeParse(json);
    if (!parsed.success) throw new ApiError(502, 'api_error', `the ${what} from ${url} is not a Chat Completions ${what}: ${describeIssues(parsed.error)}`);
    return parsed.data;
  }

  private streamError(error: unknown): ApiError {
    const code = isObject(error) ? Number(error.code) : NaN;
    const status = code >= 400 && code < 600 ? code : 500;
    return new ApiError(status, errorType(status), `OpenAI-compatible server at ${this.url} failed mid-stream: ${serverMessage(JSON.stringify({ error }))}`);
  }

  private networkError(err: unknown, signal: AbortSignal): ApiError {
    if (signal.aborted) return new ApiError(502, 'api_error', `request to ${this.url} was cancelled`);
    const cause = (err as { cause?: { code?: string; message?: string } }).cause;
    if (cause?.code === 'ECONNREFUSED') {
      return new ApiError(502, 'api_error', `cannot connect to the OpenAI-compatible server at ${this.url}: connection refused. Is the server running? Fix: start it (e.g. \`ollama serve\`, \`vllm serve MODEL\`, \`llama-server -m FILE\`) or pass the URL it listens on with --model openai-compatible:URL.`);
    }
    return new ApiError(502, 'api_error', `request to the OpenAI-compatible server at ${this.url} failed: ${cause?.code ?? cause?.message ?? (err as Error).message}. Fix: check that the server is running and reachable at that URL.`);
  }
}
