// The house's layers, checked on every import of the product code (types and dynamic imports included): data flows
// cli → evolve → (bench, archive, report) → (sandbox, gateway) → lib, never back up; agent/ imports nothing outside
// itself; only sandbox/ knows Docker and only archive/ knows SQLite; and no two modules import each other.
import { describe, expect, it } from 'vitest';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/** What each top-level folder may import besides itself. */
const MAY_IMPORT: Record<string, string[]> = {
  cli: ['evolve', 'bench', 'archive', 'report', 'sandbox', 'gateway', 'lib'],
  evolve: ['bench', 'archive', 'report', 'sandbox', 'gateway', 'lib'],
  bench: ['sandbox', 'gateway', 'lib'],
  archive: ['sandbox', 'gateway', 'lib'],
  report: ['sandbox', 'gateway', 'lib'],
  sandbox: ['lib'],
  gateway: ['lib'],
  lib: [],
};
/** Packages that belong to one layer: the others reach them through it. */
const OWNED_PACKAGES: Record<string, string> = { dockerode: 'sandbox', 'better-sqlite3': 'archive' };

// `import x from '…'`, `import type …`, `export … from '…'`, `import '…'` and `import('…')`.
const SPECIFIER = /(?:^|[^\w$.])(?:import|export)\s*(?:type\s+)?(?:[\w$*{},\s]+?\s+from\s+)?['"]([^'"]+)['"]|\bimport\(\s*['"]([^'"]+)['"]\s*\)/gm;

function importsOf(text: string): string[] {
  // Comments may mention paths; they import nothing.
  const code = text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|[^:'"`])\/\/.*$/gm, '$1');
  return [...code.matchAll(SPECIFIER)].map((m) => (m[1] ?? m[2])!);
}

function sources(dir: string): string[] {
  const out: string[] = [];
  for (const e of readdirSync(join(ROOT, dir), { withFileTypes: true })) {
    const rel = join(dir, e.name);
    if (e.isDirectory()) {
      if (e.name !== 'node_modules' && e.name !== 'dist') out.push(...sources(rel));
    } else if (/\.tsx?$/.test(e.name) && !e.name.endsWith('.d.ts')) out.push(rel);
  }
  return out;
}

interface Edge {
  from: string;
  to: string;
}

function graph(dirs: string[]): { files: string[]; edges: Edge[]; packages: Array<{ from: string; name: string }> } {
  const files = dirs.flatMap(sources);
  const edges: Edge[] = [];
  const packages: Array<{ from: string; name: string }> = [];
  for (const from of files) {
    for (const spec of importsOf(readFileSync(join(ROOT, from), 'utf8'))) {
      if (spec.startsWith('.')) edges.push({ from, to: relative(ROOT, resolve(ROOT, dirname(from), spec)) });
      else if (!spec.startsWith('node:')) packages.push({ from, name: spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : spec.split('/')[0]! });
    }
  }
  return { files, edges, packages };
}

const top = (path: string) => path.split('/')[0]!;

/** Each cycle of file imports, as its files (Tarjan's strongly connected components of more than one file). */
function cycles(files: string[], edges: Edge[]): string[][] {
  const next = new Map<string, string[]>(files.map((f) => [f, []]));
  for (const e of edges) next.get(e.from)?.push(e.to);
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const out: string[][] = [];
  const visit = (v: string) => {
    index.set(v, index.size);
    low.set(v, index.get(v)!);
    stack.push(v);
    onStack.add(v);
    for (const w of next.get(v) ?? []) {
      if (!next.has(w)) continue;
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) === index.get(v)) {
      const component: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        component.push(w);
      } while (w !== v);
      if (component.length > 1) out.push(component.sort());
    }
  };
  for (const f of files) if (!index.has(f)) visit(f);
  return out;
}

describe('layers', () => {
  const product = graph(Object.keys(MAY_IMPORT));

  it('reads every form of import, and not paths in comments', () => {
    const text = [
      "import a from './a.ts';",
      "import type { B } from '../b/b.ts';",
      "import { c,\n  d } from './cd.ts';",
      "export { e } from './e.ts';",
      "export * from './f.ts';",
      "import './g.ts';",
      "const h = await import('./h.ts');",
      "// import x from './not-this.ts';",
      "/* import y from './nor-this.ts'; */",
      "const url = 'https://example.com'; // a string with //",
    ].join('\n');
    expect(importsOf(text)).toEqual(['./a.ts', '../b/b.ts', './cd.ts', './e.ts', './f.ts', './g.ts', './h.ts']);
  });

  it('finds the product code, and each folder it knows', () => {
    expect(product.files.length).toBeGreaterThan(100);
    expect(new Set(product.files.map(top))).toEqual(new Set(Object.keys(MAY_IMPORT)));
  });

  it('has no import that points up or sideways', () => {
    const wrong = product.edges.filter((e) => top(e.from) !== top(e.to) && !MAY_IMPORT[top(e.from)]!.includes(top(e.to)));
    expect(wrong.map((e) => `${e.from} → ${e.to}`)).toEqual([]);
  });

  it('leaves Docker to sandbox/ and SQLite to archive/', () => {
    const wrong = product.packages.filter((p) => OWNED_PACKAGES[p.name] && OWNED_PACKAGES[p.name] !== top(p.from));
    expect(wrong.map((p) => `${p.from} imports ${p.name}`)).toEqual([]);
  });

  it('has no two modules that import each other, directly or round a loop', () => {
    expect(cycles(product.files, product.edges)).toEqual([]);
  });

  it('keeps agent/ to itself: a variant is a package of its own', () => {
    const agent = graph(['agent/src']);
    expect(agent.files.length).toBeGreaterThan(5);
    expect(agent.edges.filter((e) => !e.to.startsWith('agent/')).map((e) => `${e.from} → ${e.to}`)).toEqual([]);
  });

  it('catches what it is for: an upward import, an owned package elsewhere, and a cycle', () => {
    const edges: Edge[] = [
      { from: 'archive/db.ts', to: 'evolve/tree.ts' },
      { from: 'gateway/upstream.ts', to: 'gateway/openai.ts' },
      { from: 'gateway/openai.ts', to: 'gateway/upstream.ts' },
    ];
    expect(edges.filter((e) => top(e.from) !== top(e.to) && !MAY_IMPORT[top(e.from)]!.includes(top(e.to)))).toHaveLength(1);
    expect(cycles(['gateway/upstream.ts', 'gateway/openai.ts', 'archive/db.ts', 'evolve/tree.ts'], edges)).toEqual([['gateway/openai.ts', 'gateway/upstream.ts']]);
  });
});
