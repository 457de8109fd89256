import { describe, expect, it } from 'vitest';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { execa } from 'execa';
import { Archive } from '../archive/archive.ts';
import { tempDir } from './helpers.ts';

async function tree(files: Record<string, string>): Promise<string> {
  const dir = await tempDir();
  for (const [path, text] of Object.entries(files)) {
    await mkdir(join(dir, path, '..'), { recursive: true });
    await writeFile(join(dir, path), text);
  }
  return dir;
}

const evaluation = (variantId: string, taskId: string, resolved: boolean) => ({
  variantId,
  taskId,
  split: 'small',
  status: resolved ? ('resolved' as const) : ('unresolved' as const),
  costUsd: 0.01,
  inputTokens: 10,
  outputTokens: 5,
  seconds: 1,
  trajectory: 't.jsonl',
  patch: 'p.diff',
  grade: { resolved },
  error: null,
});

describe('archive', () => {
  it('keeps each variant as a git commit on its parent and a row, and survives reopening', async () => {
    const run = await tempDir();
    const archive = await Archive.open(run, { create: true });
    const seedDir = await tree({ 'src/loop.ts': 'export const turns = 10;\n', 'node_modules/x/index.js': 'junk', 'dist/agent.mjs': 'built' });
    const seed = await archive.add({ parentId: null, dir: seedDir, status: 'seed' });
    const childDir = await tree({ 'src/loop.ts': 'export const turns = 20;\n', 'src/new.ts': 'export {};\n' });
    const proposal = { taskId: 't1', problem: 'ran out of turns', improvement: 'more turns', implementation: 'raise the limit' };
    const child = await archive.add({ parentId: seed.id, dir: childDir, status: 'valid', proposal, modify: { costUsd: 0.5, inputTokens: 100, outputTokens: 50, seconds: 3, trajectory: 'm.jsonl' } });
    const broken = await archive.add({ parentId: child.id, dir: childDir, status: 'invalid', reason: 'own tests failed' });
    expect([seed.id, child.id, broken.id]).toEqual(['v0', 'v1', 'v2']);

    const diff = await archive.diffFromParent(child.id);
    expect(diff).toContain('-export const turns = 10;');
    expect(diff).toContain('+export const turns = 20;');
    expect(diff).toContain('b/src/new.ts');
    // Dependencies and build output never enter a variant's source.
    expect(diff).not.toContain('node_modules');
    const out = await tempDir();
    await archive.checkout(seed.id, out);
    expect(existsSync(join(out, 'node_modules'))).toBe(false);
    expect(existsSync(join(out, 'dist'))).toBe(false);
    expect(await readFile(join(out, 'src/loop.ts'), 'utf8')).toBe('export const turns = 10;\n');

    // Lineage is the git graph: ordinary git sees it through refs/variants/*.
    const gitDir = join(run, 'source.git');
    const parents = await execa('git', ['--git-dir', gitDir, 'rev-list', '--parents', '-n', '1', 'refs/variants/v2']);
    expect(parents.stdout.split(' ')).toEqual([archive.require('v2').commit, child.commit]);
    expect((await execa('git', ['--git-dir', gitDir, 'diff', '--stat', 'refs/variants/v0', 'refs/variants/v1'])).stdout).toContain('src/loop.ts');

    archive.recordEvaluation(evaluation('v1', 't1', true));
    expect(() => archive.recordEvaluation(evaluation('v1', 't1', false))).toThrow(/UNIQUE/);
    archive.close();

    const again = await Archive.open(run);
    expect(again.variants().map((v) => [v.id, v.status, v.reason])).toEqual([
      ['v0', 'seed', null],
      ['v1', 'valid', null],
      ['v2', 'invalid', 'own tests failed'],
    ]);
    expect(again.require('v1').proposal).toEqual(proposal);
    expect(again.spentUsd()).toBeCloseTo(0.51);
    expect(again.tree()).toEqual({
      variants: [
        { id: 'v0', parentId: null, valid: true, seq: 0 },
        { id: 'v1', parentId: 'v0', valid: true, seq: 1 },
        { id: 'v2', parentId: 'v1', valid: false, seq: 2 },
      ],
      evaluations: [{ variantId: 'v1', taskId: 't1', resolved: true }],
    });
    again.close();
  });

  it('puts back a ref lost between the row and the ref, and refuses unknown parents and runs', async () => {
    const run = await tempDir();
    const archive = await Archive.open(run, { create: true });
    await archive.add({ parentId: null, dir: await tree({ 'a.txt': 'a' }), status: 'seed' });
    await expect(archive.add({ parentId: 'v9', dir: await tree({ 'a.txt': 'b' }), status: 'valid' })).rejects.toThrow(/parent variant v9 is not in the archive/);
    archive.close();
    await execa('git', ['--git-dir', join(run, 'source.git'), 'update-ref', '-d', 'refs/variants/v0']);
    const reopened = await Archive.open(run);
    expect(() => reopened.require('v7')).toThrow(/no variant "v7".*clade archive ls/);
    reopened.close();
    expect((await execa('git', ['--git-dir', join(run, 'source.git'), 'rev-parse', 'refs/variants/v0'])).exitCode).toBe(0);
    await expect(Archive.open(join(run, 'elsewhere'))).rejects.toThrow(/no archive in .*clade evolve --run/);
  });
});
