// `clade chat` end to end: the real seed agent on the host, a scripted model behind a real gateway, driven through
// the real binary: in plain mode through pipes, and once in a real terminal through tmux.
import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { ensureDebianPackages } from '../lib/apt.ts';
import { execa } from 'execa';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { buildAgent } from '../bench/agent-build.ts';
import { SEED_AGENT_DIR } from '../bench/agent-deps.ts';
import { onCleanup, scriptFile, tempDir } from './helpers.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const bin = fileURLToPath(new URL('../bin/clade.js', import.meta.url));
const chat = (args: string[], opts: { input?: string } = {}) => execa('node', [bin, 'chat', ...args], { reject: false, timeout: 120_000, cwd: ROOT, ...opts });

const usage = (input: number, output: number) => ({ input_tokens: input, output_tokens: output });
const FIX_TURN = [
  { content: [{ type: 'text', text: 'I will look at the file first.' }, { type: 'tool_use', name: 'bash', input: { command: 'cat greeting.txt' } }], stop_reason: 'tool_use', usage: usage(1200, 40) },
  {
    content: [{ type: 'tool_use', name: 'str_replace_based_edit_tool', input: { command: 'str_replace', path: 'greeting.txt', old_str: 'hello world', new_str: 'hello clade' } }],
    stop_reason: 'tool_use',
    usage: usage(1300, 30),
  },
  { content: [{ type: 'text', text: 'Done: the greeting now says hello clade.' }], stop_reason: 'end_turn', usage: usage(1400, 12) },
];

async function repoWithGreeting(): Promise<string> {
  const repo = await tempDir('clade-chat-repo-');
  await writeFile(`${repo}/greeting.txt`, 'hello world\n');
  return repo;
}

beforeAll(async () => {
  // The command builds the agent too (in a container, never on the host); building it here keeps that out of the first
  // test's time limit.
  if (!existsSync(`${SEED_AGENT_DIR}/node_modules`)) await execa('npm', ['--prefix', SEED_AGENT_DIR, 'ci', '--ignore-scripts', '--no-audit', '--no-fund']);
  await buildAgent(SEED_AGENT_DIR, { image: inject('sandboxImage') });
}, 600_000);

describe('clade chat without a terminal', () => {
  it('with --yes runs one turn: streams the answer, runs the command, lands the edit', async () => {
    const repo = await repoWithGreeting();
    const script = await scriptFile({ responses: FIX_TURN });
    const r = await chat(['--repo', repo, '--model', `scripted:${script}`, '--yes', '--message', 'fix the greeting']);
    expect(r.stderr).not.toContain('clade chat:');
    expect(r.stdout).toBe(
      [
        'I will look at the file first.',
        '● bash(command: "cat greeting.txt")',
        '  ⎿ hello world',
        '    [exit code 0]',
        '● str_replace_based_edit_tool(command: "str_replace", path: "greeting.txt", old_str: "hello world", new_str: "hello clade")',
        '  ⎿ --- a/greeting.txt',
        '    +++ b/greeting.txt',
        '    @@ -1,1 +1,1 @@',
        '    -hello world',
        '    +hello clade',
        'Done: the greeting now says hello clade.',
      ].join('\n'),
    );
    expect(r.exitCode).toBe(0);
    expect(await readFile(`${repo}/greeting.txt`, 'utf8')).toBe('hello clade\n');
  });

  it('without --yes denies every change, tells the user and the model why, and reads the message from stdin', async () => {
    const repo = await repoWithGreeting();
    const script = await scriptFile({ responses: FIX_TURN });
    const r = await chat(['--repo', repo, '--model', `scripted:${script}`], { input: 'fix the greeting\n' });
    const reason = 'no terminal to approve this; rerun with --yes';
    expect(r.stdout.split('\n').slice(0, 4)).toEqual([
      'I will look at the file first.',
      '● bash(command: "cat greeting.txt")',
      `  denied bash: cat greeting.txt: ${reason}`,
      // The tool result is what the model sees: the denial with its reason.
      `  ⎿ Error [DENIED]: the user did not allow this: ${reason}. Do something else, or ask.`,
    ]);
    expect(r.stdout).toContain(`  denied str_replace_based_edit_tool str_replace greeting.txt: ${reason}`);
    expect(r.exitCode).toBe(0);
    expect(await readFile(`${repo}/greeting.txt`, 'utf8')).toBe('hello world\n');
  });

  it('exits 1 when the turn ends in an error', async () => {
    const repo = await repoWithGreeting();
    const script = await scriptFile({ responses: [{ error: { status: 400, type: 'invalid_request_error', message: 'scripted failure' } }] });
    const r = await chat(['--repo', repo, '--model', `scripted:${script}`, '--message', 'hi']);
    expect(r.stdout).toMatch(/^\[turn ended with an error: 400 .*scripted failure.*\]$/);
    expect(r.exitCode).toBe(1);
  });

  it('refuses a missing repository as a usage error', async () => {
    const r = await chat(['--repo', '/nonexistent/clade-repo', '--model', 'scripted:/nonexistent.json', '--message', 'hi']);
    expect(r.stderr.trim()).toBe('clade: --repo /nonexistent/clade-repo is not a directory');
    expect(r.exitCode).toBe(2);
  });
});

/** tmux, installed with apt-get when this machine has none (a fresh CI machine). */
async function ensureTmux(): Promise<string> {
  await ensureDebianPackages({ tmux: 'tmux' }, () => {}, { recommends: false });
  return 'tmux';
}

describe('clade chat in a terminal', () => {
  it('streams, asks for approval, shows the diff, cancels with Esc and goes on', async () => {
    const tmuxBin = await ensureTmux();
    const repo = await repoWithGreeting();
    const story = Array.from({ length: 200 }, (_, i) => `Line ${i + 1} of a long story.`).join('\n') + '\nThe end.';
    const script = await scriptFile({
      // Slow enough that Esc lands mid-stream, fast enough for the rest.
      chunkDelayMs: 40,
      responses: [
        ...FIX_TURN,
        { content: [{ type: 'text', text: story }], stop_reason: 'end_turn', usage: usage(1500, 2000) },
        { content: [{ type: 'text', text: 'Still here after the cancel.' }], stop_reason: 'end_turn', usage: usage(1600, 8) },
      ],
    });
    // A private tmux server: nothing of the user's is touched, and killing it cleans up everything.
    const server = `clade-chat-test-${process.pid}`;
    const tmux = (...args: string[]) => execa(tmuxBin, ['-L', server, ...args], { reject: false });
    onCleanup(async () => void (await tmux('kill-server')));
    // Ink draws only a final frame when it thinks it is in CI, and chalk drops colors there: this is a real terminal,
    // whatever runs the test. The diff's colors are checked, so they are forced on.
    const env = 'env -u CI -u CONTINUOUS_INTEGRATION -u NO_COLOR FORCE_COLOR=1';
    const command = `${env} node '${bin}' chat --repo '${repo}' --model 'scripted:${script}'; echo "[chat exited $?]"; sleep 600`;
    const started = await tmux('-u', 'new-session', '-d', '-s', 'chat', '-x', '120', '-y', '40', '-c', ROOT, command);
    expect(started.exitCode, started.stderr).toBe(0);

    const screen = async (colors = false) => (await tmux('capture-pane', '-p', ...(colors ? ['-e'] : []), '-t', 'chat')).stdout;
    const see = async (text: string, timeoutMs = 30_000) => {
      const deadline = Date.now() + timeoutMs;
      let last = '';
      while (Date.now() < deadline) {
        last = await screen();
        if (last.includes(text)) return last;
        await new Promise((r) => setTimeout(r, 100));
      }
      throw new Error(`"${text}" did not appear within ${timeoutMs} ms; the screen:\n${last}`);
    };
    const type = async (text: string) => {
      await tmux('send-keys', '-t', 'chat', '-l', text);
      await tmux('send-keys', '-t', 'chat', 'Enter');
    };
    const key = (k: string) => tmux('send-keys', '-t', 'chat', k);

    await see('agent 0.1.0 ready: model claude-sonnet-4-6', 120_000);
    await type('fix the greeting');
    await see('› fix the greeting');
    await see('I will look at the file first.');
    await see('Allow bash: cat greeting.txt?');
    await see('[y] allow once [a] allow for this session [n] deny');
    await key('y');
    await see('✓ allowed once');
    await see('  ⎿ hello world');
    await see('Allow str_replace_based_edit_tool str_replace greeting.txt?');
    await key('y');
    const afterEdit = await see('Done: the greeting now says hello clade.');
    expect(afterEdit).toContain(['  ⎿ --- a/greeting.txt', '    +++ b/greeting.txt', '    @@ -1,1 +1,1 @@', '    -hello world', '    +hello clade'].join('\n'));
    const colored = await screen(true);
    expect(colored).toContain('\u001B[36m@@ -1,1 +1,1 @@');
    expect(colored).toContain('\u001B[31m-hello world');
    expect(colored).toContain('\u001B[32m+hello clade');
    // 3900 tokens in, 82 out at the seed's Sonnet prices: (3900 × 3 + 82 × 15) / 1e6 dollars.
    await see('tokens 3.9k in / 82 out · $0.0129 · context 1.4k');
    expect(await readFile(`${repo}/greeting.txt`, 'utf8')).toBe('hello clade\n');

    await type('tell me a long story');
    await see('Line 3 of a long story.');
    await key('Escape');
    const cancelled = await see('✗ turn cancelled');
    expect(cancelled).not.toContain('The end.');
    await see('Esc cancels a turn · Ctrl-C twice quits');

    await type('are you still there?');
    await see('Still here after the cancel.');

    await key('C-c');
    await see('press Ctrl-C again to quit');
    await key('C-c');
    await see('[chat exited 0]');
  }, 240_000);
});
