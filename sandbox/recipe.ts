// What goes into a sandbox image, whichever way it is built: the packages, the user, the image settings. image.ts
// hashes it into the tag and image-build.ts builds from it.

/** What every sandbox image provides, whichever way it was built. The agent contract depends on these. */
export const SANDBOX_USER = { name: 'agent', uid: 1000, gid: 1000, home: '/workspace' };
/** Bump when the recipe below changes in a way the inputs do not capture. */
export const RECIPE_VERSION = 2;
export const DEBIAN_SUITE = 'bookworm';
export const DEBIAN_MIRROR = process.env.CLADE_DEBIAN_MIRROR ?? 'http://deb.debian.org/debian';
/** git for repositories, ripgrep for search, python3 and pytest for polyglot tasks, patch for the grader's fallback apply. */
export const PACKAGES = ['git', 'ripgrep', 'ca-certificates', 'python3', 'python3-pytest', 'procps', 'patch'];
export const IMAGE_CHANGES = [
  `USER ${SANDBOX_USER.uid}:${SANDBOX_USER.gid}`,
  `WORKDIR ${SANDBOX_USER.home}`,
  'ENV PATH=/usr/local/bin:/usr/bin:/bin',
  'ENV LANG=C.UTF-8',
  'CMD ["sleep", "infinity"]',
];

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

export type Log = (line: string) => void;

/** What an image adds to the sandbox image's recipe: the sandbox image itself adds nothing. */
export interface ImageExtras {
  packages?: string[];
  /** Runs in the finished root file system, before the apt caches go: `(rootfs) => …`, as root on the host. */
  finish?: (rootfs: string, log: Log) => Promise<void>;
  /** More `docker import` changes (ENV lines). */
  changes?: string[];
}
