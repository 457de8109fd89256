// The sandbox image's recipe and tag. Its tag is a hash of every input, so a changed recipe or Node binary means a new
// image and an unchanged one means no work at all. Building is image-build.ts, loaded only when an image is missing:
// every `clade sandbox exec` asks for the tag, and only a first run builds.
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type Docker from 'dockerode';
import { requireDocker, isAlreadyGone } from './docker.ts';
import { cacheDir } from '../lib/cache-dir.ts';
import { DEBIAN_MIRROR, DEBIAN_SUITE, IMAGE_CHANGES, PACKAGES, RECIPE_VERSION, SANDBOX_USER, dockerfileText, type ImageExtras, type Log } from './recipe.ts';

export type { Log } from './recipe.ts';
export const IMAGE_REPO = 'clade-sandbox';

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

export interface BuildResult {
  tag: string;
  built: boolean;
  seconds: number;
}

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
  const build = await import('./image-build.ts');
  if (recipe.source === 'debootstrap') await build.buildWithDebootstrap(docker, recipe.tag, log);
  else await build.buildWithDockerfile(docker, recipe.tag, log);
  return { tag: recipe.tag, built: true, seconds: (Date.now() - started) / 1000 };
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
  await (await import('./image-build.ts')).buildWithDebootstrap(docker, tag, log, spec.extras);
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
