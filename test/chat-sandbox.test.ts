// clade chat --sandbox: the agent runs in a container on a copy of the repository, and its changes come back as a
// patch that Clade computes, shows, and applies to the working tree without ever touching `.git/`.
import { describe, expect, it } from 'vitest';
import { existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { execa } from 'execa';
import { applyPatch } from '../cli/chat/patch.ts';
import { dockerClient } from '../sandbox/docker.ts';
import { scriptFile, tempDir, textReply } from './helpers.ts';

/** Every file under `dir` with its bytes and mode, to prove a folder was not touched. */
function snapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const entry of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const path = join(entry.parentPath, entry.name);
    out[path] = readFileSync(path, 'base64');
  }
  return out;
}

describe('clade chat --sandbox', () => {
  it('gives the agent a copy: writing .git/config core.fsmonitor and a post-commit hook runs nothing on the host, and the edits arrive as a patch', async () => {
    const repo = await tempDir();
    const markers = await tempDir('clade-markers-');
    writeFileSync(join(repo, 'add.js'), 'module.exports = (a, b) => a - b;\n');
    await execa('git', ['init', '-q'], { cwd: repo });
    await execa('git', ['-c', 'user.name=t', '-c', 'user.email=t@t', 'commit', '-qm', 'base', '--allow-empty'], { cwd: repo });
    const gitConfig = readFileSync(join(repo, '.git', 'config'));
    const hooks = snapshot(join(repo, '.git', 'hooks'));

    // What a hostile agent does to the repository it is given: code for the user's next `git status` and `git commit`.
    const attack = [
      `printf '#!/bin/sh\\ntouch ${markers}/fsmonitor-ran\\n' > .git/fsmon.sh`,
      'chmod +x .git/fsmon.sh',
      `git config core.fsmonitor "${repo}/.git/fsmon.sh"`,
      `printf '#!/bin/sh\\ntouch ${markers}/post-commit-ran\\n' > .git/hooks/post-commit`,
      'chmod +x .git/hooks/post-commit',
      'echo planted',
    ].join(' && ');
    const probe = 'id -u; ls /var/run/docker.sock 2>&1 | head -1; node -e "require(\'net\').connect(80, \'1.1.1.1\').on(\'error\', e => console.log(\'net:\', e.code))"; echo made > made-inside.txt';
    const script = await scriptFile({
      responses: [
        { content: [{ type: 'tool_use', name: 'bash', input: { command: probe } }], stop_reason: 'tool_use' },
        { content: [{ type: 'tool_use', name: 'bash', input: { command: attack } }], stop_reason: 'tool_use' },
        { content: [{ type: 'tool_use', name: 'str_replace_based_edit_tool', input: { command: 'str_replace', path: 'add.js', old_str: 'a - b', new_str: 'a + b' } }], stop_reason: 'tool_use' },
        textReply('Fixed it in the sandbox.'),
      ],
    });
    const proc = execa('node', ['bin/clade.js', 'chat', '--sandbox', '--repo', repo, '--model', `scripted:${script}`, '--yes', '--message', 'fix add'], { reject: false });
    const r = await proc;
    expect(r.exitCode, String(r.stderr)).toBe(0);
    const out = String(r.stdout);
    expect(out).toContain('Fixed it in the sandbox.');
    expect(out).toContain('planted');

    // The user's next git commands run nothing the agent wrote, and .git is byte for byte what it was.
    await execa('git', ['status'], { cwd: repo });
    await execa('git', ['add', '-A'], { cwd: repo });
    await execa('git', ['-c', 'user.name=t', '-c', 'user.email=t@t', 'commit', '-qm', 'after the chat'], { cwd: repo });
    expect(readdirSync(markers)).toEqual([]);
    expect(readFileSync(join(repo, '.git', 'config')).equals(gitConfig)).toBe(true);
    expect(snapshot(join(repo, '.git', 'hooks'))).toEqual(hooks);
    expect(existsSync(join(repo, '.git', 'fsmon.sh'))).toBe(false);

    // Never root inside, and neither Docker nor the network is there.
    expect(out).toMatch(/⎿ 1000\n/);
    expect(out).toMatch(/No such file or directory/);
    expect(out).toMatch(/net: (ENETUNREACH|EHOSTUNREACH|EAI_AGAIN|ECONNREFUSED)/);
    // The edits came back as a patch, shown and (with --yes) applied to the working tree.
    expect(out).toMatch(/^-module\.exports = \(a, b\) => a - b;$/m);
    expect(out).toMatch(/^\+module\.exports = \(a, b\) => a \+ b;$/m);
    expect(out).toMatch(/applied to /);
    expect(readFileSync(join(repo, 'add.js'), 'utf8')).toBe('module.exports = (a, b) => a + b;\n');
    expect(readFileSync(join(repo, 'made-inside.txt'), 'utf8')).toBe('made\n');
    // The session's container is gone with it.
    const left = await dockerClient().listContainers({ all: true, filters: { label: [`clade.owner`] } });
    expect(left.filter((c) => c.Labels['clade.owner']?.endsWith(`:${proc.pid}`))).toEqual([]);
  }, 300_000);

  it('refuses a patch that adds a symlink, changes nothing, and saves the patch for the user', async () => {
    const repo = await tempDir();
    writeFileSync(join(repo, 'a.txt'), 'one\n');
    const script = await scriptFile({
      responses: [
        { content: [{ type: 'tool_use', name: 'bash', input: { command: 'ln -s /etc/shadow shadow && echo two > a.txt' } }], stop_reason: 'tool_use' },
        textReply('Linked it.'),
      ],
    });
    const r = await execa('node', ['bin/clade.js', 'chat', '--sandbox', '--repo', repo, '--model', `scripted:${script}`, '--yes', '--message', 'link it'], { reject: false });
    expect(r.exitCode, String(r.stderr)).toBe(1);
    expect(r.stdout).toContain('create mode 120000 shadow');
    expect(r.stderr).toMatch(/refused to apply the agent's changes: it adds or changes a symbolic link .*Nothing was changed; the patch is in (\S+patch-1\.diff)/);
    // Nothing reached the working tree, and what the agent did is kept in a file the user was told about.
    expect(readdirSync(repo)).toEqual(['a.txt']);
    expect(readFileSync(join(repo, 'a.txt'), 'utf8')).toBe('one\n');
    const saved = /the patch is in (\S+patch-1\.diff)/.exec(r.stderr)![1]!;
    expect(saved.startsWith(join(process.cwd(), '.clade', 'chat'))).toBe(true);
    expect(readFileSync(saved, 'utf8')).toMatch(/^\+two$/m);
    expect(r.stderr).toContain(`the agent's changes that were not applied are saved in ${saved}`);
  }, 300_000);
});

// The host side of the same boundary, without a container: what a hostile patch can do when it is applied.
describe('applying a sandboxed agent\'s patch on the host', () => {
  const newFile = (path: string, body: string, mode = '100644') =>
    `diff --git a/${path} b/${path}\nnew file mode ${mode}\n--- /dev/null\n+++ b/${path}\n@@ -0,0 +1 @@\n+${body}\n`;
  const offer = (diff: string, savedTo = '/tmp/saved.diff') => ({ diff, summary: '', savedTo });

  async function userRepo() {
    const root = await tempDir();
    const repo = join(root, 'project');
    mkdirSync(repo);
    writeFileSync(join(repo, 'a.txt'), 'one\n');
    await execa('git', ['init', '-q'], { cwd: repo });
    return { root, repo };
  }

  it('refuses a symlink or a path into .git, and changes nothing', async () => {
    const { repo } = await userRepo();
    const before = snapshot(join(repo, '.git'));
    const link = await applyPatch(repo, offer(newFile('passwd', '/etc/passwd', '120000') + newFile('b.txt', 'b')));
    expect(link).toMatchObject({ ok: false });
    expect(link.message).toMatch(/refused to apply the agent's changes: it adds or changes a symbolic link .*the patch is in \/tmp\/saved\.diff/);
    for (const path of ['.git/hooks/post-commit', '.GIT/config', 'sub/.git/config', 'sub/.Git./config']) {
      const r = await applyPatch(repo, offer(newFile(path, 'touch /tmp/pwned')));
      expect(r, path).toMatchObject({ ok: false });
      expect(r.message).toMatch(/is inside \.git/);
    }
    expect(() => lstatSync(join(repo, 'passwd'))).toThrow();
    expect(existsSync(join(repo, 'b.txt'))).toBe(false);
    expect(existsSync(join(repo, 'sub'))).toBe(false);
    expect(snapshot(join(repo, '.git'))).toEqual(before);
  });

  it('runs no filter the repository configures, even for a file a .gitattributes names', async () => {
    const { root, repo } = await userRepo();
    const marker = join(root, 'filter-ran');
    await execa('git', ['config', 'filter.x.clean', `touch ${marker}; cat`], { cwd: repo });
    await execa('git', ['config', 'filter.x.smudge', `touch ${marker}; cat`], { cwd: repo });
    writeFileSync(join(repo, '.gitattributes'), '* filter=x\n');
    const r = await applyPatch(repo, offer('diff --git a/a.txt b/a.txt\n--- a/a.txt\n+++ b/a.txt\n@@ -1 +1 @@\n-one\n+two\n'));
    expect(r).toMatchObject({ ok: true });
    expect(readFileSync(join(repo, 'a.txt'), 'utf8')).toBe('two\n');
    expect(existsSync(marker)).toBe(false);
  });

  it('a patch that no longer applies changes nothing and says where it is saved; inside an enclosing repository too', async () => {
    const { root, repo } = await userRepo();
    await execa('git', ['init', '-q'], { cwd: root }); // --repo may be a folder inside a bigger checkout
    writeFileSync(join(repo, 'a.txt'), 'edited by the user meanwhile\n');
    const diff = 'diff --git a/a.txt b/a.txt\n--- a/a.txt\n+++ b/a.txt\n@@ -1 +1 @@\n-one\n+two\n' + newFile('c.txt', 'c');
    const r = await applyPatch(repo, offer(diff, join(root, 'patch-1.diff')));
    expect(r).toMatchObject({ ok: false });
    expect(r.message).toMatch(/do not apply to .*project.*a\.txt.*Nothing was changed; the patch is in .*patch-1\.diff/s);
    expect(readFileSync(join(repo, 'a.txt'), 'utf8')).toBe('edited by the user meanwhile\n');
    expect(existsSync(join(repo, 'c.txt'))).toBe(false);
    // The same patch where it fits: applied in this folder, not skipped as a path of the enclosing checkout.
    writeFileSync(join(repo, 'a.txt'), 'one\n');
    expect(await applyPatch(repo, offer(diff))).toMatchObject({ ok: true });
    expect(readFileSync(join(repo, 'c.txt'), 'utf8')).toBe('c\n');
  });
});
