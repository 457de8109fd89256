// Loads dockerode with the two parts Clade never uses on a local socket put off until they are called: gRPC and
// protobuf for BuildKit sessions (dockerode/lib/session.js) and ssh2 for ssh:// engines (docker-modem/lib/ssh.js).
// dockerode requires both when it loads, and they are two thirds of its 0.15 s load time, which every
// `clade sandbox exec` would pay. Each module exports one function, so a stand-in function that loads the real
// module on its first call is indistinguishable to its callers.
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type DockerodeType from 'dockerode';

const require = createRequire(import.meta.url);

/** Where the put-off modules are, for the test that calls them through their stand-ins. */
export const DEFERRED_MODULES = (() => {
  const dockerodeMain = require.resolve('dockerode');
  const modemMain = createRequire(dockerodeMain).resolve('docker-modem');
  return [join(dirname(dockerodeMain), 'session.js'), join(dirname(modemMain), 'ssh.js')];
})();

function defer(path: string): void {
  // A dockerode whose files moved is loaded as it is: slower, never broken.
  if (!existsSync(path) || require.cache[path]) return;
  let real: ((...args: unknown[]) => unknown) | undefined;
  const standIn = function (this: unknown, ...args: unknown[]) {
    if (!real) {
      delete require.cache[path];
      real = require(path) as (...args: unknown[]) => unknown;
    }
    return real.apply(this, args);
  };
  require.cache[path] = { id: path, filename: path, loaded: true, exports: standIn } as unknown as NodeJS.Module;
}

for (const path of DEFERRED_MODULES) defer(path);

export const Dockerode = require('dockerode') as typeof DockerodeType;
export type Dockerode = DockerodeType;
