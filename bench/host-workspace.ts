// A workspace on the host, for `clade solve --local`: the same operations as a sandbox session, in a temporary
// directory, with no isolation at all. Only for agents the user trusts; the key still stays in the gateway.
import { mkdtemp, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, isAbsolute, join } from 'node:path';
import { execa } from 'execa';
import { CappedOutput } from '../sandbox/output.ts';
import type { ExecOptions, ExecResult } from '../sandbox/session.ts';

/** What running an agent needs from where it runs; a sandbox Session provides the same. */
export interface Workspace {
  readonly root: string;
  exec(argv: string[], opts?: ExecOptions): Promise<ExecResult>;
  sh(command: string, opts?: ExecOptions): Promise<ExecResult>;
  copyIn(hostDir: string, dest: string, exclude?: string[]): Promise<void>;
  writeFiles(files: Record<string, string | Buffer>, dir?: string): Promise<void>;
  readFile(path: string, maxBytes?: number): Promise<Buffer>;
}

export class HostWorkspace implements Workspace {
  private constructor(readonly root: string) {}

  static async create(): Promise<HostWorkspace> {
    return new HostWorkspace(await mkdtemp(join(tmpdir(), 'clade-local-')));
  }

  private path(p: string): string {
    return isAbsolute(p) ? p : join(this.root, p);
  }

  async exec(argv: string[], opts: ExecOptions = {}): Promise<ExecResult> {
    const max = opts.maxOutputBytes ?? 1024 * 1024;
    const stdout = new CappedOutput(max, opts.onStdout);
    const stderr = new CappedOutput(max, opts.onStderr);
    const started = Date.now();
    // Only what the agent needs: no host secrets in its environment, even here.
    const env = { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: this.root, LANG: 'C.UTF-8', ...opts.env };
    const child = execa(argv[0]!, argv.slice(1), { cwd: this.path(opts.cwd ?? this.root), env, extendEnv: false, reject: false, buffer: false, timeout: (opts.timeoutSec ?? 600) * 1000, killSignal: 'SIGKILL' });
    child.stdout?.on('data', (c: Buffer) => stdout.push(c));
    child.stderr?.on('data', (c: Buffer) => stderr.push(c));
    const r = await child;
    const out = stdout.result();
    const err = stderr.result();
    return { exitCode: r.timedOut ? 124 : (r.exitCode ?? 137), stdout: out.text, stderr: err.text, timedOut: !!r.timedOut, truncated: out.truncated || err.truncated, stdoutBytes: out.totalBytes, stderrBytes: err.totalBytes, durationMs: Date.now() - started };
  }

  sh(command: string, opts: ExecOptions = {}): Promise<ExecResult> {
    return this.exec(['bash', '-c', command], opts);
  }

  async copyIn(hostDir: string, dest: string, exclude: string[] = []): Promise<void> {
    const target = this.path(dest);
    await mkdir(target, { recursive: true });
    await execa('bash', ['-c', `tar -C "$1" ${exclude.map((e) => `--exclude='${e}'`).join(' ')} -c . | tar -C "$2" -x`, 'copy', hostDir, target]);
  }

  async writeFiles(files: Record<string, string | Buffer>, dir = this.root): Promise<void> {
    for (const [name, content] of Object.entries(files)) {
      const target = join(this.path(dir), name);
      await mkdir(dirname(target), { recursive: true });
      await writeFile(target, content);
    }
  }

  readFile(path: string): Promise<Buffer> {
    return readFile(this.path(path));
  }

  async remove(): Promise<void> {
    await rm(this.root, { recursive: true, force: true });
  }
}
