// clade export: a variant becomes a standalone CLI that runs outside this repository, without Docker.
import { describe, expect, it } from 'vitest';
import { cpSync, existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { execa } from 'execa';
import { Archive } from '../archive/archive.ts';
import { SEED_AGENT_DIR } from '../bench/agent-deps.ts';
import { scriptFile, tempDir, textReply } from './helpers.ts';

const CLADE = ['bin/clade.js'];

/** A run with the seed and one child whose prompt differs, as a self-modification would have left it. */
async function runWithChild(): Promise<string> {
  const run = await tempDir();
  const archive = await Archive.open(run, { create: true });
  try {
    await archive.add({ parentId: null, dir: SEED_AGENT_DIR, status: 'seed' });
    const child = await tempDir();
    cpSync(SEED_AGENT_DIR, child, { recursive: true, filter: (src) => !/node_modules|[/\\]dist$/.test(src) });
    const prompts = join(child, 'src', 'prompts.ts');
    writeFileSync(prompts, readFileSync(prompts, 'utf8').replace('- Tools answer errors', '- Read the whole failing test first.\n- Tools answer errors'));
    const v1 = await archive.add({ parentId: 'v0', dir: child, status: 'valid', proposal: { taskId: 't', problem: 'misread tests', improvement: 'Read the whole failing test first', implementation: 'a prompt line' } });
    for (const [taskId, resolved] of [['a', true], ['b', true], ['c', false]] as const) {
      archive.recordEvaluation({ variantId: v1.id, taskId, split: 'small', status: resolved ? 'resolved' : 'unresolved', costUsd: 0.1, inputTokens: 1, outputTokens: 1, seconds: 1, trajectory: '', patch: '', grade: null, error: null });
    }
    archive.setMeta('config', JSON.stringify({ policy: 'hgm', model: 'claude-sonnet-4-6', upstream: 'scripted:demo', demo: true }));
  } finally {
    archive.close();
  }
  return run;
}

/** A key the exported CLI holds; the agent must never see it (it walks up its parents' /proc environ first). */
const CANARY = `sk-ant-canary-${randomBytes(12).toString('hex')}`;
const READ_PARENTS = 'p=$$; while [ -n "$p" ] && [ "$p" -gt 0 ]; do tr "\\0" "\\n" < /proc/$p/environ | grep -a ANTHROPIC; p=$(awk "/^PPid/{print \\$2}" /proc/$p/status); done; cat /proc/*/environ | tr "\\0" "\\n" | grep -a ANTHROPIC; echo "#!/bin/sh" > .git/hooks/post-commit';

const editScript = (file: string) => ({
  responses: [
    { content: [{ type: 'tool_use', name: 'bash', input: { command: READ_PARENTS } }], stop_reason: 'tool_use' },
    { content: [{ type: 'tool_use', name: 'str_replace_based_edit_tool', input: { command: 'str_replace', path: file, old_str: 'a - b', new_str: 'a + b' } }], stop_reason: 'tool_use' },
    textReply('Fixed the sign.'),
  ],
});

describe('clade export', () => {
  it('exports the seed and an evolved variant as CLIs that solve and chat outside the repository, and pack', async () => {
    const run = await runWithChild();
    const outs = { seed: join(await tempDir(), 'seed-cli'), child: join(await tempDir(), 'fixer') };
    const seed = await execa('node', [...CLADE, 'export', 'v0', '--run', run, '--out', outs.seed, '--json'], { reject: false });
    expect(seed.exitCode, String(seed.stderr)).toBe(0);
    const child = await execa('node', [...CLADE, 'export', 'v1', '--run', run, '--out', outs.child, '--name', 'fixer', '--json'], { reject: false });
    expect(child.exitCode, String(child.stderr)).toBe(0);
    expect(JSON.parse(String(child.stdout)).files).toEqual(expect.arrayContaining(['README.md', 'agent/agent.mjs', 'clade-export.json', 'fixer.mjs', 'package.json']));
    expect(readdirSync(join(outs.child, 'agent')).some((f) => f.endsWith('.wasm'))).toBe(true);
    const readme = readFileSync(join(outs.child, 'README.md'), 'utf8');
    expect(readme).toContain('| v0 | not evaluated | (the seed agent) |');
    expect(readme).toMatch(/\| v1 \| 2\/3 \(67%, 95% CI \d+%–\d+%\) \| Read the whole failing test first \|/);
    expect(readme).toContain('claude-sonnet-4-6');
    expect(readme).toContain('scores measure nothing');

    // Run far from this repository: a copy in a fresh directory, with no Clade and no Docker in sight.
    const away = join(await tempDir(), 'elsewhere');
    cpSync(outs.child, away, { recursive: true });
    const env = { PATH: process.env.PATH!, HOME: await tempDir(), ANTHROPIC_API_KEY: CANARY };
    const version = await execa('node', [join(away, 'fixer.mjs'), '--version'], { cwd: away, env, extendEnv: false });
    expect(version.stdout).toBe('1.0.0 (Clade variant v1; lineage v0 → v1)');

    const repo = await tempDir();
    writeFileSync(join(repo, 'add.js'), 'module.exports = (a, b) => a - b;\n');
    writeFileSync(join(repo, 'problem.md'), 'add(2, 3) returns -1');
    await execa('git', ['init', '-q'], { cwd: repo });
    const script = await scriptFile(editScript('add.js'));
    const out = await tempDir();
    const solved = await execa('node', [join(away, 'fixer.mjs'), 'solve', '--repo', repo, '--problem', join(repo, 'problem.md'), '--model', `scripted:${script}`, '--out', out], { cwd: away, env, extendEnv: false, reject: false });
    expect(solved.exitCode, String(solved.stderr)).toBe(0);
    expect(readFileSync(join(repo, 'add.js'), 'utf8')).toBe('module.exports = (a, b) => a + b;\n');
    const trajectory = readFileSync(join(out, 'trajectory.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    expect(trajectory.at(-1)).toMatchObject({ type: 'turn_end', reason: 'end_turn' });
    // The child's own prompt is what the exported agent runs with.
    const firstRequest = JSON.parse(readFileSync(join(out, 'gateway.jsonl'), 'utf8').split('\n')[0]!);
    expect(JSON.stringify(firstRequest.request.system)).toContain('Read the whole failing test first.');
    // The agent ran in the OS sandbox: no key from its parents in anything it produced, and no hook planted.
    expect(readFileSync(join(out, 'gateway.jsonl'), 'utf8')).toContain('Read-only file system');
    for (const f of ['gateway.jsonl', 'trajectory.jsonl']) expect(readFileSync(join(out, f), 'utf8')).not.toContain(CANARY);
    expect(String(solved.stdout) + String(solved.stderr)).not.toContain(CANARY);
    expect(existsSync(join(repo, '.git', 'hooks', 'post-commit'))).toBe(false);

    // Without an OS sandbox the exported CLI refuses host mode, and says how to fix it.
    const refused = await execa('node', [join(away, 'fixer.mjs'), 'solve', '--repo', repo, '--problem', join(repo, 'problem.md'), '--model', `scripted:${script}`], { cwd: away, env: { ...env, CLADE_BWRAP: '/nonexistent/bwrap' }, extendEnv: false, reject: false });
    expect(refused.exitCode).toBe(2);
    expect(String(refused.stderr)).toMatch(/no OS sandbox.*apt-get install bubblewrap.*--unsafe-host/s);

    writeFileSync(join(repo, 'add.js'), 'module.exports = (a, b) => a - b;\n');
    const chat = await execa('node', [join(away, 'fixer.mjs'), 'chat', '--repo', repo, '--model', `scripted:${script}`, '--yes', '--message', 'fix add'], { cwd: away, env, extendEnv: false, reject: false });
    expect(chat.exitCode, String(chat.stderr)).toBe(0);
    expect(chat.stdout).toContain('Fixed the sign.');
    expect(String(chat.stdout) + String(chat.stderr)).not.toContain(CANARY);
    expect(readFileSync(join(repo, 'add.js'), 'utf8')).toBe('module.exports = (a, b) => a + b;\n');

    // npm pack and a global install from the directory both work, and the installed command runs.
    const pack = await execa('npm', ['pack', '--json'], { cwd: away });
    const packed = JSON.parse(pack.stdout)[0] as { filename: string; files: Array<{ path: string }> };
    expect(packed.files.map((f) => f.path)).toEqual(expect.arrayContaining(['fixer.mjs', 'agent/agent.mjs', 'package.json', 'README.md']));
    const prefix = await tempDir();
    await execa('npm', ['install', '-g', '--prefix', prefix, join(away, packed.filename)]);
    const installed = await execa(join(prefix, 'bin', 'fixer'), ['--version'], { env });
    expect(installed.stdout).toContain('Clade variant v1');

    const seedVersion = await execa('node', [join(outs.seed, 'clade-agent.mjs'), '--version']);
    expect(seedVersion.stdout).toBe('1.0.0 (Clade variant v0; lineage v0)');
  }, 600_000);

  it('refuses an invalid variant, an unknown one, and a directory that is not empty', async () => {
    const run = await runWithChild();
    const archive = await Archive.open(run);
    await archive.add({ parentId: 'v1', dir: SEED_AGENT_DIR, status: 'invalid', reason: 'typecheck failed: src/main.ts(1,1)' });
    archive.close();
    const invalid = await execa('node', [...CLADE, 'export', 'v2', '--run', run, '--out', join(await tempDir(), 'x')], { reject: false });
    expect(invalid.exitCode).toBe(2);
    expect(String(invalid.stderr)).toMatch(/v2 is invalid \(typecheck failed: src\/main.ts\(1,1\)\); export a valid variant/);
    const full = await tempDir();
    writeFileSync(join(full, 'keep.txt'), 'mine');
    const taken = await execa('node', [...CLADE, 'export', 'v1', '--run', run, '--out', full], { reject: false });
    expect(taken.exitCode).toBe(2);
    expect(String(taken.stderr)).toMatch(/is not empty; choose a new --out/);
    expect(readFileSync(join(full, 'keep.txt'), 'utf8')).toBe('mine');
    const unknown = await execa('node', [...CLADE, 'export', 'v9', '--run', run, '--out', join(full, 'x')], { reject: false });
    expect(unknown.exitCode).toBe(2);
    expect(String(unknown.stderr)).toMatch(/no variant "v9"/);
    expect(existsSync(join(full, 'x'))).toBe(false);
  }, 120_000);
});
