// Builds the sandbox image. Its tag is a hash of every input, so a changed recipe or Node binary means a new image
// and an unchanged one means no work at all.
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdtemp, rm, writeFile, appendFile, mkdir, copyFile, chmod, readFile, rename, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import type Docker from 'dockerode';
import tar from 'tar-stream';
import { requireDocker, isAlreadyGone } from './docker.ts';
import { cacheDir } from '../lib/cache-dir.ts';

/** What every sandbox image provides, whichever way it was built. The agent contract depends on these. */
export const SANDBOX_USER = { name: 'agent', uid: 1000, gid: 1000, home: '/workspace' };
export const IMAGE_REPO = 'clade-sandbox';
/** Bump when the recipe below changes in a way the inputs do not capture. */
const RECIPE_VERSION = 2;
const DEBIAN_SUITE = 'bookworm';
const DEBIAN_MIRROR = process.env.CLADE_DEBIAN_MIRROR ?? 'http://deb.debian.org/debian';
/** git for repositories, ripgrep for search, python3 and pytest for polyglot tasks, patch for the grader's fallback apply. */
const PACKAGES = ['git', 'ripgrep', 'ca-certificates', 'python3', 'python3-pytest', 'procps', 'patch'];
const IMAGE_CHANGES = [
  `USER ${SANDBOX_USER.uid}:${SANDBOX_USER.gid}`,
  `WORKDIR ${SANDBOX_USER.home}`,
  'ENV PATH=/usr/local/bin:/usr/bin:/bin',
  'ENV LANG=C.UTF-8',
  'CMD ["sleep", "infinity"]',
];

export type ImageSource = 'debootstrap' | 'dockerfile';

export interface ImageRecipe {
  source: ImageSource;
  tag: string;
  inputs: Record<string, unknown>;
}

let nodeHashCache: string | undefined;
/**
 * The sha256 of the Node binary that goes into the image: reading 99 MB takes a seventh of a second, so it is kept in
 * the user's cache, keyed by the binary's path, size, mtime and inode (any replacement of the file changes one).
 */
async function nodeBinaryHash(): Promise<string> {
  if (nodeHashCache) return nodeHashCache;
  const st = await stat(process.execPath);
  const key = [process.execPath, st.size, st.mtimeMs, st.ino].join(':');
  const file = join(cacheDir(), 'node-binary-hash.json');
  const cached = await readFile(file, 'utf8').then((t) => JSON.parse(t) as { key?: unknown; sha256?: unknown }, () => ({}) as { key?: unknown; sha256?: unknown });
  if (cached.key === key && typeof cached.sha256 === 'string' && /^[0-9a-f]{64}$/.test(cached.sha256)) return (nodeHashCache = cached.sha256);
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(process.execPath)) hash.update(chunk as Buffer);
  nodeHashCache = hash.digest('hex');
  // A cache that cannot be written (a read-only home) only costs the next call the hashing.
  const tmp = `${file}.${process.pid}`;
  await mkdir(cacheDir(), { recursive: true })
    .then(() => writeFile(tmp, JSON.stringify({ key, sha256: nodeHashCache })))
    .then(() => rename(tmp, file))
    .catch(() => rm(tmp, { force: true }));
  return nodeHashCache;
}

export async function imageRecipe(source: ImageSource = 'debootstrap'): Promise<ImageRecipe> {
  const inputs: Record<string, unknown> =
    source === 'debootstrap'
      ? { RECIPE_VERSION, DEBIAN_SUITE, DEBIAN_MIRROR, PACKAGES, IMAGE_CHANGES, SANDBOX_USER, node: await nodeBinaryHash() }
      : { RECIPE_VERSION, dockerfile: dockerfileText() };
  const digest = createHash('sha256').update(JSON.stringify(inputs)).digest('hex').slice(0, 12);
  return { source, tag: `${IMAGE_REPO}:${source === 'debootstrap' ? '' : 'df-'}${digest}`, inputs };
}

/** The online recipe, for machines that reach a registry. Same user, paths and tools as the offline one. */
export function dockerfileText(): string {
  return [
    'FROM node:20-bookworm-slim',
    `RUN apt-get update && apt-get install -y --no-install-recommends ${PACKAGES.join(' ')} && rm -rf /var/lib/apt/lists/*`,
    // node:20 images already own uid 1000 as "node"; rename it so the sandbox user is the same everywhere.
    `RUN usermod -l ${SANDBOX_USER.name} -d ${SANDBOX_USER.home} node && groupmod -n ${SANDBOX_USER.name} node && mkdir -p /run/clade ${SANDBOX_USER.home}`,
    ...IMAGE_CHANGES.map((c) => c.replace(/^ENV (\w+)=(.*)$/, 'ENV $1="$2"')),
  ].join('\n') + '\n';
}

export interface BuildResult {
  tag: string;
  built: boolean;
  seconds: number;
}

export type Log = (line: string) => void;

/** Whether the engine has an image with this tag. */
export async function imageExists(tag: string): Promise<boolean> {
  return hasImage(await requireDocker(), tag);
}

async function hasImage(docker: Docker, tag: string): Promise<boolean> {
  try {
    await docker.getImage(tag).inspect();
    return true;
  } catch (err) {
    if (isAlreadyGone(err)) return false;
    throw err;
  }
}

/** Returns the tag of an image built from the current inputs, building it only when it does not exist. */
export async function ensureSandboxImage(opts: { source?: ImageSource; force?: boolean; log?: Log } = {}): Promise<BuildResult> {
  const log = opts.log ?? (() => {});
  const docker = await requireDocker();
  const recipe = await imageRecipe(opts.source);
  const started = Date.now();
  if (!opts.force && (await hasImage(docker, recipe.tag))) return { tag: recipe.tag, built: false, seconds: 0 };
  if (recipe.source === 'debootstrap') await buildWithDebootstrap(docker, recipe.tag, log);
  else await buildWithDockerfile(docker, recipe.tag, log);
  return { tag: recipe.tag, built: true, seconds: (Date.now() - started) / 1000 };
}

/** What an image adds to the sandbox image's recipe: the sandbox image itself adds nothing. */
export interface ImageExtras {
  packages?: string[];
  /** Runs in the finished root file system, before the apt caches go: `(rootfs) => …`, as root on the host. */
  finish?: (rootfs: string, log: Log) => Promise<void>;
  /** More `docker import` changes (ENV lines). */
  changes?: string[];
}

// Downloaded .debs are kept between builds of an image, so a rebuild fetches only what is new. One folder per image:
// two images may build at once, and debootstrap does not share a cache folder safely.
const DEB_CACHE = process.env.CLADE_DEB_CACHE ?? '/var/cache/clade/debs';

async function buildWithDebootstrap(docker: Docker, tag: string, log: Log, extras: ImageExtras = {}): Promise<void> {
  if (process.getuid?.() !== 0) throw new Error('Building the sandbox image offline needs root (debootstrap). Fix: run `sudo npx clade sandbox build`.');
  const work = await mkdtemp(join(process.env.CLADE_BUILD_DIR ?? tmpdir(), 'clade-rootfs-'));
  const rootfs = join(work, 'rootfs');
  const packages = [...PACKAGES, ...(extras.packages ?? [])];
  const cache = join(DEB_CACHE, tag.split(':')[0]!);
  try {
    log(`debootstrap --variant=minbase ${DEBIAN_SUITE} (+ ${packages.join(', ')}) into ${rootfs}`);
    await mkdir(cache, { recursive: true });
    const r = await execa('debootstrap', ['--variant=minbase', `--cache-dir=${cache}`, `--include=${packages.join(',')}`, DEBIAN_SUITE, rootfs, DEBIAN_MIRROR], { reject: false, all: true });
    if (r.exitCode !== 0) {
      throw new Error(`debootstrap failed (exit ${r.exitCode}); is ${DEBIAN_MIRROR} reachable? Set CLADE_DEBIAN_MIRROR to a mirror you can reach.\n${tailLines(r.all ?? '', 20)}`);
    }
    if (extras.finish) await extras.finish(rootfs, log);
    await finishRootfs(rootfs);
    log(`importing ${tag}`);
    const tarball = execa('tar', ['-C', rootfs, '--numeric-owner', '--exclude=./proc/*', '--exclude=./sys/*', '--exclude=./dev/*', '-c', '.'], { buffer: false, stdout: 'pipe' });
    const [tagRepo, tagName] = tag.split(':') as [string, string];
    const response = await docker.importImage(tarball.stdout as unknown as NodeJS.ReadableStream, { repo: tagRepo, tag: tagName, changes: [...IMAGE_CHANGES, ...(extras.changes ?? [])] });
    await followProgress(docker, response);
    await tarball;
  } finally {
    // debootstrap mounts proc/sys inside the rootfs; a failed run can leave them mounted, and rm would walk into them.
    await execa('sh', ['-c', `for m in $(grep -o " ${rootfs}/[^ ]*" /proc/mounts | sort -r); do umount -l "$m"; done`], { reject: false });
    await rm(work, { recursive: true, force: true });
  }
}

async function finishRootfs(rootfs: string): Promise<void> {
  const { name, uid, gid, home } = SANDBOX_USER;
  await appendFile(join(rootfs, 'etc/passwd'), `${name}:x:${uid}:${gid}:Clade sandbox:${home}:/bin/bash\n`);
  await appendFile(join(rootfs, 'etc/group'), `${name}:x:${gid}:\n`);
  await mkdir(join(rootfs, home.slice(1)), { recursive: true });
  await mkdir(join(rootfs, 'run/clade'), { recursive: true });
  // The host's Node binary: same glibc (both bookworm), and no registry is needed to get it.
  await copyFile(process.execPath, join(rootfs, 'usr/local/bin/node'));
  await chmod(join(rootfs, 'usr/local/bin/node'), 0o755);
  await rm(join(rootfs, 'var/cache/apt/archives'), { recursive: true, force: true });
  await rm(join(rootfs, 'var/lib/apt/lists'), { recursive: true, force: true });
  await writeFile(join(rootfs, 'etc/clade-sandbox'), `recipe ${RECIPE_VERSION}\n`);
}

async function buildWithDockerfile(docker: Docker, tag: string, log: Log): Promise<void> {
  log(`docker build (FROM node:20-bookworm-slim) -> ${tag}; this needs a reachable registry`);
  const pack = tar.pack();
  pack.entry({ name: 'Dockerfile' }, dockerfileText());
  pack.finalize();
  const stream = await docker.buildImage(pack as unknown as NodeJS.ReadableStream, { t: tag });
  await followProgress(docker, stream);
}

function followProgress(docker: Docker, stream: NodeJS.ReadableStream): Promise<void> {
  return new Promise((resolve, reject) => {
    docker.modem.followProgress(stream, (err: Error | null, output: Array<{ error?: string; errorDetail?: { message?: string } }>) => {
      const failed = err?.message ?? output.find((o) => o.error)?.error;
      if (failed) reject(new Error(`image build failed: ${failed}`));
      else resolve();
    });
  });
}

function tailLines(text: string, n: number): string {
  return text.trimEnd().split('\n').slice(-n).join('\n');
}

/**
 * A test environment image: the sandbox image's recipe plus a language's packages and files, built offline the same
 * way. `inputs` must name everything `extras.finish` copies in (a lockfile's hash, a config text), since the tag is a
 * hash of the inputs and an unchanged tag means no rebuild.
 */
export interface EnvImageSpec {
  /** Lowercase; the image is `clade-env-<name>:<hash>`. */
  name: string;
  extras: ImageExtras;
  inputs: Record<string, unknown>;
}

export const ENV_IMAGE_REPO = 'clade-env';

export async function envImageTag(spec: EnvImageSpec): Promise<string> {
  const base = await imageRecipe('debootstrap');
  const digest = createHash('sha256')
    .update(JSON.stringify({ base: base.inputs, name: spec.name, packages: spec.extras.packages ?? [], changes: spec.extras.changes ?? [], inputs: spec.inputs }))
    .digest('hex')
    .slice(0, 12);
  return `${ENV_IMAGE_REPO}-${spec.name}:${digest}`;
}

/** Returns the tag of the environment image for these inputs, building it only when it does not exist. */
export async function ensureEnvImage(spec: EnvImageSpec, opts: { force?: boolean; log?: Log } = {}): Promise<BuildResult> {
  const log = opts.log ?? (() => {});
  const docker = await requireDocker();
  const tag = await envImageTag(spec);
  const started = Date.now();
  if (!opts.force && (await hasImage(docker, tag))) return { tag, built: false, seconds: 0 };
  await buildWithDebootstrap(docker, tag, log, spec.extras);
  return { tag, built: true, seconds: (Date.now() - started) / 1000 };
}

/** The environment images this engine has, for `clade doctor`. */
export async function listEnvImages(): Promise<Array<{ tag: string; sizeMb: number; created: string }>> {
  const docker = await requireDocker();
  const images = await docker.listImages();
  return images
    .flatMap((i) => (i.RepoTags ?? []).filter((t) => t.startsWith(`${ENV_IMAGE_REPO}-`)).map((tag) => ({ tag, sizeMb: Math.round(i.Size / 1e6), created: new Date(i.Created * 1000).toISOString() })))
    .sort((a, b) => a.tag.localeCompare(b.tag));
}
