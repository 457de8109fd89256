// Builds sandbox and environment images offline (debootstrap, the host's Node binary, docker import), or from the
// online Dockerfile. image.ts loads this only when the image a command needs does not exist yet.
import { appendFile, chmod, copyFile, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import type Docker from 'dockerode';
import tar from 'tar-stream';
import { DEBIAN_MIRROR, DEBIAN_SUITE, IMAGE_CHANGES, PACKAGES, RECIPE_VERSION, SANDBOX_USER, dockerfileText, type ImageExtras, type Log } from './recipe.ts';

// Downloaded .debs are kept between builds of an image, so a rebuild fetches only what is new. One folder per image:
// two images may build at once, and debootstrap does not share a cache folder safely.
const DEB_CACHE = process.env.CLADE_DEB_CACHE ?? '/var/cache/clade/debs';

export async function buildWithDebootstrap(docker: Docker, tag: string, log: Log, extras: ImageExtras = {}): Promise<void> {
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

export async function buildWithDockerfile(docker: Docker, tag: string, log: Log): Promise<void> {
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
