// How `clade chat` talks to an agent: the session contract of agent/CONTRACT.md ("Interactive session"), JSON lines
// both ways. The agent is a variant and so untrusted: every line it prints is validated, and a bad one becomes a
// visible `error` event rather than a crash. The UI only sees SessionTransport, so where the agent runs (a host
// process here, a sandbox in sandbox-transport.ts) does not matter to it.
import { spawn, type ChildProcess } from 'node:child_process';
import { dirname } from 'node:path';
import { createInterface } from 'node:readline';
import { z } from 'zod';
import { agentEnv, spawnInHostSandbox, type HostIsolation } from '../../sandbox/host-sandbox.ts';

export type SessionInput =
  | { type: 'user_message'; text: string }
  | { type: 'approval'; id: string; decision: 'allow' | 'allow_session' | 'deny'; reason?: string }
  | { type: 'cancel' }
  | { type: 'shutdown' };

const Totals = z.object({
  turns: z.number(),
  inputTokens: z.number(),
  outputTokens: z.number(),
  cacheReadTokens: z.number(),
  cacheCreationTokens: z.number(),
  costUsd: z.number(),
});

const Usage = z.looseObject({
  input_tokens: z.number(),
  output_tokens: z.number(),
  cache_read_input_tokens: z.number().nullish(),
  cache_creation_input_tokens: z.number().nullish(),
});

// Loose objects: a variant may add fields of its own, and that is no reason to reject its events.
export const SessionEvent = z.discriminatedUnion('type', [
  z.looseObject({ type: z.literal('ready'), version: z.string(), model: z.string(), tools: z.array(z.string()) }),
  z.looseObject({ type: z.literal('text'), text: z.string() }),
  z.looseObject({ type: z.literal('thinking'), text: z.string() }),
  z.looseObject({
    type: z.literal('model_call'),
    turn: z.number(),
    message: z.looseObject({ usage: Usage }),
    costUsd: z.number(),
    durationMs: z.number(),
    contextTokens: z.number(),
  }),
  z.looseObject({ type: z.literal('tool_call'), id: z.string(), name: z.string(), input: z.unknown(), description: z.string() }),
  z.looseObject({ type: z.literal('approval_request'), id: z.string(), name: z.string(), input: z.unknown(), description: z.string() }),
  z.looseObject({
    type: z.literal('tool_result'),
    id: z.string(),
    name: z.string(),
    output: z.string(),
    display: z.string().nullish(),
    isError: z.boolean(),
    errorCode: z.string().nullish(),
    durationMs: z.number(),
  }),
  z.looseObject({ type: z.literal('context_elided'), results: z.number(), contextTokens: z.number() }),
  z.looseObject({ type: z.literal('turn_end'), reason: z.string(), error: z.string().nullish(), totals: Totals }),
  z.looseObject({ type: z.literal('error'), message: z.string() }),
]);
export type SessionEvent = z.infer<typeof SessionEvent>;
export type EventOf<T extends SessionEvent['type']> = Extract<SessionEvent, { type: T }>;

export interface SessionTransport {
  send(msg: SessionInput): void;
  /** The agent's events, validated; ends when the agent has gone. Iterate it once. */
  events: AsyncIterable<SessionEvent>;
  /** Asks the agent to shut down, then makes sure it has; safe to call more than once. */
  close(): Promise<void>;
}

/** One line the agent printed, as an event; anything that does not fit the contract is an `error` event. */
export function parseEvent(line: string): SessionEvent {
  let json: unknown;
  try {
    json = JSON.parse(line);
  } catch {
    return { type: 'error', message: `the agent printed a line that is not JSON: ${line.slice(0, 200)}` };
  }
  const parsed = SessionEvent.safeParse(json);
  if (parsed.success) return parsed.data;
  const issues = parsed.error.issues.map((i) => `${i.path.join('.') || '(event)'}: ${i.message}`).join('; ');
  return { type: 'error', message: `the agent sent an event that breaks the session contract (${issues}): ${line.slice(0, 200)}` };
}

/** A single-consumer queue that is also an async iterable: producers push from callbacks, the UI awaits. */
export class EventQueue<T> implements AsyncIterable<T> {
  private items: T[] = [];
  private waiting: ((r: IteratorResult<T>) => void) | undefined;
  private ended = false;

  push(item: T): void {
    if (this.ended) return;
    if (this.waiting) {
      const resolve = this.waiting;
      this.waiting = undefined;
      resolve({ value: item, done: false });
    } else this.items.push(item);
  }

  end(): void {
    this.ended = true;
    if (this.waiting) this.waiting({ value: undefined, done: true });
    this.waiting = undefined;
  }

  async *[Symbol.asyncIterator](): AsyncIterator<T> {
    while (true) {
      if (this.items.length) {
        yield this.items.shift()!;
        continue;
      }
      if (this.ended) return;
      const next = await new Promise<IteratorResult<T>>((resolve) => (this.waiting = resolve));
      if (next.done) return;
      yield next.value;
    }
  }
}

const STDERR_KEEP = 16 * 1024;

/** An agent process, wherever it runs: its stdio, how it ended, and how to make sure it has. */
export interface AgentProcess {
  stdin: NodeJS.WritableStream;
  stdout: NodeJS.ReadableStream;
  stderr: NodeJS.ReadableStream;
  /** Resolves when the process has ended: undefined for a clean exit, else what ended it ("code 1", "SIGKILL"). */
  exited: Promise<string | undefined>;
  /** Called after `shutdown` was sent: ends the process if it does not go by itself. */
  stop(exited: Promise<void>): Promise<void>;
}

/** A transport over any process that speaks the contract on its stdin and stdout. */
export function processTransport(proc: AgentProcess, what = 'the agent'): SessionTransport {
  const queue = new EventQueue<SessionEvent>();
  let stderr = '';
  let closing = false;
  proc.stderr.setEncoding('utf8');
  proc.stderr.on('data', (chunk: string) => (stderr = (stderr + chunk).slice(-STDERR_KEEP)));
  const lines = createInterface({ input: proc.stdout });
  lines.on('line', (line) => {
    if (line.trim()) queue.push(parseEvent(line));
  });
  const linesDone = new Promise<void>((resolve) => lines.once('close', resolve));
  const exited = proc.exited.then((ending) => {
    // Only an exit nobody asked for is news; its stderr is the best explanation there is.
    if (!closing && ending) {
      const tail = stderr.trim().split('\n').slice(-15).join('\n');
      queue.push({ type: 'error', message: `${what} ${ending}${tail ? `:\n${tail}` : ''}` });
    }
  });
  void Promise.all([exited, linesDone]).then(() => queue.end());
  // A dead agent's stdin raises EPIPE; the exit is reported above, so the write error itself is noise.
  proc.stdin.on('error', () => {});

  const send = (msg: SessionInput) => {
    proc.stdin.write(JSON.stringify(msg) + '\n');
  };
  return {
    send,
    events: queue,
    async close() {
      if (!closing) {
        closing = true;
        send({ type: 'shutdown' });
      }
      await proc.stop(exited);
    },
  };
}

/** A transport over a child process on this machine (the host agent). */
export function childTransport(child: ChildProcess, what = 'the agent'): SessionTransport {
  const exited = new Promise<string | undefined>((resolve) => {
    child.once('error', (err) => resolve(`could not start: ${err.message}`));
    child.once('close', (code, signal) => resolve(code === 0 && !signal ? undefined : `exited (${signal ?? `code ${code}`})`));
  });
  return processTransport(
    {
      stdin: child.stdin!,
      stdout: child.stdout!,
      stderr: child.stderr!,
      exited,
      async stop(done) {
        child.stdin?.end();
        if (child.exitCode !== null || child.signalCode !== null) return done;
        const timer = setTimeout(() => child.kill('SIGTERM'), 3000);
        const killer = setTimeout(() => child.kill('SIGKILL'), 6000);
        await done;
        clearTimeout(timer);
        clearTimeout(killer);
      },
    },
    what,
  );
}

export interface HostSessionOptions {
  agentMjs: string;
  repo: string;
  socketPath: string;
  /** The model name the agent asks the gateway for. */
  model: string;
  autoApprove: boolean;
  /** In the OS sandbox (the default), or, only when the user said --unsafe-host, as a plain child process. */
  isolation?: HostIsolation;
  /** Clade's own files inside the repository (the gateway log, the build cache): read-only to the agent. */
  protect?: string[];
}

/**
 * Runs a built agent on the host, where it edits the repository in place: in the OS sandbox (its own PID and network
 * namespaces, the repository writable but its .git read-only, the gateway socket its only way out), or, with
 * --unsafe-host, as a plain child. Either way its environment holds only the gateway socket, never the key.
 */
export function spawnHostSession(opts: HostSessionOptions): SessionTransport {
  const args = [opts.agentMjs, 'session', '--repo', opts.repo, '--model', opts.model];
  if (opts.autoApprove) args.push('--auto-approve');
  if (opts.isolation?.kind === 'unsafe') {
    return childTransport(spawn(process.execPath, args, { cwd: opts.repo, env: agentEnv(opts.socketPath, opts.isolation), stdio: ['pipe', 'pipe', 'pipe'] }));
  }
  const child = spawnInHostSandbox([process.execPath, ...args], {
    repo: opts.repo,
    readOnly: [dirname(opts.agentMjs)],
    protect: opts.protect,
    sockets: [opts.socketPath],
    env: agentEnv(opts.socketPath, { kind: 'bwrap' }),
  });
  return childTransport(child);
}
