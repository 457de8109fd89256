// Removing this process's own sandboxes on the way out. It is synchronous on purpose: it runs from a second signal or
// from the process's 'exit' event, where no more asynchronous work may run, and where a step that sees its container
// vanish must not get the chance to record that as the variant's failure.
import { spawnSync } from 'node:child_process';
import { DOCKER_SOCKET } from './docker.ts';
import { OWNER, OWNER_LABEL } from './session.ts';

function docker(args: string[]): { ok: boolean; stdout: string } {
  const r = spawnSync('docker', ['-H', `unix://${DOCKER_SOCKET}`, ...args], { encoding: 'utf8', timeout: 30_000, stdio: ['ignore', 'pipe', 'pipe'] });
  return { ok: r.status === 0, stdout: r.stdout ?? '' };
}

/** Removes every sandbox this process owns, with its workspace volume; returns how many it removed. */
export function removeOwnSandboxesSync(): number {
  const listed = docker(['ps', '-aq', '--no-trunc', '--filter', `label=${OWNER_LABEL}=${OWNER}`]);
  // No engine or no CLI: the sweeper of the next run and the dead-man timer remain.
  if (!listed.ok) return 0;
  const ids = listed.stdout.split('\n').filter(Boolean);
  if (ids.length) docker(['rm', '-f', '-v', ...ids]);
  return ids.length;
}
