// Every sandbox control, attacked from inside a real container. The attacks run under both runtimes: runc, and
// gVisor's runsc when it is registered with the engine (test/global-setup.ts registers it).
import { describe, expect, inject, it } from 'vitest';
import { execa } from 'execa';
import { createServer, type Server } from 'node:net';
import { existsSync } from 'node:fs';
import { chmod, readdir, readFile, mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { Sandbox, withSandbox, parseMount, SandboxError, SandboxLost, type Isolation, type SandboxOptions } from '../sandbox/session.ts';
import { pingDocker } from '../sandbox/docker.ts';
import { gvisorRegistered } from '../sandbox/gvisor.ts';
import { deadmanPidFromHost } from '../sandbox/deadman.ts';
import { onCleanup, tempDir } from './helpers.ts';

const image = inject('sandboxImage');
/** Only the container attacks run twice: gVisor is a second wall around the same controls. */
const RUNTIMES: Array<{ runtime: string; isolation: Isolation }> = [
  { runtime: 'runc', isolation: 'runc' },
  ...((await gvisorRegistered()) ? [{ runtime: 'runsc', isolation: 'gvisor' as const }] : []),
];

// The engine seen from the host, through its own CLI: what a person would check.
async function docker(...args: string[]): Promise<string> {
  return (await execa('docker', args)).stdout;
}

async function sandboxOn(opts: Partial<SandboxOptions> = {}): Promise<Sandbox> {
  const sb = await Sandbox.create({ image, lifetimeSec: 300, ...opts });
  onCleanup(() => sb.remove());
  return sb;
}

const sandbox = sandboxOn;

async function containerExists(id: string): Promise<boolean> {
  return (await execa('docker', ['inspect', id], { reject: false })).exitCode === 0;
}

describe.each(RUNTIMES)('under $runtime', ({ runtime, isolation }) => {
  const gvisor = isolation === 'gvisor';
  // Shadows the file's helper: every attack in here runs on this leg's runtime.
  const sandbox = (opts: Partial<SandboxOptions> = {}) => sandboxOn({ isolation, ...opts });

  it('runs on the runtime it was asked for', async () => {
    const sb = await sandbox();
    expect(await docker('inspect', '--format', '{{.HostConfig.Runtime}}', sb.id)).toBe(runtime);
    expect(sb.isolation).toBe(isolation);
  });

  describe('isolation', () => {
    it('has no network but loopback, and no route anywhere', async () => {
      const sb = await sandbox();
      // /proc/net rather than /sys/class/net, which gVisor does not have.
      const r = await sb.sh('tail -n +3 /proc/net/dev | cut -d: -f1 | tr -d " "; echo ---; tail -n +2 /proc/net/route | wc -l');
      expect(r.stdout.trim()).toBe('lo\n---\n0');
    });

    it('cannot reach a server listening on the host loopback', async () => {
      let connections = 0;
      const server: Server = createServer((s) => {
        connections++;
        s.end('secret');
      });
      await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
      onCleanup(() => new Promise((r) => server.close(() => r())));
      const port = (server.address() as { port: number }).port;
      const sb = await sandbox();
      const r = await sb.sh(`exec 3<>/dev/tcp/127.0.0.1/${port} && cat <&3`, { timeoutSec: 10 });
      expect(r.exitCode).not.toBe(0);
      expect(r.stderr).toMatch(/Connection refused/);
      expect(r.stdout).not.toContain('secret');
      expect(connections).toBe(0);
    });

    it('never sees the host environment: a canary secret is absent from env, /proc/*/environ and files', async () => {
      const canary = `CANARY_${randomBytes(12).toString('hex')}`;
      process.env.CLADE_TEST_CANARY = canary;
      try {
        const sb = await sandbox();
        await sb.sh('sleep 30 &'); // another process whose environ we can read
        const r = await sb.sh('env; cat /proc/*/environ 2>/dev/null | tr "\\0" "\\n"');
        // Searching every file for the canary: it is in rg's argv only, so no file may contain it. The image and mounts
        // are the same under gVisor, where a whole-disk search takes a minute: there, the writable places and /etc.
        const where = gvisor ? 'workspace tmp etc' : '$(printf "%s\\n" * | grep -vxE "proc|sys|dev")';
        const search = (needle: string) =>
          sb.exec(['bash', '-c', `cd / && shopt -s dotglob && exec rg --no-messages -uuu -l --fixed-strings "$1" ${where}`, 'rg', needle], { timeoutSec: 120 });
        // Positive control: the same search finds a planted marker, so an empty answer below means absent.
        await sb.writeFiles({ 'planted.txt': 'MARKER_0451' });
        expect((await search('MARKER_0451')).stdout.trim()).toBe('workspace/planted.txt');
        expect((await search(canary)).stdout.trim()).toBe('');
        expect(r.stdout).not.toContain(canary);
        expect(r.stdout).toContain('HOME=/workspace');
        expect(r.stdout).not.toMatch(/ANTHROPIC_API_KEY/);
      } finally {
        delete process.env.CLADE_TEST_CANARY;
      }
    });

    it('runs as a non-root user with no capabilities and no way to gain privileges', async () => {
      const sb = await sandbox();
      const r = await sb.sh('id -u; id -g; grep -E "^(CapEff|CapPrm|NoNewPrivs)" /proc/self/status; command -v sudo su >/dev/null || echo no-su');
      expect(r.stdout).toMatch(/^1000\n1000\n/);
      expect(r.stdout).toMatch(/CapPrm:\s+0{16}/);
      expect(r.stdout).toMatch(/CapEff:\s+0{16}/);
      // gVisor's /proc does not show the flag; the engine's config, checked in 'lifecycle', sets it for both.
      if (!gvisor) expect(r.stdout).toMatch(/NoNewPrivs:\s+1/);
    });

    it('has a read-only root filesystem and writable, size-capped workspace and /tmp', async () => {
      const sb = await sandbox();
      const r = await sb.sh('touch /usr/bin/evil; touch /etc/evil; touch /workspace/ok && touch /tmp/ok && echo writable; grep " / " /proc/mounts');
      // gVisor checks permissions before the read-only flag, so there the same write fails as "Permission denied".
      expect(r.stderr).toMatch(/\/usr\/bin\/evil': (Read-only file system|Permission denied)/);
      expect(r.stderr).toMatch(/\/etc\/evil': (Read-only file system|Permission denied)/);
      expect(r.stdout).toMatch(/^writable\n\S+ \/ \S+ ro,/);
    });

    it('has no Docker socket, and refuses to mount one', async () => {
      const sb = await sandbox();
      const r = await sb.sh('for s in /var/run/docker.sock /run/docker.sock; do [ -e "$s" ] && echo "found $s"; done; grep -c docker.sock /proc/mounts');
      expect(r.stdout).toBe('0\n');
      await expect(Sandbox.create({ image, mounts: [parseMount('/var/run/docker.sock:/var/run/docker.sock')] })).rejects.toThrow(/refusing to mount \/var\/run\/docker\.sock/);
      await expect(Sandbox.create({ image, mounts: [parseMount('/:/host:ro')] })).rejects.toThrow(/refusing to mount \/ /);
      expect(() => parseMount('just-a-path')).toThrow(SandboxError);
    });

    it('honours read-only and read-write bind mounts', async () => {
      const dir = await tempDir();
      await chmod(dir, 0o777); // writable by the sandbox user (uid 1000): only the mount's ro flag stops the write
      await writeFile(join(dir, 'in.txt'), 'from host');
      const sb = await sandbox({ mounts: [parseMount(`${dir}:/mnt/ro:ro`)] });
      const r = await sb.sh('cat /mnt/ro/in.txt; echo x > /mnt/ro/new');
      expect(r.stdout).toBe('from host');
      expect(r.stderr).toMatch(/Read-only file system/);
      expect(existsSync(join(dir, 'new'))).toBe(false);
    });
  });

  describe('resource limits: each attack is stopped and the host stays healthy', () => {
    it('stops a fork bomb at the pids limit', async () => {
      const sb = await sandbox({ pids: 64 });
      // Caught at once: under runsc the whole sandbox may die while the bomb runs, and the exec rejects then.
      const bombing = sb.sh('bomb() { bomb | bomb; }; bomb', { timeoutSec: 6 }).catch((err: Error) => err);
      await new Promise((r) => setTimeout(r, 3000));
      if (!gvisor) {
        // Seen from the host while it runs: the bomb is real, and held at the limit. (Under runsc the engine counts
        // the gVisor kernel's host threads instead, so this number says nothing about the bomb there.)
        const pids = Number(await docker('stats', '--no-stream', '--format', '{{.PIDs}}', sb.id));
        expect(pids).toBeGreaterThan(32);
        expect(pids).toBeLessThanOrEqual(64);
      }
      const started = Date.now();
      const bomb = await bombing;
      if (gvisor && !(await containerExists(sb.id))) {
        // runsc's kernel runs out of host threads and the whole sandbox dies with it: contained, session lost, and
        // the command's result unknown rather than made up.
        expect(bomb).toBeInstanceOf(SandboxLost);
        expect(Date.now() - started).toBeLessThan(20_000);
        await expect(sb.sh('echo alive')).rejects.toThrow(/removed/);
        expect(await pingDocker()).toBeTruthy();
        return;
      }
      if (bomb instanceof Error) throw bomb;
      expect(bomb).toMatchObject({ exitCode: 124, timedOut: true });
      expect(bomb.stderr).toMatch(/Resource temporarily unavailable/); // fork() failed at the limit
      // The sandbox recovers once the bomb's remains are reaped.
      let alive = await sb.sh('echo alive');
      for (let i = 0; i < 12 && alive.stdout !== 'alive\n'; i++) {
        await new Promise((r) => setTimeout(r, 250));
        alive = await sb.sh('echo alive');
      }
      expect(alive.stdout, JSON.stringify(alive)).toBe('alive\n');
      expect(await pingDocker()).toBeTruthy();
    });

    it('kills a memory bomb at the memory limit, without swapping', async () => {
      const sb = await sandbox({ memoryMb: 128 });
      const started = Date.now();
      const run = sb.exec(['node', '-e', 'const a = []; for (;;) a.push(Buffer.alloc(1 << 20, 1));'], { timeoutSec: 60 });
      // Under runsc the limit covers the gVisor kernel too, and the host's OOM killer may take the whole sandbox.
      if (gvisor && !(await run.then(() => true, (err: Error) => (expect(err).toBeInstanceOf(SandboxLost), false)))) return;
      const r = await run;
      expect(r.exitCode).toBe(137); // SIGKILL from the OOM killer
      expect(r.timedOut).toBe(false);
      expect(Date.now() - started).toBeLessThan(30_000);
      // Under runsc the limit covers the gVisor kernel too, and the host's OOM killer takes the whole sandbox.
      if (gvisor) await expect(sb.sh('echo alive')).rejects.toThrow(/removed/);
      else expect((await sb.sh('echo alive')).stdout).toBe('alive\n');
    });

    it('stops a disk-filling write at the workspace and /tmp size caps', async () => {
      const sb = await sandbox({ workspaceMb: 16, tmpMb: 8 });
      const ws = await sb.sh('dd if=/dev/zero of=/workspace/fill bs=1M count=64');
      expect(ws.exitCode).not.toBe(0);
      expect(ws.stderr).toMatch(/No space left on device/);
      const tmp = await sb.sh('dd if=/dev/zero of=/tmp/fill bs=1M count=64');
      expect(tmp.stderr).toMatch(/No space left on device/);
      const du = await sb.sh('du -sm /workspace/fill /tmp/fill | cut -f1');
      expect(du.stdout.split('\n').slice(0, 2).map(Number)).toEqual([16, 8]);
    });

    it('kills an endless loop at the timeout with exit code 124', async () => {
      const sb = await sandbox();
      const r = await sb.sh('while :; do :; done', { timeoutSec: 2 });
      expect(r).toMatchObject({ exitCode: 124, timedOut: true });
      expect(r.durationMs).toBeLessThan(8_000);
    });

    it('kills a loop that ignores SIGTERM, and its background children', async () => {
      const sb = await sandbox();
      const r = await sb.sh('trap "" TERM; (while :; do :; done) & while :; do :; done', { timeoutSec: 2 });
      expect(r).toMatchObject({ exitCode: 124, timedOut: true });
      // "tra[p]" matches the loop's command line but not pgrep's own arguments (nor its parent's).
      expect((await sb.exec(['pgrep', '-fc', 'tra[p]'])).stdout.trim()).toBe('0');
    });

    it('kills processes that escaped the timeout\'s process group when the command times out', async () => {
      const sb = await sandbox();
      // setsid leaves timeout's process group, so timeout alone would leave this loop burning CPU.
      const r = await sb.sh('setsid bash -c \'trap "" TERM; while :; do :; done\' & wait', { timeoutSec: 1 });
      expect(r).toMatchObject({ exitCode: 124, timedOut: true });
      expect((await sb.exec(['pgrep', '-fc', 'whil[e] :'])).stdout.trim()).toBe('0');
      // Nothing is left as a zombie either: init reaps the killed orphans.
      expect((await sb.exec(['ps', '-eo', 'stat='])).stdout).not.toMatch(/Z/);
      expect((await sb.sh('echo still usable')).stdout).toBe('still usable\n');
    });

    it('spares only the real dead-man when it clears up after a timeout, not a look-alike orphaned to init', async () => {
      const sb = await sandbox();
      // The dead-man's exact command line, reparented to init as the dead-man is: nothing but its PID tells them apart.
      await sb.sh('setsid sleep 300 </dev/null >/dev/null 2>&1 & true');
      const sleepers = async () => (await sb.exec(['pgrep', '-x', '-P', '1', 'sleep'])).stdout.trim().split('\n').filter(Boolean);
      const before = await sleepers();
      expect(before).toHaveLength(2);
      expect(await sb.sh('sleep 30', { timeoutSec: 1 })).toMatchObject({ timedOut: true });
      const after = await sleepers();
      expect(after).toHaveLength(1);
      expect(before).toContain(after[0]);
      // Had the dead-man been the one killed, the container would have stopped with it.
      expect((await sb.sh('echo still usable')).stdout).toBe('still usable\n');
    });

    it('removes the whole container when the in-container timeout cannot act (the backstop)', async () => {
      const sb = await sandbox();
      const pending = sb.sh('sleep 60', { timeoutSec: 1, backstopSec: 1 });
      await new Promise((r) => setTimeout(r, 300));
      await docker('pause', sb.id); // frozen: timeout(1) itself never runs again
      const r = await pending;
      expect(r).toMatchObject({ exitCode: 124, timedOut: true });
      expect(r.durationMs).toBeLessThan(10_000);
      await expect(sb.sh('true')).rejects.toThrow(/removed/);
      // runsc takes about ten seconds to kill a paused sandbox.
      for (let i = 0; i < 80 && (await containerExists(sb.id)); i++) await new Promise((r) => setTimeout(r, 250));
      expect(await containerExists(sb.id)).toBe(false);
    });

    it('caps an output flood, keeping head and tail with a marker, in bounded host memory', async () => {
      const sb = await sandbox();
      const rssBefore = process.memoryUsage().rss;
      // Smaller under gVisor, where pipes cost more: still 800 times the cap.
      const bytes = gvisor ? 50_000_000 : 200_000_000;
      const r = await sb.sh(`echo FIRST; head -c ${bytes} /dev/zero | tr "\\0" x; echo; echo LAST`, { maxOutputBytes: 64 * 1024, timeoutSec: 120 });
      expect(r.exitCode).toBe(0);
      expect(r.truncated).toBe(true);
      expect(r.stdoutBytes).toBe(bytes + 'FIRST\n'.length + '\nLAST\n'.length);
      expect(r.stdout.startsWith('FIRST\nxxx')).toBe(true);
      expect(r.stdout.endsWith('xxx\nLAST\n')).toBe(true);
      expect(r.stdout).toMatch(/\n\[\.\.\. \d+ bytes elided \.\.\.\]\n/);
      expect(r.stdout.length).toBeLessThan(64 * 1024 + 100);
      expect(process.memoryUsage().rss - rssBefore).toBeLessThan(150 * 1024 * 1024);
    });
  });

});

describe('files in and out', () => {
  it('copies files in and out with tar streams, as the sandbox user', async () => {
    const sb = await sandbox();
    await sb.writeFiles({ 'src/a.ts': 'export const a = 1;\n', 'README.md': '# hi\n' });
    const r = await sb.sh('stat -c "%U %n" src/a.ts README.md && cat src/a.ts && echo "out" > src/b.txt');
    expect(r.stdout).toBe('agent src/a.ts\nagent README.md\nexport const a = 1;\n');
    expect((await sb.readFile('/workspace/src/b.txt')).toString()).toBe('out\n');
    const dest = await tempDir();
    expect(r.stderr).toBe('');
    const written = await sb.copyOut('/workspace/src', dest);
    expect(written.sort()).toEqual(['src/a.ts', 'src/b.txt']);
    expect(await readFile(join(dest, 'src/a.ts'), 'utf8')).toBe('export const a = 1;\n');
  });

  it('copies a host directory in, owned by the sandbox user so the agent can edit it', async () => {
    const repo = await tempDir();
    await mkdir(join(repo, 'lib'));
    await writeFile(join(repo, 'lib', 'x.js'), 'module.exports = 1;\n');
    const sb = await sandbox();
    await sb.sh('mkdir repo');
    await sb.copyIn(repo, '/workspace/repo');
    const r = await sb.sh('cd repo && stat -c "%U" . lib lib/x.js && echo more >> lib/x.js && touch lib/new && echo ok');
    expect(r.stdout).toBe('agent\nagent\nagent\nok\n');
  });

  it('never follows links out of the destination when copying out untrusted files', async () => {
    const sb = await sandbox();
    await sb.sh('mkdir out && echo data > out/file && ln -s /etc/passwd out/passwd && ln -s ../../../../etc out/etc');
    const dest = await tempDir();
    await mkdir(join(dest, 'x'));
    await sb.copyOut('/workspace/out', join(dest, 'x'));
    expect((await readdir(join(dest, 'x', 'out'))).sort()).toEqual(['file']);
  });

  it('refuses to copy out more than the size cap', async () => {
    const sb = await sandbox();
    await sb.sh('head -c 3000000 /dev/urandom > big');
    await expect(sb.copyOut('/workspace/big', await tempDir(), 1_000_000)).rejects.toThrow(/exceeds 1000000 bytes/);
  });
});

describe('lifecycle', () => {
  it('removes the container and its workspace volume when done', async () => {
    let id = '';
    await withSandbox({ image }, async (sb) => {
      id = sb.id;
      await sb.sh('echo hi > /workspace/f');
    });
    expect(await containerExists(id)).toBe(false);
  });

  it('removes the container when the work throws', async () => {
    let id = '';
    await expect(
      withSandbox({ image }, async (sb) => {
        id = sb.id;
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    expect(await containerExists(id)).toBe(false);
  });

  it('is created with every control in its host config', async () => {
    const sb = await sandbox({ memoryMb: 256, cpus: 0.5, pids: 50 });
    const info = JSON.parse(await docker('inspect', sb.id))[0] as { HostConfig: Record<string, unknown>; Config: { Env: string[]; Cmd: string[] } };
    expect(info.HostConfig).toMatchObject({
      NetworkMode: 'none',
      ReadonlyRootfs: true,
      CapDrop: ['ALL'],
      SecurityOpt: ['no-new-privileges'],
      Memory: 256 * 1024 * 1024,
      MemorySwap: 256 * 1024 * 1024,
      NanoCpus: 5e8,
      PidsLimit: 50,
      Privileged: false,
    });
    expect(info.Config.Env.filter((e) => !/^(PATH|HOME|LANG)=/.test(e))).toEqual([]);
    expect(info.Config.Cmd).toEqual(['sleep', '300']);
    expect(info.HostConfig.Init).toBe(true);
    expect(info.HostConfig.Runtime).toBe('runc');
  });

  it('finds the dead-man from the host under runc, and only when every read checks out', async () => {
    const sb = await sandbox({ lifetimeSec: 300 });
    const initPid = Number(await docker('inspect', '--format', '{{.State.Pid}}', sb.id));
    const inside = Number((await sb.exec(['pgrep', '-x', 'sleep'])).stdout.trim());
    expect(deadmanPidFromHost(sb.id, initPid, ['sleep', '300'])).toBe(inside);
    // Another container's id (init's cgroup does not name it), another command line, or a PID that is not init.
    expect(deadmanPidFromHost('f'.repeat(64), initPid, ['sleep', '300'])).toBeUndefined();
    expect(deadmanPidFromHost(sb.id, initPid, ['sleep', '30'])).toBeUndefined();
    expect(deadmanPidFromHost(sb.id, process.pid, ['sleep', '300'])).toBeUndefined();
    // Once something else runs under init, init has two children and the host cannot tell which is the dead-man.
    await sb.sh('setsid sleep 300 </dev/null >/dev/null 2>&1 & true');
    expect(deadmanPidFromHost(sb.id, initPid, ['sleep', '300'])).toBeUndefined();
  });

  it('refuses an unknown isolation, from the options or the environment', async () => {
    await expect(Sandbox.create({ image, isolation: 'kata' as Isolation })).rejects.toThrow(/unknown isolation "kata".*runc or gvisor/);
    process.env.CLADE_ISOLATION = 'chroot';
    try {
      await expect(Sandbox.create({ image })).rejects.toThrow(/unknown isolation "chroot"/);
    } finally {
      delete process.env.CLADE_ISOLATION;
    }
  });
});
