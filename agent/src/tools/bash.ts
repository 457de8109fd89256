// A persistent bash session: `cd`, variables and functions carry over between calls, as in a terminal. Each call has
// a timeout (the session is restarted if it runs out) and an output cap that keeps the head and the tail.
import { spawn, spawnSync, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import { ToolErrorCode, failure, type Invocation, type Tool, type ToolResult } from './types.ts';

const schema = z.object({
  command: z.string().optional().describe('The bash command to run'),
  restart: z.boolean().optional().describe('Restart the shell (state is lost)'),
});

export interface BashOptions {
  timeoutSec?: number;
  maxOutputChars?: number;
}

/** Head and tail of a long output; the middle is what a model can least afford and least needs. */
export function capOutput(text: string, max: number): string {
  if (text.length <= max) return text;
  const half = Math.floor(max / 2);
  return `${text.slice(0, half)}\n[... ${text.length - 2 * half} characters elided ...]\n${text.slice(-half)}`;
}

class Shell {
  private proc: ChildProcessWithoutNullStreams;
  private buffer = '';
  private readonly marker = `__CLADE_DONE_${randomBytes(8).toString('hex')}__`;

  constructor(cwd: string) {
    // Its own process group, so a timeout kills the command's children too.
    this.proc = spawn('bash', ['--noprofile', '--norc'], { cwd, detached: true, env: { ...process.env, PAGER: 'cat', GIT_PAGER: 'cat', TERM: 'dumb' } });
    this.proc.stdout.on('data', (d: Buffer) => (this.buffer += d.toString()));
    this.proc.stderr.on('data', (d: Buffer) => (this.buffer += d.toString()));
  }

  get alive(): boolean {
    return this.proc.exitCode === null && this.proc.signalCode === null;
  }

  /** Resolves with the output and exit code, or `timedOut` after `timeoutMs`. */
  run(command: string, timeoutMs: number, signal: AbortSignal): Promise<{ output: string; exitCode: number | null; timedOut: boolean; cancelled: boolean }> {
    this.buffer = '';
    // stdin from /dev/null: a command waiting for input would otherwise wait for the tool forever.
    this.proc.stdin.write(`{\n${command}\n} < /dev/null 2>&1\nprintf '\\n${this.marker} %s\\n' "$?"\n`);
    return new Promise((resolve) => {
      const finish = (timedOut: boolean, cancelled: boolean) => {
        clearInterval(poll);
        clearTimeout(timer);
        signal.removeEventListener('abort', onAbort);
        const at = this.buffer.indexOf(this.marker);
        // Drop the newline printf put before the marker, then the output's own last newline.
        const output = (at === -1 ? this.buffer : this.buffer.slice(0, at).replace(/\n$/, '')).replace(/\n$/, '');
        const exitCode = at === -1 ? null : Number(this.buffer.slice(at + this.marker.length).trim().split('\n')[0]);
        resolve({ output, exitCode, timedOut, cancelled });
      };
      const poll = setInterval(() => {
        if (this.buffer.includes(this.marker) && /\d+\n/.test(this.buffer.slice(this.buffer.indexOf(this.marker)))) finish(false, false);
        else if (!this.alive) finish(false, false);
      }, 10);
      const timer = setTimeout(() => finish(true, false), timeoutMs);
      const onAbort = () => finish(false, true);
      signal.addEventListener('abort', onAbort);
    });
  }

  kill(): void {
    try {
      process.kill(-this.proc.pid!, 'SIGKILL');
    } catch {
      // already gone
    }
  }
}

export class BashTool implements Tool<typeof schema> {
  readonly name = 'bash';
  readonly description =
    'Run a command in a persistent bash shell that starts in the repository root; state such as the working directory and environment variables persists between calls. ' +
    'Commands get no stdin. Long outputs keep their beginning and end. Use `restart: true` to get a fresh shell. Do not start long-running servers in the foreground.';
  readonly schema = schema;
  private shell: Shell | undefined;
  private readonly timeoutSec: number;
  private readonly maxOutputChars: number;

  constructor(
    readonly root: string,
    opts: BashOptions = {},
  ) {
    this.timeoutSec = opts.timeoutSec ?? 120;
    this.maxOutputChars = opts.maxOutputChars ?? 16_000;
  }

  invocation(input: z.infer<typeof schema>): Invocation {
    return {
      mutates: true,
      describe: () => (input.restart ? 'bash: restart' : `bash: ${input.command ?? ''}`),
      run: (signal) => this.execute(input, signal),
    };
  }

  private async execute(input: z.infer<typeof schema>, signal: AbortSignal): Promise<ToolResult> {
    if (input.restart) {
      this.close();
      if (!input.command) return { llmContent: 'The shell was restarted.' };
    }
    if (!input.command?.trim()) return failure(ToolErrorCode.InvalidInput, 'give a `command` to run, or `restart: true`.');
    // An unbalanced quote would swallow the end marker and look like a hang; bash -n finds it without running anything.
    const syntax = spawnSync('bash', ['-n'], { input: input.command, encoding: 'utf8' });
    if (syntax.status !== 0) return failure(ToolErrorCode.InvalidInput, `the command is not valid bash, nothing was run: ${syntax.stderr.trim().replace(/^bash: /gm, '')}`);
    if (!this.shell?.alive) this.shell = new Shell(this.root);
    const r = await this.shell.run(input.command, this.timeoutSec * 1000, signal);
    const output = capOutput(r.output, this.maxOutputChars);
    if (r.timedOut || r.cancelled) {
      this.close(); // the command may still be running; only a new shell is a known state
      const code = r.timedOut ? ToolErrorCode.Timeout : ToolErrorCode.Cancelled;
      const why = r.timedOut
        ? `the command did not finish within ${this.timeoutSec} s and was killed; the shell was restarted (cd and variables are reset). Run long jobs with a narrower scope, or in the background with output to a file.`
        : 'the command was cancelled; the shell was restarted.';
      return { ...failure(code, why), llmContent: `${output}\nError [${code}]: ${why}` };
    }
    if (r.exitCode === null) {
      this.close();
      return { ...failure(ToolErrorCode.ExecutionFailed, 'the shell exited (did the command run `exit`?); a new shell will start on the next call.'), llmContent: `${output}\nThe shell exited; a new one starts on the next call.` };
    }
    return { llmContent: `${output}${output ? '\n' : ''}[exit code ${r.exitCode}]` };
  }

  close(): void {
    this.shell?.kill();
    this.shell = undefined;
  }
}
