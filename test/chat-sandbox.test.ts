// clade chat --sandbox: the agent runs in a container, with the user's repository mounted, and edits land in place.
import { describe, expect, it } from 'vitest';
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { execa } from 'execa';
import { dockerClient } from '../sandbox/docker.ts';
import { scriptFile, tempDir, textReply } from './helpers.ts';

describe('clade chat --sandbox', () => {
  it('runs the agent in a sandbox on the mounted repository: no network, no Docker socket, edits in place', async () => {
    const repo = await tempDir();
    writeFileSync(join(repo, 'add.js'), 'module.exports = (a, b) => a - b;\n');
    const probe = 'id -u; ls /var/run/docker.sock 2>&1 | head -1; node -e "require(\'net\').connect(80, \'1.1.1.1\').on(\'error\', e => console.log(\'net:\', e.code))"; echo made > made-inside.txt';
    const script = await scriptFile({
      responses: [
        { content: [{ type: 'tool_use', name: 'bash', input: { command: probe } }], stop_reason: 'tool_use' },
        { content: [{ type: 'tool_use', name: 'str_replace_based_edit_tool', input: { command: 'str_replace', path: 'add.js', old_str: 'a - b', new_str: 'a + b' } }], stop_reason: 'tool_use' },
        textReply('Fixed it in the sandbox.'),
      ],
    });
    const proc = execa('node', ['bin/clade.js', 'chat', '--sandbox', '--repo', repo, '--model', `scripted:${script}`, '--yes', '--message', 'fix add'], { reject: false });
    const r = await proc;
    expect(r.exitCode, String(r.stderr)).toBe(0);
    const out = String(r.stdout);
    expect(out).toContain('Fixed it in the sandbox.');
    // Runs as the repository's owner, so what it writes is the user's; and sees neither Docker nor the network.
    expect(out).toMatch(new RegExp(`⎿ ${statSync(repo).uid}\\n`));
    expect(out).toMatch(/No such file or directory/);
    expect(out).toMatch(/net: (ENETUNREACH|EHOSTUNREACH|EAI_AGAIN|ECONNREFUSED)/);
    expect(readFileSync(join(repo, 'add.js'), 'utf8')).toBe('module.exports = (a, b) => a + b;\n');
    expect(statSync(join(repo, 'made-inside.txt')).uid).toBe(statSync(repo).uid);
    // The session's container is gone with it.
    const left = await dockerClient().listContainers({ all: true, filters: { label: [`clade.owner`] } });
    expect(left.filter((c) => c.Labels['clade.owner']?.endsWith(`:${proc.pid}`))).toEqual([]);
  }, 300_000);
});
