// A map of the repository for the model: which files matter, and what they define. Definitions and references come
// from tree-sitter (WebAssembly grammars, so the same code runs on the host and in the sandbox). Files are ranked by
// PageRank over "file A uses a name that file B defines", so the files others depend on come first.
import { existsSync, readFileSync, statSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, extname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Language, Parser, Query } from 'web-tree-sitter';

export interface Definition {
  name: string;
  kind: string;
  line: number;
  signature: string;
}

export interface FileTags {
  mtimeMs: number;
  size: number;
  defs: Definition[];
  /** Referenced names with their counts. */
  refs: Record<string, number>;
}

const GRAMMARS: Record<string, { file: string; pkg: string }> = {
  typescript: { file: 'tree-sitter-typescript.wasm', pkg: 'tree-sitter-typescript' },
  tsx: { file: 'tree-sitter-tsx.wasm', pkg: 'tree-sitter-typescript' },
  javascript: { file: 'tree-sitter-javascript.wasm', pkg: 'tree-sitter-javascript' },
};
const LANGUAGE_BY_EXT: Record<string, keyof typeof GRAMMARS> = {
  '.ts': 'typescript', '.mts': 'typescript', '.cts': 'typescript',
  '.tsx': 'tsx',
  '.js': 'javascript', '.jsx': 'javascript', '.mjs': 'javascript', '.cjs': 'javascript',
};
const SKIP_DIRS = new Set(['node_modules', '.git', 'dist', 'build', 'coverage', '.next', 'out']);
const MAX_FILE_BYTES = 512 * 1024;

// Patterns are compiled one by one: each grammar accepts only some of them (JavaScript has no type_identifier).
const DEF_PATTERNS = [
  '(function_declaration name: (identifier) @function)',
  '(generator_function_declaration name: (identifier) @function)',
  '(class_declaration name: (type_identifier) @class)',
  '(class_declaration name: (identifier) @class)',
  '(abstract_class_declaration name: (type_identifier) @class)',
  '(method_definition name: (property_identifier) @method)',
  '(interface_declaration name: (type_identifier) @interface)',
  '(type_alias_declaration name: (type_identifier) @type)',
  '(enum_declaration name: (identifier) @enum)',
  '(program (lexical_declaration (variable_declarator name: (identifier) @const)))',
  '(program (export_statement (lexical_declaration (variable_declarator name: (identifier) @const))))',
];
const REF_PATTERNS = [
  '(call_expression function: (identifier) @ref)',
  '(call_expression function: (member_expression property: (property_identifier) @ref))',
  '(new_expression constructor: (identifier) @ref)',
  '(type_identifier) @ref',
  '(import_specifier name: (identifier) @ref)',
  '(extends_clause value: (identifier) @ref)',
];

/** Where the .wasm files are: next to the bundle (dist/), or in node_modules when run from source. */
function assetPath(file: string, pkg: string): string {
  const here = typeof __dirname === 'string' ? __dirname : dirname(fileURLToPath(import.meta.url));
  const candidates = [join(here, file), join(here, '..', 'node_modules', pkg, file), join(here, '..', '..', 'node_modules', pkg, file)];
  const found = candidates.find((c) => existsSync(c));
  if (!found) throw new Error(`repo map: cannot find ${file} (looked in ${candidates.join(', ')}); run \`npm run build\` in agent/`);
  return found;
}

interface LoadedLanguage {
  language: Language;
  defs: Query[];
  refs: Query[];
}

let loading: Promise<Map<string, LoadedLanguage>> | undefined;
function languages(): Promise<Map<string, LoadedLanguage>> {
  loading ??= (async () => {
    const wasm = assetPath('tree-sitter.wasm', 'web-tree-sitter');
    await Parser.init({ locateFile: () => wasm });
    const loaded = new Map<string, LoadedLanguage>();
    for (const [name, g] of Object.entries(GRAMMARS)) {
      const language = await Language.load(assetPath(g.file, g.pkg));
      const compile = (patterns: string[]) =>
        patterns.flatMap((p) => {
          try {
            return [new Query(language, p)];
          } catch {
            return [];
          }
        });
      loaded.set(name, { language, defs: compile(DEF_PATTERNS), refs: compile(REF_PATTERNS) });
    }
    return loaded;
  })();
  return loading;
}

export async function tagFile(source: string, lang: keyof typeof GRAMMARS): Promise<Omit<FileTags, 'mtimeMs' | 'size'>> {
  const loaded = (await languages()).get(lang)!;
  const parser = new Parser();
  parser.setLanguage(loaded.language);
  const tree = parser.parse(source);
  const defs: Definition[] = [];
  const refs: Record<string, number> = {};
  if (!tree) return { defs, refs };
  const lines = source.split('\n');
  for (const q of loaded.defs) {
    for (const c of q.captures(tree.rootNode)) {
      const line = c.node.startPosition.row;
      defs.push({ name: c.node.text, kind: c.name, line: line + 1, signature: (lines[line] ?? '').trim().slice(0, 120) });
    }
  }
  for (const q of loaded.refs) {
    for (const c of q.captures(tree.rootNode)) refs[c.node.text] = (refs[c.node.text] ?? 0) + 1;
  }
  tree.delete();
  parser.delete();
  defs.sort((a, b) => a.line - b.line);
  return { defs: defs.filter((d, i) => i === 0 || d.line !== defs[i - 1]!.line || d.name !== defs[i - 1]!.name), refs };
}

function listSourceFiles(root: string): string[] {
  let files: string[];
  try {
    // git knows what is ignored, but only ask it about a repository's own root: a folder inside some other
    // repository (or ignored by it) would list nothing.
    if (!existsSync(join(root, '.git'))) throw new Error('not a repository root');
    files = execFileSync('git', ['ls-files', '-co', '--exclude-standard'], { cwd: root, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, stdio: ['ignore', 'pipe', 'ignore'] }).split('\n');
  } catch {
    files = [];
    const walk = (dir: string) => {
      for (const entry of readdirSync(dir, { withFileTypes: true })) {
        if (entry.name.startsWith('.') || SKIP_DIRS.has(entry.name)) continue;
        const full = join(dir, entry.name);
        if (entry.isDirectory()) walk(full);
        else if (entry.isFile()) files.push(relative(root, full));
      }
    };
    walk(root);
  }
  return files.filter((f) => f && LANGUAGE_BY_EXT[extname(f)] && !f.split('/').some((part) => SKIP_DIRS.has(part))).sort();
}

export interface RenderOptions {
  /** Rough budget for the rendered map, at four characters a token. */
  maxTokens?: number;
  /** Files the task is about (mentioned, or being edited): they and their neighbours rank higher. */
  focusFiles?: string[];
  /** Names the task mentions: files defining them rank higher. */
  focusSymbols?: string[];
}

export class RepoMap {
  private tags = new Map<string, FileTags>();
  private loadedCache = false;
  readonly cacheFile: string;

  constructor(readonly root: string, cacheDir = process.env.CLADE_CACHE_DIR ?? join(tmpdir(), 'clade-repomap')) {
    // The cache lives outside the repository, so it never shows up in the agent's patch.
    this.cacheFile = join(cacheDir, `${createHash('sha1').update(root).digest('hex').slice(0, 16)}.json`);
  }

  /** Parses files that are new or changed since the cache saw them; returns how many it parsed. */
  async refresh(): Promise<{ files: number; parsed: number }> {
    if (!this.loadedCache) {
      this.loadedCache = true;
      try {
        this.tags = new Map(Object.entries(JSON.parse(await readFile(this.cacheFile, 'utf8')) as Record<string, FileTags>));
      } catch {
        // no cache yet, or a corrupt one: start over
      }
    }
    const files = listSourceFiles(this.root);
    const present = new Set(files);
    for (const f of this.tags.keys()) if (!present.has(f)) this.tags.delete(f);
    let parsed = 0;
    for (const file of files) {
      const abs = join(this.root, file);
      let st;
      try {
        st = statSync(abs);
      } catch {
        continue;
      }
      const cached = this.tags.get(file);
      if (cached && cached.mtimeMs === st.mtimeMs && cached.size === st.size) continue;
      if (st.size > MAX_FILE_BYTES) continue;
      const tags = await tagFile(readFileSync(abs, 'utf8'), LANGUAGE_BY_EXT[extname(file)]!);
      this.tags.set(file, { mtimeMs: st.mtimeMs, size: st.size, ...tags });
      parsed++;
    }
    if (parsed > 0) {
      await mkdir(dirname(this.cacheFile), { recursive: true });
      await writeFile(this.cacheFile, JSON.stringify(Object.fromEntries(this.tags)));
    }
    return { files: files.length, parsed };
  }

  definitions(): Map<string, Definition[]> {
    return new Map([...this.tags].map(([f, t]) => [f, t.defs]));
  }

  /** PageRank over the reference graph, personalised toward the focus; highest first. */
  rank(opts: RenderOptions = {}): Array<{ file: string; rank: number }> {
    const files = [...this.tags.keys()];
    const index = new Map(files.map((f, i) => [f, i]));
    const definers = new Map<string, string[]>();
    for (const [file, t] of this.tags) for (const d of t.defs) definers.set(d.name, [...(definers.get(d.name) ?? []), file]);
    const focusSymbols = new Set(opts.focusSymbols ?? []);
    const focusFiles = new Set(opts.focusFiles ?? []);
    const out: Array<Map<number, number>> = files.map(() => new Map());
    for (const [file, t] of this.tags) {
      const from = index.get(file)!;
      for (const [name, count] of Object.entries(t.refs)) {
        const targets = (definers.get(name) ?? []).filter((f) => f !== file);
        if (targets.length === 0) continue;
        // Names defined in many files (get, run, constructor) say little about which file is meant.
        const weight = (Math.sqrt(count) * (focusSymbols.has(name) ? 10 : 1)) / targets.length;
        for (const target of targets) {
          const to = index.get(target)!;
          out[from]!.set(to, (out[from]!.get(to) ?? 0) + weight);
        }
      }
    }
    const n = files.length;
    if (n === 0) return [];
    const personal = files.map((f) => (focusFiles.has(f) ? 10 : 0) + (this.tags.get(f)!.defs.some((d) => focusSymbols.has(d.name)) ? 10 : 0) + 1);
    const total = personal.reduce((a, b) => a + b, 0);
    const p = personal.map((x) => x / total);
    let rank = [...p];
    const damping = 0.85;
    for (let iter = 0; iter < 40; iter++) {
      const next = p.map((x) => (1 - damping) * x);
      let dangling = 0;
      for (let i = 0; i < n; i++) {
        const edges = out[i]!;
        const sum = [...edges.values()].reduce((a, b) => a + b, 0);
        if (sum === 0) dangling += rank[i]!;
        else for (const [j, w] of edges) next[j]! += (damping * rank[i]! * w) / sum;
      }
      for (let i = 0; i < n; i++) next[i]! += damping * dangling * p[i]!;
      rank = next;
    }
    return files.map((file, i) => ({ file, rank: rank[i]! })).sort((a, b) => b.rank - a.rank || a.file.localeCompare(b.file));
  }

  /** The map as text: files by rank, each with its definitions' first lines, cut at the token budget. */
  async render(opts: RenderOptions = {}): Promise<string> {
    await this.refresh();
    const budget = (opts.maxTokens ?? 2048) * 4;
    const parts: string[] = [];
    let used = 0;
    let omitted = 0;
    for (const { file } of this.rank(opts)) {
      const defs = this.tags.get(file)!.defs.slice(0, 30);
      const block = `${file}:\n${defs.map((d) => `  ${String(d.line).padStart(4)}│ ${d.signature}`).join('\n')}${defs.length ? '\n' : ''}`;
      if (used + block.length > budget) {
        omitted++;
        continue;
      }
      parts.push(block);
      used += block.length;
    }
    return parts.join('') + (omitted ? `[${omitted} more files not shown; ask for a focus to see them]\n` : '');
  }
}
