// The OS sandbox for host mode: an agent that edits the user's repository directly (`clade chat` without --sandbox,
// `clade solve --local`, the exported CLI) runs inside bubblewrap, so it never shares a PID namespace or a file system
// view with the process that holds the key. Only node: builtins here: the exported CLI bundles this file and finds
// `bwrap` on PATH when it runs. See sandbox/README.md ("Host mode") for what the agent can and cannot reach.
import { execFile, spawn, type ChildProcess, type StdioOptions } from 'node:child_process';
import { accessSync, constants, existsSync, lstatSync, readlinkSync, realpathSync, statSync } from 'node:fs';
import { delimiter, isAbsolute, join, resolve, sep } from 'node:path';

export interface HostSandboxOptions {
  /** The repository the agent works on: writable, with its `.git` read-only. */
  repo: string;
  /** Directories or files the agent may read (its own build), and nothing else beyond the system's. */
  readOnly?: string[];
  /** Directories the agent may write besides the repository (e.g. where it writes its trajectory). */
  writable?: string[];
  /**
   * Paths inside the repository that stay read-only: Clade's own files there (a gateway log it appends to, a build
   * cache). A link the agent put in their place would make Clade write where the agent chose.
   */
  protect?: string[];
  /** Unix sockets it may connect to: the gateway's, its only way out. */
  sockets?: string[];
  /** The child's whole environment. */
  env: Record<string, string>;
  /** Working directory inside; the repository by default. */
  cwd?: string;
}

/** No OS sandbox on this machine; the message says how to get one. */
export class HostSandboxUnavailable extends Error {}

/** The sandbox's uid when Clade runs as root: any unprivileged uid works, the repository's files map onto it. */
const UNPRIVILEGED = 1000;
/** Caps the sandbox's private /tmp (memory-backed). */
const TMP_BYTES = 512 * 1024 * 1024;
/** What programs need from /etc: the loader's cache, Debian's alternatives (awk, editor…), names for ids. Not the rest. */
const ETC = ['alternatives', 'ld.so.cache', 'ld.so.conf', 'ld.so.conf.d', 'passwd', 'group', 'nsswitch.conf', 'hosts', 'localtime', 'timezone', 'gitconfig', 'bash.bashrc', 'profile', 'inputrc', 'mime.types'];

/** `bwrap` to run: `CLADE_BWRAP` if set (exactly that, so a test or a user can point elsewhere), else the first on PATH. */
export function bwrapPath(): string | undefined {
  const pinned = process.env.CLADE_BWRAP;
  if (pinned !== undefined) return pinned;
  for (const dir of (process.env.PATH ?? '/usr/bin:/bin').split(delimiter)) {
    if (!dir || !isAbsolute(dir)) continue;
    const candidate = join(dir, 'bwrap');
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not here
    }
  }
  return undefined;
}

/**
 * Who the agent is. Files it writes must stay the repository owner's. Clade not root: the caller's own uid, inside
 * and out. Clade root and the repository someone else's: bwrap itself is started as that owner, so the agent is that
 * user on the host too, never uid 0. Clade root and the repository root's: bwrap maps an unprivileged uid inside onto
 * root outside, so the agent is uid 1000 with no capabilities in its own namespaces, and its files are root's.
 */
export function sandboxIdentity(repo: string): { uid: number; gid: number; spawnAs?: { uid: number; gid: number } } {
  const uid = process.getuid?.() ?? UNPRIVILEGED;
  const gid = process.getgid?.() ?? UNPRIVILEGED;
  if (uid !== 0) return { uid, gid };
  const owner = statSync(repo);
  if (owner.uid !== 0) return { uid: owner.uid, gid: owner.gid, spawnAs: { uid: owner.uid, gid: owner.gid } };
  return { uid: UNPRIVILEGED, gid: UNPRIVILEGED };
}

/** Namespaces, privileges and the read-only system: everything but what a particular run may reach. */
function baseArgs(id: { uid: number; gid: number }): string[] {
  const { uid, gid } = id;
  const args = [
    // New user, PID, network, IPC, UTS and cgroup namespaces: only loopback inside, and no /proc of the parent.
    '--unshare-all',
    '--unshare-user',
    '--disable-userns',
    '--uid', String(uid),
    '--gid', String(gid),
    // Run as root, bwrap keeps its capabilities for the child unless told otherwise.
    '--cap-drop', 'ALL',
    '--die-with-parent',
    '--new-session',
    '--ro-bind', '/usr', '/usr',
  ];
  for (const top of ['/bin', '/sbin', '/lib', '/lib32', '/lib64', '/libx32']) {
    const st = lstatSync(top, { throwIfNoEntry: false });
    if (st?.isSymbolicLink()) args.push('--symlink', readlinkSync(top), top);
    else if (st?.isDirectory()) args.push('--ro-bind', top, top);
  }
  for (const name of ETC) args.push('--ro-bind-try', `/etc/${name}`, `/etc/${name}`);
  // Node may live outside /usr (nvm, a tarball): the binary itself, read-only.
  const node = realpathSync(process.execPath);
  if (!node.startsWith('/usr/')) args.push('--ro-bind', node, process.execPath);
  args.push('--proc', '/proc', '--dev', '/dev', '--size', String(TMP_BYTES), '--tmpfs', '/tmp');
  return args;
}

/** The bwrap argument list that runs `argv` with exactly the access `opts` grants. */
export function hostSandboxArgs(argv: string[], opts: HostSandboxOptions): string[] {
  const repo = resolve(opts.repo);
  if (repo === '/') throw new HostSandboxUnavailable('refusing to give an agent write access to / : pass the repository itself');
  const args = baseArgs(sandboxIdentity(repo));
  for (const p of opts.readOnly ?? []) args.push('--ro-bind', realpathSync(p), resolve(p));
  for (const p of opts.writable ?? []) args.push('--bind', realpathSync(p), resolve(p));
  args.push('--bind', realpathSync(repo), repo);
  // After the repository, so it covers the writable bind: hooks and config stay the user's.
  if (existsSync(join(repo, '.git'))) args.push('--ro-bind', realpathSync(join(repo, '.git')), join(repo, '.git'));
  // Only those inside the repository (anything else is not in the agent's view to begin with), and never through a
  // link, which an earlier agent may have left there to have some other host folder mounted for it.
  for (const p of opts.protect ?? []) {
    const st = lstatSync(p, { throwIfNoEntry: false });
    if (resolve(p).startsWith(repo + sep) && (st?.isDirectory() || st?.isFile())) args.push('--ro-bind', resolve(p), resolve(p));
  }
  for (const s of opts.sockets ?? []) args.push('--ro-bind', s, s);
  // The sandbox's root is bwrap's own tmpfs, holding the mount points above: read-only, or it is unbounded scratch.
  args.push('--remount-ro', '/');
  args.push('--clearenv');
  for (const [k, v] of Object.entries(opts.env)) args.push('--setenv', k, v);
  args.push('--chdir', resolve(opts.cwd ?? repo), '--', ...argv);
  return args;
}

/** What to spawn: bwrap, its arguments, its own environment, and the uid to start it as (when not the caller's). */
export interface HostSandboxCommand {
  command: string;
  args: string[];
  /**
   * bwrap's own environment, empty on purpose: inside the PID namespace bwrap is PID 1, and its /proc/1/environ is
   * what it was started with, whatever --clearenv gives the child.
   */
  env: Record<string, string>;
  uid?: number;
  gid?: number;
}

/**
 * The command that runs `argv` in the sandbox. It does not probe: host mode checks once, up front (hostIsolation);
 * a bwrap that then fails to start is the child's start-up error.
 */
export function hostSandboxCommand(argv: string[], opts: HostSandboxOptions): HostSandboxCommand {
  const bwrap = bwrapPath();
  if (!bwrap) throw new HostSandboxUnavailable(`no OS sandbox for the agent: bwrap (bubblewrap) is not on PATH. Fix: ${HOST_SANDBOX_FIX}`);
  const id = sandboxIdentity(resolve(opts.repo));
  return { command: bwrap, args: hostSandboxArgs(argv, opts), env: {}, ...id.spawnAs };
}

/** Spawns `argv` in the sandbox; like child_process.spawn, with the environment given only through `opts.env`. */
export function spawnInHostSandbox(argv: string[], opts: HostSandboxOptions, stdio: StdioOptions = ['pipe', 'pipe', 'pipe']): ChildProcess {
  const { command, args, env, uid, gid } = hostSandboxCommand(argv, opts);
  return spawn(command, args, { env, stdio, uid, gid });
}

export type HostSandboxProbe = { ok: true; bwrap: string; version: string } | { ok: false; reason: string };

const probes = new Map<string, Promise<HostSandboxProbe>>();

/**
 * Whether bwrap is there and can create its namespaces here: it runs `true` once (per bwrap and uid) with the real
 * options. `as` starts it as another user, as host mode does for a repository that is not root's.
 */
export function probeHostSandbox(as?: { uid: number; gid: number }): Promise<HostSandboxProbe> {
  const bwrap = bwrapPath();
  if (!bwrap) return Promise.resolve({ ok: false, reason: 'bwrap (bubblewrap) is not on PATH' });
  const key = `${bwrap}\0${as?.uid ?? ''}`;
  let probe = probes.get(key);
  if (!probe) {
    probe = new Promise<HostSandboxProbe>((done) => {
      if (!existsSync(bwrap) || !statSync(bwrap).isFile()) return done({ ok: false, reason: `${bwrap} does not exist` });
      const id = as ?? sandboxIdentity('/');
      execFile(bwrap, [...baseArgs(id), '--', 'true'], { env: {}, timeout: 15_000, uid: as?.uid, gid: as?.gid }, (err, _out, stderr) => {
        if (err) return done({ ok: false, reason: `${bwrap} cannot create a sandbox here${as ? ` as uid ${as.uid}` : ''}: ${(stderr || err.message).trim().split('\n').at(-1)}` });
        execFile(bwrap, ['--version'], { env: {} }, (e, out) => done({ ok: true, bwrap, version: e ? 'unknown' : out.trim() }));
      });
    });
    probes.set(key, probe);
  }
  return probe;
}

/** How to get an OS sandbox, for the messages that refuse host mode without one. */
export const HOST_SANDBOX_FIX = 'install bubblewrap (`apt-get install bubblewrap`, or `clade setup`)';

/**
 * How host mode isolates the agent: in bwrap, or (only with --unsafe-host) not at all. Resolved once, before anything
 * starts, so a machine without an OS sandbox is refused up front.
 */
export type HostIsolation = { kind: 'bwrap' } | { kind: 'unsafe' };

/** The PATH inside the OS sandbox: the system's directories, which are all it has. */
export const SANDBOX_PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

/**
 * The whole environment of an agent launched on the host: the gateway socket and nothing secret (never the key, which
 * the gateway in the parent holds). In the OS sandbox it gets fixed system values; an --unsafe-host child keeps the
 * user's PATH and HOME, which it needs to find their tools.
 */
export function agentEnv(socketPath: string, isolation: HostIsolation): Record<string, string> {
  const env: Record<string, string> = { CLADE_GATEWAY_SOCKET: socketPath };
  if (isolation.kind === 'bwrap') return { ...env, PATH: SANDBOX_PATH, HOME: '/tmp', LANG: 'C.UTF-8' };
  for (const key of ['PATH', 'HOME'] as const) if (process.env[key]) env[key] = process.env[key]!;
  return env;
}

/** The one-line warning `--unsafe-host` prints. */
export const UNSAFE_HOST_WARNING = '--unsafe-host: the agent runs as your user with no OS sandbox; it can read your API key from its parent process, and anything else you can';

/** Host mode's isolation, or a refusal that says how to fix it (`howToFix` names the caller's own alternatives). */
export async function hostIsolation(opts: { repo: string; unsafe?: boolean; howToFix: string; warn: (line: string) => void }): Promise<HostIsolation> {
  if (opts.unsafe) {
    opts.warn(UNSAFE_HOST_WARNING);
    return { kind: 'unsafe' };
  }
  const probe = await probeHostSandbox(sandboxIdentity(resolve(opts.repo)).spawnAs);
  if (!probe.ok) throw new HostSandboxUnavailable(`no OS sandbox for the agent: ${probe.reason}, and host mode will not run an agent without one (it could read your API key from its parent process). Fix: ${HOST_SANDBOX_FIX}; ${opts.howToFix}`);
  return { kind: 'bwrap' };
}
