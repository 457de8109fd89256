// JavaScript (the Polyglot's Exercism exercises): the hidden tests run under jest 29 with babel-jest and the exercises'
// own babel preset, installed from bench/languages/javascript-env's lockfile into the image at /opt/clade-jest.
// jest's JSON report (--json --outputFile, in the grader's folder) is the structured output; ids are
// `<file> > <describe…> > <test name>` (the report's ancestorTitles and title). The test files' call structure is read
// by a small lexer (comments, strings, templates and regexes blanked out), never by running them.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { cp, mkdir, rename, rm } from 'node:fs/promises';
import { builtinModules } from 'node:module';
import { homedir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { projectPath } from '../../lib/paths.ts';
import { z } from 'zod';
import type { EnvImageSpec, Log } from '../../sandbox/image.ts';
import { installLocked } from '../npm-install.ts';
import type { ChannelRead } from '../grader/channel.ts';
import { freshName, poolFrom, quoteOf, words, unequalValues } from '../grader/canary-words.ts';
import type { LanguageRunner, PolyglotLanguage, ResultsContext, RunContext } from './language.ts';
import type { Canary } from '../grader/types.ts';

/** The package.json and lockfile the image's node_modules is installed from (checked by npm-install.ts). */
const ENV_DIR = projectPath('bench', 'languages', 'javascript-env') + '/';
const IMAGE_DIR = '/opt/clade-jest';
const IMAGE_MODULES = `${IMAGE_DIR}/node_modules`;
/** The repository is /workspace/repo: Node and babel look for modules in its parents too, so the link goes there. */
const MODULES_LINK = '/workspace/node_modules';
const REPORT_FILE = 'jest.json';
/** A report of every Polyglot suite is a few hundred KB; more is a flood, read no further. */
const REPORT_BYTES = 64 * 1024 * 1024;

const q = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

// ---------------------------------------------------------------------------------------------------------------
// Reading test files: a lexer that blanks everything that is not code, so calls are found only where they are code.

const REGEX_AFTER = new Set([...'(,=:[!&|?{};+-*%<>~^']);
const REGEX_KEYWORDS = /(?:^|[^\w$])(return|typeof|case|do|else|in|of|new|delete|void|throw|yield|await)$/;

/**
 * The text with comments, and the insides of strings, templates and regex literals, replaced by spaces (newlines
 * kept), so offsets match the original. Quotes stay, so a string argument's start can be found; `${…}` stays code.
 */
export function maskCode(src: string): string {
  const out = src.split('');
  const blank = (from: number, to: number) => {
    for (let k = from; k < to; k++) if (out[k] !== '\n') out[k] = ' ';
  };
  // Open template literals, each with the brace depth its current `${` started at.
  const templates: number[] = [];
  let braces = 0;
  let i = 0;
  const n = src.length;
  const lastCode = (at: number) => {
    let k = at - 1;
    while (k >= 0 && /\s/.test(out[k]!)) k--;
    return k;
  };
  /** Scans a template's text from i (after the backtick or the closing brace of `${}`), up to its end or next `${`. */
  const templateText = () => {
    const start = i;
    while (i < n) {
      if (src[i] === '\\') i += 2;
      else if (src[i] === '`') {
        blank(start, i);
        i++;
        return;
      } else if (src[i] === '$' && src[i + 1] === '{') {
        blank(start, i);
        templates.push(braces);
        braces++;
        i += 2;
        return;
      } else i++;
    }
    blank(start, n);
  };
  while (i < n) {
    const c = src[i]!;
    const next = src[i + 1];
    if (c === '/' && next === '/') {
      const end = src.indexOf('\n', i);
      blank(i, end === -1 ? n : end);
      i = end === -1 ? n : end;
    } else if (c === '/' && next === '*') {
      const end = src.indexOf('*/', i + 2);
      blank(i, end === -1 ? n : end + 2);
      i = end === -1 ? n : end + 2;
    } else if (c === "'" || c === '"') {
      const start = ++i;
      while (i < n && src[i] !== c && src[i] !== '\n') i += src[i] === '\\' ? 2 : 1;
      blank(start, Math.min(i, n));
      i++;
    } else if (c === '`') {
      i++;
      templateText();
    } else if (c === '{') {
      braces++;
      i++;
    } else if (c === '}') {
      braces--;
      i++;
      if (templates.length && braces === templates[templates.length - 1]) {
        templates.pop();
        templateText();
      }
    } else if (c === '/') {
      const k = lastCode(i);
      const before = out.slice(Math.max(0, k - 10), k + 1).join('');
      if (k < 0 || REGEX_AFTER.has(out[k]!) || REGEX_KEYWORDS.test(before)) {
        const start = ++i;
        let inClass = false;
        while (i < n && src[i] !== '\n' && (inClass || src[i] !== '/')) {
          if (src[i] === '\\') i++;
          else if (src[i] === '[') inClass = true;
          else if (src[i] === ']') inClass = false;
          i++;
        }
        blank(start, Math.min(i, n));
      }
      i++;
    } else i++;
  }
  return out.join('');
}

/** The value of the string literal whose opening quote is at `at`, and the offset after it. */
function readString(src: string, at: number): { value: string; end: number } {
  const quote = src[at]!;
  let value = '';
  let i = at + 1;
  const ESCAPES: Record<string, string> = { n: '\n', t: '\t', r: '\r', b: '\b', f: '\f', v: '\v', '0': '\0' };
  while (i < src.length && src[i] !== quote) {
    if (src[i] === '\\') {
      const e = src[i + 1]!;
      if (e === 'u' && src[i + 2] === '{') {
        const close = src.indexOf('}', i);
        value += String.fromCodePoint(parseInt(src.slice(i + 3, close), 16));
        i = close + 1;
      } else if (e === 'u' || e === 'x') {
        const len = e === 'u' ? 4 : 2;
        value += String.fromCharCode(parseInt(src.slice(i + 2, i + 2 + len), 16));
        i += 2 + len;
      } else if (e === '\n') i += 2;
      else {
        value += ESCAPES[e] ?? e;
        i += 2;
      }
    } else value += src[i++];
  }
  return { value, end: i + 1 };
}

/** The offset of the parenthesis that closes the one at `open` (in masked code), or the end of the text. */
function closing(masked: string, open: number): number {
  let depth = 0;
  for (let i = open; i < masked.length; i++) {
    const c = masked[i];
    if (c === '(' || c === '[' || c === '{') depth++;
    else if (c === ')' || c === ']' || c === '}') {
      depth--;
      if (depth === 0) return i;
    }
  }
  return masked.length;
}

type Kind = 'describe' | 'test' | 'it';
interface Call {
  kind: Kind;
  /** The callee as written (`xtest`, `test.skip`, `describe`), and where it starts. */
  callee: string;
  at: number;
  /** The call's parentheses. */
  open: number;
  close: number;
  /** The name, when the first argument is a plain string literal. */
  name?: string;
}

// jest's globals that declare suites and tests, with their skipping and focusing forms (`.each` is not used by the
// exercises, and its names are made at run time).
const CALL = /(?<![\w$.])(x?describe|fdescribe|x?test|x?it|fit|(?:describe|test|it)\.(?:skip|only))\s*\(/g;

function calls(content: string): Call[] {
  const masked = maskCode(content);
  const out: Call[] = [];
  for (const m of masked.matchAll(CALL)) {
    const callee = m[1]!;
    const open = m.index + m[0].length - 1;
    const base = callee.replace(/\..*$/, '').replace(/^[xf]/, '');
    const kind: Kind = base === 'describe' ? 'describe' : base === 'it' || callee === 'fit' ? 'it' : 'test';
    let arg = open + 1;
    while (arg < masked.length && /\s/.test(masked[arg]!)) arg++;
    const quote = masked[arg];
    let name: string | undefined;
    if (quote === "'" || quote === '"') {
      const { value, end } = readString(content, arg);
      // A name built by concatenation is not known until run time.
      if (!/^\s*\+/.test(masked.slice(end, end + 20))) name = value;
    }
    out.push({ kind, callee, at: m.index, open, close: closing(masked, open), name });
  }
  return out;
}

/** Every test of the file, skipped or not, by id: `file > describe… > name`. */
function listTests(file: string, content: string): string[] {
  const all = calls(content);
  const suites = all.filter((c) => c.kind === 'describe');
  const ids: string[] = [];
  for (const c of all) {
    if (c.kind === 'describe' || c.name === undefined) continue;
    const ancestors = suites.filter((s) => s.open < c.at && c.at < s.close);
    if (ancestors.some((s) => s.name === undefined)) continue;
    ids.push([file, ...ancestors.map((s) => s.name!), c.name].join(' > '));
  }
  return [...new Set(ids)];
}

/** Every skipped or focused suite and test made plain: `xtest`, `xit`, `test.skip`, `fit`, `describe.only`… */
function enableAll(_file: string, content: string): string {
  let text = content;
  for (const c of calls(content).reverse()) {
    if (c.callee === c.kind) continue;
    text = text.slice(0, c.at) + c.kind + text.slice(c.at + c.callee.length);
  }
  return text;
}

// ---------------------------------------------------------------------------------------------------------------
// Canaries: one more top-level describe (or test, in a file without one) at the end, asserting with the file's own
// matcher that two different values are equal.


function canary(file: string, content: string, taken: ReadonlySet<string>): { content: string; canary: Canary } {
  const found = calls(content);
  const pool = poolFrom(found.flatMap((c) => (c.name === undefined ? [] : [c.name])));
  const count = (kind: Kind) => found.filter((c) => c.kind === kind).length;
  const testFn = count('it') > count('test') ? 'it' : 'test';
  const matchers = ['toEqual', 'toBe', 'toStrictEqual'].map((m) => [m, content.split(`.${m}(`).length - 1] as const).sort((x, y) => y[1] - x[1]);
  const matcher = matchers[0]![1] > 0 ? matchers[0]![0] : 'toEqual';
  const quote = quoteOf(content);
  // toBe compares objects by identity; numbers and words keep the canary about values.
  const { a, b } = unequalValues(
    matcher === 'toBe' ? { word: (w) => `${quote}${w}${quote}` } : { word: (w) => `${quote}${w}${quote}`, list: (items) => `[${items.join(', ')}]`, record: (k, v) => `{ ${k}: ${v} }` },
  );
  const indent = /^([ \t]+)\S/m.exec(content)?.[1] ?? '  ';
  const suite = count('describe') > 0 ? freshName(() => words(pool, 2, 4).join(' '), content, (s) => `${file} > ${s}`, taken) : undefined;
  const prefix = suite === undefined ? file : `${file} > ${suite}`;
  // Names are lowercase words and spaces only, so the file's quotes need no escaping.
  const name = freshName(() => words(pool, 3, 6).join(' '), content, (s) => `${prefix} > ${s}`, taken);
  const leaf = `${testFn}(${quote}${name}${quote}, () => {\n${indent}expect(${a}).${matcher}(${b});\n});`;
  const text = suite === undefined ? leaf : `describe(${quote}${suite}${quote}, () => {\n${indent}${leaf.replace(/\n/g, `\n${indent}`)}\n});`;
  return {
    content: `${content.replace(/\n*$/, '\n')}\n${text}\n`,
    canary: { file, id: `${prefix} > ${name}`, ...(suite === undefined ? {} : { group: prefix }) },
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Running: jest from the image, with a configuration the grader writes, so the repository's own (package.json's
// `jest`, jest.config.*) has no say; babel-jest still reads the exercise's babel.config.js, which is protected.

// The configuration jest gets: the repository (cwd) is the root, and the test files are named by path
// (--runTestsByPath). A test's default time limit is 15 s, not jest's 5: the grading container has one CPU, and
// parallel-letter-frequency's reference solution starts 50 worker threads in one test. Tests that set their own keep it.
const JEST_CONFIG = JSON.stringify({ testEnvironment: 'node', watchman: false, testTimeout: 15_000 });

function command(ctx: RunContext): { script: string; env: Record<string, string> } {
  const jest = [
    'node', `${IMAGE_MODULES}/jest/bin/jest.js`,
    '--ci', '--runInBand', '--watchman=false', '--forceExit', '--json', `--outputFile=${ctx.graderDir}/${REPORT_FILE}`,
    `--cacheDirectory=${ctx.graderDir}/jest-cache`, `--config=${JEST_CONFIG}`, '--runTestsByPath', '--', ...ctx.files,
  ];
  // Modules in the repository would be found before the image's (a preset, core-js, jest's own packages): they go.
  const script = `rm -rf -- node_modules && ln -sfn ${IMAGE_MODULES} ${MODULES_LINK} && exec ${jest.map(q).join(' ')}`;
  return { script, env: { PATH: '/usr/local/bin:/usr/bin:/bin', HOME: '/workspace', CI: 'true', NODE_ENV: 'test' } };
}

const Report = z.object({
  testResults: z.array(
    z.object({
      name: z.string(),
      status: z.string().optional(),
      message: z.string().optional(),
      assertionResults: z.array(z.object({ ancestorTitles: z.array(z.string()), title: z.string(), status: z.string() })),
    }),
  ),
});

type Status = 'passed' | 'failed' | 'skipped';
const RANK: Record<Status, number> = { skipped: 0, passed: 1, failed: 2 };

async function results(ctx: ResultsContext): Promise<ChannelRead> {
  const raw = await ctx.readFile(`${ctx.graderDir}/${REPORT_FILE}`, REPORT_BYTES + 1);
  if (raw === undefined || raw.length === 0) return { kind: 'none' };
  if (raw.length > REPORT_BYTES) return { kind: 'unreadable', reason: `jest's report is larger than ${REPORT_BYTES} bytes` };
  let report: z.infer<typeof Report>;
  try {
    report = Report.parse(JSON.parse(raw.toString('utf8')));
  } catch (err) {
    return { kind: 'unreadable', reason: `jest's report does not parse: ${(err as Error).message.slice(0, 200)}` };
  }
  const out: Record<string, Status> = {};
  for (const suite of report.testResults) {
    // The report names files by absolute path; the test file is the longest of ours it ends with.
    const file = ctx.files.filter((f) => suite.name === f || suite.name.endsWith(`/${f}`)).sort((x, y) => y.length - x.length)[0];
    if (file === undefined) continue;
    for (const t of suite.assertionResults) {
      const status: Status = t.status === 'passed' ? 'passed' : t.status === 'failed' ? 'failed' : 'skipped';
      const id = [file, ...t.ancestorTitles, t.title].join(' > ');
      // Two tests of one name: a failure of either is the name's result.
      if (out[id] === undefined || RANK[status] > RANK[out[id]]) out[id] = status;
    }
  }
  // No test ran because no test file loaded (a syntax error in the solution, a module it lacks): every test failed.
  if (Object.keys(out).length === 0) {
    const failed = ctx.files.map((f) => report.testResults.find((r) => (r.name === f || r.name.endsWith(`/${f}`)) && r.status === 'failed' && r.assertionResults.length === 0));
    if (ctx.files.length && failed.every((r) => r !== undefined)) return { kind: 'none', buildFailed: failed.map((r) => (r!.message ?? '').trim()).join('\n').split('\n').slice(0, 20).join('\n') };
  }
  return { kind: 'results', results: out };
}

// ---------------------------------------------------------------------------------------------------------------
// The image: the lockfile's node_modules, installed on the host (npm-install.ts) and cached by the lockfile's hash.

const lockfileBytes = () => readFileSync(join(ENV_DIR, 'package-lock.json'));
const lockHash = () => createHash('sha256').update(lockfileBytes()).digest('hex');

/** The installed node_modules for this lockfile, from the cache or installed into it. */
export async function jestModules(log: Log = () => {}): Promise<string> {
  const hash = lockHash();
  const root = process.env.XDG_CACHE_HOME || join(homedir(), '.cache');
  const dir = join(root, 'clade', 'jest-env', hash.slice(0, 16));
  const modules = join(dir, 'node_modules');
  if (existsSync(join(dir, 'complete'))) return modules;
  // Installed beside the cache and moved in whole: an interrupted install never looks complete.
  const staging = `${dir}.partial-${process.pid}`;
  await rm(staging, { recursive: true, force: true });
  await installLocked(ENV_DIR, join(staging, 'node_modules'), log);
  await mkdir(join(staging, 'complete'));
  await rm(dir, { recursive: true, force: true });
  await mkdir(dirname(dir), { recursive: true });
  await rename(staging, dir);
  return modules;
}

async function image(): Promise<EnvImageSpec> {
  return {
    name: 'jest',
    extras: {
      finish: async (rootfs, log) => {
        const modules = await jestModules(log);
        log(`copying ${modules} to ${IMAGE_MODULES}`);
        await cp(modules, join(rootfs, IMAGE_MODULES.slice(1)), { recursive: true, verbatimSymlinks: true });
      },
    },
    inputs: { lockfile: lockHash(), modules: IMAGE_MODULES, link: MODULES_LINK },
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Protection.

// babel-jest reads these: a patch could compile the tests into anything.
const BABEL_CONFIG = /^(babel\.config\.(js|cjs|mjs|json|cts)|\.babelrc(\.(js|cjs|mjs|json|cts))?)$/;
// The grader passes jest its own configuration, but a later runner change must not find a patched one.
const JEST_CONFIG_FILE = /^jest\.config\.(js|cjs|mjs|ts|json)$/;

const protect: LanguageRunner['protect'] = {
  whole: (path) => {
    const parts = path.replace(/\/$/, '').split('/');
    const name = parts[parts.length - 1]!;
    return (
      // Modules found before the image's: a fake preset, core-js or jest package would run before any test.
      parts.includes('node_modules') ||
      // jest mocks a package with the file of that name under a root `__mocks__`, without being asked.
      parts.includes('__mocks__') ||
      BABEL_CONFIG.test(name) ||
      JEST_CONFIG_FILE.test(name) ||
      // package.json holds the `jest` and `babel` sections and `type`, which decides how every file is read.
      name === 'package.json'
    );
  },
  partial: () => undefined,
};

/** Packages the image has at the top of its node_modules (what a file can import besides Node's own modules). */
function imagePackages(): Set<string> {
  const lock = JSON.parse(lockfileBytes().toString('utf8')) as { packages?: Record<string, unknown> };
  return new Set(Object.keys(lock.packages ?? {}).flatMap((p) => (/^node_modules\/((@[^/]+\/)?[^/]+)$/.exec(p)?.[1] ?? []) as string[]));
}

const IMPORT = /(?:\bfrom\s*|\bimport\s*\(?\s*|\brequire\s*\(\s*)(['"])([^'"\n]+)\1/g;

function cannotBuild(files: ReadonlyMap<string, string>): string | undefined {
  const available = imagePackages();
  const builtin = new Set(builtinModules);
  for (const [path, text] of files) {
    if (!/\.(m|c)?js$/.test(path)) continue;
    for (const m of maskCodeKeepingStrings(text).matchAll(IMPORT)) {
      const spec = m[2]!;
      if (spec.startsWith('.') || spec.startsWith('/') || spec.startsWith('node:')) continue;
      const pkg = spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : spec.split('/')[0]!;
      if (builtin.has(pkg) || available.has(pkg)) continue;
      return `${path} imports ${pkg}, which the jest image does not have (bench/languages/javascript-env/package.json)`;
    }
  }
  return undefined;
}

/** The text without comments, strings intact (an import in a comment is no import). */
function maskCodeKeepingStrings(text: string): string {
  const masked = maskCode(text);
  let out = '';
  let last = 0;
  for (const m of masked.matchAll(/(['"])(\s*)\1/g)) {
    out += masked.slice(last, m.index) + text.slice(m.index, m.index + m[0].length);
    last = m.index + m[0].length;
  }
  return out + masked.slice(last);
}

/** The exercise's build files and the test fixtures (grep's data/): a patch may not change them. */
function protectedPaths(files: ReadonlyMap<string, string>): string[] {
  return [...files.keys()].filter((p) => !p.startsWith('.meta/') && (['package.json', 'babel.config.js', '.npmrc'].includes(basename(p)) || p.startsWith('data/')));
}

export const jest: LanguageRunner = { runner: 'jest', language: 'javascript', image, command, results, canary, protect };

export const javascriptPolyglot: PolyglotLanguage = { language: 'javascript', runner: 'jest', listTests, enableAll, cannotBuild, protectedPaths };
