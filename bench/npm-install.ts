// Installing an agent's dependencies on the host, where the key lives. The agent's package.json and lockfile are
// model-written data: they may name git repositories (whose prepare step runs a nested npm that reads the clone's
// .npmrc and scripts), local paths, links or any URL, and the agent's folder may carry an .npmrc of its own. So:
// 1. the lockfile is checked first: every package comes from the registry, by version, with an integrity hash;
// 2. npm runs in a fresh folder holding only package.json and the lockfile, with a config Clade writes (the variant's
//    .npmrc is never there to read), a clean environment, --ignore-scripts, and as an unprivileged user when Clade
//    runs as root.
// Every install of code Clade did not write goes through here: children, --agent-dir folders, archived variants.
import { createHash } from 'node:crypto';
import { lstatSync, mkdirSync, readFileSync } from 'node:fs';
import { cp, mkdir, mkdtemp, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { execa } from 'execa';
import { z } from 'zod';
import { LOCKFILE_LIMIT, MANIFEST_LIMIT, readVariantFile, variantPathExists } from './variant-files.ts';

export const NPM_REGISTRY = 'https://registry.npmjs.org/';
/** The unprivileged user npm runs as when Clade is root: nobody. */
const NOBODY = 65534;

export class DependencyError extends Error {}

/**
 * The registry npm may fetch from: the public one, or the one in Clade's own configuration (CLADE_NPM_REGISTRY, e.g.
 * a company mirror), never one a variant names.
 */
export function configuredRegistry(): string {
  const raw = process.env.CLADE_NPM_REGISTRY?.trim();
  if (!raw) return NPM_REGISTRY;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new DependencyError(`CLADE_NPM_REGISTRY=${raw} is not a URL; set it to the registry's base URL, e.g. https://registry.npmjs.org/`);
  }
  if (!/^https?:$/.test(url.protocol) || url.username || url.password || url.search || url.hash) throw new DependencyError(`CLADE_NPM_REGISTRY=${raw} must be a plain http(s) base URL without credentials, query or fragment`);
  return url.href.endsWith('/') ? url.href : `${url.href}/`;
}

const DEP_FIELDS = ['dependencies', 'devDependencies', 'optionalDependencies', 'peerDependencies'] as const;
const DepMap = z.record(z.string(), z.string()).optional();
const Manifest = z.looseObject(Object.fromEntries(DEP_FIELDS.map((f) => [f, DepMap])) as Record<(typeof DEP_FIELDS)[number], typeof DepMap>);
const Entry = z.looseObject({
  name: z.string().optional(),
  version: z.string().optional(),
  resolved: z.string().optional(),
  integrity: z.string().optional(),
  link: z.boolean().optional(),
  inBundle: z.boolean().optional(),
  ...Object.fromEntries(DEP_FIELDS.map((f) => [f, DepMap])),
});
const Lockfile = z.looseObject({ lockfileVersion: z.number(), packages: z.record(z.string(), z.unknown()).optional() });

/** A version range or tag as the registry resolves it: no URL, path, git host or alias can be written without ':' or '/'. */
const RANGE = /^[\w.\-\s<>=^~|*+]*$/;
/** An alias to another registry package (npm:name@range), which nested packages use; the lock's entry says what is fetched. */
const ALIAS = /^npm:(@[\w.-]+\/)?[\w.-]+(@[\w.\-\s<>=^~|*+]*)?$/;
const SEMVER = /^\d+\.\d+\.\d+(-[\w.-]+)?(\+[\w.-]+)?$/;
const PACKAGE_NAME = /^(@[a-z0-9][\w.-]*\/)?[a-z0-9][\w.-]*$/i;
const ENTRY_PATH = /^(node_modules\/(@[^/]+\/)?[^/]+\/)*node_modules\/(@[^/]+\/)?[^/]+$/;
const INTEGRITY = /^(sha512|sha384|sha256|sha1)-[A-Za-z0-9+/=]+$/;
const FIX = 'variants may install only registry packages; remove it, or depend on the published package by version';

function checkSpecs(where: string, entry: Record<string, unknown>, allowAlias: boolean): void {
  for (const field of DEP_FIELDS) {
    const deps = (entry[field] ?? {}) as Record<string, string>;
    for (const [name, spec] of Object.entries(deps)) {
      if (RANGE.test(spec) || (allowAlias && ALIAS.test(spec))) continue;
      throw new DependencyError(`${where}: dependency ${name} is "${spec}", not a registry version range; ${FIX}`);
    }
  }
}

/** A registry tarball: https (or Clade's configured registry), on the registry's host, ending in .tgz. */
function isRegistryTarball(resolved: string, registry: string): boolean {
  let url: URL;
  try {
    url = new URL(resolved);
  } catch {
    return false;
  }
  if (url.username || url.password || url.search || url.hash || !url.pathname.endsWith('.tgz')) return false;
  if (url.protocol === 'https:' && url.host === 'registry.npmjs.org') return true;
  return url.href.startsWith(registry);
}

/**
 * Refuses any package.json or lockfile that would make npm fetch something other than a registry tarball by version
 * and hash. The error names the package and the rule.
 */
export function checkLockfile(manifest: unknown, lockfile: unknown, registry = configuredRegistry()): void {
  const pkg = Manifest.safeParse(manifest);
  if (!pkg.success) throw new DependencyError(`package.json: its dependency fields must map names to version strings (${pkg.error.issues[0]?.message})`);
  if ((manifest as Record<string, unknown>).workspaces) throw new DependencyError(`package.json: workspaces are links to local folders; ${FIX}`);
  checkSpecs('package.json', pkg.data, false);
  const lock = Lockfile.safeParse(lockfile);
  if (!lock.success) throw new DependencyError('package-lock.json is not an npm lockfile (no lockfileVersion); run npm install in the agent folder');
  const version = lock.data.lockfileVersion;
  if (version !== 2 && version !== 3) throw new DependencyError(`package-lock.json has lockfileVersion ${version}; Clade reads only versions 2 and 3: run npm install --lockfile-version 3 in the agent folder (npm 7 or later)`);
  // Without `packages`, npm falls back to the old `dependencies` tree, whose entries this check does not read.
  if (!lock.data.packages) throw new DependencyError('package-lock.json has no "packages" section; run npm install --lockfile-version 3 in the agent folder');
  for (const [path, raw] of Object.entries(lock.data.packages)) {
    const parsed = Entry.safeParse(raw);
    const where = path === '' ? 'package-lock.json' : `package-lock.json: ${path}`;
    if (!parsed.success) throw new DependencyError(`${where} is malformed (${parsed.error.issues[0]?.message})`);
    const e = parsed.data;
    if (path === '') {
      checkSpecs(where, e, false);
      continue;
    }
    if (!ENTRY_PATH.test(path)) throw new DependencyError(`${where} is not under node_modules (a workspace or a local folder); ${FIX}`);
    if (e.link) throw new DependencyError(`${where} is a link to ${e.resolved ?? 'a local folder'}; ${FIX}`);
    checkSpecs(where, e, true);
    // A bundled package comes inside its parent's tarball, which is itself checked.
    if (e.inBundle) continue;
    if (e.resolved !== undefined && !isRegistryTarball(e.resolved, registry)) throw new DependencyError(`${where} is resolved from ${e.resolved}, which is not a registry tarball (${registry}…/*.tgz); ${FIX}`);
    if (!e.version || !SEMVER.test(e.version)) throw new DependencyError(`${where} has version "${e.version ?? ''}", not an exact registry version; ${FIX}`);
    if (e.name !== undefined && !PACKAGE_NAME.test(e.name)) throw new DependencyError(`${where} names package "${e.name}", which is not a registry package name`);
    if (!e.integrity || !INTEGRITY.test(e.integrity)) throw new DependencyError(`${where} has no integrity hash; run npm install in the agent folder to pin it`);
  }
}

function parseJson(rel: string, bytes: Buffer): unknown {
  try {
    return JSON.parse(bytes.toString('utf8'));
  } catch (err) {
    // The parser quotes the text it choked on; keep only where, not what.
    throw new DependencyError(`${rel} is not valid JSON (${(err as Error).message.replace(/".*$/s, '').slice(0, 80).trim()}); fix it in the agent folder`);
  }
}

/** The agent's package.json and lockfile, read with caps and without following links, and checked. */
export function readDependencySpec(agentDir: string): { manifest: Buffer; lockfile: Buffer } {
  if (!variantPathExists(agentDir, 'package-lock.json')) throw new DependencyError(`${agentDir} has no package-lock.json; an agent must pin its dependencies (run npm install there)`);
  const manifest = readVariantFile(agentDir, 'package.json', MANIFEST_LIMIT);
  const lockfile = readVariantFile(agentDir, 'package-lock.json', LOCKFILE_LIMIT);
  checkLockfile(parseJson('package.json', manifest), parseJson('package-lock.json', lockfile));
  return { manifest, lockfile };
}

/** The hash an install is cached and stamped by: the lockfile's bytes, read without following links and with a cap. */
export function lockfileHash(agentDir: string): string {
  if (!variantPathExists(agentDir, 'package-lock.json')) throw new DependencyError(`${agentDir} has no package-lock.json; an agent must pin its dependencies (run npm install there)`);
  return createHash('sha256').update(readVariantFile(agentDir, 'package-lock.json', LOCKFILE_LIMIT)).digest('hex');
}

/** How this machine reaches the registry (proxy, certificates): the host's own settings, passed on by name. */
const HOST_NETWORK_ENV = ['HTTPS_PROXY', 'https_proxy', 'HTTP_PROXY', 'http_proxy', 'NO_PROXY', 'no_proxy', 'NODE_EXTRA_CA_CERTS', 'SSL_CERT_FILE', 'SSL_CERT_DIR'];
const HOST_NETWORK_NPMRC = new Set(['cafile', 'ca', 'strict-ssl', 'proxy', 'https-proxy', 'noproxy']);

/**
 * The network lines of the host's global npmrc (next to the node that runs Clade, root-owned, never a variant's): a
 * machine behind a TLS-inspecting proxy needs its CA file to reach the registry at all.
 */
function hostNetworkConfig(): string {
  try {
    const text = readFileSync(join(dirname(dirname(process.execPath)), 'etc', 'npmrc'), 'utf8');
    return text.split('\n').filter((line) => HOST_NETWORK_NPMRC.has(line.split('=')[0]!.trim())).join('\n');
  } catch {
    return '';
  }
}

/** npm's cache, shared by installs (tarballs are checked against the lockfile's hashes when read), writable by nobody. */
async function npmCache(asNobody: boolean): Promise<string> {
  const dir = join(tmpdir(), 'clade-npm-cache');
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const st = lstatSync(dir);
  if (!st.isDirectory()) throw new DependencyError(`${dir} is not a directory; remove it`);
  if (asNobody && st.uid !== NOBODY) await execa('chown', ['-R', `${NOBODY}:${NOBODY}`, dir]);
  return dir;
}

/**
 * Installs the dependencies `agentDir`'s lockfile pins into `nodeModules` (replacing it). Nothing of the variant's but
 * its package.json and lockfile bytes reaches npm, and those only after checkLockfile.
 */
export async function installLocked(agentDir: string, nodeModules: string, log: (l: string) => void = () => {}): Promise<void> {
  const { manifest, lockfile } = readDependencySpec(agentDir);
  const registry = configuredRegistry();
  const asNobody = process.getuid?.() === 0;
  const cache = await npmCache(asNobody);
  const staging = await mkdtemp(join(tmpdir(), 'clade-npm-'));
  try {
    const project = join(staging, 'project');
    const home = join(staging, 'home');
    await mkdir(project);
    await mkdir(home);
    await writeFile(join(project, 'package.json'), manifest);
    await writeFile(join(project, 'package-lock.json'), lockfile);
    const userconfig = join(staging, 'npmrc');
    const globalconfig = join(staging, 'npmrc-global');
    await writeFile(userconfig, `registry=${registry}\n`);
    await writeFile(globalconfig, `${hostNetworkConfig()}\n`);
    if (asNobody) {
      await execa('chown', ['-R', `${NOBODY}:${NOBODY}`, staging]);
    }
    const npmArgs = [
      'ci', '--ignore-scripts', '--no-audit', '--no-fund', '--no-update-notifier',
      `--userconfig=${userconfig}`, `--globalconfig=${globalconfig}`, `--cache=${cache}`, `--registry=${registry}`,
      '--replace-registry-host=npmjs',
      // Belt and braces: the lockfile has no git dependency, and if it had, there would be no git to run.
      '--git=/bin/false',
    ];
    const [cmd, args] = asNobody ? ['setpriv', [`--reuid=${NOBODY}`, `--regid=${NOBODY}`, '--clear-groups', '--no-new-privs', '--', 'npm', ...npmArgs]] : ['npm', npmArgs];
    log(`installing dependencies (npm ci --ignore-scripts${asNobody ? ', as nobody' : ''}, registry ${registry})`);
    const r = await execa(cmd, args, {
      cwd: project,
      // Nothing else from Clade's environment: no key, no npm_config_*.
      env: { ...pick(process.env, HOST_NETWORK_ENV), PATH: `${dirname(process.execPath)}:/usr/local/bin:/usr/bin:/bin`, HOME: home, LANG: 'C.UTF-8' },
      extendEnv: false,
      reject: false,
      all: true,
      timeout: 15 * 60_000,
    });
    if (r.exitCode !== 0) {
      const hint = r.failed && (r as { code?: string }).code === 'ENOENT' ? ' (setpriv comes with util-linux: apt-get install util-linux)' : '';
      throw new DependencyError(`npm ci failed for the agent's lockfile (exit ${r.exitCode})${hint}:\n${(r.all ?? '').split('\n').slice(-15).join('\n')}`);
    }
    const installed = join(project, 'node_modules');
    // A lockfile with no packages installs no folder; its dependencies are still an (empty) node_modules.
    await mkdir(installed, { recursive: true });
    if (asNobody) await execa('chown', ['-R', `${process.getuid!()}:${process.getgid!()}`, installed]);
    await rm(nodeModules, { recursive: true, force: true });
    await mkdir(dirname(nodeModules), { recursive: true });
    try {
      await rename(installed, nodeModules);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EXDEV') throw err;
      await cp(installed, nodeModules, { recursive: true, verbatimSymlinks: true });
    }
  } finally {
    await rm(staging, { recursive: true, force: true });
  }
}

function pick(env: NodeJS.ProcessEnv, names: string[]): Record<string, string> {
  return Object.fromEntries(names.flatMap((n) => (env[n] ? [[n, env[n]!]] : [])));
}
