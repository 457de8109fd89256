import { describe, expect, it } from 'vitest';
import { Toolbox, ToolErrorCode, isInvocation, type ToolResult } from '../src/tools/index.ts';
import { capOutput } from '../src/tools/bash.ts';
import { tempRepo } from './helpers.ts';

function shell(root: string, timeoutSec = 10) {
  const box = new Toolbox(root, { timeoutSec, maxOutputChars: 2000 });
  const run = async (input: Record<string, unknown>): Promise<ToolResult> => {
    const p = box.prepare('bash', input);
    return isInvocation(p) ? p.run(new AbortController().signal) : p;
  };
  return { run, close: () => box.close() };
}

describe('bash tool', () => {
  it('starts in the repository root and keeps cd and variables between calls', async () => {
    const root = tempRepo({ 'sub/file.txt': 'hello\n' });
    const { run, close } = shell(root);
    try {
      expect((await run({ command: 'pwd' })).llmContent).toBe(`${root}\n[exit code 0]`);
      await run({ command: 'cd sub && export GREETING=hi' });
      expect((await run({ command: 'cat file.txt; echo $GREETING' })).llmContent).toBe('hello\nhi\n[exit code 0]');
    } finally {
      close();
    }
  });

  it('reports exit codes and stderr, and gives commands no stdin', async () => {
    const { run, close } = shell(tempRepo());
    try {
      expect((await run({ command: 'echo oops >&2; false' })).llmContent).toBe('oops\n[exit code 1]');
      expect((await run({ command: 'cat; echo after' })).llmContent).toBe('after\n[exit code 0]');
    } finally {
      close();
    }
  });

  it('kills a command at the timeout, restarts the shell, and says so', async () => {
    const { run, close } = shell(tempRepo(), 1);
    try {
      await run({ command: 'cd /tmp' });
      const started = Date.now();
      const r = await run({ command: 'echo before; sleep 30' });
      expect(Date.now() - started).toBeLessThan(5000);
      expect(r.error?.code).toBe(ToolErrorCode.Timeout);
      expect(r.llmContent).toMatch(/^before\nError \[TIMEOUT\]: .*within 1 s.*restarted/s);
      expect((await run({ command: 'pwd' })).llmContent).not.toContain('/tmp\n'); // a fresh shell, back at the root
    } finally {
      close();
    }
  });

  it('caps long output, keeping the head and the tail', async () => {
    const { run, close } = shell(tempRepo());
    try {
      const r = await run({ command: 'echo FIRST; seq 1 100000; echo LAST' });
      expect(r.llmContent.length).toBeLessThan(2200);
      expect(r.llmContent.startsWith('FIRST\n1\n2\n')).toBe(true);
      expect(r.llmContent).toMatch(/\[\.\.\. \d+ characters elided \.\.\.\]/);
      expect(r.llmContent.endsWith('100000\nLAST\n[exit code 0]')).toBe(true);
    } finally {
      close();
    }
    expect(capOutput('abcdefghij', 4)).toBe('ab\n[... 6 characters elided ...]\nij');
  });

  it('rejects a command that is not valid bash without running it', async () => {
    const root = tempRepo();
    const { run, close } = shell(root);
    try {
      const r = await run({ command: 'echo "unterminated; touch ran.txt' });
      expect(r.error?.code).toBe(ToolErrorCode.InvalidInput);
      expect(r.llmContent).toMatch(/not valid bash, nothing was run/);
      expect((await run({ command: 'ls' })).llmContent).toBe('[exit code 0]');
    } finally {
      close();
    }
  });

  it('restarts on request and survives `exit`', async () => {
    const { run, close } = shell(tempRepo());
    try {
      await run({ command: 'export X=1' });
      expect((await run({ restart: true })).llmContent).toBe('The shell was restarted.');
      expect((await run({ command: 'echo "[$X]"' })).llmContent).toBe('[]\n[exit code 0]');
      expect((await run({ command: 'exit 3' })).error?.code).toBe(ToolErrorCode.ExecutionFailed);
      expect((await run({ command: 'echo back' })).llmContent).toBe('back\n[exit code 0]');
      expect((await run({})).error?.code).toBe(ToolErrorCode.InvalidInput);
    } finally {
      close();
    }
  });
});
