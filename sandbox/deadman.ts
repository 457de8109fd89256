// Finding a runc container's dead-man process from the host's /proc, without an exec into the container: an exec
// costs about 70 ms, a sixth of a whole `clade sandbox exec -- true`, and these reads about one.
import { readFileSync } from 'node:fs';

/**
 * The PID, inside the container's PID namespace, of the one child of the container's init (host PID `initPid`)
 * whose command line is exactly `cmd`; undefined when it cannot be told for certain, and the caller asks the
 * container instead. It must be called before anything else runs in the container, so that init's only child is the
 * dead-man. Every read is checked: the engine may run in another PID namespace than this process (a host PID here
 * would then name some other process), /proc may hide other users' processes, and a kernel may lack the children
 * file.
 */
export function deadmanPidFromHost(containerId: string, initPid: number, cmd: string[]): number | undefined {
  const read = (path: string) => {
    try {
      return readFileSync(path, 'utf8');
    } catch {
      return undefined;
    }
  };
  if (!Number.isInteger(initPid) || initPid <= 1 || !/^[0-9a-f]{64}$/.test(containerId)) return undefined;
  // The process must be this container's init: its cgroup path names the container (cgroup v1 and v2 alike).
  if (!read(`/proc/${initPid}/cgroup`)?.includes(containerId)) return undefined;
  const children = (read(`/proc/${initPid}/task/${initPid}/children`) ?? '').trim().split(/\s+/).filter(Boolean);
  if (children.length !== 1) return undefined;
  const child = children[0]!;
  if (read(`/proc/${child}/cmdline`) !== cmd.map((a) => `${a}\0`).join('')) return undefined;
  // NSpid lists the PID in each namespace from the one this /proc shows inwards; the last is the container's own.
  const nspid = /^NSpid:\s+([\d\t ]+)$/m.exec(read(`/proc/${child}/status`) ?? '')?.[1]?.trim().split(/\s+/);
  if (!nspid || nspid.length < 2 || nspid[0] !== child) return undefined;
  const pid = Number(nspid.at(-1));
  return Number.isInteger(pid) && pid > 1 ? pid : undefined;
}
