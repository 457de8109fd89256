// The agent's entry point, and its contract with Clade (CONTRACT.md):
//   clade-agent solve --repo DIR --problem FILE --out DIR     work on the repository in place, then exit
//   clade-agent session --repo DIR                            JSON lines on stdin/stdout, for interactive use
//   clade-agent --version
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { Agent, type AgentEvent, type Approval } from './loop.ts';
import { createClient } from './model.ts';
import { SYSTEM_PROMPT, solvePrompt } from './prompts.ts';
import { Toolbox } from './tools/index.ts';
import { Trajectory } from './trajectory.ts';

export const VERSION = '0.1.0';

function fail(message: string): never {
  process.stderr.write(`clade-agent: ${message}\n`);
  process.exit(2);
}

const OPTIONS = {
  repo: { type: 'string' },
  problem: { type: 'string' },
  out: { type: 'string' },
  model: { type: 'string', default: process.env.CLADE_MODEL ?? 'claude-sonnet-4-6' },
  'max-turns': { type: 'string', default: '50' },
  'max-cost': { type: 'string', default: '3' },
  'max-tokens': { type: 'string', default: '5000000' },
  'timeout': { type: 'string', default: '1800' },
  'thinking': { type: 'string' },
  'bash-timeout': { type: 'string', default: '120' },
  'auto-approve': { type: 'boolean', default: false },
  version: { type: 'boolean' },
} as const;

const { values, positionals } = (() => {
  try {
    return parseArgs({ allowPositionals: true, options: OPTIONS });
  } catch (err) {
    // An unknown flag or a missing value: a usage error, in one line.
    return fail((err as Error).message);
  }
})();

/**
 * A numeric flag's value, or exit 2 saying what it must be: Number('x') is NaN, and a NaN limit compares false with
 * everything, so it would silently lift the limit. Plain decimals only (Number would also take '', '0x10', 'Infinity').
 */
function numberFlag(name: keyof typeof OPTIONS, rule: { integer?: boolean }): number | undefined {
  const value = values[name];
  if (typeof value !== 'string') return undefined;
  const n = /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i.test(value) ? Number(value) : NaN;
  if (!(Number.isFinite(n) && n > 0 && (!rule.integer || Number.isInteger(n)))) {
    fail(`--${name} must be a positive ${rule.integer ? 'whole number' : 'number'}, got ${JSON.stringify(value)}`);
  }
  return n;
}

// Checked before any work, whichever command runs.
const flags = {
  maxTurns: numberFlag('max-turns', { integer: true })!,
  maxCost: numberFlag('max-cost', {})!,
  maxTokens: numberFlag('max-tokens', { integer: true })!,
  timeout: numberFlag('timeout', {})!,
  thinking: numberFlag('thinking', { integer: true }),
  bashTimeout: numberFlag('bash-timeout', {})!,
};

function makeAgent(repo: string, approve?: (call: { id: string; name: string; description: string }) => Promise<Approval>, approvedAll?: () => boolean): Agent {
  return new Agent({
    client: createClient(),
    model: values.model!,
    system: SYSTEM_PROMPT,
    toolbox: new Toolbox(repo, { timeoutSec: flags.bashTimeout }),
    limits: {
      maxTurns: flags.maxTurns,
      maxCostUsd: flags.maxCost,
      maxTotalTokens: flags.maxTokens,
      deadline: Date.now() + flags.timeout * 1000,
    },
    thinkingBudget: flags.thinking,
    approve,
    approvedAll,
  });
}

async function solve(): Promise<void> {
  if (!values.repo || !values.problem || !values.out) fail('usage: clade-agent solve --repo DIR --problem FILE --out DIR');
  const problem = readFileSync(values.problem, 'utf8');
  const trajectory = new Trajectory(join(values.out, 'trajectory.jsonl'));
  const agent = makeAgent(values.repo);
  trajectory.write({ type: 'start', version: VERSION, model: values.model, problem });
  const controller = new AbortController();
  process.once('SIGTERM', () => controller.abort());
  process.once('SIGINT', () => controller.abort());
  for await (const event of agent.send(solvePrompt(problem), controller.signal)) {
    trajectory.record(event);
    if (event.type === 'text') process.stdout.write(event.text);
    if (event.type === 'tool_call') process.stdout.write(`\n$ ${event.description}\n`);
    if (event.type === 'turn_end') process.stdout.write(`\n[${event.reason}] ${event.totals.turns} model calls, $${event.totals.costUsd.toFixed(4)}${event.error ? `: ${event.error}` : ''}\n`);
  }
  agent.opts.toolbox.close();
}

/** One JSON object per line each way; see CONTRACT.md for the messages. */
async function session(): Promise<void> {
  if (!values.repo) fail('usage: clade-agent session --repo DIR');
  const send = (event: object) => process.stdout.write(JSON.stringify(event) + '\n');
  const pending = new Map<string, (a: Approval) => void>();
  let allowAll = values['auto-approve'] === true;
  const approve = (call: { id: string }) => (allowAll ? Promise.resolve<Approval>({ decision: 'allow' }) : new Promise<Approval>((resolve) => pending.set(call.id, resolve)));
  const agent = makeAgent(values.repo, approve, () => allowAll);
  let turn: { controller: AbortController; done: Promise<void> } | undefined;
  send({ type: 'ready', version: VERSION, model: values.model, tools: agent.opts.toolbox.definitions().map((t) => t.name) });
  const input = createInterface({ input: process.stdin });
  for await (const line of input) {
    if (!line.trim()) continue;
    let msg: { type?: string; text?: string; id?: string; decision?: string; reason?: string };
    try {
      msg = JSON.parse(line);
    } catch {
      send({ type: 'error', message: `not JSON: ${line.slice(0, 200)}` });
      continue;
    }
    if (msg.type === 'user_message' && typeof msg.text === 'string') {
      if (turn) {
        send({ type: 'error', message: 'a turn is running; cancel it first or wait for turn_end' });
        continue;
      }
      const controller = new AbortController();
      const run = async () => {
        for await (const event of agent.send(msg.text!, controller.signal)) send(event satisfies AgentEvent);
        turn = undefined;
      };
      turn = { controller, done: run() };
    } else if (msg.type === 'approval' && msg.id && pending.has(msg.id)) {
      const resolve = pending.get(msg.id)!;
      pending.delete(msg.id);
      if (msg.decision === 'allow_session') allowAll = true;
      resolve(msg.decision === 'deny' ? { decision: 'deny', reason: msg.reason ?? '' } : { decision: 'allow' });
    } else if (msg.type === 'cancel') {
      turn?.controller.abort();
      for (const [id, resolve] of pending) resolve({ decision: 'deny', reason: 'cancelled' }), pending.delete(id);
    } else if (msg.type === 'shutdown') {
      break;
    } else {
      send({ type: 'error', message: `unknown message ${JSON.stringify(msg).slice(0, 200)}; expected user_message, approval, cancel or shutdown` });
    }
  }
  turn?.controller.abort();
  await turn?.done;
  agent.opts.toolbox.close();
  input.close();
  // Pooled model connections would keep the process alive; a session that was told to stop, stops.
  process.exit(0);
}

if (values.version) {
  process.stdout.write(`${VERSION}\n`);
} else if (positionals[0] === 'solve') {
  await solve();
} else if (positionals[0] === 'session') {
  await session();
} else {
  fail(`unknown command "${positionals[0] ?? ''}"; use solve, session or --version`);
}
