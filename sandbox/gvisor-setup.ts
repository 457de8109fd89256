// Registering gVisor with the running engine, without restarting it: `clade setup --gvisor` and the tests' setup.
import { existsSync, readFileSync } from 'node:fs';
import { chmod, mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { z } from 'zod';
import { ensureDebianPackages } from '../lib/apt.ts';
import { RUNSC_RUNTIME, engineRuntimes, noteGvisorRegistered } from './gvisor.ts';

export const RUNSC_BINARY = '/usr/bin/runsc';
/**
 * Docker runs a runtime by path with no way to add flags per runtime in 20.10's daemon.json, so a wrapper adds the
 * one runsc needs: without --network=none it refuses to start in the root network namespace (every sandbox is
 * NetworkMode none anyway).
 */
export const RUNSC_WRAPPER = '/usr/local/lib/clade/runsc-wrapper';
const WRAPPER_TEXT = `#!/bin/sh\n# Written by \`clade setup --gvisor\`: runsc as a Docker runtime for containers without a network.\nexec ${RUNSC_BINARY} --network=none "$@"\n`;
export const DAEMON_JSON = process.env.CLADE_DOCKER_DAEMON_JSON ?? '/etc/docker/daemon.json';
const DOCKER_PID_FILE = '/var/run/docker.pid';

type Log = (line: string) => void;

const DaemonConfig = z.record(z.string(), z.unknown());
const Runtimes = z.record(z.string(), z.object({ path: z.string() }).passthrough());

export interface GvisorReport {
  installed: string[];
  /** daemon.json or the wrapper had to change. */
  configured: boolean;
  /** The running engine was told to reload its configuration (SIGHUP; never a restart). */
  reloaded: boolean;
  runtimes: string[];
}

/** Reads daemon.json as data: a malformed file is an error that names it, never something to overwrite. */
export function readDaemonConfig(path = DAEMON_JSON): Record<string, unknown> {
  if (!existsSync(path)) return {};
  const text = readFileSync(path, 'utf8');
  try {
    return DaemonConfig.parse(text.trim() ? JSON.parse(text) : {});
  } catch (err) {
    throw new Error(`${path} is not a JSON object (${(err as Error).message.split('\n')[0]}). Fix it by hand, then rerun \`npx clade setup --gvisor\`.`);
  }
}

/** Installs runsc, registers it with the engine as `runsc`, and reloads the engine; idempotent. */
export async function ensureGvisor(log: Log = () => {}): Promise<GvisorReport> {
  const installed = await ensureDebianPackages({ runsc: 'runsc' }, log);
  let configured = false;
  if (!existsSync(RUNSC_WRAPPER) || readFileSync(RUNSC_WRAPPER, 'utf8') !== WRAPPER_TEXT) {
    await mkdir(dirname(RUNSC_WRAPPER), { recursive: true });
    await writeFile(RUNSC_WRAPPER, WRAPPER_TEXT);
    configured = true;
  }
  await chmod(RUNSC_WRAPPER, 0o755);
  const config = readDaemonConfig();
  const runtimes = Runtimes.safeParse(config.runtimes ?? {});
  if (!runtimes.success) throw new Error(`"runtimes" in ${DAEMON_JSON} is not a map of {"path": ...}; fix it by hand, then rerun \`npx clade setup --gvisor\`.`);
  if (runtimes.data[RUNSC_RUNTIME]?.path !== RUNSC_WRAPPER) {
    const next = { ...config, runtimes: { ...runtimes.data, [RUNSC_RUNTIME]: { path: RUNSC_WRAPPER } } };
    await mkdir(dirname(DAEMON_JSON), { recursive: true });
    // Atomic: a dockerd reading the file mid-write would see half a config.
    await writeFile(`${DAEMON_JSON}.clade-tmp`, JSON.stringify(next, null, 2) + '\n');
    await rename(`${DAEMON_JSON}.clade-tmp`, DAEMON_JSON);
    log(`registered the runsc runtime in ${DAEMON_JSON}`);
    configured = true;
  }
  let current = await engineRuntimes();
  let reloaded = false;
  if (!current.includes(RUNSC_RUNTIME)) {
    // "runtimes" is one of the options dockerd reloads on SIGHUP, so running containers are untouched.
    const pid = Number((await readFile(DOCKER_PID_FILE, 'utf8').catch(() => '')).trim());
    if (!Number.isInteger(pid) || pid <= 1) throw new Error(`the Docker engine does not list runsc and ${DOCKER_PID_FILE} names no dockerd to reload. Fix: send SIGHUP to your dockerd (or restart it) so it reads ${DAEMON_JSON}.`);
    log(`reloading dockerd (pid ${pid}) with SIGHUP`);
    process.kill(pid, 'SIGHUP');
    reloaded = true;
    for (let i = 0; i < 40 && !current.includes(RUNSC_RUNTIME); i++) {
      await new Promise((r) => setTimeout(r, 250));
      current = await engineRuntimes();
    }
    if (!current.includes(RUNSC_RUNTIME)) throw new Error(`dockerd reloaded but still does not list runsc. Check its log (/var/log/clade-dockerd.log) for a config error about ${DAEMON_JSON}.`);
  }
  noteGvisorRegistered();
  return { installed, configured, reloaded, runtimes: current };
}
