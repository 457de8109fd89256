// The contract of CONTRACT.md, checked on the built agent as a separate process. Every variant must pass it; point
// CLADE_AGENT_DIR at a variant's folder to check that variant.
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync, spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { fakeModel, text, tool, type FakeModel } from './fake-model.ts';
import { tempRepo } from './helpers.ts';

const agentDir = process.env.CLADE_AGENT_DIR ?? join(dirname(fileURLToPath(import.meta.url)), '..');
const bundle = join(agentDir, 'dist', 'agent.mjs');
const models: FakeModel[] = [];
afterEach(async () => {
  for (const m of models.splice(0)) await m.close();
});

beforeAll(() => {
  execFileSync('node', ['build.mjs'], { cwd: agentDir, stdio: 'inherit' });
});

function run(args: string[], env: Record<string, string>): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn('node', [bundle, ...args], { env: { PATH: process.env.PATH!, ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('headless solve', () => {
  it('works on the repository in place and writes a trajectory of every step', async () => {
    const model = await fakeModel([
      tool('str_replace_based_edit_tool', { command: 'view', path: 'src/add.js' }),
      tool('str_replace_based_edit_tool', { command: 'str_replace', path: 'src/add.js', old_str: 'a - b', new_str: 'a + b' }),
      tool('bash', { command: 'node test.js' }),
      text('Fixed add.'),
    ]);
    models.push(model);
    const repo = tempRepo({ 'src/add.js': 'exports.add = (a, b) => a - b;\n', 'test.js': "if (require('./src/add').add(2, 3) !== 5) process.exit(1);\nconsole.log('PASS');\n" });
    const out = tempRepo();
    writeFileSync(join(out, 'problem.md'), 'add(2, 3) returns -1 instead of 5.');
    const r = await run(['solve', '--repo', repo, '--problem', join(out, 'problem.md'), '--out', out], { CLADE_GATEWAY_SOCKET: model.socketPath });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(readFileSync(join(repo, 'src/add.js'), 'utf8')).toBe('exports.add = (a, b) => a + b;\n');
    const lines = readFileSync(join(out, 'trajectory.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    expect(lines.map((l) => l.type)).toEqual(['start', 'model_call', 'tool_call', 'model_call', 'tool_call', 'model_call', 'tool_call', 'model_call', 'turn_end']);
    expect(lines[0].problem).toContain('returns -1');
    for (const call of lines.filter((l) => l.type === 'model_call')) {
      expect(call.usage.input_tokens).toBeGreaterThan(0);
      expect(call.usage.output_tokens).toBeGreaterThan(0);
      expect(call.costUsd).toBeGreaterThan(0);
      expect(call.durationMs).toBeGreaterThanOrEqual(0);
    }
    expect(lines[6]).toMatchObject({ type: 'tool_call', name: 'bash', input: { command: 'node test.js' }, output: 'PASS\n[exit code 0]', isError: false });
    expect(lines.at(-1)).toMatchObject({ type: 'turn_end', reason: 'end_turn', totals: { turns: 4 } });
  });

  it('prints its version, and usage errors exit 2', async () => {
    expect((await run(['--version'], {})).stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
    const r = await run(['solve', '--repo', '/tmp'], {});
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('usage: clade-agent solve');
  });
});

describe('interactive session over JSON lines', () => {
  it('streams, asks for approval, runs the tool, cancels, and shuts down', async () => {
    const model = await fakeModel(
      [tool('bash', { command: 'echo approved > proof.txt && cat proof.txt' }, 'I will write a file.'), text('Done writing.'), text('a long reply that the user cancels '.repeat(30))],
      { delayMs: 5 },
    );
    models.push(model);
    const repo = tempRepo();
    const child = spawn('node', [bundle, 'session', '--repo', repo], { env: { PATH: process.env.PATH!, CLADE_GATEWAY_SOCKET: model.socketPath } });
    const events: Array<Record<string, any>> = [];
    const waiters: Array<{ match: (e: Record<string, any>) => boolean; resolve: (e: Record<string, any>) => void }> = [];
    createInterface({ input: child.stdout }).on('line', (line) => {
      const e = JSON.parse(line);
      events.push(e);
      for (const w of waiters.splice(0)) (w.match(e) ? w.resolve(e) : waiters.push(w));
    });
    const next = (match: (e: Record<string, any>) => boolean) =>
      new Promise<Record<string, any>>((resolve) => {
        const seen = events.find(match);
        if (seen) resolve(seen);
        else waiters.push({ match, resolve });
      });
    const say = (msg: object) => child.stdin.write(JSON.stringify(msg) + '\n');

    expect((await next((e) => e.type === 'ready')).tools).toEqual(['bash', 'str_replace_based_edit_tool', 'search', 'repo_map']);
    say({ type: 'user_message', text: 'write a file' });
    const ask = await next((e) => e.type === 'approval_request');
    expect(ask).toMatchObject({ name: 'bash', description: 'bash: echo approved > proof.txt && cat proof.txt' });
    say({ type: 'approval', id: ask.id, decision: 'allow' });
    expect((await next((e) => e.type === 'tool_result')).output).toBe('approved\n[exit code 0]');
    expect((await next((e) => e.type === 'turn_end')).reason).toBe('end_turn');
    expect(events.filter((e) => e.type === 'text').map((e) => e.text).join('')).toBe('I will write a file.Done writing.');
    expect(events.some((e) => e.type === 'model_call' && e.message.usage.output_tokens > 0)).toBe(true);

    events.length = 0;
    say({ type: 'user_message', text: 'talk a lot' });
    await next((e) => e.type === 'text');
    say({ type: 'cancel' });
    expect((await next((e) => e.type === 'turn_end')).reason).toBe('cancelled');

    say({ type: 'bogus' });
    expect((await next((e) => e.type === 'error')).message).toMatch(/unknown message/);
    child.stdin.write('not json\n');
    await next((e) => e.type === 'error' && /not JSON/.test(e.message));
    say({ type: 'shutdown' });
    const code = await new Promise((resolve) => child.on('close', resolve));
    expect(code).toBe(0);
    expect(readFileSync(join(repo, 'proof.txt'), 'utf8')).toBe('approved\n');
  });

  it('asks only when it waits: never under --auto-approve, and not again after allow_session', async () => {
    const session = async (args: string[], answer?: 'allow_session') => {
      const model = await fakeModel([tool('bash', { command: 'echo one >> log.txt' }), tool('bash', { command: 'echo two >> log.txt' }), text('Both done.')]);
      models.push(model);
      const repo = tempRepo();
      const child = spawn('node', [bundle, 'session', '--repo', repo, ...args], { env: { PATH: process.env.PATH!, CLADE_GATEWAY_SOCKET: model.socketPath } });
      const types: string[] = [];
      const ended = new Promise<void>((resolve) =>
        createInterface({ input: child.stdout }).on('line', (line) => {
          const e = JSON.parse(line);
          types.push(e.type);
          if (e.type === 'approval_request' && answer) child.stdin.write(JSON.stringify({ type: 'approval', id: e.id, decision: answer }) + '\n');
          if (e.type === 'turn_end') resolve();
        }),
      );
      child.stdin.write(JSON.stringify({ type: 'user_message', text: 'log twice' }) + '\n');
      await ended;
      child.stdin.write(JSON.stringify({ type: 'shutdown' }) + '\n');
      await new Promise((resolve) => child.on('close', resolve));
      return { requests: types.filter((t) => t === 'approval_request').length, errors: types.filter((t) => t === 'error').length, log: readFileSync(join(repo, 'log.txt'), 'utf8') };
    };
    expect(await session(['--auto-approve'])).toEqual({ requests: 0, errors: 0, log: 'one\ntwo\n' });
    expect(await session([], 'allow_session')).toEqual({ requests: 1, errors: 0, log: 'one\ntwo\n' });
  });
});
