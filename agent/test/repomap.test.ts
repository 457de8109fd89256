import { describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, utimesSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { RepoMap, tagFile } from '../src/repomap.ts';
import { tempRepo } from './helpers.ts';

const agentRoot = join(dirname(fileURLToPath(import.meta.url)), '..');
const cacheDir = () => mkdtempSync(join(tmpdir(), 'repomap-cache-'));

const FIXTURE = {
  'src/core/names.ts': 'export function formatName(first: string, last: string) {\n  return `${last}, ${first}`;\n}\nexport function parseId(raw: string): number {\n  return Number(raw);\n}\n',
  'src/users.ts': "import { formatName, parseId } from './core/names';\nexport class UserList {\n  render(u: { first: string; last: string; id: string }) {\n    return formatName(u.first, u.last) + parseId(u.id);\n  }\n}\n",
  'src/admins.ts': "import { formatName } from './core/names';\nexport const label = (f: string, l: string) => formatName(f, l);\n",
  'src/report.tsx': "import { UserList } from './users';\nexport function Report() {\n  const list = new UserList();\n  return <div>{formatName('a', 'b')}</div>;\n}\n",
  'src/legacy.js': "function oldHelper(x) { return x * 2; }\nclass Legacy { run() { return oldHelper(1); } }\nmodule.exports = { Legacy };\n",
  'src/types.ts': 'export interface User { id: string }\nexport type Id = string;\nexport enum Role { Admin, Guest }\n',
};

describe('tree-sitter tags', () => {
  it('finds functions, classes, methods, interfaces, types, enums and arrow-function consts', async () => {
    const tags = await tagFile(FIXTURE['src/types.ts'] + FIXTURE['src/users.ts'] + FIXTURE['src/admins.ts'], 'typescript');
    const defs = tags.defs.map((d) => `${d.kind}:${d.name}`);
    expect(defs).toEqual(expect.arrayContaining(['interface:User', 'type:Id', 'enum:Role', 'class:UserList', 'method:render', 'const:label']));
    // Imports count as references, as calls do: two of each for formatName.
    expect(tags.refs.formatName).toBe(4);
    expect(tags.refs.parseId).toBe(2);
  });

  it('parses JavaScript and TSX', async () => {
    const js = await tagFile(FIXTURE['src/legacy.js'], 'javascript');
    expect(js.defs.map((d) => d.name)).toEqual(['oldHelper', 'Legacy', 'run']);
    const tsx = await tagFile(FIXTURE['src/report.tsx'], 'tsx');
    expect(tsx.defs.map((d) => d.name)).toContain('Report');
    expect(tsx.refs.UserList).toBeGreaterThan(0);
  });
});

describe('repository map', () => {
  it('ranks the files others depend on first', async () => {
    const map = new RepoMap(tempRepo(FIXTURE), cacheDir());
    await map.refresh();
    const order = map.rank().map((r) => r.file);
    expect(order[0]).toBe('src/core/names.ts');
    expect(order.indexOf('src/users.ts')).toBeLessThan(order.indexOf('src/report.tsx'));
    const text = await map.render();
    expect(text.indexOf('src/core/names.ts:')).toBe(0);
    expect(text).toContain('     1│ export function formatName(first: string, last: string) {');
  });

  it('ranks toward a focus: a named symbol lifts the file that defines it', async () => {
    const map = new RepoMap(tempRepo(FIXTURE), cacheDir());
    await map.refresh();
    const plain = map.rank().map((r) => r.file);
    const focused = map.rank({ focusSymbols: ['oldHelper'] }).map((r) => r.file);
    expect(focused.indexOf('src/legacy.js')).toBeLessThan(plain.indexOf('src/legacy.js'));
  });

  it('maps a real multi-file TypeScript codebase (the agent itself)', async () => {
    const map = new RepoMap(agentRoot, cacheDir());
    const { files } = await map.refresh();
    expect(files).toBeGreaterThan(10);
    const defs = map.definitions();
    expect(defs.get('src/loop.ts')!.map((d) => d.name)).toContain('Agent');
    expect(defs.get('src/tools/index.ts')!.map((d) => d.name)).toContain('Toolbox');
    expect(defs.get('src/tools/editor.ts')!.map((d) => d.name)).toEqual(expect.arrayContaining(['EditorTool', 'strReplace', 'numbered']));
    const order = map.rank().map((r) => r.file);
    // Every tool depends on tools/types.ts; nothing depends on the entry point.
    expect(order.indexOf('src/tools/types.ts')).toBeLessThan(order.indexOf('src/main.ts'));
    expect(order.indexOf('src/tools/types.ts')).toBeLessThan(order.length / 3);
  });

  it('stays within the token budget', async () => {
    const map = new RepoMap(agentRoot, cacheDir());
    const small = await map.render({ maxTokens: 200 });
    expect(small.length).toBeLessThan(200 * 4 + 100);
    expect(small).toMatch(/more files not shown/);
  });

  it('caches tags by mtime, on disk outside the repository', async () => {
    const root = tempRepo(FIXTURE);
    const dir = cacheDir();
    const first = new RepoMap(root, dir);
    expect((await first.refresh()).parsed).toBe(6);
    expect((await first.refresh()).parsed).toBe(0);
    expect(existsSync(first.cacheFile)).toBe(true);
    expect(first.cacheFile.startsWith(root)).toBe(false);
    const later = new Date(Date.now() + 5000);
    utimesSync(join(root, 'src/users.ts'), later, later);
    const second = new RepoMap(root, dir); // a new process, reading the cache from disk
    expect((await second.refresh()).parsed).toBe(1);
  });
});
