// Debian packages a command needs, installed on first use: by setup (Docker, debootstrap) and by the browser and
// terminal tests' tools.
import { execa } from 'execa';

export type Log = (line: string) => void;

/**
 * Installs the Debian packages whose commands are missing (`{command: package}`) and returns what it installed.
 * Waits for another apt run's lock instead of failing, so parallel callers are safe.
 */
export async function ensureDebianPackages(commands: Record<string, string>, log: Log = () => {}, opts: { recommends?: boolean } = {}): Promise<string[]> {
  const missing: string[] = [];
  for (const [bin, pkg] of Object.entries(commands)) {
    if (!(await onPath(bin))) missing.push(pkg);
  }
  if (missing.length === 0) return [];
  requireRoot(`install ${missing.join(', ')}`);
  log(`installing ${missing.join(', ')} from Debian's packages`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  const lock = ['-o', 'DPkg::Lock::Timeout=600'];
  await execa('apt-get', [...lock, 'update', '-qq'], { env });
  const r = await execa('apt-get', [...lock, 'install', '-y', '-qq', ...(opts.recommends === false ? ['--no-install-recommends'] : []), ...missing], { env, reject: false, all: true });
  if (r.exitCode !== 0) throw new Error(`apt-get could not install ${missing.join(', ')} (exit ${r.exitCode}):\n${(r.all ?? '').trim().split('\n').slice(-8).join('\n')}\nFix: run \`apt-get install ${missing.join(' ')}\` yourself and rerun.`);
  return missing;
}

export async function onPath(bin: string): Promise<boolean> {
  const r = await execa('sh', ['-c', `command -v ${bin}`], { reject: false });
  return r.exitCode === 0;
}

export function requireRoot(what: string): void {
  if (process.getuid?.() !== 0) {
    throw new Error(`Clade needs root to ${what}. Fix: run \`sudo npx clade setup\` once, or do it yourself and rerun.`);
  }
}
