import { describe, expect, inject, it } from 'vitest';
import { imageRecipe } from '../sandbox/image.ts';
import { dockerfileText } from '../sandbox/recipe.ts';
import { withSandbox } from '../sandbox/session.ts';

const image = inject('sandboxImage');

describe('the sandbox image', () => {
  it('is tagged by a hash of its inputs, different for each recipe', async () => {
    const a = await imageRecipe('debootstrap');
    expect((await imageRecipe('debootstrap')).tag).toBe(a.tag);
    expect(a.tag).toMatch(/^clade-sandbox:[0-9a-f]{12}$/);
    expect((await imageRecipe('dockerfile')).tag).toMatch(/^clade-sandbox:df-[0-9a-f]{12}$/);
    expect(a.tag).toBe(image);
  });

  it('has an online recipe with the same user, tools and defaults', () => {
    const text = dockerfileText();
    expect(text).toMatch(/^FROM node:20-bookworm-slim\n/);
    for (const tool of ['git', 'ripgrep', 'python3', 'patch']) expect(text).toContain(tool);
    expect(text).toContain('USER 1000:1000');
    expect(text).toContain('WORKDIR /workspace');
  });

  it('provides what the agent contract relies on', async () => {
    const r = await withSandbox({ image }, (sb) => sb.sh('node --version; git --version; rg --version | head -1; python3 --version; patch --version | head -1; whoami; cat /etc/clade-sandbox'));
    const lines = r.stdout.trim().split('\n');
    expect(lines[0]).toBe(process.version);
    expect(lines[1]).toMatch(/^git version 2\./);
    expect(lines[2]).toMatch(/^ripgrep /);
    expect(lines[3]).toMatch(/^Python 3\.11/);
    expect(lines[4]).toMatch(/^GNU patch/);
    expect(lines[5]).toBe('agent');
    expect(lines[6]).toMatch(/^recipe \d+$/);
  });
});
