// The host-mode backend of the sandbox seam, for `clade solve --local`: the Workspace every sandbox session offers,
// in a temporary directory. Every command runs in the OS sandbox (sandbox/host-sandbox.ts) with only the workspace
// writable and the gateway socket as its way out, unless the user said --unsafe-host. What the agent left there is
// read back as data: regular files only, no links followed, sizes capped.
import { constants } from 'node:fs';
import { mkdtemp, mkdir, open, realpath, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, isAbsolute, join, sep } from 'node:path';
import { execa } from 'execa';
import type { ExecOptions, ExecResult, Workspace } from './backend.ts';
import { hostSandboxCommand, SANDBOX_PATH, type HostIsolation } from './host-sandbox.ts';
import { CappedOutput } from './output.ts';

export interface HostWorkspaceOptions {
  /** The OS sandbox (the default), or none, only when the user said --unsafe-host. */
  isolation?: HostIsolation;
  /** Unix sockets the commands may connect to: the gateway's. */
  sockets?: string[];
}

export class HostWorkspace implements Workspace {
  private constructor(
    readonly root: string,
    private readonly opts: HostWorkspaceOptions,
  ) {}

  static async create(opts: HostWorkspaceOptions = {}): Promise<HostWorkspace> {
    return new HostWorkspace(await realpath(await mkdtemp(join(tmpdir(), 'clade-local-'))), opts);
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
    const unsafe = this.opts.isolation?.kind === 'unsafe';
    const env = { PATH: unsafe ? (process.env.PATH ?? '/usr/bin:/bin') : SANDBOX_PATH, HOME: this.root, LANG: 'C.UTF-8', ...opts.env };
    const cwd = this.path(opts.cwd ?? this.root);
    const run = { extendEnv: false, reject: false, buffer: false, timeout: (opts.timeoutSec ?? 600) * 1000, killSignal: 'SIGKILL' } as const;
    let child;
    if (unsafe) child = execa(argv[0]!, argv.slice(1), { ...run, cwd, env });
    else {
      // Killing bwrap ends everything inside: it dies with its parent, and the PID namespace with it.
      const sb = hostSandboxCommand(argv, { repo: this.root, sockets: this.opts.sockets, env, cwd });
      child = execa(sb.command, sb.args, { ...run, env: sb.env, uid: sb.uid, gid: sb.gid });
    }
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
    await execa('bash', ['-c', `tar -C "$1" ${exclude.map((e) => `--exclude='${e}'`).join(' ')} -c . | tar -C "$2" -x --no-same-owner`, 'copy', hostDir, target]);
  }

  async writeFiles(files: Record<string, string | Buffer>, dir = this.root): Promise<void> {
    for (const [name, content] of Object.entries(files)) {
      const target = join(this.path(dir), name);
      await mkdir(dirname(target), { recursive: true });
      await writeFile(target, content);
    }
  }

  /** A regular file the agent may have written: never a link followed (it could name this process's own /proc), and capped. */
  async readFile(path: string, maxBytes = 256 * 1024 * 1024): Promise<Buffer> {
    const full = this.path(path);
    const dir = await realpath(dirname(full));
    if (dir !== this.root && !dir.startsWith(this.root + sep)) throw new Error(`${path} is outside the workspace`);
    const file = await open(join(dir, full.slice(dirname(full).length + 1)), constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
    try {
      const st = await file.stat();
      if (!st.isFile()) throw new Error(`${path} is not a regular file`);
      if (st.size > maxBytes) throw new Error(`${path} is ${st.size} bytes, over the ${maxBytes}-byte cap`);
      return await file.readFile();
    } finally {
      await file.close();
    }
  }

  async remove(): Promise<void> {
    await rm(this.root, { recursive: true, force: true });
  }
}
