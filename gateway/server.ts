// The gateway: the only road from a sandbox to a model. Each session listens on its own Unix socket, which is
// bind-mounted into that session's container; the socket is the session's identity, so no header a variant writes
// can draw on another session's budget. The API key, budgets and the call log stay on the host.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { appendFile, chmod, mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { Message } from '@anthropic-ai/sdk/resources/messages';
import type { z } from 'zod';
import { Budget, type BudgetLimits, type Spend } from './budget.ts';
import { MessagesRequest, CountTokensRequest, describeIssues } from './schema.ts';
import { sseFrame } from './sse.ts';
import { ApiError, type Upstream } from './upstream.ts';

/** Where a container finds its gateway: mount `socketDir` here (read-only is enough to connect). */
export const CONTAINER_GATEWAY_DIR = '/run/clade';
export const SOCKET_NAME = 'gateway.sock';
/** The API's own request size limit. */
const MAX_BODY_BYTES = 32 * 1024 * 1024;

export interface GatewaySessionOptions {
  id: string;
  upstream: Upstream;
  budget?: BudgetLimits;
  /** JSONL file of every request and response; none if omitted. */
  logPath?: string;
  /** Directory to create the socket in; a fresh temporary one by default. */
  socketDir?: string;
}

export interface CallRecord {
  seq: number;
  session: string;
  time: string;
  durationMs: number;
  endpoint: string;
  stream: boolean;
  status: number;
  request: unknown;
  response?: unknown;
  error?: { type: string; message: string };
  costUsd?: number;
  spent: Spend;
}

export class GatewaySession {
  readonly budget: Budget;
  private seq = 0;
  private logChain: Promise<void> = Promise.resolve();

  private constructor(
    readonly id: string,
    readonly upstream: Upstream,
    readonly socketDir: string,
    readonly logPath: string | undefined,
    private readonly server: Server,
    private readonly ownsDir: boolean,
    limits: BudgetLimits,
  ) {
    this.budget = new Budget(limits);
  }

  get socketPath(): string {
    return join(this.socketDir, SOCKET_NAME);
  }

  /** The bind mount that gives a container this session's socket at CONTAINER_GATEWAY_DIR. */
  get mount(): { hostPath: string; containerPath: string; readOnly: boolean } {
    return { hostPath: this.socketDir, containerPath: CONTAINER_GATEWAY_DIR, readOnly: true };
  }

  static async open(opts: GatewaySessionOptions): Promise<GatewaySession> {
    const ownsDir = !opts.socketDir;
    const socketDir = opts.socketDir ?? (await mkdtemp(join(tmpdir(), 'clade-gw-')));
    await mkdir(socketDir, { recursive: true });
    // The sandbox user is not root, and must be able to reach the socket through the mount.
    await chmod(socketDir, 0o755);
    if (opts.logPath) await mkdir(dirname(opts.logPath), { recursive: true });
    const server = createServer();
    const session = new GatewaySession(opts.id, opts.upstream.fork(), socketDir, opts.logPath, server, ownsDir, opts.budget ?? {});
    server.on('request', (req, res) => void session.handle(req, res));
    const socketPath = session.socketPath;
    await rm(socketPath, { force: true });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(socketPath, () => resolve());
    });
    await chmod(socketPath, 0o666);
    return session;
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
    await this.logChain;
    if (this.ownsDir) await rm(this.socketDir, { recursive: true, force: true });
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const started = Date.now();
    const seq = ++this.seq;
    const path = (req.url ?? '/').split('?')[0]!;
    const record: CallRecord = { seq, session: this.id, time: new Date(started).toISOString(), durationMs: 0, endpoint: path, stream: false, status: 0, request: undefined, spent: this.budget.spent };
    res.setHeader('request-id', `req_clade_${this.id}_${seq}`);
    const controller = new AbortController();
    res.on('close', () => controller.abort());
    try {
      if (req.method !== 'POST' || (path !== '/v1/messages' && path !== '/v1/messages/count_tokens')) {
        throw new ApiError(404, 'not_found_error', `the gateway serves POST /v1/messages and POST /v1/messages/count_tokens, not ${req.method} ${path}`);
      }
      const raw = await readBody(req);
      record.request = raw;
      if (path === '/v1/messages/count_tokens') {
        const body = validate(CountTokensRequest, raw);
        const counted = await this.upstream.countTokens(body, controller.signal);
        record.response = counted;
        this.sendJson(res, record, 200, counted);
        return;
      }
      const body = validate(MessagesRequest, raw);
      const refusal = this.budget.refusal();
      if (refusal) throw new ApiError(402, 'billing_error', `Clade gateway: ${refusal} for session ${this.id}. The run's budget is spent; stop and report.`);
      this.budget.admit();
      record.stream = body.stream === true;
      const message = record.stream ? await this.relayStream(body, res, record, controller.signal) : await this.upstream.create(body, controller.signal);
      record.response = message;
      record.costUsd = this.budget.charge(body.model, message.usage, this.upstream.flatPrice);
      if (!record.stream) this.sendJson(res, record, 200, message);
    } catch (err) {
      const apiError = err instanceof ApiError ? err : new ApiError(500, 'api_error', `Clade gateway internal error: ${(err as Error).message}`);
      record.error = apiError.body().error;
      if (res.headersSent) {
        // Mid-stream failure: the API reports it as an SSE error event.
        if (!res.writableEnded) res.end(sseFrame(apiError.body()));
      } else {
        // A refusal the caller cannot fix by waiting must not be retried by the SDK.
        if (apiError.status === 402 || apiError.status === 400) res.setHeader('x-should-retry', 'false');
        this.sendJson(res, record, apiError.status, apiError.body());
      }
      record.status ||= apiError.status;
    } finally {
      record.durationMs = Date.now() - started;
      record.spent = { ...this.budget.spent };
      this.writeLog(record);
    }
  }

  private async relayStream(body: MessagesRequest, res: ServerResponse, record: CallRecord, signal: AbortSignal): Promise<Message> {
    const upstream = await this.upstream.stream(body, signal);
    const iterator = upstream.events[Symbol.asyncIterator]();
    // Wait for the first event before committing to 200, so an upstream refusal keeps its real status.
    let next = await iterator.next();
    res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache', connection: 'keep-alive' });
    record.status = 200;
    while (!next.done) {
      res.write(sseFrame(next.value));
      next = await iterator.next();
    }
    res.end();
    return upstream.final();
  }

  private sendJson(res: ServerResponse, record: CallRecord, status: number, body: unknown): void {
    record.status = status;
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body));
  }

  private writeLog(record: CallRecord): void {
    if (!this.logPath) return;
    const line = JSON.stringify(record) + '\n';
    const path = this.logPath;
    this.logChain = this.logChain.then(() => appendFile(path, line)).catch((err) => {
      process.stderr.write(`clade gateway: cannot write call log ${path}: ${(err as Error).message}\n`);
    });
  }

  /** Resolves once every call so far is in the log. */
  flush(): Promise<void> {
    return this.logChain;
  }
}

function readBody(req: IncomingMessage): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY_BYTES) {
        reject(new ApiError(413, 'request_too_large', `request body exceeds ${MAX_BODY_BYTES} bytes; shorten the conversation`));
        req.destroy();
        return;
      }
      chunks.push(c);
    });
    req.on('error', reject);
    req.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      try {
        resolve(JSON.parse(text));
      } catch (err) {
        reject(new ApiError(400, 'invalid_request_error', `request body is not valid JSON (${(err as Error).message}); send a Messages API request body`));
      }
    });
  });
}

function validate<T extends z.ZodType>(schema: T, raw: unknown): z.infer<T> {
  const parsed = schema.safeParse(raw);
  if (!parsed.success) throw new ApiError(400, 'invalid_request_error', `invalid Messages API request: ${describeIssues(parsed.error)}`);
  return parsed.data;
}
