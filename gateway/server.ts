// The gateway: the only road from a sandbox to a model. Each session listens on its own Unix socket, which is
// bind-mounted into that session's container; the socket is the session's identity, so no header a variant writes
// can draw on another session's budget. The API key, budgets and the call log stay on the host.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { appendFile, chmod, mkdir, mkdtemp, open as openFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { Message } from '@anthropic-ai/sdk/resources/messages';
import type { z } from 'zod';
import { allowlistRefusal, quote } from './allowlist.ts';
import { Budget, type BudgetLimits, type Refusal, type Reservation, type Spend } from './budget.ts';
import { MessagesRequest, CountTokensRequest } from './schema.ts';
import { describeIssues } from '../lib/zod-issues.ts';
import { sseFrame } from './sse.ts';
import { ApiError, type Upstream } from './upstream.ts';

/** Where a container finds its gateway: mount `socketDir` here (read-only is enough to connect). */
export const CONTAINER_GATEWAY_DIR = '/run/clade';
export const SOCKET_NAME = 'gateway.sock';
const KiB = 1024;
const MiB = 1024 * KiB;
/** Bodies above this are refused before they are buffered: enough for a long conversation, not for a memory bomb. */
export const MAX_BODY_BYTES = 8 * MiB;
/** How much of a refused request the log keeps (with its size), and of a served request or a response. */
const LOG_REFUSED_BYTES = 64 * KiB;
const LOG_SERVED_BYTES = 256 * KiB;
/** Deeper JSON parses, but overflows the stack of JSON.stringify (the log, the upstream's SDK) and crashes the host. */
const MAX_JSON_DEPTH = 128;
/** Error messages quote the request (upstream ones too), so they are capped as well. */
const LOG_ERROR_CHARS = 4 * KiB;
/** Requests a session may have in flight; more get a 429. Open connections are capped at twice this. */
const DEFAULT_MAX_CONNECTIONS = 16;
/** Upstream answers no retry can fix: the key is wrong or lacks permission, or the model (or URL) does not exist. */
const UNFIXABLE_STATUSES = [401, 403, 404];

export interface GatewaySessionOptions {
  id: string;
  upstream: Upstream;
  budget?: BudgetLimits;
  /** The run's budget, one object shared by all its sessions: a request must fit in it as well as in `budget`. */
  runBudget?: Budget;
  /** JSONL file of every request and response; none if omitted. */
  logPath?: string;
  /** Directory to create the socket in; a fresh temporary one by default. */
  socketDir?: string;
  /** The run's model: when set, a request naming another model is refused. */
  model?: string;
  /** Requests served at once (default 16); more get a 429 with retry-after, and connections past twice this are closed. */
  maxConnections?: number;
}

export interface CallRecord {
  seq: number;
  session: string;
  time: string;
  durationMs: number;
  endpoint: string;
  stream: boolean;
  status: number;
  /** The body's size in bytes, as received (or as declared, for a body refused unread). */
  requestBytes?: number;
  /** The body, parsed; over the log's cap, `{truncated: true, bytes, head}` instead. */
  request: unknown;
  response?: unknown;
  error?: { type: string; message: string };
  /** What the request reserved of the dollar budget while in flight. */
  reservedUsd?: number;
  costUsd?: number;
  /** `costUsd` in integer micro-dollars, on every billed call (settled or forfeited): what the archive sums. */
  costMicros?: number;
  spent: Spend;
}

/** Which budget refused a request, in the words of the 402's typed `clade_limit` field. */
export type BudgetScope = 'session' | 'run';

/** An upstream error that waiting cannot fix: a bad key (401), a missing permission (403), no such model (404). */
export interface UnfixableError {
  status: number;
  type: string;
  message: string;
}

export class GatewaySession {
  readonly budget: Budget;
  private seq = 0;
  private active = 0;
  private logChain: Promise<void> = Promise.resolve();
  private readonly refused: Record<BudgetScope, number> = { session: 0, run: 0 };
  private firstUnfixable: UnfixableError | undefined;

  private constructor(
    readonly id: string,
    readonly upstream: Upstream,
    readonly socketDir: string,
    readonly logPath: string | undefined,
    private readonly server: Server,
    private readonly ownsDir: boolean,
    limits: BudgetLimits,
    readonly model: string | undefined,
    readonly maxConnections: number,
    readonly runBudget: Budget | undefined,
  ) {
    this.budget = new Budget(limits);
  }

  /** Requests refused with a 402, by the budget that refused them. */
  get refusals(): Readonly<Record<BudgetScope, number>> {
    return { ...this.refused };
  }

  /** The first upstream error no retry can fix, so a caller can stop the run rather than spend it on failures. */
  get unfixable(): UnfixableError | undefined {
    return this.firstUnfixable;
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
    const maxConnections = opts.maxConnections ?? DEFAULT_MAX_CONNECTIONS;
    if (!Number.isInteger(maxConnections) || maxConnections < 1) throw new Error(`gateway session ${opts.id}: maxConnections must be a positive integer, not ${maxConnections}`);
    const server = createServer();
    // Past this many sockets the server closes new ones at once, so idle or half-sent connections cannot pile up.
    server.maxConnections = 2 * maxConnections;
    const session = new GatewaySession(opts.id, opts.upstream.fork(), socketDir, opts.logPath, server, ownsDir, opts.budget ?? {}, opts.model, maxConnections, opts.runBudget);
    // handle() answers every error itself; anything that still escapes must not end the host process.
    server.on('request', (req, res) => session.handle(req, res).catch((err: Error) => process.stderr.write(`clade gateway: session ${opts.id}: ${err.message}\n`)));
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
    let text: string | undefined;
    let reservation: Reservation | undefined;
    // Set once the request reaches the upstream, whose errors (not the gateway's own refusals) may be unfixable.
    let forwarded = false;
    let logged = false;
    this.active += 1;
    try {
      if (req.method !== 'POST' || (path !== '/v1/messages' && path !== '/v1/messages/count_tokens')) {
        throw new ApiError(404, 'not_found_error', `the gateway serves POST /v1/messages and POST /v1/messages/count_tokens, not ${req.method} ${path}`);
      }
      if (this.active > this.maxConnections) {
        res.setHeader('retry-after', '1');
        throw new ApiError(429, 'rate_limit_error', `Clade gateway: session ${this.id} already has ${this.maxConnections} requests in flight, the most it may have. Wait for one to finish, then retry.`);
      }
      text = await readBody(req, record);
      const raw = parseJson(text);
      record.request = raw;
      const endpoint = path === '/v1/messages/count_tokens' ? 'count_tokens' : 'messages';
      const refused = allowlistRefusal(raw, endpoint);
      if (refused) throw new ApiError(400, 'invalid_request_error', `Clade gateway refuses this request: ${refused}`);
      if (endpoint === 'count_tokens') {
        const body = validate(CountTokensRequest, raw);
        this.checkModel(body.model);
        forwarded = true;
        const counted = await this.upstream.countTokens(body, controller.signal);
        record.response = counted;
        this.sendJson(res, record, 200, counted);
        return;
      }
      const body = validate(MessagesRequest, raw);
      this.checkModel(body.model);
      reservation = this.reserve(body, record.requestBytes!);
      record.reservedUsd = reservation.usd;
      record.stream = body.stream === true;
      forwarded = true;
      const relayed = record.stream ? await this.relayStream(body, res, record, controller.signal) : { message: await this.upstream.create(body, controller.signal), tail: '' };
      const message = relayed.message;
      record.response = message;
      record.costUsd = this.settle(reservation, body.model, message);
      reservation = undefined;
      record.status = 200;
      // The dollars are spent. Their line is on disk before the caller has the whole answer, so a crash, a kill or a
      // full disk after this point cannot leave a call that was paid for and not logged.
      logged = true;
      await this.writeLog(this.finish(record, started), text, true);
      if (record.stream) res.end(relayed.tail);
      else this.sendJson(res, record, 200, message);
    } catch (err) {
      const apiError = err instanceof ApiError ? err : new ApiError(500, 'api_error', `Clade gateway internal error: ${(err as Error).message}`);
      record.error = apiError.body().error;
      if (forwarded) this.noteUnfixable(apiError);
      if (res.headersSent) {
        // Mid-stream failure: the API reports it as an SSE error event.
        if (!res.writableEnded) res.end(sseFrame(apiError.body()));
      } else {
        // A refusal the caller cannot fix by waiting must not be retried by the SDK.
        if ([400, 402, 413, ...UNFIXABLE_STATUSES].includes(apiError.status)) res.setHeader('x-should-retry', 'false');
        // Refused unread or half read: close the connection rather than read the rest of the body.
        if (apiError.status === 413 || apiError.status === 429) res.setHeader('connection', 'close');
        this.sendJson(res, record, apiError.status, apiError.body());
      }
      record.status ||= apiError.status;
    } finally {
      this.active -= 1;
      if (reservation) {
        if (controller.signal.aborted) record.costUsd = this.forfeit(reservation);
        else this.release(reservation);
      }
      // A forfeited request is billed too, so its line is synced like a settled one's, though nobody waits for it.
      if (!logged) void this.writeLog(this.finish(record, started), text, record.costUsd !== undefined);
    }
  }

  /** Stamps the record with its duration, its cost in micro-dollars if billed, and the spend so far. */
  private finish(record: CallRecord, started: number): CallRecord {
    record.durationMs = Date.now() - started;
    if (record.costUsd !== undefined) record.costMicros = Math.round(record.costUsd * 1e6);
    record.spent = { ...this.budget.spent };
    return record;
  }

  private noteUnfixable(error: ApiError): void {
    if (this.firstUnfixable || !UNFIXABLE_STATUSES.includes(error.status)) return;
    this.firstUnfixable = { status: error.status, type: error.type, message: error.message.slice(0, LOG_ERROR_CHARS) };
  }

  private checkModel(model: string): void {
    if (this.model !== undefined && model !== this.model) {
      throw new ApiError(400, 'invalid_request_error', `Clade gateway: this session is pinned to model "${this.model}" (the run's model), and the request names ${quote(model)}. Fix: send "model": "${this.model}".`);
    }
  }

  /**
   * Holds the most this request can cost against the session's budget and the run's, or refuses it with a 402 naming
   * the budget and the limit. Both are checked before either holds anything, so a refusal leaves neither changed.
   */
  private reserve(body: MessagesRequest, bytes: number): Reservation {
    const args = [body.model, body.max_tokens, bytes, this.upstream.flatPrice] as const;
    const own = this.budget.admit(...args);
    const run = 'reservation' in own ? this.runBudget?.admit(...args) : undefined;
    if ('reservation' in own && (!run || 'reservation' in run)) {
      this.budget.take(own.reservation);
      this.runBudget?.take(own.reservation);
      return own.reservation;
    }
    const [scope, refusal] = 'refusal' in own ? (['session', own.refusal] as const) : (['run', (run as { refusal: Refusal }).refusal] as const);
    this.refused[scope] += 1;
    const { kind, exhausted, message } = refusal;
    const whose = scope === 'session' ? `for session ${this.id}` : `for the run (one budget shared by all its sessions; this is session ${this.id})`;
    const next = exhausted ? `The ${scope}'s budget is spent; stop and report.` : 'Fix: lower max_tokens or shorten the conversation, or stop and report.';
    throw new ApiError(402, 'billing_error', `Clade gateway: ${message} ${whose}. ${next}`, { clade_limit: scope, clade_limit_kind: kind });
  }

  private settle(reservation: Reservation, model: string, message: Message): number {
    this.runBudget?.settle(reservation, model, message.usage, this.upstream.flatPrice);
    return this.budget.settle(reservation, model, message.usage, this.upstream.flatPrice);
  }

  private release(reservation: Reservation): void {
    this.runBudget?.release(reservation);
    this.budget.release(reservation);
  }

  private forfeit(reservation: Reservation): number {
    this.runBudget?.forfeit(reservation);
    return this.budget.forfeit(reservation);
  }

  /**
   * Relays the stream up to its end, which it returns unsent as `tail` (`message_stop` onwards): the caller sends it
   * once the call is in the log, so a client that has the whole answer knows its cost is on disk.
   */
  private async relayStream(body: MessagesRequest, res: ServerResponse, record: CallRecord, signal: AbortSignal): Promise<{ message: Message; tail: string }> {
    const upstream = await this.upstream.stream(body, signal);
    const iterator = upstream.events[Symbol.asyncIterator]();
    // Wait for the first event before committing to 200, so an upstream refusal keeps its real status.
    let next = await iterator.next();
    res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache', connection: 'keep-alive' });
    record.status = 200;
    let tail = '';
    while (!next.done) {
      const frame = sseFrame(next.value);
      if (tail || next.value.type === 'message_stop') tail += frame;
      else res.write(frame);
      next = await iterator.next();
    }
    return { message: await upstream.final(), tail };
  }

  private sendJson(res: ServerResponse, record: CallRecord, status: number, body: unknown): void {
    record.status = status;
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body));
  }

  /**
   * Appends the record, with the request and response capped: a variant chooses their size, the host's disk does not.
   * A billed record (`sync`) is also flushed to disk, and the promise resolves then; records keep the order of their
   * calls to this method, since every write goes through the one chain.
   */
  private writeLog(record: CallRecord, text: string | undefined, sync: boolean): Promise<void> {
    if (!this.logPath) return Promise.resolve();
    const cap = record.status === 200 ? LOG_SERVED_BYTES : LOG_REFUSED_BYTES;
    if (text !== undefined && Buffer.byteLength(text) > cap) record.request = truncated(text, cap);
    else if (text !== undefined && record.request === undefined) record.request = text; // not JSON: kept as sent
    if (record.error && record.error.message.length > LOG_ERROR_CHARS) record.error = { ...record.error, message: `${record.error.message.slice(0, LOG_ERROR_CHARS)}…` };
    let line: string;
    try {
      const response = record.response === undefined ? undefined : JSON.stringify(record.response);
      if (response !== undefined && Buffer.byteLength(response) > LOG_SERVED_BYTES) record.response = truncated(response, LOG_SERVED_BYTES);
      line = JSON.stringify(record) + '\n';
    } catch (err) {
      // The log keeps a record of every call, even one whose body cannot be written out.
      line = JSON.stringify({ ...record, request: undefined, response: undefined, logError: (err as Error).message }) + '\n';
    }
    const path = this.logPath;
    this.logChain = this.logChain
      .then(() => (sync ? appendSynced(path, line) : appendFile(path, line)))
      .catch((err) => {
        process.stderr.write(`clade gateway: cannot write call log ${path}: ${(err as Error).message}\n`);
      });
    return this.logChain;
  }

  /** Resolves once every call so far is in the log. */
  flush(): Promise<void> {
    return this.logChain;
  }
}

/** Appends a line and waits until it is on disk (fdatasync: the data and the file's new size, not its timestamps). */
async function appendSynced(path: string, line: string): Promise<void> {
  const file = await openFile(path, 'a');
  try {
    await file.appendFile(line);
    await file.datasync();
  } finally {
    await file.close();
  }
}

/** The body as text, refused with a 413 past MAX_BODY_BYTES: unread if its declared length says so, else as it arrives. */
function readBody(req: IncomingMessage, record: CallRecord): Promise<string> {
  const tooLarge = (bytes: number, more: string) => new ApiError(413, 'request_too_large', `request body of ${more}${bytes} bytes exceeds the gateway's limit of ${MAX_BODY_BYTES} bytes (8 MiB). Fix: shorten the conversation, e.g. drop or elide old tool results.`);
  const declared = Number(req.headers['content-length']);
  if (declared > MAX_BODY_BYTES) {
    record.requestBytes = declared;
    return Promise.reject(tooLarge(declared, ''));
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (c: Buffer) => {
      size += c.length;
      record.requestBytes = size;
      if (size > MAX_BODY_BYTES) {
        // Stop reading: the 413 goes out with `connection: close`, and the rest of the body is never buffered.
        req.off('data', onData);
        req.pause();
        chunks.length = 0;
        reject(tooLarge(size, 'more than '));
        return;
      }
      chunks.push(c);
    };
    req.on('data', onData);
    req.on('error', reject);
    req.on('close', () => reject(new ApiError(400, 'invalid_request_error', 'the connection closed before the request body was complete')));
    req.on('end', () => {
      record.requestBytes = size;
      resolve(Buffer.concat(chunks).toString('utf8'));
    });
  });
}

function parseJson(text: string): unknown {
  if (nestingDepth(text) > MAX_JSON_DEPTH) {
    throw new ApiError(400, 'invalid_request_error', `request body is nested more than ${MAX_JSON_DEPTH} levels deep; the Messages API needs a handful. Fix: flatten the deepest value.`);
  }
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new ApiError(400, 'invalid_request_error', `request body is not valid JSON (${(err as Error).message.slice(0, 200)}); send a Messages API request body`);
  }
}

/** The deepest nesting of arrays and objects in a JSON text, brackets inside strings aside. */
function nestingDepth(text: string): number {
  let depth = 0;
  let max = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++; // backslash: skip the escaped character
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x5b || c === 0x7b) max = Math.max(max, ++depth);
    else if (c === 0x5d || c === 0x7d) depth--;
  }
  return max;
}

/** What the log keeps of a body over its cap: the size, and the beginning. */
function truncated(text: string, cap: number): { truncated: true; bytes: number; head: string } {
  return { truncated: true, bytes: Buffer.byteLength(text), head: Buffer.from(text).subarray(0, cap).toString('utf8') };
}

function validate<T extends z.ZodType>(schema: T, raw: unknown): z.infer<T> {
  const parsed = schema.safeParse(raw);
  if (!parsed.success) throw new ApiError(400, 'invalid_request_error', `invalid Messages API request: ${describeIssues(parsed.error)}`);
  return parsed.data;
}
