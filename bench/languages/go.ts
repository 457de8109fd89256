// Go: the hidden tests run with `go test -json` (Debian bookworm's Go 1.19), whose test2json stream is the structured
// output. Ids are `<file> > TestXxx` for each top-level test function; subtests are recorded below it as
// `<file> > TestXxx > sub`. The stream names tests but not files, so the hidden test texts map names to files.
import { posix } from 'node:path';
import { z } from 'zod';
import type { ChannelRead } from '../grader/channel.ts';
import { camel, freshName, poolFrom, words, unequalValues } from '../grader/canary-words.ts';
import type { LanguageRunner, PolyglotLanguage, ResultsContext, RunContext } from './language.ts';
import type { Canary } from '../grader/types.ts';

/** The newest `go` directive Go 1.19 builds; a newer one may use language features or go.mod syntax it lacks. */
const GO_VERSION: [number, number] = [1, 19];
/** The test2json stream of a large suite stays far below this; more is a flood, read no further. */
const STREAM_BYTES = 32 * 1024 * 1024;
const STREAM_FILE = 'go-test.json';
/** Standard library packages added after Go 1.19. */
const NEWER_STD = ['slices', 'maps', 'cmp', 'log/slog', 'iter', 'math/rand/v2', 'unique', 'structs', 'weak', 'crypto/ecdh', 'testing/slogtest'];

const q = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;
const tail = (text: string) => text.trimEnd().split('\n').slice(-20).join('\n');

// A top-level test as `go test` finds it: `func TestXxx(t *testing.T)`, Xxx empty or not starting with a lower-case
// letter (go/doc's isTest). The package may import testing under another name, hence any `*pkg.T`.
const TEST_FUNC = /^func\s+(Test(?![\p{Ll}])[\p{L}\p{N}_]*)\s*\(\s*[\p{L}_][\p{L}\p{N}_]*\s+\*\s*[\p{L}_][\p{L}\p{N}_]*\.T\s*\)/gmu;

function testNames(content: string): string[] {
  return [...new Set([...content.matchAll(TEST_FUNC)].map((m) => m[1]!))];
}

// One event of the test2json stream (cmd/internal/test2json); other fields are ignored.
const Event = z.object({
  Action: z.string(),
  Package: z.string().optional(),
  Test: z.string().optional(),
});

type Status = 'passed' | 'failed' | 'skipped';

/** The go command's own line for a package it could not build or set up (plain text even under -json in Go 1.19). */
const BUILD_FAILED = /^FAIL\s+\S+\s+\[(build|setup) failed\]$/;

/**
 * Each test's status from the stream. Go 1.19's test2json reads the test binary's text output, so a test that prints
 * `--- PASS: TestX` makes a pass event; a fail event therefore always wins over a pass, and a test that started but
 * never ended (a panic that killed the binary, a timeout) is failed.
 */
export function parseStream(text: string): { kind: 'events'; statuses: Map<string, Status> } | { kind: 'none'; buildFailed?: string } | { kind: 'unreadable'; reason: string } {
  const statuses = new Map<string, Status | 'running'>();
  let events = 0;
  const lines = text.split('\n');
  for (const [i, raw] of lines.entries()) {
    const line = raw.trim();
    // The go command itself may print a plain line (a build failure's summary); only JSON lines are events.
    if (!line.startsWith('{')) continue;
    let event: z.infer<typeof Event>;
    try {
      event = Event.parse(JSON.parse(line));
    } catch (err) {
      // The last line of a killed run may be cut off mid-object; any other bad line means the stream is not test2json's.
      if (i === lines.length - 1) continue;
      return { kind: 'unreadable', reason: `line ${i + 1} of the go test -json stream is not an event: ${(err as Error).message.slice(0, 160)}` };
    }
    events++;
    const name = event.Test;
    if (!name) continue;
    const was = statuses.get(name);
    if (event.Action === 'fail') statuses.set(name, 'failed');
    else if (was === 'failed') continue;
    else if (event.Action === 'pass') statuses.set(name, 'passed');
    else if (event.Action === 'skip') statuses.set(name, 'skipped');
    else if (event.Action === 'run' && was === undefined) statuses.set(name, 'running');
  }
  if (events === 0) {
    // Go 1.19 reports a package that did not compile as one plain line, `FAIL\t<pkg> [build failed]`: no results.
    const plain = lines.map((l) => l.trim()).filter((l) => l !== '');
    if (plain.length === 0) return { kind: 'none' };
    if (plain.every((l) => BUILD_FAILED.test(l))) return { kind: 'none', buildFailed: plain.join('\n') };
    return { kind: 'unreadable', reason: 'the go test -json output holds no test2json events' };
  }
  const out = new Map<string, Status>();
  for (const [name, status] of statuses) out.set(name, status === 'running' ? 'failed' : status);
  return { kind: 'events', statuses: out };
}

/** Test name → the hidden test file that declares it (the first, if two packages both do). */
function fileOfTest(files: readonly string[], tests: Readonly<Record<string, string>>): Map<string, string> {
  const out = new Map<string, string>();
  for (const file of files) for (const name of testNames(tests[file] ?? '')) if (!out.has(name)) out.set(name, file);
  return out;
}

async function results(ctx: ResultsContext): Promise<ChannelRead> {
  const raw = await ctx.readFile(posix.join(ctx.graderDir, STREAM_FILE), STREAM_BYTES + 1);
  if (raw === undefined) return { kind: 'none' };
  if (raw.length > STREAM_BYTES) return { kind: 'unreadable', reason: `the go test -json stream is larger than ${STREAM_BYTES} bytes` };
  const parsed = parseStream(raw.toString('utf8'));
  // The compiler's errors go to stderr; the stream says only which package failed to build.
  if (parsed.kind === 'none' && parsed.buildFailed) return { kind: 'none', buildFailed: `${parsed.buildFailed}\n${tail(ctx.run.stderr)}`.trim() };
  if (parsed.kind !== 'events') return parsed;
  const files = fileOfTest(ctx.files, ctx.tests);
  const out: Record<string, Status> = {};
  for (const [name, status] of parsed.statuses) {
    const [top, ...sub] = name.split('/');
    // Tests of other test files in the package (a step's tests kept in the repository) are not the task's to grade.
    const file = files.get(top!);
    if (!file) continue;
    out[[file, top, ...sub].join(' > ')] = status;
  }
  return { kind: 'results', results: out };
}

function command(ctx: RunContext): { script: string; env: Record<string, string> } {
  const g = ctx.graderDir;
  // One `go test` over every package that holds a hidden test file (Polyglot's exercises are one package each).
  const packages = [...new Set(ctx.files.map((f) => posix.dirname(f)))].map((d) => (d === '.' ? '.' : `./${d}`));
  // -count=1: no cached results. -vet=off: grading is about behaviour (Aider's harness ran vet; a vet complaint there
  // failed the whole package). Exit status is ignored: the stream says what passed.
  const script = `mkdir -p ${q(`${g}/gocache`)} ${q(`${g}/gopath`)} ${q(`${g}/tmp`)} && go test -json -count=1 -vet=off -p=1 ${packages.map(q).join(' ')} > ${q(`${g}/${STREAM_FILE}`)}; true`;
  return {
    script,
    env: {
      PATH: '/usr/lib/go-1.19/bin:/usr/local/bin:/usr/bin:/bin',
      HOME: '/workspace',
      GOCACHE: `${g}/gocache`,
      GOPATH: `${g}/gopath`,
      GOMODCACHE: `${g}/gopath/pkg/mod`,
      // The test binary is built and run from here: the sandbox's /tmp is mounted noexec.
      GOTMPDIR: `${g}/tmp`,
      // Nothing is fetched, no go.work or user go env file steers the build, and no C compiler is in the image.
      GOPROXY: 'off',
      GOSUMDB: 'off',
      GOFLAGS: '',
      GOWORK: 'off',
      GOENV: 'off',
      GO111MODULE: 'on',
      CGO_ENABLED: '0',
      GOTOOLCHAIN: 'local',
    },
  };
}


function canary(file: string, content: string, taken: ReadonlySet<string>): { content: string; canary: Canary } {
  const pool = poolFrom(testNames(content).map((n) => n.slice(4).replace(/([a-z])([A-Z])/g, '$1 $2')));
  // The file's own spelling: the *testing.T parameter's name and package, the failing call it uses most.
  const sig = /^func\s+Test\w*\s*\(\s*(\w+)\s+\*\s*(\w+)\.T\s*\)/m.exec(content);
  const t = sig?.[1] ?? 't';
  const testing = sig?.[2] ?? 'testing';
  const fail = content.split(`${t}.Errorf(`).length > content.split(`${t}.Fatalf(`).length ? 'Errorf' : 'Fatalf';
  const reflectName = /^\s*(?:import\s+)?(?:(\w+)\s+)?"reflect"\s*$/m.exec(content);
  const deepEqual = reflectName && reflectName[1] !== '_' && reflectName[1] !== '.' ? `${reflectName[1] ?? 'reflect'}.DeepEqual` : undefined;
  // Slices compare only through reflect.DeepEqual, so they are drawn only where the file imports reflect.
  const pair = unequalValues({ word: (w) => JSON.stringify(w), list: deepEqual ? (items) => `[]int{${items.join(', ')}}` : undefined });
  const name = freshName(() => `Test${camel(words(pool, 2, 4))}`, content, (n) => `${file} > ${n}`, taken);
  const [gotVar, wantVar] = content.includes('expected') ? ['actual', 'expected'] : ['got', 'want'];
  const differ = pair.kind === 'list' ? `!${deepEqual}(${gotVar}, ${wantVar})` : `${gotVar} != ${wantVar}`;
  const text =
    `\nfunc ${name}(${t} *${testing}.T) {\n` +
    `\t${gotVar} := ${pair.a}\n` +
    `\t${wantVar} := ${pair.b}\n` +
    `\tif ${differ} {\n` +
    `\t\t${t}.${fail}("${words(pool, 2, 3).join(' ')}: got %v, want %v", ${gotVar}, ${wantVar})\n` +
    `\t}\n` +
    `}\n`;
  // Before the file's first test: a test that panics ends the whole test binary, and the tests after it never run.
  // Placed first, the canary has run whenever any test of its file did.
  const first = new RegExp(TEST_FUNC.source, 'mu').exec(content);
  const at = first ? content.lastIndexOf('\n', first.index) + 1 : -1;
  const placed = at > 0 ? content.slice(0, at) + text.slice(1) + '\n' + content.slice(at) : content.replace(/\n*$/, '\n') + text;
  return { content: placed, canary: { file, id: `${file} > ${name}` } };
}

/** A path's last segment. */
const base = (path: string) => posix.basename(path.replace(/\/+$/, ''));

export const goTest: LanguageRunner = {
  runner: 'go-test',
  language: 'go',
  image: async () => ({
    name: 'go',
    // golang-go is Go 1.19 with its standard library's sources; gcc (only a recommendation) stays out, so cgo is off.
    extras: { packages: ['golang-go'], changes: ['ENV GOPROXY=off', 'ENV GOSUMDB=off', 'ENV CGO_ENABLED=0', 'ENV GOTOOLCHAIN=local'] },
    inputs: { recipe: 1 },
  }),
  command,
  results,
  canary,
  protect: {
    whole: (path) => {
      const name = base(path);
      // go.mod/go.sum/go.work decide the module, its dependencies and the language version; a go.work would also pull
      // in other folders. vendor/ holds dependencies' sources, and modules.txt decides they are used.
      if (/^go\.(mod|sum|work|work\.sum)$/.test(name)) return true;
      if (path.replace(/\/+$/, '').split('/').includes('vendor')) return true;
      // Every _test.go file compiles into the test binary: the hidden tests, the exercise's test data (cases_test.go),
      // and any file a patch adds with an init() or a TestMain that wraps the run.
      if (name.endsWith('_test.go')) return true;
      // Object files linked into the package as they are: nobody can review them.
      if (name.endsWith('.syso')) return true;
      return false;
    },
    partial: () => undefined,
  },
};

const Config = z.object({ files: z.object({ test: z.array(z.string()).optional(), editor: z.array(z.string()).optional(), invalidator: z.array(z.string()).optional() }).passthrough() }).passthrough();

function exerciseConfig(files: ReadonlyMap<string, string>): z.infer<typeof Config>['files'] | undefined {
  const text = files.get('.meta/config.json');
  if (text === undefined) return undefined;
  try {
    return Config.parse(JSON.parse(text)).files;
  } catch {
    return undefined;
  }
}

function cannotBuild(files: ReadonlyMap<string, string>): string | undefined {
  const gomod = files.get('go.mod');
  if (gomod === undefined) return 'it has no go.mod, so go test cannot tell its module';
  const version = /^go\s+(\d+)\.(\d+)/m.exec(gomod);
  if (version && (Number(version[1]) > GO_VERSION[0] || (Number(version[1]) === GO_VERSION[0] && Number(version[2]) > GO_VERSION[1]))) {
    return `its go.mod asks for Go ${version[1]}.${version[2]}, and the image has Go ${GO_VERSION.join('.')}`;
  }
  const requires = /^require\b/m.test(gomod);
  const vendored = [...files.keys()].some((p) => p.startsWith('vendor/'));
  if (requires && !vendored) return 'its go.mod requires modules, and nothing can be downloaded when the tests run';
  // The reference solution needs a standard library package newer than Go 1.19 (dnd-character's uses `slices`): the
  // gold patch could not build, so the task could not be validated.
  for (const [path, text] of files) {
    if (!path.endsWith('.go')) continue;
    const newer = NEWER_STD.find((pkg) => new RegExp(`^\\s*(?:import\\s+)?(?:[\\w.]+\\s+)?"${pkg}"`, 'm').test(text));
    if (newer) return `${path} imports "${newer}", which Go ${GO_VERSION.join('.')} does not have`;
  }
  // The exercise that asks for tests to be written (counter): its test file declares none, so nothing can grade it.
  const tests = exerciseConfig(files)?.test ?? [...files.keys()].filter((p) => p.endsWith('_test.go'));
  if (tests.every((f) => testNames(files.get(f) ?? '').length === 0)) return 'its test files declare no tests to grade by (the exercise asks for tests to be written)';
  return undefined;
}

function protectedPaths(files: ReadonlyMap<string, string>): string[] {
  const config = exerciseConfig(files);
  const testFiles = new Set(config?.test ?? []);
  const out = new Set<string>(['go.mod', 'go.sum']);
  // Editor files (interfaces, test data the stub must match), and the invalidator (go.mod).
  for (const p of [...(config?.editor ?? []), ...(config?.invalidator ?? [])]) out.add(p);
  // Test files the benchmark does not hide (another step's tests) still compile into the test binary.
  for (const p of files.keys()) if (p.endsWith('_test.go') && !p.startsWith('.') && !testFiles.has(p)) out.add(p);
  return [...out].sort();
}

export const goPolyglot: PolyglotLanguage = {
  language: 'go',
  runner: 'go-test',
  listTests: (file, content) => testNames(content).map((name) => `${file} > ${name}`),
  // Exercism's Go tests skip nothing (only benchmarks check testing.Short, and go test runs no benchmarks).
  enableAll: (_file, content) => content,
  cannotBuild,
  protectedPaths,
};
