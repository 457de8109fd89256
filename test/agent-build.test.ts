// Building agents: concurrent builds of one agent share one install and one build; broken agents say what is wrong.
import { describe, expect, inject, it } from 'vitest';
import { existsSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { execa } from 'execa';
import { buildAgent } from '../bench/agent-build.ts';
import { SEED_AGENT_DIR } from '../bench/agent-deps.ts';
import { tempDir } from './helpers.ts';

const image = inject('sandboxImage');

async function agentCopy(withModules: boolean): Promise<string> {
  const dir = join(await tempDir(), 'agent');
  await execa('bash', ['-c', `mkdir -p "$2" && tar -C "$1" ${withModules ? '' : '--exclude=./node_modules'} --exclude=./dist -c . | tar -C "$2" -x`, 'copy', SEED_AGENT_DIR, dir]);
  return dir;
}

describe('buildAgent', () => {
  it('builds an agent once when two builds of it start at the same time', async () => {
    const dir = await agentCopy(true);
    const cacheDir = await tempDir();
    // An empty dependency cache: both builds need the install, the step two concurrent builds used to race on.
    const depsDir = await tempDir();
    const [a, b] = await Promise.all([buildAgent(dir, { image, cacheDir, depsDir }), buildAgent(dir, { image, cacheDir, depsDir })]);
    expect(a.distDir).toBe(b.distDir);
    expect([a.built, b.built].sort()).toEqual([false, true]);
    expect(existsSync(join(a.distDir, 'agent.mjs'))).toBe(true);
    expect(existsSync(join(a.distDir, 'tree-sitter-typescript.wasm'))).toBe(true);
    const version = await execa('node', [join(a.distDir, 'agent.mjs'), '--version']);
    expect(version.stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
    // Any edit is a new build.
    writeFileSync(join(dir, 'src', 'prompts.ts'), '// a variant\n', { flag: 'a' });
    expect((await buildAgent(dir, { image, cacheDir, depsDir })).hash).not.toBe(a.hash);
  });

  it('only reads the agent folder: its dependencies and its build go to the caches', async () => {
    const dir = await agentCopy(false);
    const listing = () => execa('bash', ['-c', 'cd "$1" && find . -printf "%p %s %T@\\n" | sort', 'list', dir]).then((r) => r.stdout);
    const before = await listing();
    const depsDir = await tempDir();
    const build = await buildAgent(dir, { image, cacheDir: await tempDir(), depsDir });
    expect(existsSync(join(build.distDir, 'agent.mjs'))).toBe(true);
    // An installed Clade's agent/ may not be writable by the user who runs it.
    expect(await listing()).toBe(before);
    expect(readdirSync(depsDir).filter((n) => !n.endsWith('.lock'))).toHaveLength(1);
  });

  it('says what is wrong with an agent that has no lockfile, or whose build fails', async () => {
    const noLock = await agentCopy(false);
    rmSync(join(noLock, 'package-lock.json'));
    await expect(buildAgent(noLock, { image, cacheDir: await tempDir() })).rejects.toThrow(/has no package-lock\.json; an agent must pin its dependencies/);
    const broken = await agentCopy(true);
    writeFileSync(join(broken, 'build.mjs'), "console.error('syntax trouble'); process.exit(3);\n");
    await expect(buildAgent(broken, { image, cacheDir: await tempDir() })).rejects.toThrow(/the agent's build failed \(exit 3\):[\s\S]*syntax trouble/);
  });
});
