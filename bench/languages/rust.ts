// Rust: the hidden tests are integration tests (`tests/<name>.rs`), built by Debian bookworm's cargo 0.66 / rustc 1.63
// and run one binary per file with libtest's JSON output (`-Z unstable-options --format json`, allowed on a stable
// libtest by RUSTC_BOOTSTRAP=1 in the binary's environment). Each file's stream goes to a file of its own, so a result's
// file is known without guessing from names. Ids are `<file> > <test name>`, a name's module path split at `::`
// (`tests/forth.rs > addition > can_add_two_numbers`). Crates come from Debian's librust-*-dev packages, which cargo
// reads offline as a directory source (see rust.md).
import { randomInt } from 'node:crypto';
import { copyFile, mkdir, writeFile } from 'node:fs/promises';
import { execa } from 'execa';
import { join, posix } from 'node:path';
import { z } from 'zod';
import type { ChannelRead } from '../grader/channel.ts';
import { freshName, pick, poolFrom, words, type Spelling, unequalValues } from '../grader/canary-words.ts';
import type { LanguageRunner, PolyglotLanguage, ResultsContext, RunContext } from './language.ts';
import type { Canary, Merge } from '../grader/types.ts';

const CARGO_HOME = '/usr/local/cargo';
/** Where Debian's librust-*-dev packages put crate sources, each with the `.cargo-checksum.json` a directory source needs. */
const DEBIAN_REGISTRY = '/usr/share/cargo/registry';
const CARGO_CONFIG = [
  '# crates.io is replaced by the crates Debian installed; nothing is ever fetched.',
  '[source.crates-io]',
  'replace-with = "debian"',
  '',
  '[source.debian]',
  `directory = "${DEBIAN_REGISTRY}"`,
  '',
  '[net]',
  'offline = true',
  '',
].join('\n');
// rustc depends on the virtual package libc-dev, which debootstrap does not resolve: libc6-dev provides it.
const PACKAGES = ['rustc', 'cargo', 'libc6-dev'];
/**
 * The crates exercises' Cargo.toml files ask for (rand, time, anyhow; thiserror for grep's reference). debootstrap cannot order the dependency cycles
 * among librust-*-dev packages (its configure step fails on librust-rand-dev), so apt installs them in the finished root.
 */
const CRATE_PACKAGES = ['librust-rand-dev', 'librust-time-dev', 'librust-anyhow-dev', 'librust-thiserror-dev'];

/**
 * Every crate in the image's registry, by name → version (what apt installs for PACKAGES on bookworm; the docker test
 * checks this list against the image). cannotBuild decides from it without an image at hand.
 */
export const IMAGE_CRATES: Readonly<Record<string, string>> = {
  addr2line: '0.19.0', adler: '1.0.2', ahash: '0.7.6', anyhow: '1.0.69', arbitrary: '1.1.3', autocfg: '1.1.0',
  backtrace: '0.3.67', bumpalo: '3.12.0', cc: '1.0.73', 'cfg-if': '1.0.0', compiler_builtins: '0.1.70',
  'const-random': '0.1.13', 'const-random-macro': '0.1.13', crc32fast: '1.3.2', 'crossbeam-channel': '0.5.6',
  'crossbeam-deque': '0.8.1', 'crossbeam-epoch': '0.9.13', 'crossbeam-utils': '0.8.12', crunchy: '0.2.2',
  ctor: '0.1.26', derive_arbitrary: '1.1.3', either: '1.6.1', 'erased-serde': '0.3.23', 'fallible-iterator': '0.2.0',
  flate2: '1.0.25', getrandom: '0.2.8', gimli: '0.27.0', hashbrown: '0.12.3', indexmap: '1.9.2', itoa: '1.0.1',
  lazy_static: '1.4.0', libc: '0.2.139', lock_api: '0.4.9', log: '0.4.17', memchr: '2.5.0', memoffset: '0.6.5',
  miniz_oxide: '0.6.2', num_cpus: '1.14.0', num_threads: '0.1.6', object: '0.30.0', once_cell: '1.17.0',
  owning_ref: '0.4.1', parking_lot_core: '0.9.3', 'ppv-lite86': '0.2.16', 'proc-macro-hack': '0.5.19',
  'proc-macro2': '1.0.47', quickcheck: '1.0.3', quote: '1.0.21', rand: '0.8.5', rand_chacha: '0.3.1',
  rand_core: '0.6.3', rayon: '1.6.1', 'rayon-core': '1.10.1', 'rustc-demangle': '0.1.21',
  'rustc-std-workspace-core': '1.0.0', scopeguard: '1.1.0', serde: '1.0.152', serde_derive: '1.0.152',
  serde_fmt: '1.0.1', smallvec: '1.9.0', spin: '0.9.5', stable_deref_trait: '1.2.0', sval: '1.0.0-alpha.5',
  syn: '1.0.107', thiserror: '1.0.38', 'thiserror-impl': '1.0.38', time: '0.3.9', 'time-macros': '0.2.4',
  'tiny-keccak': '2.0.2', 'unicode-ident': '1.0.0', 'value-bag': '1.0.0-alpha.9', version_check: '0.9.4',
};

/** The newest Rust the image compiles with; `rust-version` above it cannot build. */
const RUSTC: [number, number] = [1, 63];
const EDITIONS = new Set(['2015', '2018', '2021']);
/** A large suite's JSON stream stays far below this; more is a flood, read no further. */
const STREAM_BYTES = 16 * 1024 * 1024;
const RESULTS_DIR = 'results';

const q = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

// ---------------------------------------------------------------------------------------------------------------------
// Reading Rust source: comments and literals blanked out (same length, newlines kept), so braces and attributes can be
// found by position without a parser.

/** The text with every comment and string/char literal's content replaced by spaces; offsets stay the same. */
export function blankLiterals(src: string): string {
  const out = src.split('');
  const blank = (from: number, to: number) => {
    for (let k = from; k < to; k++) if (out[k] !== '\n') out[k] = ' ';
  };
  let i = 0;
  while (i < src.length) {
    const c = src[i]!;
    const next = src[i + 1];
    if (c === '/' && next === '/') {
      const end = src.indexOf('\n', i);
      const stop = end === -1 ? src.length : end;
      blank(i, stop);
      i = stop;
    } else if (c === '/' && next === '*') {
      // Block comments nest in Rust.
      let depth = 0;
      let k = i;
      while (k < src.length) {
        if (src.startsWith('/*', k)) {
          depth++;
          k += 2;
        } else if (src.startsWith('*/', k)) {
          depth--;
          k += 2;
          if (depth === 0) break;
        } else k++;
      }
      blank(i, k);
      i = k;
    } else if (/[rb]/.test(c) && !/[\w]/.test(src[i - 1] ?? '') && /^(?:b?r#*"|b")/.test(src.slice(i, i + 260))) {
      const raw = /^b?r(#*)"/.exec(src.slice(i, i + 260));
      if (raw) {
        const close = `"${raw[1]}`;
        const start = i + raw[0].length;
        const end = src.indexOf(close, start);
        const stop = end === -1 ? src.length : end + close.length;
        blank(start, stop - close.length);
        i = stop;
      } else {
        i = skipString(src, i + 1, blank);
      }
    } else if (c === '"') {
      i = skipString(src, i, blank);
    } else if (c === "'") {
      // A char literal ('a', '\n', '\u{1F600}', '\''), else a lifetime or label ('a, 'static).
      const m = /^'(?:\\(?:x[0-9a-fA-F]{2}|u\{[0-9a-fA-F_]{1,8}\}|.)|[^\\'\n])'/u.exec(src.slice(i, i + 16));
      if (m) {
        blank(i + 1, i + m[0].length - 1);
        i += m[0].length;
      } else i++;
    } else i++;
  }
  return out.join('');
}

function skipString(src: string, quote: number, blank: (from: number, to: number) => void): number {
  let k = quote + 1;
  while (k < src.length && src[k] !== '"') k += src[k] === '\\' ? 2 : 1;
  blank(quote + 1, Math.min(k, src.length));
  return Math.min(k + 1, src.length);
}

interface TestFn {
  /** The module path inside the file, then the function's name. */
  path: string[];
}

interface Boundary {
  /** Just past an item's closing brace that ends its line: where another item may go. */
  at: number;
  /** The module path it is in (empty at the file's top level). */
  scope: string[];
  /** The closing brace's indentation. */
  indent: string;
}

interface Scan {
  tests: TestFn[];
  boundaries: Boundary[];
}

/**
 * Whether a `#[cfg(…)]` predicate holds for the tests as this runner builds them: `test`, Linux and debug builds yes,
 * cargo features no (the benchmark runs `cargo test` without `--features`, and so does this runner).
 */
function cfgHolds(pred: string): boolean {
  const p = pred.trim();
  const call = /^(not|all|any)\s*\(([\s\S]*)\)$/.exec(p);
  if (call) {
    const args = splitTop(call[2]!).filter((a) => a.trim() !== '');
    if (call[1] === 'not') return !cfgHolds(args[0] ?? '');
    if (call[1] === 'all') return args.every(cfgHolds);
    return args.some(cfgHolds);
  }
  const kv = /^(\w+)\s*=\s*"([^"]*)"$/.exec(p);
  if (kv) {
    const [, key, value] = kv;
    if (key === 'feature') return false;
    if (key === 'target_os') return value === 'linux';
    if (key === 'target_family') return value === 'unix';
    if (key === 'target_pointer_width') return value === '64';
    return true;
  }
  if (p === 'windows' || p === 'miri') return false;
  return true;
}

function splitTop(s: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let cur = '';
  for (const ch of s) {
    if (ch === '(') depth++;
    if (ch === ')') depth--;
    if (ch === ',' && depth === 0) {
      out.push(cur);
      cur = '';
    } else cur += ch;
  }
  out.push(cur);
  return out;
}

/** The test functions of a test file (with their module path) that a plain `cargo test` compiles, and where items end. */
export function scanTests(content: string): Scan {
  // The blanked text finds structure; attribute texts come from the original (a cfg's feature name is a string).
  const code = blankLiterals(content);
  const tests: TestFn[] = [];
  const boundaries: Boundary[] = [];
  // One frame per open brace: a module's (with its name and whether its cfg holds) or any other block's.
  const stack: Array<{ mod?: string; on: boolean }> = [];
  let attrs: string[] = [];
  const token = /#!?\s*\[|\bmod\s+(?:r#)?(\w+)\s*\{|\bfn\s+(?:r#)?(\w+)|[{};]/g;
  let m: RegExpExecArray | null;
  while ((m = token.exec(code))) {
    const t = m[0];
    if (t.startsWith('#')) {
      // An attribute runs to its matching bracket.
      let depth = 0;
      let k = m.index + t.length - 1;
      for (; k < code.length; k++) {
        if (code[k] === '[') depth++;
        else if (code[k] === ']' && --depth === 0) break;
      }
      if (!t.startsWith('#!')) attrs.push(content.slice(m.index + t.length, k).trim());
      token.lastIndex = k + 1;
      continue;
    }
    const on = stack.every((f) => f.on) && attrs.every((a) => !/^cfg\s*\(/.test(a) || cfgHolds(a.replace(/^cfg\s*\(([\s\S]*)\)$/, '$1')));
    if (m[1] !== undefined) {
      stack.push({ mod: m[1], on });
    } else if (m[2] !== undefined) {
      // Only functions directly in the file or in its modules are tests libtest collects.
      if (on && stack.every((f) => f.mod !== undefined) && attrs.some((a) => a === 'test')) tests.push({ path: [...stack.map((f) => f.mod!), m[2]] });
    } else if (t === '{') {
      stack.push({ on: true });
    } else if (t === '}') {
      stack.pop();
      const lineStart = code.lastIndexOf('\n', m.index) + 1;
      const indent = code.slice(lineStart, m.index);
      // An item's end directly in the file or a module, alone on its line.
      if (stack.every((f) => f.mod !== undefined) && /^[ \t]*$/.test(indent) && /^[ \t]*(\r?\n|$)/.test(code.slice(m.index + 1))) {
        const eol = code.indexOf('\n', m.index);
        boundaries.push({ at: eol === -1 ? code.length : eol + 1, scope: stack.map((f) => f.mod!), indent });
      }
    }
    attrs = [];
  }
  return { tests, boundaries };
}

const idOf = (file: string, path: string[]) => [file, ...path].join(' > ');

function listTests(file: string, content: string): string[] {
  return [...new Set(scanTests(content).tests.map((t) => idOf(file, t.path)))];
}

// ---------------------------------------------------------------------------------------------------------------------
// Canaries

/** Two different values of one type that `assert_eq!` compares without any import: integers, strings, vectors. */
const RUST_VALUES: Spelling = { word: (w) => `"${w}"`, list: (items) => `vec![${items.join(', ')}]` };

/**
 * One more `#[test]` function, in the module of a test drawn at random and between two of its items drawn at random
 * (so it shares that module's imports, as a glob import can bring in a crate's own `assert_eq!`), named from the file's
 * own words, asserting with the file's own macro that two different values are equal.
 */
function canary(file: string, content: string, taken: ReadonlySet<string>): { content: string; canary: Canary } {
  const { tests, boundaries } = scanTests(content);
  const key = (scope: string[]) => scope.join('::');
  const scopes = [...new Set(tests.map((t) => key(t.path.slice(0, -1))))].filter((k) => boundaries.some((b) => key(b.scope) === k));
  const scope = scopes.length ? pick(tests.filter((t) => scopes.includes(key(t.path.slice(0, -1))))).path.slice(0, -1) : [];
  const spots = boundaries.filter((b) => key(b.scope) === key(scope));
  const pool = poolFrom(tests.map((t) => t.path[t.path.length - 1]!.replace(/_/g, ' ')));
  const name = freshName(() => words(pool, 3, 5).join('_'), content, (n) => idOf(file, [...scope, n]), taken);
  const { a, b } = unequalValues(RUST_VALUES);
  // The file's indentation unit, so the body looks like its neighbours'.
  const unit = /^([ \t]+)\S/m.exec(content)?.[1] ?? '    ';
  const check = /\bassert_eq!\s*\(/.test(content) || !/\bassert!\s*\(/.test(content) ? `assert_eq!(${a}, ${b});` : `assert!(${a} == ${b});`;
  const spot = spots.length ? spots[randomInt(spots.length)]! : undefined;
  const at = spot?.indent ?? '';
  const text = `\n${at}#[test]\n${at}fn ${name}() {\n${at}${unit}${check}\n${at}}\n`;
  const out = spot ? content.slice(0, spot.at) + text + content.slice(spot.at) : `${content.replace(/\n*$/, '\n')}${text}`;
  return { content: out, canary: { file, id: idOf(file, [...scope, name]) } };
}

// ---------------------------------------------------------------------------------------------------------------------
// Running

/** The test target's name cargo gives an integration test: its file's stem. */
const targetOf = (file: string) => posix.basename(file, '.rs');

/**
 * Builds every hidden test file's target with one cargo call (each alone if that fails, so one file that does not compile
 * leaves the others running), then runs each test binary itself, outside cargo: no cargo call (nor anything a test
 * leaves behind, such as a `.cargo/config.toml` above the repository) comes after the first test code has run. The
 * binary of a file is found in cargo's JSON build messages by its source path. A binary that does not build leaves no
 * stream, so its tests are missing.
 */
function command(ctx: RunContext): { script: string; env: Record<string, string> } {
  const g = ctx.graderDir;
  const targets = ctx.files.map((f) => `--test ${q(targetOf(f))}`).join(' ');
  const build = (args: string) => `cargo test --offline --no-run --message-format=json-render-diagnostics ${args} >> ${q(`${g}/build.jsonl`)}`;
  const lines = [
    'set -u',
    `mkdir -p ${q(`${g}/${RESULTS_DIR}`)}`,
    `if ! ${build(targets)}; then`,
    ...ctx.files.map((f) => `  ${build(`--test ${q(targetOf(f))}`)}`),
    'fi',
    ...ctx.files.flatMap((f, i) => [
      // cargo writes `"src_path":"<abs path>"` and later `"executable":"<abs path>"` on the test target's artifact line.
      `exe=$(grep -F "\\"src_path\\":\\"$PWD/"${q(f)}'"' ${q(`${g}/build.jsonl`)} | grep -F '"kind":["test"]' | grep -o '"executable":"[^"]*"' | tail -n 1 | cut -d'"' -f4)`,
      // No binary: the file (or the solution) did not compile, and the marker makes that a grade, not an error.
      `if [ -n "$exe" ]; then RUSTC_BOOTSTRAP=1 "$exe" -Z unstable-options --format json --include-ignored > ${q(`${g}/${RESULTS_DIR}/${i}.jsonl`)}; else : > ${q(`${g}/build-failed-${i}`)}; fi`,
    ]),
    'exit 0',
  ];
  return {
    script: lines.join('\n') + '\n',
    env: {
      PATH: '/usr/local/bin:/usr/bin:/bin',
      HOME: '/workspace',
      CARGO_HOME,
      // Build products stay outside the repository, in the grader's folder (the 512 MB /workspace, not the 128 MB /tmp).
      CARGO_TARGET_DIR: `${g}/target`,
      CARGO_INCREMENTAL: '0',
      CARGO_TERM_COLOR: 'never',
    },
  };
}

// One event of libtest's JSON format (library/test/src/formatters/json.rs); other fields are ignored.
const Event = z.union([
  z.object({ type: z.literal('test'), event: z.enum(['started', 'ok', 'failed', 'ignored', 'timeout', 'allowed_fail']), name: z.string().min(1).max(4096) }),
  z.object({ type: z.literal('suite'), event: z.enum(['started', 'ok', 'failed']), test_count: z.number().optional(), passed: z.number().optional(), failed: z.number().optional(), ignored: z.number().optional() }),
  z.object({ type: z.literal('bench') }),
]);

type Status = 'passed' | 'failed' | 'skipped';
export type StreamRead = { kind: 'events'; statuses: Map<string, Status> } | { kind: 'none' } | { kind: 'unreadable'; reason: string } | { kind: 'tampered'; reason: string };

/**
 * One test binary's JSON stream. Test code can write to the same stdout (libtest captures only `print!`), so a line
 * that is not an event is skipped, and the stream must hang together: every result follows its test's start, no test
 * ends twice, nothing follows the suite's end, and the end's counts match the results. A forged line that breaks this
 * makes the run `tampered`; a consistent forgery is what the canaries are for.
 */
export function parseStream(text: string): StreamRead {
  const statuses = new Map<string, Status>();
  const started = new Set<string>();
  let events = 0;
  let ended = false;
  let count: number | undefined;
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (!line.startsWith('{')) continue;
    let event: z.infer<typeof Event>;
    try {
      event = Event.parse(JSON.parse(line));
    } catch {
      continue;
    }
    events++;
    if (ended) return { kind: 'tampered', reason: 'the libtest stream went on after its suite ended' };
    if (event.type === 'bench') continue;
    if (event.type === 'suite') {
      if (event.event === 'started') {
        if (count !== undefined) return { kind: 'tampered', reason: 'the libtest stream started its suite twice' };
        count = event.test_count;
        continue;
      }
      ended = true;
      const results = [...statuses.values()];
      const counted = { passed: results.filter((s) => s === 'passed').length, failed: results.filter((s) => s === 'failed').length };
      if (event.passed !== counted.passed || event.failed !== counted.failed) {
        return { kind: 'tampered', reason: `the libtest suite counted ${event.passed} passed and ${event.failed} failed, and its stream has ${counted.passed} and ${counted.failed}` };
      }
      continue;
    }
    const { name } = event;
    if (event.event === 'started') {
      if (started.has(name)) return { kind: 'tampered', reason: `test "${name}" started twice in the libtest stream` };
      started.add(name);
      continue;
    }
    if (event.event === 'timeout') continue;
    if (!started.has(name)) return { kind: 'tampered', reason: `test "${name}" has a result in the libtest stream but never started` };
    if (statuses.has(name)) return { kind: 'tampered', reason: `test "${name}" ended twice in the libtest stream` };
    statuses.set(name, event.event === 'failed' ? 'failed' : event.event === 'ignored' ? 'skipped' : 'passed');
    if (count !== undefined && statuses.size > count) return { kind: 'tampered', reason: `the libtest stream has more results than its suite's ${count} tests` };
  }
  if (events === 0) return text.trim() === '' ? { kind: 'none' } : { kind: 'unreadable', reason: 'the test binary wrote no libtest JSON event' };
  return { kind: 'events', statuses };
}

async function results(ctx: ResultsContext): Promise<ChannelRead> {
  const out: Record<string, Status> = {};
  for (const [i, file] of ctx.files.entries()) {
    const bytes = await ctx.readFile(`${ctx.graderDir}/${RESULTS_DIR}/${i}.jsonl`, STREAM_BYTES + 1);
    if (bytes === undefined) continue;
    if (bytes.length > STREAM_BYTES) return { kind: 'unreadable', reason: `the libtest stream of ${file} is larger than ${STREAM_BYTES} bytes` };
    const read = parseStream(bytes.toString('utf8'));
    if (read.kind === 'tampered') return { kind: 'tampered', reason: `${file}: ${read.reason}` };
    if (read.kind === 'unreadable') return { kind: 'unreadable', reason: `${file}: ${read.reason}` };
    if (read.kind === 'none') continue;
    for (const [name, status] of read.statuses) out[idOf(file, name.split('::'))] = status;
  }
  if (Object.keys(out).length) return { kind: 'results', results: out };
  const failed = await Promise.all(ctx.files.map((_f, i) => ctx.readFile(`${ctx.graderDir}/build-failed-${i}`, 16)));
  if (ctx.files.length && failed.every((f) => f !== undefined)) return { kind: 'none', buildFailed: ctx.run.stderr.trimEnd().split('\n').slice(-20).join('\n') };
  return { kind: 'none' };
}

// ---------------------------------------------------------------------------------------------------------------------
// Protected files

interface Section {
  name: string | undefined;
  text: string;
}

/** A TOML text cut at its table headers (`[name]`, `[[name]]`); the part before the first has no name. */
function tomlSections(text: string): Section[] {
  const out: Section[] = [{ name: undefined, text: '' }];
  for (const line of text.split(/(?<=\n)/)) {
    const header = /^\s*\[\[?\s*([^\]]+?)\s*\]\]?\s*(#.*)?$/.exec(line.replace(/\r?\n$/, ''));
    if (header) out.push({ name: header[1]!.replace(/\s+/g, ''), text: '' });
    out[out.length - 1]!.text += line;
  }
  return out;
}

const isDependencies = (name: string | undefined) => name !== undefined && /^dependencies(\.|$)/.test(name);
/** A dependency that is not from the registry: a local crate can be a proc macro or carry a build script. */
const NON_REGISTRY = /\b(path|git|branch|tag|rev|registry|registry-index)\s*=/;

/**
 * Cargo.toml, restored in part: the patch may change `[dependencies]` (the exercise lists Cargo.toml as a solution file,
 * and a solution may use the crates the image has); every other table comes back as it was — `[lib]` (proc-macro,
 * harness), `[[test]]` (harness = false), `[package]` (build, autotests), `[profile.*]` (overflow checks),
 * `[features]`, `[patch]`, `[workspace]`, target and dev/build dependencies. A dependency from a path or git is code that
 * runs while the tests compile, so a patch that adds one gets the whole file restored.
 */
export const restoreManifest: Merge = (base, patched) => {
  const now = tomlSections(patched);
  const kept = now.filter((s) => isDependencies(s.name));
  const before = new Set(tomlSections(base ?? '').filter((s) => isDependencies(s.name)).flatMap((s) => s.text.split('\n')));
  if (kept.some((s) => s.text.split('\n').some((line) => NON_REGISTRY.test(line.replace(/#.*$/, '')) && !before.has(line)))) return base ?? null;
  if (base === undefined) return null;
  const rest = tomlSections(base).filter((s) => !isDependencies(s.name));
  let text = rest.map((s) => s.text).join('');
  const deps = kept.map((s) => s.text).join('');
  if (deps) text += (text === '' || text.endsWith('\n\n') ? '' : text.endsWith('\n') ? '\n' : '\n\n') + deps;
  return text === patched ? patched : text;
};

const cargoTestProtect = {
  // tests/: the hidden test files and whatever they include or drive (macros' tests/invalid crate, helper modules).
  // .cargo/: cargo configuration can set rustflags, a runner that wraps test binaries, or another target folder.
  // build.rs: a build script cargo finds by its name runs before the tests compile and could rewrite them.
  whole: (path: string) => {
    const p = path.replace(/\/$/, '');
    return p === 'tests' || p.startsWith('tests/') || p.split('/').includes('.cargo') || p === 'build.rs';
  },
  partial: (path: string): Merge | undefined => (path === 'Cargo.toml' ? restoreManifest : undefined),
};

// ---------------------------------------------------------------------------------------------------------------------
// What can build

/** The value of `key = "…"` in one TOML table's text. */
const stringKey = (text: string, key: string) => new RegExp(`^\\s*${key.replace(/-/g, '\\-')}\\s*=\\s*"([^"]*)"`, 'm').exec(text)?.[1];

type Version = [number, number, number];
const parseVersion = (v: string): Version | undefined => {
  const m = /^(\d+)(?:\.(\d+))?(?:\.(\d+))?/.exec(v.trim());
  return m ? [Number(m[1]), Number(m[2] ?? 0), Number(m[3] ?? 0)] : undefined;
};
const compare = (a: Version, b: Version) => a[0] - b[0] || a[1] - b[1] || a[2] - b[2];

/** Whether `version` meets one cargo requirement (`1.0`, `^0.8`, `~0.3.2`, `=1.2.3`, `>=1, <2`, `*`). */
export function satisfies(version: string, requirement: string): boolean {
  const have = parseVersion(version);
  if (!have) return false;
  return requirement.split(',').every((part) => {
    const m = /^\s*(\^|~|=|>=|<=|>|<)?\s*([\d.*x]+)\s*$/.exec(part);
    if (!m) return false;
    const op = m[1] ?? '^';
    const spec = m[2]!;
    if (spec === '*') return true;
    const parts = spec.split('.').filter((p) => p !== '*' && p !== 'x');
    const want: Version = [Number(parts[0] ?? 0), Number(parts[1] ?? 0), Number(parts[2] ?? 0)];
    const c = compare(have, want);
    if (op === '=') return parts.every((p, i) => have[i] === Number(p));
    if (op === '>=') return c >= 0;
    if (op === '>') return c > 0;
    if (op === '<=') return c <= 0;
    if (op === '<') return c < 0;
    if (c < 0) return false;
    // ~: the given minor (or major) may not change; ^ and bare: the leftmost non-zero part given may not change.
    if (op === '~') return parts.length >= 2 ? have[0] === want[0] && have[1] === want[1] : have[0] === want[0];
    if (want[0] > 0 || parts.length === 1) return have[0] === want[0];
    if (want[1] > 0 || parts.length === 2) return have[0] === 0 && have[1] === want[1];
    return have[0] === 0 && have[1] === 0 && have[2] === want[2];
  });
}

/** Every dependency a manifest names (normal, dev, build, target-specific): crate name → requirement, or why not one. */
function dependencies(manifest: string): Array<{ name: string; requirement?: string; source?: string }> {
  const out: Array<{ name: string; requirement?: string; source?: string }> = [];
  for (const s of tomlSections(manifest)) {
    if (!s.name) continue;
    const table = /^(?:target\..+\.)?(?:dependencies|dev-dependencies|build-dependencies)(?:\.(.+))?$/.exec(s.name);
    if (!table) continue;
    const body = s.text.split('\n').slice(1).join('\n');
    if (table[1]) {
      // [dependencies.name]: one crate as a table.
      out.push(entry(table[1].replace(/"/g, ''), body));
      continue;
    }
    for (const line of body.split('\n')) {
      const kv = /^\s*([\w-]+|"[^"]+")\s*=\s*(.+?)\s*(#.*)?$/.exec(line);
      if (kv) out.push(entry(kv[1]!.replace(/"/g, ''), kv[2]!.startsWith('"') ? `version = ${kv[2]}` : kv[2]!));
    }
  }
  return out;
}

function entry(key: string, spec: string): { name: string; requirement?: string; source?: string } {
  const name = /\bpackage\s*=\s*"([^"]+)"/.exec(spec)?.[1] ?? key;
  const source = NON_REGISTRY.exec(spec)?.[1];
  return { name, requirement: /\bversion\s*=\s*"([^"]*)"/.exec(spec)?.[1] ?? '*', source };
}

function cannotBuild(files: ReadonlyMap<string, string>): string | undefined {
  const manifest = files.get('Cargo.toml');
  if (manifest === undefined) return 'the exercise has no Cargo.toml';
  const pkg = tomlSections(manifest).find((s) => s.name === 'package')?.text ?? '';
  const edition = stringKey(pkg, 'edition');
  if (edition !== undefined && !EDITIONS.has(edition)) return `Cargo.toml asks for edition ${edition}, and the image's rustc ${RUSTC.join('.')} knows ${[...EDITIONS].join(', ')}`;
  const rustVersion = stringKey(pkg, 'rust-version');
  const rv = rustVersion === undefined ? undefined : parseVersion(rustVersion);
  if (rv && compare(rv, [...RUSTC, 99]) > 0) return `Cargo.toml asks for Rust ${rustVersion}, and the image has rustc ${RUSTC.join('.')}`;
  // The reference solution's own manifest (some exercises keep it beside example.rs) is what the gold patch builds with.
  const manifests: Array<[string, string]> = [['Cargo.toml', manifest]];
  const example = files.get('.meta/Cargo-example.toml');
  if (example !== undefined) manifests.push(['the reference solution\'s .meta/Cargo-example.toml', example]);
  for (const [where, text] of manifests) {
    for (const dep of dependencies(text)) {
      if (dep.source) return `${where} takes crate ${dep.name} from a ${dep.source}, and the image builds offline from its own crates`;
      const have = IMAGE_CRATES[dep.name];
      if (have === undefined) return `${where} needs crate ${dep.name}, which the image does not have`;
      if (!satisfies(have, dep.requirement!)) return `${where} needs crate ${dep.name} ${dep.requirement}, and the image has ${have}`;
    }
  }
  return undefined;
}

/** Files the tests compile or drive besides the test files: everything else under tests/, and cargo configuration. */
function protectedPaths(files: ReadonlyMap<string, string>): string[] {
  return [...files.keys()].filter((f) => !f.startsWith('.meta/') && !f.startsWith('.docs/') && cargoTestProtect.whole(f)).sort();
}

// ---------------------------------------------------------------------------------------------------------------------

export const cargoTest: LanguageRunner = {
  runner: 'cargo-test',
  language: 'rust',
  image: async () => ({
    name: 'rust',
    extras: {
      packages: PACKAGES,
      finish: async (rootfs, log) => {
        log(`apt-get install ${CRATE_PACKAGES.join(' ')} in ${rootfs}`);
        await copyFile('/etc/resolv.conf', join(rootfs, 'etc/resolv.conf'));
        const env = { PATH: '/usr/sbin:/usr/bin:/sbin:/bin', DEBIAN_FRONTEND: 'noninteractive' };
        await execa('chroot', [rootfs, 'apt-get', 'update', '-q'], { env });
        await execa('chroot', [rootfs, 'apt-get', 'install', '-y', '-q', '--no-install-recommends', ...CRATE_PACKAGES], { env });
        await mkdir(join(rootfs, CARGO_HOME.slice(1)), { recursive: true });
        await writeFile(join(rootfs, CARGO_HOME.slice(1), 'config.toml'), CARGO_CONFIG);
      },
      changes: [`ENV CARGO_HOME=${CARGO_HOME}`],
    },
    inputs: { CARGO_HOME, CARGO_CONFIG, CRATE_PACKAGES },
  }),
  command,
  results,
  canary,
  protect: cargoTestProtect,
};

export const rustPolyglot: PolyglotLanguage = {
  language: 'rust',
  runner: 'cargo-test',
  listTests,
  // `--include-ignored` runs the `#[ignore]`d tests, as Aider's harness does; the text stays as it is.
  enableAll: (_file, content) => content,
  cannotBuild,
  protectedPaths,
  referenceExtras: (files) => {
    const manifest = files.get('.meta/Cargo-example.toml');
    return new Map(manifest === undefined ? [] : [['Cargo.toml', manifest]]);
  },
};
