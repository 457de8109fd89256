// Makes a Docker engine answer, idempotently: CI and new machines start with the client but no daemon.
import { spawn } from 'node:child_process';
import { closeSync, existsSync, openSync, readFileSync } from 'node:fs';
import { DOCKER_SOCKET, pingDocker, DockerUnavailableError } from './docker.ts';
import { ensureDebianPackages, requireRoot } from '../lib/apt.ts';

/** No docker0 bridge and no NAT: every container runs with NetworkMode none, so the engine needs neither. */
export const DOCKERD_ARGS = ['--bridge=none', '--iptables=false', '--ip-forward=false', '--ip-masq=false'];
export const DOCKERD_LOG = '/var/log/clade-dockerd.log';
/** Host packages Clade needs: the engine, debootstrap to build the sandbox image offline, bubblewrap for host mode. */
const HOST_PACKAGES: Record<string, string> = { dockerd: 'docker.io', debootstrap: 'debootstrap', bwrap: 'bubblewrap' };

export interface SetupReport {
  dockerVersion: string;
  startedDaemon: boolean;
  installed: string[];
}

type Log = (line: string) => void;

export async function ensureDockerEngine(log: Log = () => {}): Promise<SetupReport> {
  const installed = await ensureHostPackages(log);
  try {
    return { dockerVersion: await pingDocker(), startedDaemon: false, installed };
  } catch (err) {
    if (!(err instanceof DockerUnavailableError)) throw err;
  }
  if (DOCKER_SOCKET !== '/var/run/docker.sock') {
    throw new Error(`No Docker engine answers at CLADE_DOCKER_SOCKET=${DOCKER_SOCKET}; Clade only starts the default daemon. Start yours, or unset CLADE_DOCKER_SOCKET.`);
  }
  requireRoot('start dockerd');
  checkDaemonConfig();
  log(`starting dockerd ${DOCKERD_ARGS.join(' ')} (log: ${DOCKERD_LOG})`);
  // A daemon, not a subprocess: plain spawn, detached, with the log file's descriptor handed over. (execa relays
  // output through this process, which would then never exit.)
  const logFd = openSync(DOCKERD_LOG, 'a');
  const daemon = spawn('dockerd', DOCKERD_ARGS, { detached: true, stdio: ['ignore', logFd, logFd] });
  closeSync(logFd);
  let exited = false;
  daemon.once('exit', () => (exited = true));
  daemon.once('error', () => (exited = true));
  daemon.unref();
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline && !exited) {
    try {
      return { dockerVersion: await pingDocker(), startedDaemon: true, installed };
    } catch {
      await new Promise((r) => setTimeout(r, 500));
    }
  }
  const tail = existsSync(DOCKERD_LOG) ? readFileSync(DOCKERD_LOG, 'utf8').split('\n').slice(-15).join('\n') : '';
  throw new Error(
    `dockerd did not answer within 60 s${exited ? ' (it exited)' : ''}. Last lines of ${DOCKERD_LOG}:\n${tail}\n` +
      `Fix: read that log; a stale /var/run/docker.pid or another daemon on ${DOCKER_SOCKET} are the usual causes.`,
  );
}

/**
 * dockerd reads /etc/docker/daemon.json when it starts (that is how \`clade setup --gvisor\` registers runsc), and
 * refuses to start if a key there is also one of our flags. Say which, rather than let it die with a log line.
 */
function checkDaemonConfig(path = process.env.CLADE_DOCKER_DAEMON_JSON ?? '/etc/docker/daemon.json'): void {
  if (!existsSync(path)) return;
  let config: unknown;
  try {
    config = JSON.parse(readFileSync(path, 'utf8'));
  } catch (err) {
    throw new Error(`${path} is not valid JSON (${(err as Error).message}); dockerd would refuse to start. Fix or remove it, then rerun.`);
  }
  const ours = DOCKERD_ARGS.map((a) => a.replace(/^--/, '').split('=')[0]!);
  const clash = Object.keys(config && typeof config === 'object' ? config : {}).filter((k) => ours.includes(k));
  if (clash.length) throw new Error(`${path} sets ${clash.join(', ')}, which Clade passes to dockerd as flags (${DOCKERD_ARGS.join(' ')}); dockerd refuses both. Fix: remove ${clash.join(', ')} from ${path}.`);
}

async function ensureHostPackages(log: Log): Promise<string[]> {
  return ensureDebianPackages(HOST_PACKAGES, log);
}

