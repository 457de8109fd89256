// Turns an agent folder (the seed, or a variant) into a runnable dist/. A variant is untrusted code, so no code of
// its own runs on the host: its dependencies install through the checked, pinned install of npm-install.ts, its
// files are read without following links (variant-files.ts), and its build script runs in a sandbox.
// Builds are cached by a hash of the folder's content, installs by a hash of its lockfile (agent-deps.ts), both in
// the user's cache: the folder itself is only read, so an installed Clade builds its seed agent without writing to it.
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, realpath, rename, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { cacheDir as userCacheDir } from '../lib/cache-dir.ts';
import { execa } from 'execa';
import { hostSandboxCommand, type HostIsolation } from '../sandbox/host-sandbox.ts';
import { withSandbox } from '../sandbox/session.ts';
import { cachedDependencies } from './agent-deps.ts';
import { readVariantTree, variantPathExists } from './variant-files.ts';
import { withLock } from '../lib/lock.ts';

const SKIP = new Set(['node_modules', 'dist', '.git']);

export interface AgentBuild {
  /** Host directory holding agent.mjs and its assets. */
  distDir: string;
  /** Content hash of the agent's source. */
  hash: string;
  built: boolean;
}

/**
 * A hash of every source file (path and bytes), so any edit of a variant is a new build. The walk never follows a
 * link: a symlink or special file in the tree is refused, with the reason, instead of read.
 */
export function agentSourceHash(agentDir: string): string {
  const hash = createHash('sha256');
  readVariantTree(agentDir, (rel, bytes) => hash.update(rel).update('\0').update(bytes).update('\0'), SKIP);
  return hash.digest('hex').slice(0, 16);
}

export interface BuildOptions {
  /** Build in a container of this image. */
  image?: string;
  /** Build on the host instead (for `--local`, no Docker): in the OS sandbox, or bare only with --unsafe-host. */
  host?: boolean;
  hostIsolation?: HostIsolation;
  /** Where builds are kept, by content hash (default: the user's cache, lib/cache-dir.ts). */
  cacheDir?: string;
  /** Where installed dependencies are kept, by lockfile hash (default: the user's cache). */
  depsDir?: string;
  log?: (l: string) => void;
}

/** `image` builds in a container; `host: true` builds on the host, in the same OS sandbox the agent then runs in. */
export async function buildAgent(agentDir: string, opts: BuildOptions): Promise<AgentBuild> {
  const log = opts.log ?? (() => {});
  const dir = resolve(agentDir);
  const hash = agentSourceHash(dir);
  const cacheDir = resolve(opts.cacheDir ?? join(userCacheDir(), 'builds'));
  const distDir = join(cacheDir, hash);
  if (existsSync(join(distDir, 'agent.mjs'))) return { distDir, hash, built: false };
  // Parallel evaluations build the same agent at once; two `npm ci` runs in one folder would delete each other's
  // node_modules. One builder per agent folder on this machine; the others wait and then find the build cached.
  return withLock(join(tmpdir(), 'clade-locks', createHash('sha256').update(dir).digest('hex').slice(0, 16)), async () => {
    if (existsSync(join(distDir, 'agent.mjs'))) return { distDir, hash, built: false };
    return build(dir, hash, distDir, opts, log);
  });
}

async function build(dir: string, hash: string, distDir: string, opts: BuildOptions, log: (l: string) => void): Promise<AgentBuild> {
  const modules = await cachedDependencies(dir, resolve(opts.depsDir ?? join(userCacheDir(), 'deps')), log);
  const staging = `${distDir}.partial-${process.pid}`;
  await rm(staging, { recursive: true, force: true });
  await mkdir(staging, { recursive: true });
  if (opts.host) {
    const bare = opts.hostIsolation?.kind === 'unsafe';
    log(`building agent ${hash} on the host${bare ? ' with no OS sandbox (--unsafe-host)' : ', in the OS sandbox'} (--local)`);
    await buildOnHost(dir, modules, staging, bare);
  } else {
    if (!opts.image) throw new Error('buildAgent needs a sandbox image, or host: true');
    log(`building agent ${hash} in a sandbox`);
    await buildInSandbox(dir, modules, opts.image, staging);
  }
  if (!existsSync(join(staging, 'dist', 'agent.mjs'))) throw new Error(`the agent's build produced no dist/agent.mjs; CONTRACT.md requires it`);
  // Atomic publish: a build is either complete in the cache or absent.
  await rm(distDir, { recursive: true, force: true });
  await rename(join(staging, 'dist'), distDir);
  await rm(staging, { recursive: true, force: true });
  return { distDir, hash, built: true };
}

/**
 * The build script is the agent's own code: it runs in bubblewrap (sandbox/host-sandbox.ts) on a copy of the source,
 * with the installed dependencies (`modules`) read-only and no network, and what it wrote is read back as data.
 */
async function buildOnHost(dir: string, modules: string, staging: string, bare: boolean): Promise<void> {
  const work = await realpath(await mkdtemp(join(tmpdir(), 'clade-build-')));
  try {
    const src = join(work, 'agent');
    await mkdir(src);
    await execa('bash', ['-c', 'tar -C "$1" --exclude=./node_modules --exclude=./dist --exclude=./.git -c . | tar -C "$2" -x --no-same-owner', 'copy', dir, src]);
    // Clade's own link: inside the sandbox the dependencies are bound read-only at their real path.
    const deps = await realpath(modules);
    await symlink(deps, join(src, 'node_modules'));
    const env = { PATH: '/usr/local/bin:/usr/bin:/bin', HOME: src, LANG: 'C.UTF-8' };
    const r = bare
      ? await execa('node', ['build.mjs'], { cwd: src, env, extendEnv: false, reject: false, all: true, timeout: 300_000 })
      : await (() => {
          const { command, args, env: bwrapEnv, uid, gid } = hostSandboxCommand(['node', 'build.mjs'], { repo: src, readOnly: [deps], env });
          return execa(command, args, { env: bwrapEnv, extendEnv: false, uid, gid, reject: false, all: true, timeout: 300_000 });
        })();
    if (r.exitCode !== 0) throw new Error(`the agent's build failed (exit ${r.exitCode}${r.timedOut ? ', timed out after 300 s' : ''}):\n${String(r.all ?? '').slice(-4000)}`);
    // What the build wrote is the agent's data: regular files only, no links followed, sizes capped.
    if (!variantPathExists(src, 'dist')) throw new Error(`the agent's build produced no dist/; CONTRACT.md requires dist/agent.mjs`);
    const files: Array<[string, Buffer]> = [];
    readVariantTree(join(src, 'dist'), (rel, bytes) => files.push([rel, bytes]));
    for (const [rel, bytes] of files) {
      await mkdir(dirname(join(staging, 'dist', rel)), { recursive: true });
      await writeFile(join(staging, 'dist', rel), bytes);
    }
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

async function buildInSandbox(dir: string, modules: string, image: string, staging: string): Promise<void> {
  await withSandbox({ image, lifetimeSec: 600, workspaceMb: 1024 }, async (sb) => {
    await sb.sh('mkdir -p agent/node_modules');
    await sb.copyIn(dir, '/workspace/agent', ['./dist', './.git', './node_modules']);
    await sb.copyIn(modules, '/workspace/agent/node_modules');
    const r = await sb.sh('cd agent && node build.mjs', { timeoutSec: 300 });
    if (r.exitCode !== 0) throw new Error(`the agent's build failed (exit ${r.exitCode}):\n${r.stdout}\n${r.stderr}`);
    await sb.copyOut('/workspace/agent/dist', staging, 64 * 1024 * 1024);
  });
}
