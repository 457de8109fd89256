// Removing this process's own sandboxes on the way out. It is synchronous on purpose: it runs from a second signal or
// from the process's 'exit' event, where no more asynchronous work may run, and where a step that sees its container
// vanish must not get the chance to record that as the variant's failure.
import { spawn, spawnSync } from 'node:child_process';
import { DOCKER_SOCKET } from './docker.ts';
import { OWNER, OWNER_LABEL } from './session.ts';

function docker(args: string[], timeoutMs: number): { ok: boolean; stdout: string } {
  const r = spawnSync('docker', ['-H', `unix://${DOCKER_SOCKET}`, ...args], { encoding: 'utf8', timeout: timeoutMs, stdio: ['ignore', 'pipe', 'pipe'] });
  return { ok: r.status === 0, stdout: r.stdout ?? '' };
}

/**
 * The engine does not remove a container while a request of this process is still copying files into it, and this
 * process, blocked in spawnSync, cannot finish sending that request: the two would wait for each other until the
 * timeout. So a removal that has not finished in a few seconds is handed to a docker process of its own, which
 * outlives this one and finishes once this process has exited and its connections are closed.
 */
const REMOVE_WAIT_MS = 5_000;

/** Removes every sandbox this process owns, with its workspace volume; returns how many it removed. */
export function removeOwnSandboxesSync(): number {
  const listed = docker(['ps', '-aq', '--no-trunc', '--filter', `label=${OWNER_LABEL}=${OWNER}`], 30_000);
  // No engine or no CLI: the sweeper of the next run and the dead-man timer remain.
  if (!listed.ok) return 0;
  const ids = listed.stdout.split('\n').filter(Boolean);
  if (ids.length && !docker(['rm', '-f', '-v', ...ids], REMOVE_WAIT_MS).ok) {
    spawn('docker', ['-H', `unix://${DOCKER_SOCKET}`, 'rm', '-f', '-v', ...ids], { detached: true, stdio: 'ignore' }).unref();
  }
  return ids.length;
}
