// The one place that connects to the Docker engine. Everything Docker-shaped in Clade goes through sandbox/.
import { Dockerode as Docker } from './dockerode.ts';
import { hostname } from 'node:os';

/** Labels on every sandbox container and volume: what the sweeper and teardown find them by. */
export const LABEL = 'clade.sandbox';
export const OWNER_LABEL = 'clade.owner';
export const DEADLINE_LABEL = 'clade.deadline';
/** A host process is identified by host and pid; the sweeper only judges containers owned on this host. */
export const OWNER = `${hostname()}:${process.pid}`;

export const DOCKER_SOCKET = process.env.CLADE_DOCKER_SOCKET ?? '/var/run/docker.sock';

/** Raised when no Docker engine answers; the message always says how to get one. */
export class DockerUnavailableError extends Error {
  override readonly name = 'DockerUnavailableError';
  constructor(readonly socketPath: string, cause: unknown) {
    super(
      `Docker is not reachable at ${socketPath} (${describe(cause)}).\n` +
        `Fix: run \`npx clade setup\` as root (installs docker.io if needed and starts dockerd without a bridge), ` +
        `or start a daemon yourself: dockerd --bridge=none --iptables=false --ip-forward=false`,
    );
  }
}

function describe(err: unknown): string {
  if (err && typeof err === 'object' && 'code' in err && typeof err.code === 'string') return err.code;
  return err instanceof Error ? err.message : String(err);
}

/**
 * The engine client, for sandbox/ only: nothing outside this folder should hold a dockerode object (ask the
 * session, the sweeper or `listSandboxContainers` instead).
 */
export function dockerClient(socketPath = DOCKER_SOCKET): Docker {
  return new Docker({ socketPath });
}

/** Returns the engine's version, or throws DockerUnavailableError. */
export function pingDocker(): Promise<string> {
  return ping(dockerClient());
}

async function ping(docker: Docker): Promise<string> {
  const socketPath = (docker.modem as { socketPath?: string }).socketPath ?? DOCKER_SOCKET;
  try {
    const info = await withTimeout(docker.version(), 5_000, 'timed out after 5 s');
    return info.Version;
  } catch (err) {
    throw new DockerUnavailableError(socketPath, err);
  }
}

export async function requireDocker(socketPath = DOCKER_SOCKET): Promise<Docker> {
  const docker = dockerClient(socketPath);
  await ping(docker);
  return docker;
}

function withTimeout<T>(p: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(message)), ms);
  });
  return Promise.race([p, timeout]).finally(() => clearTimeout(timer));
}

/** 404 (no such container) or 409 (removal already in progress): expected when AutoRemove races us. */
export function isAlreadyGone(err: unknown): boolean {
  return !!err && typeof err === 'object' && 'statusCode' in err && (err.statusCode === 404 || err.statusCode === 409);
}
