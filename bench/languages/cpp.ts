// C++ (Exercism's C++ track, as the Polyglot benchmark vendors it): Catch2 v2 single-header tests, built with g++
// directly rather than through the exercise's CMakeLists.txt, which names its sources after the folder it sits in
// (`repo` in the grading container). The flags are CMake's for that file: C++17 without extensions, -Wall -Wextra
// -Wpedantic -Werror, Debug (-g) or Release (-O3 -DNDEBUG), Threads and Boost.DateTime when it links them. Results
// come from Catch's XML reporter, written to a file in the grader's folder, never from console text.
import { createHash, randomUUID } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { copyFile, mkdir, rm } from 'node:fs/promises';
import { join, posix } from 'node:path';
import { PROJECT_ROOT } from '../../lib/paths.ts';
import { execa } from 'execa';
import type { ChannelRead } from '../grader/channel.ts';
import { freshName, poolFrom, words, type Spelling, unequalValues } from '../grader/canary-words.ts';
import type { EnvImageSpec, Log } from '../../sandbox/image.ts';
import type { LanguageRunner, PolyglotLanguage, ResultsContext, RunContext } from './language.ts';
import type { Rules } from '../grader/types.ts';

/** Where the image keeps Catch's main compiled ahead of time, one folder per (catch.hpp, tests-main.cpp) pair. */
export const CATCH_PREBUILT = '/opt/clade-catch';
/** The macro the track's test files wrap every test but the first in; Aider's harness defines it. */
export const RUN_ALL = 'EXERCISM_RUN_ALL_TESTS';
const RESULTS_BYTES = 16 * 1024 * 1024;
/** CMake's flags for the exercises' target (CXX_STANDARD 17, CXX_EXTENSIONS OFF, COMPILE_FLAGS) and RUN_ALL. */
const COMMON_FLAGS = `-std=c++17 -Wall -Wextra -Wpedantic -Werror -D${RUN_ALL}`;
const MODE_FLAGS = { debug: '-g', release: '-O3 -DNDEBUG' } as const;

const quote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;
const sha256 = (data: Buffer | string) => createHash('sha256').update(data).digest('hex');
/** The prebuilt main's folder name for a pair of sources; the command computes the same with sha256sum. */
export const catchKey = (catchHpp: Buffer, testsMain: Buffer) => `${sha256(catchHpp)}-${sha256(testsMain)}`;

// ---------------------------------------------------------------------------------------------------------------
// Reading test files: comments blanked, preprocessor branches followed, TEST_CASE names found.

/** The text with comments replaced by spaces (newlines kept), string and character literals left alone. */
function blankComments(text: string): string {
  let out = '';
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    const next = text[i + 1];
    if (c === '/' && next === '/') {
      const end = text.indexOf('\n', i);
      const stop = end === -1 ? text.length : end;
      out += ' '.repeat(stop - i);
      i = stop;
    } else if (c === '/' && next === '*') {
      const end = text.indexOf('*/', i + 2);
      const stop = end === -1 ? text.length : end + 2;
      out += text.slice(i, stop).replace(/[^\n]/g, ' ');
      i = stop;
    } else if (c === '"' || c === "'") {
      let j = i + 1;
      while (j < text.length && text[j] !== c && text[j] !== '\n') j += text[j] === '\\' ? 2 : 1;
      out += text.slice(i, j + 1);
      i = j + 1;
    } else {
      out += c;
      i++;
    }
  }
  return out;
}

interface Branch {
  /** This branch's lines are compiled. */
  active: boolean;
  /** Some branch of this #if was taken already. */
  taken: boolean;
  /** The enclosing region is compiled. */
  outer: boolean;
}

/**
 * Which lines the compiler sees, with every test enabled: RUN_ALL is defined, other EXERCISM_ and CATCH_ switches are
 * not (the benchmark and system-Catch builds), `#define`/`#undef` in compiled lines count, and a condition this cannot
 * evaluate counts as true. Returns the text with the lines it drops blanked, and each line's #if depth.
 */
function activeText(text: string): { text: string; depth: number[] } {
  const defined = new Set([RUN_ALL]);
  const isDefined = (name: string) => defined.has(name);
  const evaluate = (expr: string): boolean => {
    const e = expr.trim();
    if (/^0+$/.test(e)) return false;
    if (/^\d+$/.test(e)) return true;
    const m = /^(!?)\s*defined\s*(?:\(\s*(\w+)\s*\)|\s(\w+))$/.exec(e);
    if (m) return isDefined(m[2] ?? m[3]!) !== (m[1] === '!');
    const bare = /^(\w+)$/.exec(e);
    if (bare && /^(EXERCISM_|CATCH_)/.test(bare[1]!)) return isDefined(bare[1]!);
    return true;
  };
  const stack: Branch[] = [];
  const live = () => stack.every((b) => b.active);
  const lines = text.split('\n');
  const depth: number[] = [];
  const out = lines.map((line) => {
    const directive = /^\s*#\s*(\w+)\s*(.*?)\s*$/.exec(line);
    depth.push(stack.length);
    if (!directive) return live() ? line : '';
    const [, word, rest] = directive as unknown as [string, string, string];
    switch (word) {
      case 'if':
      case 'ifdef':
      case 'ifndef': {
        const outer = live();
        const name = rest.split(/\s/)[0] ?? '';
        const cond = word === 'if' ? evaluate(rest) : word === 'ifdef' ? isDefined(name) : !isDefined(name);
        stack.push({ active: outer && cond, taken: cond, outer });
        return '';
      }
      case 'elif': {
        const top = stack[stack.length - 1];
        if (top) {
          const cond = !top.taken && evaluate(rest);
          top.active = top.outer && cond;
          top.taken ||= cond;
        }
        return '';
      }
      case 'else': {
        const top = stack[stack.length - 1];
        if (top) {
          top.active = top.outer && !top.taken;
          top.taken = true;
        }
        return '';
      }
      case 'endif':
        stack.pop();
        return '';
      case 'define':
        if (live()) defined.add(rest.split(/[\s(]/)[0]!);
        return '';
      case 'undef':
        if (live()) defined.delete(rest.split(/\s/)[0]!);
        return '';
      default:
        return live() ? line : '';
    }
  });
  return { text: out.join('\n'), depth };
}

/** A run of adjacent C string literals ("a" "b"), as the string it makes; undefined if it is not one. */
function cString(literals: string): string | undefined {
  let out = '';
  const re = /\s*"((?:[^"\\\n]|\\.)*)"/gy;
  let m: RegExpExecArray | null;
  let end = 0;
  while ((m = re.exec(literals))) {
    end = re.lastIndex;
    out += m[1]!.replace(/\\(x[0-9a-fA-F]+|[0-7]{1,3}|.)/g, (_, e: string) => {
      const simple: Record<string, string> = { n: '\n', t: '\t', r: '\r', '0': '\0', a: '\x07', b: '\b', f: '\f', v: '\v' };
      if (e[0] === 'x') return String.fromCharCode(parseInt(e.slice(1), 16));
      if (/^[0-7]+$/.test(e)) return String.fromCharCode(parseInt(e, 8));
      return simple[e] ?? e;
    });
  }
  return end > 0 && literals.slice(end).trim() === '' ? out : undefined;
}

const STRING_RUN = String.raw`(?:\s*"(?:[^"\\\n]|\\.)*")+`;
// TEST_CASE("name"[, "tags"]), TEST_CASE_METHOD(Fixture, "name"[, "tags"]), SCENARIO("name"[, "tags"]).
const TEST_MACRO = new RegExp(String.raw`\b(TEST_CASE|TEST_CASE_METHOD|SCENARIO)\s*\(\s*(?:\w[\w:<>, ]*?\s*,\s*)?(${STRING_RUN})\s*(?:,\s*(${STRING_RUN})\s*)?\)`, 'g');

interface FoundTest {
  name: string;
  tags: string | undefined;
  index: number;
  hidden: boolean;
}

/** The test cases of a file's text as Catch names them (trimmed; SCENARIO adds its prefix). */
function findTests(text: string): FoundTest[] {
  const out: FoundTest[] = [];
  for (const m of text.matchAll(TEST_MACRO)) {
    const raw = cString(m[2]!);
    if (raw === undefined) continue;
    const tags = m[3] === undefined ? undefined : cString(m[3]);
    const name = (m[1] === 'SCENARIO' ? `Scenario: ${raw}` : raw).trim();
    // Catch leaves out tests tagged [.], [!hide] or [.something] unless asked for them by name.
    const hidden = /\[(\.|!hide)[^\]]*\]/.test(tags ?? '') || name.startsWith('./');
    out.push({ name, tags, index: m.index, hidden });
  }
  return out;
}

function testsOf(content: string): FoundTest[] {
  return findTests(activeText(blankComments(content)).text);
}

// ---------------------------------------------------------------------------------------------------------------
// Catch's XML report.

const ENTITIES: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

function decodeXml(s: string): string {
  return s.replace(/&(#x[0-9a-fA-F]+|#\d+|\w+);/g, (all, e: string) => {
    if (e.startsWith('#x')) return String.fromCodePoint(parseInt(e.slice(2), 16));
    if (e.startsWith('#')) return String.fromCodePoint(parseInt(e.slice(1), 10));
    return ENTITIES[e] ?? all;
  });
}

function attributes(text: string): Record<string, string> | undefined {
  const out: Record<string, string> = {};
  const re = /\s*([\w:.-]+)\s*=\s*(?:"([^"]*)"|'([^']*)')/gy;
  let end = 0;
  let m: RegExpExecArray | null;
  while ((m = re.exec(text))) {
    out[m[1]!] = decodeXml(m[2] ?? m[3] ?? '');
    end = re.lastIndex;
  }
  return text.slice(end).trim() === '' ? out : undefined;
}

/**
 * Catch's XML report as test name → passed/failed: each TestCase's OverallResult. Throws on anything that is not a
 * whole, well-nested document (a run cut off mid-report is no report).
 */
export function parseCatchXml(xml: string): Map<string, 'passed' | 'failed'> {
  const results = new Map<string, 'passed' | 'failed'>();
  const stack: Array<{ name: string; attrs: Record<string, string>; result?: string }> = [];
  let sawRoot = false;
  // Catch leaves ">" unescaped inside attribute values, so a tag ends at the first ">" outside quotes.
  const tag = /<(\?[\s\S]*?\?>|!--[\s\S]*?-->|!\[CDATA\[[\s\S]*?\]\]>|\/?[\w:.-]+(?:[^<>"']|"[^"<]*"|'[^'<]*')*>)/g;
  let last = 0;
  let m: RegExpExecArray | null;
  while ((m = tag.exec(xml))) {
    if (xml.slice(last, m.index).includes('<')) throw new Error(`a stray "<" before offset ${m.index}`);
    last = tag.lastIndex;
    const body = m[1]!;
    if (body.startsWith('?') || body.startsWith('!')) continue;
    if (body.startsWith('/')) {
      const name = body.slice(1, -1).trim();
      const open = stack.pop();
      if (!open || open.name !== name) throw new Error(`</${name}> closes ${open ? `<${open.name}>` : 'nothing'}`);
      if (name === 'TestCase') {
        const testName = open.attrs.name;
        if (testName === undefined) throw new Error('a TestCase without a name');
        if (open.result === undefined) throw new Error(`TestCase "${testName}" has no OverallResult`);
        const status = open.result === 'true' ? 'passed' : 'failed';
        if (results.get(testName) !== 'failed') results.set(testName, status);
      }
      continue;
    }
    const selfClosing = body.endsWith('/>');
    const inner = body.slice(0, selfClosing ? -2 : -1);
    const name = /^[\w:.-]+/.exec(inner)![0];
    const attrs = attributes(inner.slice(name.length));
    if (!attrs) throw new Error(`<${name}> has malformed attributes`);
    if (stack.length === 0) {
      if (sawRoot) throw new Error('more than one root element');
      sawRoot = true;
    }
    if (name === 'OverallResult') {
      const parent = stack[stack.length - 1];
      if (parent?.name === 'TestCase') parent.result = attrs.success;
    }
    if (!selfClosing) stack.push({ name, attrs });
  }
  if (xml.slice(last).includes('<')) throw new Error('a stray "<" at the end');
  if (!sawRoot) throw new Error('no XML element');
  if (stack.length) throw new Error(`cut off inside <${stack[stack.length - 1]!.name}>`);
  return results;
}

// ---------------------------------------------------------------------------------------------------------------
// The runner.

/** The solution source CMake compiles with a test file: `<name>.cpp` beside `<name>_test.cpp`. */
const solutionOf = (testFile: string) => testFile.replace(/_test\.cpp$/, '.cpp');
const resultsFile = (graderDir: string, i: number) => `${graderDir}/catch-${i}.xml`;

function command(ctx: RunContext): { script: string; env?: Record<string, string> } {
  const g = quote(ctx.graderDir);
  // One binary per test file, each with its own report: a file that does not compile costs only its own tests.
  const perFile = ctx.files.map((file, i) => {
    const dir = posix.dirname(file);
    const sol = solutionOf(file);
    return `build_and_run ${i} ${quote(file)} ${quote(dir)} ${sol === file ? "''" : quote(sol)}`;
  });
  const script = `set -u
G=${g}
status=0
build_and_run() {
  local i=$1 file=$2 dir=$3 sol=$4 mode=debug libs='' main='' srcs
  local cm="$dir/CMakeLists.txt" hpp="$dir/test/catch.hpp" tm="$dir/test/tests-main.cpp"
  if [ -f "$cm" ]; then
    grep -Eq '^[[:space:]]*set[[:space:]]*\\([[:space:]]*CMAKE_BUILD_TYPE[[:space:]]+Release' "$cm" && mode=release
    grep -q 'Threads::Threads' "$cm" && libs="$libs -pthread"
    grep -q 'Boost::date_time' "$cm" && libs="$libs -lboost_date_time"
  fi
  local flags="${COMMON_FLAGS} $( [ $mode = release ] && echo '${MODE_FLAGS.release}' || echo '${MODE_FLAGS.debug}' )"
  if [ -f "$tm" ]; then
    # Catch's main takes half a minute to compile; the image holds it prebuilt for the sources it knows, by hash.
    local key="$(sha256sum < "$hpp" 2>/dev/null | cut -c1-64)-$(sha256sum < "$tm" | cut -c1-64)"
    if [ -f "${CATCH_PREBUILT}/$key/$mode.o" ]; then main="${CATCH_PREBUILT}/$key/$mode.o"
    else g++ $flags -c "$tm" -o "$G/tests-main-$i.o" || { : > "$G/build-failed-$i"; return 1; }; main="$G/tests-main-$i.o"; fi
  fi
  srcs="$file"
  [ -n "$sol" ] && [ -f "$sol" ] && srcs="$srcs $sol"
  # The test file's object first: where inline code of Catch is in several objects, the linker keeps the first.
  # A marker, not a result: a file that did not compile has every test failed (results() says so), not an error.
  g++ $flags $srcs $main -o "$G/catch-bin-$i" $libs || { : > "$G/build-failed-$i"; return 1; }
  "$G/catch-bin-$i" --order decl --use-colour no -r xml -o "$G/catch-$i.xml"
  return 0
}
${perFile.map((l) => `${l} || status=1`).join('\n')}
exit $status
`;
  return { script, env: { PATH: '/usr/local/bin:/usr/bin:/bin', HOME: '/workspace', LANG: 'C.UTF-8' } };
}

async function results(ctx: ResultsContext): Promise<ChannelRead> {
  const out: Record<string, 'passed' | 'failed' | 'skipped'> = {};
  let any = false;
  for (const [i, file] of ctx.files.entries()) {
    const raw = await ctx.readFile(resultsFile(ctx.graderDir, i), RESULTS_BYTES);
    if (raw === undefined) continue;
    if (raw.length >= RESULTS_BYTES) return { kind: 'unreadable', reason: `${file}: Catch's report is larger than ${RESULTS_BYTES} bytes` };
    let parsed: Map<string, 'passed' | 'failed'>;
    try {
      parsed = parseCatchXml(raw.toString('utf8'));
    } catch (err) {
      return { kind: 'unreadable', reason: `${file}: Catch's XML report does not parse: ${(err as Error).message}` };
    }
    any = true;
    for (const [name, status] of parsed) out[`${file} > ${name}`] = status;
  }
  if (any) return { kind: 'results', results: out };
  // Every file failed to compile: a grade (all tests failed), with g++'s last words for the report.
  const failed = await Promise.all(ctx.files.map((_f, i) => ctx.readFile(`${ctx.graderDir}/build-failed-${i}`, 16)));
  if (ctx.files.length && failed.every((f) => f !== undefined)) return { kind: 'none', buildFailed: ctx.run.stderr.trimEnd().split('\n').slice(-20).join('\n') };
  return { kind: 'none' };
}

/** Two different values of one type, spelled so that only the standard library is needed. */
const CPP_VALUES: Spelling = { word: (w) => `std::string("${w}")`, list: (items) => `std::vector<int>{${items.join(', ')}}` };

/**
 * A TEST_CASE named like the file's others (spaces or underscores, with a UUID tag when they have one), asserting
 * with the file's own macro that two different values are equal. It goes before the file's first test, so that it
 * runs first: a later test that crashes the binary ends the run, and must not take the canary with it.
 */
function canary(file: string, content: string, taken: ReadonlySet<string>) {
  const tests = findTests(blankComments(content));
  const names = tests.map((t) => t.name);
  const pool = poolFrom(names);
  const spaced = names.filter((n) => n.includes(' ')).length > names.length / 2;
  const uuidTags = tests.filter((t) => /^\[[0-9a-f-]{36}\]$/.test(t.tags ?? '')).length > tests.length / 2;
  const requires = content.split(/\bREQUIRE\s*\(/).length;
  const checks = content.split(/\bCHECK\s*\(/).length;
  const macro = checks > requires ? 'CHECK' : 'REQUIRE';
  const indent = /^([ \t]+)(?:REQUIRE|CHECK)/m.exec(content)?.[1] ?? '    ';
  const name = freshName(() => words(pool, 3, 6).join(spaced ? ' ' : '_'), content, (n) => `${file} > ${n}`, taken);
  const { a, b } = unequalValues(CPP_VALUES);
  const tagArg = uuidTags ? `, "[${randomUUID()}]"` : '';
  const text = `TEST_CASE("${name}"${tagArg}) {\n${indent}${macro}(${a} == ${b});\n}\n\n`;
  // The first test at the top level (not inside an #if), after the includes and helpers it may need.
  const { depth } = activeText(blankComments(content));
  const lines = content.split('\n');
  let at = lines.findIndex((line, i) => depth[i] === 0 && /^\s*(TEST_CASE|TEST_CASE_METHOD|SCENARIO)\s*\(/.test(line));
  let out: string;
  if (at === -1) {
    out = content.replace(/\n*$/, '\n\n') + text.replace(/\n+$/, '\n');
  } else {
    // Above the comment lines that introduce that test.
    while (at > 0 && /^\s*\/\//.test(lines[at - 1]!)) at--;
    out = [...lines.slice(0, at), text + (lines[at] ?? ''), ...lines.slice(at + 1)].join('\n');
  }
  return { content: out, canary: { file, id: `${file} > ${name}` } };
}

const isUnder = (path: string, dir: string) => path === dir || path.startsWith(`${dir}/`);

/**
 * What a patch may not change: the vendored Catch and its main (`test/`, at any depth: a patched catch.hpp decides
 * every assertion), and CMakeLists.txt, which the command reads for the build type and libraries.
 */
export const CPP_RULES: Rules = {
  whole: (path) => {
    const p = path.replace(/\/$/, '');
    return p.split('/').includes('test') || posix.basename(p) === 'CMakeLists.txt' || p.endsWith('.cmake');
  },
  partial: () => undefined,
};

// ---------------------------------------------------------------------------------------------------------------
// The image.

/**
 * Every distinct (catch.hpp, tests-main.cpp) pair of a Polyglot checkout, if one is at $CLADE_POLYGLOT_DIR or beside
 * the project (shared/polyglot-benchmark), for prebuilding Catch's main. Without one the image has none, and each run
 * compiles it (half a minute).
 */
function catchSources(): Array<{ key: string; catchHpp: string; testsMain: string }> {
  const roots = [process.env.CLADE_POLYGLOT_DIR, join(PROJECT_ROOT, '..', 'shared', 'polyglot-benchmark')].filter((r): r is string => !!r);
  const root = roots.find((r) => existsSync(join(r, 'cpp', 'exercises', 'practice')));
  if (!root) return [];
  const practice = join(root, 'cpp', 'exercises', 'practice');
  const found = new Map<string, { key: string; catchHpp: string; testsMain: string }>();
  for (const name of readdirSync(practice).sort()) {
    const catchHpp = join(practice, name, 'test', 'catch.hpp');
    const testsMain = join(practice, name, 'test', 'tests-main.cpp');
    if (!existsSync(catchHpp) || !existsSync(testsMain)) continue;
    const key = catchKey(readFileSync(catchHpp), readFileSync(testsMain));
    if (!found.has(key)) found.set(key, { key, catchHpp, testsMain });
  }
  return [...found.values()];
}

async function image(): Promise<EnvImageSpec> {
  const sources = catchSources();
  return {
    name: 'cpp',
    extras: {
      // g++ 12; Boost.DateTime for gigasecond and meetup (their CMakeLists link it). No cmake: see the header.
      packages: ['g++', 'libboost-date-time-dev'],
      finish: async (rootfs: string, log: Log) => {
        for (const s of sources) {
          // Compiled by the image's own g++ (in a chroot), from the same sources with the same flags as a run would.
          const work = join(rootfs, 'tmp', `clade-catch-${s.key.slice(0, 12)}`);
          await mkdir(join(work, 'test'), { recursive: true });
          await copyFile(s.catchHpp, join(work, 'test', 'catch.hpp'));
          await copyFile(s.testsMain, join(work, 'test', 'tests-main.cpp'));
          await mkdir(join(rootfs, CATCH_PREBUILT.slice(1), s.key), { recursive: true });
          for (const [mode, flags] of Object.entries(MODE_FLAGS)) {
            log(`prebuilding Catch's main (${mode}) for ${s.key.slice(0, 12)}`);
            const inside = `/tmp/clade-catch-${s.key.slice(0, 12)}`;
            const cmd = `cd ${inside} && g++ ${COMMON_FLAGS} ${flags} -c test/tests-main.cpp -o ${CATCH_PREBUILT}/${s.key}/${mode}.o`;
            await execa('chroot', [rootfs, '/bin/sh', '-c', cmd]);
          }
          await rm(work, { recursive: true, force: true });
        }
      },
    },
    inputs: { recipe: 1, flags: [COMMON_FLAGS, MODE_FLAGS], prebuilt: sources.map((s) => s.key) },
  };
}

export const catch2: LanguageRunner = {
  runner: 'catch2',
  language: 'cpp',
  image,
  command,
  results,
  canary,
  protect: CPP_RULES,
};

// ---------------------------------------------------------------------------------------------------------------
// Polyglot hooks.

// The headers g++ and libc bring; anything else (besides Boost, whose headers the image has) is a library it lacks.
const STD_HEADERS = new Set(
  (
    'algorithm any array atomic barrier bit bitset cassert cctype cerrno cfenv cfloat charconv chrono cinttypes climits clocale cmath ' +
    'codecvt compare complex concepts condition_variable coroutine csetjmp csignal cstdarg cstddef cstdint cstdio cstdlib cstring ' +
    'ctime cuchar cwchar cwctype deque exception execution expected filesystem format forward_list fstream functional future ' +
    'initializer_list iomanip ios iosfwd iostream istream iterator latch limits list locale map memory memory_resource mutex new ' +
    'numbers numeric optional ostream queue random ranges ratio regex scoped_allocator semaphore set shared_mutex source_location ' +
    'span sstream stack stdexcept stop_token streambuf string string_view syncstream system_error thread tuple type_traits typeindex ' +
    'typeinfo unordered_map unordered_set utility valarray variant vector version'
  ).split(' '),
);
/** find_package names the image satisfies: Threads (libc), Boost (date_time only); Catch2 is the system-Catch branch. */
const PACKAGES_PRESENT = new Set(['Threads', 'Boost', 'Catch2', 'TBB']);
const BOOST_COMPONENTS = new Set(['date_time']);

function cannotBuild(files: ReadonlyMap<string, string>): string | undefined {
  for (const [path, text] of files) {
    if (posix.basename(path) !== 'CMakeLists.txt') continue;
    for (const m of blankCmakeComments(text).matchAll(/\bfind_package\s*\(([^)]*)\)/gi)) {
      const args = m[1]!.trim().split(/\s+/);
      const pkg = args[0]!;
      if (!PACKAGES_PRESENT.has(pkg)) {
        if (args.includes('REQUIRED')) return `${path} needs the CMake package ${pkg}, which the C++ image lacks`;
        continue;
      }
      if (pkg !== 'Boost') continue;
      const at = args.findIndex((a) => a === 'COMPONENTS' || a === 'REQUIRED');
      const components = at === -1 ? [] : args.slice(at + 1).filter((a) => !/^(REQUIRED|COMPONENTS|OPTIONAL_COMPONENTS)$/.test(a));
      const missing = components.filter((c) => !BOOST_COMPONENTS.has(c));
      if (missing.length) return `${path} links Boost.${missing.join(', Boost.')}; the C++ image has only Boost.DateTime's library`;
    }
  }
  for (const [path, text] of files) {
    if (!/\.(cpp|cc|cxx|h|hpp|hh)$/.test(path) || posix.basename(path) === 'catch.hpp') continue;
    const active = activeText(blankComments(text)).text;
    for (const m of active.matchAll(/^\s*#\s*include\s*<([^>]+)>/gm)) {
      const header = m[1]!.trim();
      if (STD_HEADERS.has(header) || header.startsWith('boost/')) continue;
      // C headers (<math.h>, <sys/types.h>, <pthread.h>) are libc's.
      if (/^\w+\.h$/.test(header) || /^(sys|bits|arpa|netinet|net)\/[\w/]+\.h$/.test(header)) continue;
      return `${path} includes <${header}>, which the C++ image does not have`;
    }
  }
  return undefined;
}

/** The exercise's editor files (read-only helpers the solution builds on), from .meta/config.json. */
function editorFiles(files: ReadonlyMap<string, string>): string[] {
  const text = files.get('.meta/config.json');
  if (text === undefined) return [];
  try {
    const editor = (JSON.parse(text) as { files?: { editor?: unknown } }).files?.editor;
    return Array.isArray(editor) ? editor.filter((e): e is string => typeof e === 'string') : [];
  } catch {
    return [];
  }
}

const blankCmakeComments = (text: string) => text.replace(/#[^\n]*/g, '');

export const cppPolyglot: PolyglotLanguage = {
  language: 'cpp',
  runner: 'catch2',
  listTests: (file, content) => testsOf(content).filter((t) => !t.hidden).map((t) => `${file} > ${t.name}`),
  // Defined at the top, as `cmake -DEXERCISM_RUN_ALL_TESTS=ON` would; the command defines it too, hence the guard.
  enableAll: (_file, content) => `#ifndef ${RUN_ALL}\n#define ${RUN_ALL}\n#endif\n${content}`,
  cannotBuild,
  protectedPaths: (files) => {
    const own = [...files.keys()].filter((p) => !isUnder(p, '.meta') && !isUnder(p, '.docs') && !isUnder(p, '.approaches') && CPP_RULES.whole(p, []));
    return [...new Set([...own, ...editorFiles(files)])].sort();
  },
};
