import { describe, expect, it } from 'vitest';
import { existsSync, readFileSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { Toolbox, ToolErrorCode, isInvocation, type ToolResult } from '../src/tools/index.ts';
import { tempRepo } from './helpers.ts';

const SOURCE = 'export function add(a: number, b: number) {\n  return a - b;\n}\n\nexport function sub(a: number, b: number) {\n  return a - b;\n}\n';

async function edit(root: string, input: Record<string, unknown>): Promise<ToolResult> {
  const prepared = new Toolbox(root).prepare('str_replace_based_edit_tool', input);
  return isInvocation(prepared) ? prepared.run(new AbortController().signal) : prepared;
}

/** One editor kept across calls, for undo. */
function editor(root: string) {
  const box = new Toolbox(root);
  return async (input: Record<string, unknown>) => {
    const p = box.prepare('str_replace_based_edit_tool', input);
    return isInvocation(p) ? p.run(new AbortController().signal) : p;
  };
}

describe('str_replace_based_edit_tool', () => {
  it('views a file with line numbers, and a range of it', async () => {
    const root = tempRepo({ 'src/math.ts': SOURCE });
    const all = await edit(root, { command: 'view', path: 'src/math.ts' });
    expect(all.llmContent).toContain('     1\texport function add(a: number, b: number) {');
    expect(all.llmContent).toContain('     2\t  return a - b;');
    const part = await edit(root, { command: 'view', path: 'src/math.ts', view_range: [5, -1] });
    expect(part.llmContent).not.toContain('function add');
    expect(part.llmContent).toContain('     5\texport function sub');
  });

  it('lists a directory two levels deep, without hidden or generated folders', async () => {
    const root = tempRepo({ 'a/b/c/deep.ts': '', 'a/top.ts': '', '.hidden/x': '', 'node_modules/m/index.js': '', 'README.md': '' });
    const r = await edit(root, { command: 'view', path: '.' });
    expect(r.llmContent).toContain('a/\n');
    expect(r.llmContent).toContain('a/b/\n');
    expect(r.llmContent).toContain('a/top.ts');
    expect(r.llmContent).not.toContain('deep.ts');
    expect(r.llmContent).not.toContain('.hidden');
    expect(r.llmContent).not.toContain('node_modules/m');
  });

  it('replaces a unique string, shows the edited lines, and a diff for people', async () => {
    const root = tempRepo({ 'src/math.ts': SOURCE });
    const r = await edit(root, { command: 'str_replace', path: 'src/math.ts', old_str: 'add(a: number, b: number) {\n  return a - b;', new_str: 'add(a: number, b: number) {\n  return a + b;' });
    expect(r.error).toBeUndefined();
    expect(readFileSync(join(root, 'src/math.ts'), 'utf8')).toBe(SOURCE.replace('return a - b;', 'return a + b;'));
    expect(r.llmContent).toContain('     2\t  return a + b;');
    expect(r.display).toContain('-  return a - b;');
    expect(r.display).toContain('+  return a + b;');
  });

  it('refuses an ambiguous old_str, naming the lines, and changes nothing', async () => {
    const root = tempRepo({ 'src/math.ts': SOURCE });
    const r = await edit(root, { command: 'str_replace', path: 'src/math.ts', old_str: 'return a - b;', new_str: 'return a + b;' });
    expect(r.error?.code).toBe(ToolErrorCode.MultipleMatches);
    expect(r.llmContent).toMatch(/occurs 2 times .* \(at lines 2, 6\).*Include more surrounding lines/);
    expect(readFileSync(join(root, 'src/math.ts'), 'utf8')).toBe(SOURCE);
  });

  it('refuses an old_str that is not there, with a whitespace hint when it nearly is', async () => {
    const root = tempRepo({ 'src/math.ts': SOURCE });
    const none = await edit(root, { command: 'str_replace', path: 'src/math.ts', old_str: 'return a * b;', new_str: 'x' });
    expect(none.error?.code).toBe(ToolErrorCode.NoMatch);
    expect(none.llmContent).toContain('View the file to copy the current text exactly');
    const spaced = await edit(root, { command: 'str_replace', path: 'src/math.ts', old_str: '    export function sub(a: number, b: number) {   ', new_str: 'x' });
    expect(spaced.error?.code).toBe(ToolErrorCode.NoMatch);
    expect(spaced.llmContent).toContain('different leading/trailing whitespace');
    const empty = await edit(root, { command: 'str_replace', path: 'src/math.ts', old_str: '', new_str: 'x' });
    expect(empty.error?.code).toBe(ToolErrorCode.InvalidInput);
  });

  it('creates files (with parent folders) and inserts lines', async () => {
    const root = tempRepo({ 'src/math.ts': SOURCE });
    const created = await edit(root, { command: 'create', path: 'src/new/mul.ts', file_text: 'export const mul = (a: number, b: number) => a * b;\n' });
    expect(created.llmContent).toMatch(/^Created src\/new\/mul\.ts/);
    expect(readFileSync(join(root, 'src/new/mul.ts'), 'utf8')).toContain('a * b');
    const inserted = await edit(root, { command: 'insert', path: 'src/math.ts', insert_line: 0, new_str: '// math helpers' });
    expect(inserted.error).toBeUndefined();
    expect(readFileSync(join(root, 'src/math.ts'), 'utf8').split('\n')[0]).toBe('// math helpers');
    const bad = await edit(root, { command: 'insert', path: 'src/math.ts', insert_line: 99, new_str: 'x' });
    expect(bad.error?.code).toBe(ToolErrorCode.InvalidRange);
    expect(bad.llmContent).toMatch(/use 0 to \d+/);
  });

  it('undoes edits one at a time, including a creation', async () => {
    const root = tempRepo({ 'src/math.ts': SOURCE });
    const run = editor(root);
    await run({ command: 'str_replace', path: 'src/math.ts', old_str: 'add(a: number, b: number) {\n  return a - b;', new_str: 'add(a: number, b: number) {\n  return a + b;' });
    await run({ command: 'insert', path: 'src/math.ts', insert_line: 0, new_str: '// top' });
    await run({ command: 'undo_edit', path: 'src/math.ts' });
    expect(readFileSync(join(root, 'src/math.ts'), 'utf8')).toBe(SOURCE.replace('return a - b;', 'return a + b;'));
    await run({ command: 'undo_edit', path: 'src/math.ts' });
    expect(readFileSync(join(root, 'src/math.ts'), 'utf8')).toBe(SOURCE);
    const nothing = await run({ command: 'undo_edit', path: 'src/math.ts' });
    expect(nothing.error?.code).toBe(ToolErrorCode.NothingToUndo);
    await run({ command: 'create', path: 'tmp.txt', file_text: 'x' });
    await run({ command: 'undo_edit', path: 'tmp.txt' });
    expect(existsSync(join(root, 'tmp.txt'))).toBe(false);
  });

  it('refuses paths outside the repository, including through a symlink', async () => {
    const root = tempRepo({ 'a.ts': '' });
    symlinkSync('/etc', join(root, 'etc-link'));
    for (const path of ['../outside.ts', '/etc/passwd', 'etc-link/passwd']) {
      const r = await edit(root, { command: 'view', path });
      expect(r.error?.code, path).toBe(ToolErrorCode.PathOutsideRepo);
    }
    const created = await edit(root, { command: 'create', path: '../escape.ts', file_text: 'x' });
    expect(created.error?.code).toBe(ToolErrorCode.PathOutsideRepo);
    const abs = await edit(root, { command: 'view', path: join(root, 'a.ts') });
    expect(abs.error).toBeUndefined();
  });

  it('explains missing files, directories given as files, bad ranges and missing fields', async () => {
    const root = tempRepo({ 'src/math.ts': SOURCE });
    expect((await edit(root, { command: 'view', path: 'nope.ts' })).error?.code).toBe(ToolErrorCode.FileNotFound);
    expect((await edit(root, { command: 'str_replace', path: 'src', old_str: 'a', new_str: 'b' })).error?.code).toBe(ToolErrorCode.IsDirectory);
    const range = await edit(root, { command: 'view', path: 'src/math.ts', view_range: [10, 2] });
    expect(range.error?.code).toBe(ToolErrorCode.InvalidRange);
    expect(range.llmContent).toContain('which has 8 lines');
    expect((await edit(root, { command: 'create', path: 'x.ts' })).llmContent).toContain('needs `file_text`');
    expect((await edit(root, { command: 'insert', path: 'src/math.ts', new_str: 'x' })).llmContent).toContain('needs `insert_line`');
  });

  it('answers malformed tool calls with the schema instead of crashing', async () => {
    const root = tempRepo();
    const box = new Toolbox(root);
    const bad = box.prepare('str_replace_based_edit_tool', { command: 'delete', path: 1 });
    expect(isInvocation(bad)).toBe(false);
    expect((bad as ToolResult).error?.code).toBe(ToolErrorCode.InvalidInput);
    expect((bad as ToolResult).llmContent).toMatch(/command: .*path: .*Expected input schema/s);
    const unknown = box.prepare('rm_rf', {});
    expect((unknown as ToolResult).error?.code).toBe(ToolErrorCode.UnknownTool);
    expect((unknown as ToolResult).llmContent).toContain('Available tools: bash, str_replace_based_edit_tool, search, repo_map');
  });
});
