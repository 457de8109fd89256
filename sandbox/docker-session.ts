// The Docker backend: one container per session, created locked down, commands exec'd in it, files copied in and out
// as tar streams, removed. Under gVisor the same container runs on the runsc runtime.
import { mkdir, writeFile } from 'node:fs/promises';
import { join, normalize, resolve, sep } from 'node:path';
import { PassThrough, type Readable } from 'node:stream';
import type Docker from 'dockerode';
import tar from 'tar-stream';
import { DEADLINE_LABEL, LABEL, OWNER, OWNER_LABEL, isAlreadyGone, requireDocker } from './docker.ts';
import { sweepSandboxes } from './sweep.ts';
import { CappedOutput } from './output.ts';
import { deadmanPidFromHost } from './deadman.ts';
import { SANDBOX_USER } from './recipe.ts';
import { RUNSC_RUNTIME, gvisorRegistered } from './gvisor.ts';
import {
  DEFAULT_LIMITS,
  SandboxError,
  SandboxLost,
  WORKSPACE,
  checkMount,
  resolveIsolation,
  type AttachedProcess,
  type ExecOptions,
  type ExecResult,
  type Isolation,
  type SandboxBackend,
  type SandboxLimits,
  type SandboxOptions,
  type SandboxSession,
} from './backend.ts';

const KILL_GRACE_SEC = 2;
/** Beyond the in-container `timeout -k`, how long before the host kills the whole container. */
const BACKSTOP_SEC = 5;
/**
 * Under gVisor the engine's pids limit counts the host threads of runsc's kernel (about 60 when idle, more under
 * load) as well as the variant's processes, so it gets this much room on top; the variant's processes stay capped
 * by the same number plus the sentry's own.
 */
export const GVISOR_PIDS_HEADROOM = 128;
/** How often a running exec checks that its container still runs. */
const EXIT_POLL_MS = 2000;

export class DockerSandbox implements SandboxSession {
  readonly root = WORKSPACE;
  private removed = false;
  /** Set when the container stopped by itself (a dead gVisor kernel, the dead-man, the OOM killer on runsc). */
  private exited = false;
  /** The dead-man sleep's PID, the one process besides init that killAll must spare. */
  private deadmanPid = 0;
  private constructor(
    private readonly docker: Docker,
    private readonly container: Docker.Container,
    readonly id: string,
    readonly limits: SandboxLimits,
    readonly isolation: Isolation,
  ) {}

  static async create(opts: SandboxOptions): Promise<DockerSandbox> {
    const isolation = resolveIsolation(opts.isolation ?? process.env.CLADE_ISOLATION);
    if (isolation === 'gvisor' && !(await gvisorRegistered())) {
      throw new SandboxError('gVisor isolation was asked for (--isolation gvisor or CLADE_ISOLATION=gvisor), but the Docker engine has no runsc runtime. Fix: run `sudo npx clade setup --gvisor` once.');
    }
    const docker = await requireDocker();
    const limits: SandboxLimits = { ...DEFAULT_LIMITS, ...definedOnly(opts) };
    const mounts = opts.mounts ?? [];
    mounts.forEach(checkMount);
    const memory = limits.memoryMb * 1024 * 1024;
    const deadline = Math.floor(Date.now() / 1000) + limits.lifetimeSec;
    const deadmanCmd = ['sleep', String(limits.lifetimeSec)];
    const container: Docker.Container = await docker.createContainer({
      Image: opts.image,
      Cmd: deadmanCmd,
      // Always the unprivileged sandbox user: no caller can ask for another uid, root least of all.
      User: `${SANDBOX_USER.uid}:${SANDBOX_USER.gid}`,
      WorkingDir: WORKSPACE,
      Env: envList({ PATH: '/usr/local/bin:/usr/bin:/bin', HOME: WORKSPACE, LANG: 'C.UTF-8', ...opts.env }),
      Labels: { ...opts.labels, [LABEL]: '1', [OWNER_LABEL]: OWNER, [DEADLINE_LABEL]: String(deadline) },
      HostConfig: {
        NetworkMode: 'none',
        ReadonlyRootfs: true,
        CapDrop: ['ALL'],
        SecurityOpt: ['no-new-privileges'],
        Memory: memory,
        MemorySwap: memory,
        NanoCpus: Math.round(limits.cpus * 1e9),
        PidsLimit: limits.pids + (isolation === 'gvisor' ? GVISOR_PIDS_HEADROOM : 0),
        Ulimits: [{ Name: 'nofile', Soft: 4096, Hard: 4096 }],
        Tmpfs: { '/tmp': `rw,nosuid,nodev,size=${limits.tmpMb}m,mode=1777` },
        // The workspace is a tmpfs-backed volume rather than a plain tmpfs, because the engine can only
        // putArchive/getArchive into mounts it manages itself; the root filesystem stays read-only.
        Mounts: [
          {
            Type: 'volume',
            Source: '', // anonymous: removed together with its container
            Target: WORKSPACE,
            VolumeOptions: {
              NoCopy: true,
              Labels: { [LABEL]: '1', [OWNER_LABEL]: OWNER },
              DriverConfig: {
                Name: 'local',
                Options: { type: 'tmpfs', device: 'tmpfs', o: `size=${limits.workspaceMb}m,uid=${SANDBOX_USER.uid},gid=${SANDBOX_USER.gid},mode=0755,nosuid,nodev` },
              },
            },
          },
        ],
        Binds: mounts.map((m) => `${m.hostPath}:${m.containerPath}:${m.readOnly ? 'ro' : 'rw'}`),
        AutoRemove: true,
        // tini as PID 1 reaps orphans; without it every orphan stays a zombie and eats the pids limit.
        Init: true,
        IpcMode: 'private',
        ...(isolation === 'gvisor' ? { Runtime: RUNSC_RUNTIME } : {}),
      },
    });
    const sandbox = new DockerSandbox(docker, container, container.id, limits, isolation);
    try {
      await container.start();
      sandbox.deadmanPid = await sandbox.findDeadman(deadmanCmd);
    } catch (err) {
      await sandbox.remove();
      throw err;
    }
    return sandbox;
  }

  /**
   * The dead-man's PID, found while nothing else runs in the container: from the host's /proc under runc when the
   * engine runs here, else by asking the container with pgrep (gVisor's processes are not the host's, and its procfs
   * has no children file).
   */
  private async findDeadman(cmd: string[]): Promise<number> {
    if (this.isolation === 'runc') {
      const pid = deadmanPidFromHost(this.id, (await this.container.inspect()).State.Pid, cmd);
      if (pid) return pid;
    }
    const children = await this.exec(['pgrep', '-P', '1'], { timeoutSec: 10 });
    const pid = Number(children.stdout.trim().split(/\s+/)[0]);
    if (!Number.isInteger(pid) || pid <= 1) throw new SandboxError(`cannot find the dead-man process in its container: ${children.stdout}${children.stderr}`);
    return pid;
  }

  /**
   * Ends `stream` when the container stops by itself: an exec into a container whose gVisor kernel died would
   * otherwise hang until the backstop, because the engine never closes its stream. A poll rather than the engine's
   * long-lived wait, which would hold a socket open and keep a finished Clade process alive.
   */
  private watchExit(stream: { destroy(): void }): NodeJS.Timeout {
    const gone = () => {
      this.exited = true;
      stream.destroy();
    };
    const timer = setInterval(() => {
      this.container.inspect().then(
        (info) => {
          if (!info.State.Running) gone();
        },
        (err: unknown) => {
          if (isAlreadyGone(err)) gone();
        },
      );
    }, EXIT_POLL_MS);
    timer.unref();
    return timer;
  }

  /** Whether the container stops within `ms` (polled), for a result that may be the container's death. */
  private async stopsWithin(ms: number): Promise<boolean> {
    for (const deadline = Date.now() + ms; Date.now() < deadline; ) {
      await new Promise((r) => setTimeout(r, 250));
      try {
        if (!(await this.container.inspect()).State.Running) return true;
      } catch (err) {
        if (isAlreadyGone(err)) return true;
        throw err;
      }
    }
    return false;
  }

  /** Runs `cmd` (argv, no shell) with a hard timeout; never throws for the command's own failure. */
  async exec(cmd: string[], opts: ExecOptions = {}): Promise<ExecResult> {
    if (this.removed || this.exited) throw new SandboxError(`this sandbox was removed${this.exited ? ' (its container stopped)' : ''}; create a new one`);
    const timeoutSec = opts.timeoutSec ?? 600;
    const maxOutputBytes = opts.maxOutputBytes ?? 1024 * 1024;
    const started = Date.now();
    // `timeout` puts the command in its own process group and signals the whole group, so children die too.
    const exec = await this.gone(this.container.exec({
      Cmd: ['timeout', `--kill-after=${KILL_GRACE_SEC}`, String(timeoutSec), ...cmd],
      AttachStdout: true,
      AttachStderr: true,
      WorkingDir: opts.cwd ?? WORKSPACE,
      Env: opts.env ? envList(opts.env) : undefined,
    }));
    const stream = await this.gone(exec.start({ hijack: true, stdin: false }));
    const watch = this.watchExit(stream);
    const stdout = new CappedOutput(maxOutputBytes, opts.onStdout);
    const stderr = new CappedOutput(maxOutputBytes, opts.onStderr);
    this.docker.modem.demuxStream(stream, stdout, stderr);
    let backstopFired = false;
    const backstop = setTimeout(() => {
      // The command outlived its in-container kill (a frozen or wedged container): the container itself goes.
      backstopFired = true;
      this.container.remove({ force: true, v: true }).catch(() => {});
      stream.destroy();
    }, (timeoutSec + KILL_GRACE_SEC + (opts.backstopSec ?? BACKSTOP_SEC)) * 1000);
    try {
      await new Promise<void>((resolveEnd) => {
        stream.on('end', resolveEnd);
        stream.on('close', resolveEnd);
        stream.on('error', () => resolveEnd());
      });
    } finally {
      clearTimeout(backstop);
      clearInterval(watch);
    }
    let exitCode = 137;
    if (!backstopFired && !this.exited) {
      try {
        exitCode = (await exec.inspect()).ExitCode ?? 137;
        // A kill from outside ends the exec's stream before the poll notices: ask the container itself.
        if (!(await this.container.inspect()).State.Running) this.exited = true;
        // Under runsc a dying sandbox kernel ends the exec, with a signal's code, a moment before the container
        // stops: asked too soon, the container still runs, and the code would be passed off as the command's.
        else if (this.isolation === 'gvisor' && exitCode >= 128) this.exited = await this.stopsWithin(1500);
      } catch (err) {
        if (!isAlreadyGone(err)) throw err;
        this.exited = true;
      }
    }
    if (backstopFired) this.removed = true;
    else if (this.exited) throw new SandboxLost(`the sandbox's container stopped while \`${cmd.join(' ').slice(0, 80)}\` ran in it; its result is unknown`);
    const durationMs = Date.now() - started;
    // timeout(1) answers 124 after TERM and 128+9 after KILL; either only counts as a timeout if the time ran out.
    const timedOut = backstopFired || ((exitCode === 124 || exitCode === 137) && durationMs >= timeoutSec * 1000);
    // A timed-out command may have left processes outside timeout's process group (setsid, double fork); they die
    // with it, and the session stays usable.
    if (timedOut && !backstopFired && !this.exited && opts.killOnTimeout !== false) await this.killAll();
    const out = stdout.result();
    const err = stderr.result();
    if (out.truncated) opts.onStdout?.(Buffer.from(stdout.tailAfterHead()));
    if (err.truncated) opts.onStderr?.(Buffer.from(stderr.tailAfterHead()));
    return {
      exitCode: timedOut ? 124 : exitCode,
      stdout: out.text,
      stderr: err.text,
      timedOut,
      truncated: out.truncated || err.truncated,
      stdoutBytes: out.totalBytes,
      stderrBytes: err.totalBytes,
      durationMs,
    };
  }

  /** A container that vanished under us (its gVisor kernel died, the dead-man ran out) is a SandboxError. */
  private async gone<T>(p: Promise<T>): Promise<T> {
    try {
      return await p;
    } catch (err) {
      if (!isAlreadyGone(err)) throw err;
      this.exited = true;
      throw new SandboxError('this sandbox was removed (its container stopped); create a new one');
    }
  }

  /** Starts `cmd` with stdin, stdout and stderr attached; it runs until it exits or the sandbox is removed. */
  async attach(cmd: string[], opts: { cwd?: string; env?: Record<string, string> } = {}): Promise<AttachedProcess> {
    if (this.removed || this.exited) throw new SandboxError('this sandbox was removed; create a new one');
    const exec = await this.container.exec({ Cmd: cmd, AttachStdin: true, AttachStdout: true, AttachStderr: true, WorkingDir: opts.cwd ?? WORKSPACE, Env: opts.env ? envList(opts.env) : undefined });
    const stream = await exec.start({ hijack: true, stdin: true });
    const stdout = new PassThrough();
    const stderr = new PassThrough();
    this.docker.modem.demuxStream(stream, stdout, stderr);
    const exit = new Promise<number>((resolveExit) => {
      const done = () => {
        stdout.end();
        stderr.end();
        exec.inspect().then(
          (i) => resolveExit(i.ExitCode ?? 137),
          () => resolveExit(137),
        );
      };
      stream.on('end', done);
      stream.on('error', done);
    });
    return { stdin: stream, stdout, stderr, exit };
  }

  /**
   * Kills every process in the container but init and the dead-man, using shell builtins only. Starting it needs one
   * free pid, which a fork bomb's not-yet-reaped remains may hold for a moment; if none frees up, the container goes.
   */
  async killAll(): Promise<void> {
    // $$ is this script's bash and $PPID the timeout(1) that wraps it.
    const script = `for d in /proc/[0-9]*; do p=\${d#/proc/}; case $p in 1|${this.deadmanPid}|$$|$PPID) ;; *) kill -9 $p 2>/dev/null;; esac; done; exit 0`;
    for (let attempt = 0; attempt < 20; attempt++) {
      try {
        const r = await this.exec(['bash', '-c', script], { timeoutSec: 10, killOnTimeout: false });
        // The engine reports an exec it could not start (no free pid yet) as output, not as an error.
        if (!/OCI runtime exec failed/.test(r.stdout + r.stderr)) return;
      } catch (err) {
        if (this.removed) return;
        void err;
      }
      await new Promise((r) => setTimeout(r, 250));
    }
    await this.remove();
  }

  /** Runs a shell command line through `bash -c`. */
  sh(command: string, opts: ExecOptions = {}): Promise<ExecResult> {
    return this.exec(['bash', '-c', command], opts);
  }

  /** Writes files (paths relative to `dir`) into the container, owned by the sandbox user. */
  async writeFiles(files: Record<string, string | Buffer>, dir = WORKSPACE): Promise<void> {
    const owner = { uid: SANDBOX_USER.uid, gid: SANDBOX_USER.gid };
    const pack = tar.pack();
    // Parent directories need entries of their own, or the engine creates them owned by root.
    const dirs = new Set(Object.keys(files).flatMap((name) => name.split('/').slice(0, -1).map((_, i, parts) => parts.slice(0, i + 1).join('/'))));
    for (const name of [...dirs].sort()) pack.entry({ name, type: 'directory', mode: 0o755, ...owner });
    for (const [name, content] of Object.entries(files)) {
      pack.entry({ name, mode: 0o644, ...owner }, typeof content === 'string' ? Buffer.from(content) : content);
    }
    pack.finalize();
    await this.putArchive(pack, dir);
  }

  /** Copies a host directory's contents into `dir`, every file owned by the sandbox user; `exclude` takes tar patterns. */
  async copyIn(hostDir: string, dir = WORKSPACE, exclude: string[] = []): Promise<void> {
    // Dependencies are hard links into a shared cache, and a link made elsewhere at the same moment changes a file's
    // ctime, which tar reports as "file changed as we read it" with exit 1. The bytes are the same, so only a fatal
    // error (exit 2) fails the copy.
    // Loaded here, not at the top: execa takes a tenth of a second to load, which `clade sandbox exec` would pay.
    const { execa } = await import('execa');
    const packer = execa('tar', ['-C', hostDir, `--owner=${SANDBOX_USER.uid}`, `--group=${SANDBOX_USER.gid}`, '--numeric-owner', '--warning=no-file-changed', ...exclude.map((e) => `--exclude=${e}`), '-c', '.'], { buffer: false, stdout: 'pipe', reject: false });
    const [, packed] = await Promise.all([this.putArchive(packer.stdout, dir), packer]);
    if (packed.exitCode !== 0 && packed.exitCode !== 1) throw new SandboxError(`could not copy ${hostDir} into the sandbox: tar exited ${packed.exitCode}: ${String(packed.stderr ?? '').trim().slice(0, 500)}`);
  }

  /** Copies a tar stream into `dir`, which must be inside a writable mount (the workspace). */
  private async putArchive(archive: Readable | tar.Pack, dir = WORKSPACE): Promise<void> {
    await this.container.putArchive(archive as unknown as NodeJS.ReadableStream, { path: dir });
  }

  /** Reads one file out of the container. */
  async readFile(path: string, maxBytes = 64 * 1024 * 1024): Promise<Buffer> {
    const files = await this.readArchive(path, maxBytes);
    const file = files.find((f) => f.type === 'file');
    if (!file) throw new SandboxError(`${path} is not a regular file in the sandbox`);
    return file.body;
  }

  /**
   * Copies a container path to a host directory. The archive comes from untrusted code, so only regular files and
   * directories are written, never outside `hostDir`, and never more than `maxBytes` in all.
   */
  async copyOut(path: string, hostDir: string, maxBytes = 256 * 1024 * 1024): Promise<string[]> {
    const root = resolve(hostDir);
    const written: string[] = [];
    for (const entry of await this.readArchive(path, maxBytes)) {
      const target = resolve(root, entry.name);
      if (target !== root && !target.startsWith(root + sep)) continue;
      if (entry.type === 'directory') await mkdir(target, { recursive: true });
      else {
        await mkdir(join(target, '..'), { recursive: true });
        await writeFile(target, entry.body, { mode: entry.mode & 0o755 });
        written.push(entry.name);
      }
    }
    return written;
  }

  private async readArchive(path: string, maxBytes: number): Promise<Array<{ name: string; type: 'file' | 'directory'; mode: number; body: Buffer }>> {
    const archive = (await this.container.getArchive({ path })) as unknown as Readable;
    const extract = tar.extract();
    const entries: Array<{ name: string; type: 'file' | 'directory'; mode: number; body: Buffer }> = [];
    let total = 0;
    await new Promise<void>((resolveDone, reject) => {
      extract.on('entry', (header, body, next) => {
        const chunks: Buffer[] = [];
        body.on('data', (c) => {
          total += (c as Buffer).length;
          if (total > maxBytes) {
            reject(new SandboxError(`copy out of ${path} exceeds ${maxBytes} bytes; refusing to fill the host disk`));
            archive.destroy();
            extract.destroy();
            return;
          }
          chunks.push(c as Buffer);
        });
        body.on('error', () => {});
        body.on('end', () => {
          const name = normalize(header.name).replace(/^(\.\.(\/|$))+/, '');
          if (header.type === 'file' || header.type === 'directory') {
            entries.push({ name, type: header.type, mode: header.mode ?? 0o644, body: Buffer.concat(chunks) });
          }
          next();
        });
      });
      extract.on('finish', resolveDone);
      extract.on('error', reject);
      archive.on('error', reject);
      archive.pipe(extract);
    });
    return entries;
  }

  async remove(): Promise<void> {
    this.removed = true;
    try {
      await this.container.remove({ force: true, v: true });
    } catch (err) {
      if (!isAlreadyGone(err)) throw err;
    }
  }
}

function envList(env: Record<string, string>): string[] {
  return Object.entries(env).map(([k, v]) => `${k}=${v}`);
}

function definedOnly(opts: Partial<SandboxLimits>): Partial<SandboxLimits> {
  const keys: Array<keyof SandboxLimits> = ['memoryMb', 'cpus', 'pids', 'workspaceMb', 'tmpMb', 'lifetimeSec'];
  return Object.fromEntries(keys.filter((k) => opts[k] !== undefined).map((k) => [k, opts[k]]));
}

/** The default backend; `isolation` picks the runtime per session. */
export const dockerBackend: SandboxBackend = {
  name: 'docker',
  create: (opts) => DockerSandbox.create(opts),
  sweep: () => sweepSandboxes(),
};
