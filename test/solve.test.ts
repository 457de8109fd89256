// The seed agent end to end: scripted model -> gateway -> the built agent in a sandbox -> patch and trajectory.
import { describe, expect, it } from 'vitest';
import { execa } from 'execa';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { CallRecord } from '../gateway/server.ts';
import { scriptFile, tempDir } from './helpers.ts';

const bin = fileURLToPath(new URL('../bin/clade.js', import.meta.url));
const fixture = fileURLToPath(new URL('./fixtures/range-lib', import.meta.url));

const FIX_SCRIPT = {
  responses: [
    { content: [{ type: 'text', text: 'Let me read range.' }, { type: 'tool_use', name: 'str_replace_based_edit_tool', input: { command: 'view', path: 'lib/range.js' } }], stop_reason: 'tool_use' },
    { content: [{ type: 'tool_use', name: 'str_replace_based_edit_tool', input: { command: 'str_replace', path: 'lib/range.js', old_str: 'i < end - 1;', new_str: 'i < end;' } }], stop_reason: 'tool_use' },
    { content: [{ type: 'tool_use', name: 'bash', input: { command: 'node --test 2>&1 | grep -E "^# (pass|fail)"' } }], stop_reason: 'tool_use' },
    { content: [{ type: 'text', text: 'The loop stopped one short of end; it now runs to end - 1 inclusive.' }], stop_reason: 'end_turn' },
  ],
};

async function solve(script: object, extra: string[] = [], env: Record<string, string> = {}) {
  const work = await tempDir();
  const problem = join(work, 'problem.md');
  writeFileSync(problem, 'range(0, 3) returns [0, 1] but should return [0, 1, 2].\n');
  const out = join(work, 'out');
  const r = await execa('node', [bin, 'solve', '--repo', fixture, '--problem', problem, '--out', out, '--model', `scripted:${await scriptFile(script, work)}`, '--json', ...extra], { reject: false, timeout: 600_000, env });
  return { r, out };
}

describe('clade solve with the seed agent in the sandbox', () => {
  it('views, fixes with str_replace, runs the tests and ends: the patch is exactly the fix, every step is recorded', async () => {
    const { r, out } = await solve(FIX_SCRIPT);
    expect(r.stderr).not.toMatch(/Error/);
    expect(r.exitCode).toBe(0);
    const result = JSON.parse(r.stdout) as { patch: string; agent: { exitCode: number }; spent: { requests: number } };
    expect(result.agent.exitCode).toBe(0);
    expect(result.spent.requests).toBe(4);

    const patch = readFileSync(join(out, 'patch.diff'), 'utf8');
    expect(patch).toBe(result.patch);
    expect(patch.match(/^diff --git/gm)).toHaveLength(1);
    expect(patch).toContain('diff --git a/lib/range.js b/lib/range.js');
    expect(patch.split('\n').filter((l) => /^[-+][^-+]/.test(l))).toEqual(['-  for (let i = start; i < end - 1; i += step) out.push(i);', '+  for (let i = start; i < end; i += step) out.push(i);']);
    // The fixture on the host is untouched: the agent worked on a copy.
    expect(readFileSync(join(fixture, 'lib/range.js'), 'utf8')).toContain('i < end - 1;');
    // And the patch applies to a fresh copy and makes the tests pass.
    const check = await tempDir();
    await execa('cp', ['-r', `${fixture}/.`, check]);
    await execa('git', ['apply', join(out, 'patch.diff')], { cwd: check });
    expect((await execa('node', ['--test'], { cwd: check, reject: false })).exitCode).toBe(0);

    const steps = readFileSync(join(out, 'trajectory.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown> & { output: string; usage: { input_tokens: number; output_tokens: number }; durationMs: number; error: string });
    expect(steps.map((s) => s.type)).toEqual(['start', 'model_call', 'tool_call', 'model_call', 'tool_call', 'model_call', 'tool_call', 'model_call', 'turn_end']);
    for (const call of steps.filter((s) => s.type === 'model_call')) {
      expect(call.usage.input_tokens).toBeGreaterThan(0);
      expect(call.usage.output_tokens).toBeGreaterThan(0);
      expect(call.durationMs).toBeGreaterThanOrEqual(0);
    }
    expect(steps[2]).toMatchObject({ name: 'str_replace_based_edit_tool', isError: false });
    expect(steps[2]!.output).toContain('i < end - 1;');
    expect(steps[4]!.output).toMatch(/^Edited lib\/range\.js/);
    expect(steps[6]!.output).toBe('# pass 2\n# fail 0\n[exit code 0]');
    expect(steps.at(-1)).toMatchObject({ type: 'turn_end', reason: 'end_turn', totals: { turns: 4 } });
  });

  it('sends requests whose cache breakpoints move forward with the conversation', async () => {
    const { r, out } = await solve(FIX_SCRIPT);
    expect(r.exitCode).toBe(0);
    const calls = readFileSync(join(out, 'gateway.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as CallRecord);
    const bodies = calls.filter((c) => c.endpoint === '/v1/messages').map((c) => c.request as { messages: Array<{ role: string; content: unknown }>; system: Array<{ cache_control?: unknown }>; tools: Array<{ cache_control?: unknown }> });
    expect(bodies).toHaveLength(4);
    const marked = bodies.map((b) => b.messages.flatMap((m, i) => (Array.isArray(m.content) && m.content.some((x: { cache_control?: unknown }) => x.cache_control) ? [i] : [])));
    expect(marked).toEqual([[0], [0, 2], [2, 4], [4, 6]]);
    for (const b of bodies) {
      expect(b.system[0]!.cache_control).toEqual({ type: 'ephemeral' });
      expect(b.tools.at(-1)!.cache_control).toEqual({ type: 'ephemeral' });
    }
  });

  it('stops at the gateway budget with a valid trajectory, and an empty patch', async () => {
    const { r, out } = await solve(FIX_SCRIPT, ['--budget-requests', '1']);
    expect(r.exitCode).toBe(0);
    const steps = readFileSync(join(out, 'trajectory.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown> & { output: string; usage: { input_tokens: number; output_tokens: number }; durationMs: number; error: string });
    expect(steps.at(-1)).toMatchObject({ type: 'turn_end', reason: 'error' });
    expect(steps.at(-1)!.error).toMatch(/402.*request budget exhausted/);
    expect(readFileSync(join(out, 'patch.diff'), 'utf8')).toBe('');
  });

  it('runs the agent on the host with --local, with no Docker needed, to the same patch', async () => {
    const { r, out } = await solve(FIX_SCRIPT, ['--local'], { CLADE_DOCKER_SOCKET: '/nonexistent/docker.sock' });
    expect(r.stderr).not.toMatch(/Error/);
    expect(r.exitCode).toBe(0);
    const patch = readFileSync(join(out, 'patch.diff'), 'utf8');
    expect(patch.split('\n').filter((l) => /^[-+][^-+]/.test(l))).toEqual(['-  for (let i = start; i < end - 1; i += step) out.push(i);', '+  for (let i = start; i < end; i += step) out.push(i);']);
    const steps = readFileSync(join(out, 'trajectory.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { type: string; output?: string });
    expect(steps.filter((s) => s.type === 'tool_call').at(-1)!.output).toBe('# pass 2\n# fail 0\n[exit code 0]');
  });

  it('explains a missing problem file or an unknown model', async () => {
    const r = await execa('node', [bin, 'solve', '--repo', fixture, '--problem', '/nonexistent.md', '--out', '/tmp/x'], { reject: false });
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toContain('--problem /nonexistent.md does not exist');
    const dir = await tempDir();
    writeFileSync(join(dir, 'p.md'), 'x');
    const m = await execa('node', [bin, 'solve', '--repo', fixture, '--problem', join(dir, 'p.md'), '--out', dir, '--model', 'gpt-9'], { reject: false });
    expect(m.stderr).toContain('unknown model upstream "gpt-9"');
  });
});
