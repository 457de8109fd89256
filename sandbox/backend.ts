// The sandbox seam: what every caller may ask of a sandbox, whatever runs it. Docker (runc) is the default backend,
// Docker with gVisor (runsc) the opt-in second wall; a host OS sandbox or a remote worker implement the same
// interfaces. Nothing here knows Docker, and no engine type crosses this line.
import { existsSync } from 'node:fs';
import { isAbsolute, normalize, resolve } from 'node:path';
import type { Readable } from 'node:stream';
import { SANDBOX_USER } from './recipe.ts';

export interface SandboxLimits {
  memoryMb: number;
  cpus: number;
  pids: number;
  workspaceMb: number;
  tmpMb: number;
  /** The dead-man: the session ends by itself after this long, so a leaked one cannot live forever. */
  lifetimeSec: number;
}

export const DEFAULT_LIMITS: SandboxLimits = { memoryMb: 1024, cpus: 1, pids: 256, workspaceMb: 512, tmpMb: 128, lifetimeSec: 3600 };

/** How a container session is walled off: runc (namespaces and cgroups) or gVisor's user-space kernel on top. */
export const ISOLATIONS = ['runc', 'gvisor'] as const;
export type Isolation = (typeof ISOLATIONS)[number];

export interface Mount {
  hostPath: string;
  containerPath: string;
  readOnly: boolean;
}

export interface SandboxOptions extends Partial<SandboxLimits> {
  image: string;
  mounts?: Mount[];
  /** The only environment a session gets; nothing from the host is passed through. */
  env?: Record<string, string>;
  labels?: Record<string, string>;
  /** Default: `CLADE_ISOLATION` from the environment, else runc. */
  isolation?: Isolation;
}

/** A long-running process in a sandbox with its stdio attached, for protocols spoken over stdin/stdout. */
export interface AttachedProcess {
  stdin: NodeJS.WritableStream;
  stdout: Readable;
  stderr: Readable;
  /** Resolves with the exit code when the process ends. */
  exit: Promise<number>;
}

export interface ExecOptions {
  timeoutSec?: number;
  cwd?: string;
  env?: Record<string, string>;
  maxOutputBytes?: number;
  onStdout?: (chunk: Buffer) => void;
  onStderr?: (chunk: Buffer) => void;
  /** How long past the in-sandbox kill the host waits before removing the whole session. */
  backstopSec?: number;
  /** Kill every process in the session if this command times out (default true). */
  killOnTimeout?: boolean;
}

export interface ExecResult {
  exitCode: number;
  stdout: string;
  stderr: string;
  timedOut: boolean;
  /** Either stream was longer than maxOutputBytes and had its middle elided. */
  truncated: boolean;
  stdoutBytes: number;
  stderrBytes: number;
  durationMs: number;
}

/**
 * What running an agent or a grader needs from where it runs. A host workspace (`sandbox/host-workspace.ts`) provides
 * this much; a full session below adds the rest.
 */
export interface Workspace {
  /** Where the writable workspace is, for code that runs both in a sandbox and in a host directory. */
  readonly root: string;
  /** Runs argv (no shell) with a hard timeout; never throws for the command's own failure (124 on timeout). */
  exec(argv: string[], opts?: ExecOptions): Promise<ExecResult>;
  /** `exec(['bash', '-c', command])`. */
  sh(command: string, opts?: ExecOptions): Promise<ExecResult>;
  /** Copies a host directory's contents into `dir`, owned by the sandbox user; `exclude` takes tar patterns. */
  copyIn(hostDir: string, dir?: string, exclude?: string[]): Promise<void>;
  /** Writes files (paths relative to `dir`), owned by the sandbox user. */
  writeFiles(files: Record<string, string | Buffer>, dir?: string): Promise<void>;
  /** Reads one regular file, at most `maxBytes`. */
  readFile(path: string, maxBytes?: number): Promise<Buffer>;
}

/** One sandbox: created locked down, used through these calls, removed. The contents are hostile data. */
export interface SandboxSession extends Workspace {
  /** Unique per session; the sweeper and logs name it. */
  readonly id: string;
  readonly isolation: Isolation;
  readonly limits: SandboxLimits;
  /** Starts argv with stdin, stdout and stderr attached; it runs until it exits or the session is removed. */
  attach(argv: string[], opts?: { cwd?: string; env?: Record<string, string> }): Promise<AttachedProcess>;
  /**
   * Copies a sandbox path into a host directory: only regular files and directories, never outside `hostDir`, never
   * more than `maxBytes` in all. Returns the files written, relative to `hostDir`.
   */
  copyOut(path: string, hostDir: string, maxBytes?: number): Promise<string[]>;
  /** Kills every process the session's commands started; the session stays usable. */
  killAll(): Promise<void>;
  /** Ends the session and everything in it; idempotent. */
  remove(): Promise<void>;
}

export interface SweepResult {
  removed: string[];
  kept: number;
}

export interface SandboxBackend {
  readonly name: string;
  create(opts: SandboxOptions): Promise<SandboxSession>;
  /** Removes sessions whose owner process is gone or whose lifetime ran out. */
  sweep(): Promise<SweepResult>;
}

export const WORKSPACE = SANDBOX_USER.home;

export class SandboxError extends Error {
  override readonly name: string = 'SandboxError';
}

/**
 * The container stopped while a command ran in it (killed from outside, the engine went away, its gVisor kernel died):
 * the command's result is unknown, so there is none to return.
 */
export class SandboxLost extends SandboxError {
  override readonly name = 'SandboxLost';
}

/** `opts.isolation`, else `CLADE_ISOLATION`, else runc; anything else is an error that lists the choices. */
export function resolveIsolation(value: string | undefined = process.env.CLADE_ISOLATION): Isolation {
  if (value === undefined || value === '') return 'runc';
  if ((ISOLATIONS as readonly string[]).includes(value)) return value as Isolation;
  throw new SandboxError(`unknown isolation "${value}" (from --isolation or CLADE_ISOLATION): use ${ISOLATIONS.join(' or ')}`);
}

const FORBIDDEN_MOUNTS = ['/var/run/docker.sock', '/run/docker.sock', '/', '/proc', '/sys', '/dev', '/etc', '/root'];

export function parseMount(spec: string): Mount {
  const parts = spec.split(':');
  if (parts.length < 2 || parts.length > 3 || (parts[2] !== undefined && parts[2] !== 'ro' && parts[2] !== 'rw')) {
    throw new SandboxError(`bad --mount "${spec}": expected HOST:PATH or HOST:PATH:ro (for example ./repo:/workspace/repo:ro)`);
  }
  return { hostPath: resolve(parts[0]!), containerPath: parts[1]!, readOnly: parts[2] === 'ro' };
}

/** Every backend checks its mounts with this before creating anything. */
export function checkMount(m: Mount): void {
  if (!isAbsolute(m.containerPath)) throw new SandboxError(`mount target "${m.containerPath}" must be an absolute path inside the container`);
  if (!existsSync(m.hostPath)) throw new SandboxError(`mount source "${m.hostPath}" does not exist on the host; create it or fix the path`);
  const host = normalize(m.hostPath).replace(/\/+$/, '') || '/';
  if (FORBIDDEN_MOUNTS.includes(host)) {
    throw new SandboxError(`refusing to mount ${host} into a sandbox: it would hand the container control of the host`);
  }
}
