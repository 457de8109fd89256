// Java's runner (JUnit 5): the sources are compiled with javac and the test classes run by JUnit's console launcher,
// both from Debian's packages, since the exercises' Gradle build cannot run offline. Results come from the launcher's
// legacy XML report (one file per engine, in the grader's folder), never from its console text.
import { existsSync } from 'node:fs';
import { join, posix } from 'node:path';
import { z } from 'zod';
import type { EnvImageSpec } from '../../sandbox/image.ts';
import { camel, freshName, poolFrom, words, type Spelling, unequalValues } from '../grader/canary-words.ts';
import type { ChannelRead } from '../grader/channel.ts';
import type { LanguageRunner, PolyglotLanguage, ResultsContext, RunContext } from './language.ts';
import type { Canary, Rules } from '../grader/types.ts';

const JAVA = '/usr/share/java';
const LAUNCHER = `${JAVA}/junit-platform-console-standalone.jar`;
// assertj needs byte-buddy at run time (soft assertions and a few others make proxies with it). The launcher's own
// jar carries JUnit, opentest4j and apiguardian.
const LIBRARIES = [LAUNCHER, `${JAVA}/assertj-core.jar`, `${JAVA}/byte-buddy.jar`];
const PACKAGES = ['default-jdk-headless', 'junit5', 'libassertj-core-java'];
/** The launcher writes one legacy XML report per engine; only Jupiter's runs. */
const REPORT = 'reports/TEST-junit-jupiter.xml';
const REPORT_BYTES = 32 * 1024 * 1024;

// ---------------------------------------------------------------------------------------------------------------------
// Reading Java source: comments and literals are blanked first (same length, newlines kept), so that the patterns
// below see only code and their positions still index the original text.

/** The text with comments and the contents of string, text-block and char literals replaced by spaces. */
export function blankJava(text: string): string {
  const out = text.split('');
  const blank = (from: number, to: number) => {
    for (let k = from; k < to && k < out.length; k++) if (out[k] !== '\n') out[k] = ' ';
  };
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    const next = text[i + 1];
    if (c === '/' && next === '/') {
      const end = text.indexOf('\n', i);
      const stop = end === -1 ? text.length : end;
      blank(i, stop);
      i = stop;
    } else if (c === '/' && next === '*') {
      const end = text.indexOf('*/', i + 2);
      const stop = end === -1 ? text.length : end + 2;
      blank(i, stop);
      i = stop;
    } else if (c === '"' && text.startsWith('"""', i)) {
      let j = i + 3;
      while (j < text.length && !text.startsWith('"""', j)) j += text[j] === '\\' ? 2 : 1;
      blank(i + 1, j);
      i = Math.min(text.length, j + 3);
    } else if (c === '"' || c === "'") {
      let j = i + 1;
      while (j < text.length && text[j] !== c && text[j] !== '\n') j += text[j] === '\\' ? 2 : 1;
      blank(i + 1, j);
      i = j + 1;
    } else {
      i++;
    }
  }
  return out.join('');
}

interface JavaClass {
  /** Enclosing classes first, then this one. */
  path: string[];
  /** Index of the body's `{` and of its matching `}` in the text. */
  open: number;
  close: number;
}

const DECLARATION = /(?<![\w$.])(class|interface|enum|record)\s+([A-Za-z_$][\w$]*)/y;

/** Every class, interface, enum and record declared in the (blanked) text, nested ones with their enclosing path. */
function javaClasses(code: string): JavaClass[] {
  const found: JavaClass[] = [];
  const stack: Array<{ cls?: JavaClass }> = [];
  let pending: string | undefined;
  for (let i = 0; i < code.length; i++) {
    const c = code[i]!;
    if (c === '{') {
      const outer = [...stack].reverse().find((s) => s.cls)?.cls;
      if (pending !== undefined) {
        const cls: JavaClass = { path: [...(outer?.path ?? []), pending], open: i, close: code.length };
        found.push(cls);
        stack.push({ cls });
        pending = undefined;
      } else {
        stack.push({});
      }
    } else if (c === '}') {
      const top = stack.pop();
      if (top?.cls) top.cls.close = i;
    } else if (c === ';') {
      // `record R(int a);` has no body; a declaration never spans a statement's end.
      pending = undefined;
    } else if (/[a-z]/.test(c)) {
      DECLARATION.lastIndex = i;
      const m = DECLARATION.exec(code);
      if (m) {
        pending = m[2]!;
        i += m[0].length - 1;
      }
    }
  }
  return found;
}

/** The innermost class whose body holds `at`. */
const classAt = (classes: JavaClass[], at: number) =>
  classes.filter((c) => c.open < at && at < c.close).sort((a, b) => b.path.length - a.path.length)[0];

/** Past the annotations that start at `from` (names, and arguments in balanced parentheses). */
function skipAnnotations(code: string, from: number): number {
  let i = from;
  for (;;) {
    while (i < code.length && /\s/.test(code[i]!)) i++;
    if (code[i] !== '@' || /^@\s*interface\b/.test(code.slice(i, i + 20))) return i;
    i = annotationEnd(code, i);
  }
}

const TEST_ANNOTATION = /@\s*(?:org\s*\.\s*junit\s*\.\s*jupiter\s*\.\s*api\s*\.\s*)?Test(?![\w$])/g;

/** The `@Test` methods of a file: their class path and name, in order. */
function testMethods(content: string): Array<{ path: string[]; name: string }> {
  const code = blankJava(content);
  const classes = javaClasses(code);
  const out: Array<{ path: string[]; name: string }> = [];
  for (const m of code.matchAll(TEST_ANNOTATION)) {
    const start = skipAnnotations(code, m.index + m[0].length);
    // Modifiers, type parameters and the return type hold no parenthesis: the name is the word before the first one.
    const head = /^[^(){};=]*?([A-Za-z_$][\w$]*)\s*\(/.exec(code.slice(start, start + 2000));
    const cls = classAt(classes, m.index);
    if (head && cls) out.push({ path: cls.path, name: head[1]! });
  }
  return out;
}

const idOf = (file: string, path: string[], name: string) => [file, ...path, name].join(' > ');

/** The declared package, or ''. */
const packageOf = (code: string) => /^\s*package\s+([\w$.\s]+?)\s*;/m.exec(code)?.[1]?.replace(/\s+/g, '') ?? '';

// ---------------------------------------------------------------------------------------------------------------------
// The launcher's legacy XML report.

const XML_ENTITIES: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };
const decodeXml = (s: string) =>
  s.replace(/&(#x[0-9a-fA-F]+|#\d+|\w+);/g, (all, e: string) =>
    e.startsWith('#x') ? String.fromCodePoint(parseInt(e.slice(2), 16)) : e.startsWith('#') ? String.fromCodePoint(Number(e.slice(1))) : (XML_ENTITIES[e] ?? all),
  );

function attributes(tag: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const m of tag.matchAll(/([\w:.-]+)\s*=\s*(?:"([^"]*)"|'([^']*)')/g)) out[m[1]!] = decodeXml(m[2] ?? m[3] ?? '');
  return out;
}

const Testcase = z.object({ name: z.string().min(1).max(4096), classname: z.string().min(1).max(4096) });

export interface ReportCase {
  classname: string;
  name: string;
  status: 'passed' | 'failed' | 'skipped';
}

/**
 * The test cases of a legacy XML report. Captured output sits in CDATA sections (or escaped text), which are dropped
 * before any tag is looked at, so a test's printed text cannot pose as a test case.
 */
export function parseLegacyXml(xml: string): ReportCase[] | { error: string } {
  const text = xml.replace(/<!\[CDATA\[[\s\S]*?\]\]>/g, '').replace(/<!--[\s\S]*?-->/g, '');
  if (!/<testsuite[\s>]/.test(text)) return { error: 'no <testsuite> element' };
  if (!/<\/testsuite>\s*$/.test(text) && !/<testsuite\b[^>]*\/>\s*$/.test(text)) return { error: 'the report is cut off (no closing </testsuite>)' };
  const cases: ReportCase[] = [];
  const open = /<testcase\b([^>]*?)(\/?)>/g;
  for (let m = open.exec(text); m; m = open.exec(text)) {
    let body = '';
    if (m[2] !== '/') {
      const end = text.indexOf('</testcase>', open.lastIndex);
      if (end === -1) return { error: `a <testcase> element is not closed` };
      body = text.slice(open.lastIndex, end);
      open.lastIndex = end;
    }
    const attrs = Testcase.safeParse(attributes(m[1]!));
    if (!attrs.success) return { error: `a <testcase> lacks its name or classname` };
    const status = /<(failure|error)\b/.test(body) ? 'failed' : /<skipped\b/.test(body) ? 'skipped' : 'passed';
    cases.push({ ...attrs.data, status });
  }
  return cases;
}

/** Where a class of the report was declared: the test file that declares its top-level class, else its canonical path. */
function fileOfClass(binaryName: string, tests: Readonly<Record<string, string>>): { file: string; path: string[] } {
  const dot = binaryName.lastIndexOf('.');
  const pkg = dot === -1 ? '' : binaryName.slice(0, dot);
  const path = binaryName.slice(dot + 1).split('$');
  for (const [file, content] of Object.entries(tests)) {
    const code = blankJava(content);
    if (packageOf(code) !== pkg) continue;
    if (javaClasses(code).some((c) => c.path.length === 1 && c.path[0] === path[0])) return { file, path };
  }
  return { file: posix.join('src/test/java', ...pkg.split('.').filter(Boolean), `${path[0]}.java`), path };
}

/** A method test's legacy name is `name(parameter types)`; the id keeps the name, as listTests writes it. */
const methodName = (name: string) => /^([A-Za-z_$][\w$]*)\(/.exec(name)?.[1] ?? name;

export async function readJunitResults(ctx: ResultsContext): Promise<ChannelRead> {
  const raw = await ctx.readFile(`${ctx.graderDir}/${REPORT}`, REPORT_BYTES);
  if (raw === undefined) {
    const failed = (await ctx.readFile(`${ctx.graderDir}/build-failed`, 16)) !== undefined;
    return failed ? { kind: 'none', buildFailed: ctx.run.stderr.trimEnd().split('\n').slice(-20).join('\n') } : { kind: 'none' };
  }
  if (raw.length >= REPORT_BYTES) return { kind: 'unreadable', reason: `the JUnit report is larger than ${REPORT_BYTES} bytes` };
  const cases = parseLegacyXml(raw.toString('utf8'));
  if (!Array.isArray(cases)) return { kind: 'unreadable', reason: `the JUnit report does not parse: ${cases.error}` };
  const results: Record<string, 'passed' | 'failed' | 'skipped'> = {};
  const rank = { failed: 2, skipped: 1, passed: 0 } as const;
  for (const c of cases) {
    const { file, path } = fileOfClass(c.classname, ctx.tests);
    const id = idOf(file, path, methodName(c.name));
    // A test reported more than once (repeated, parameterized) is as bad as its worst run.
    const was = results[id];
    results[id] = was && rank[was] > rank[c.status] ? was : c.status;
  }
  return { kind: 'results', results };
}

// ---------------------------------------------------------------------------------------------------------------------
// The run.

const shq = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

function junitCommand(ctx: RunContext): { script: string; env: Record<string, string> } {
  const g = shq(ctx.graderDir);
  // The libraries come before the patch's classes, so a class of the patch named like one of theirs (a fake
  // org.assertj.core.api.Assertions) never replaces it; JUnit itself is in the launcher's own class loader.
  const libs = LIBRARIES.join(':');
  // One CPU and 1 GiB for the container: a small serial heap each for javac and the tests, and no perf data in /tmp.
  const javac = `javac -J-Xmx256m -J-XX:+UseSerialGC -J-XX:-UsePerfData -J-Xshare:auto -proc:none -encoding UTF-8 -implicit:none -Xlint:none -Xmaxerrs 20`;
  const script = [
    'set -u',
    // Options the JVMs would pick up from the environment, whatever the image or a caller left there.
    'unset JAVA_TOOL_OPTIONS JDK_JAVA_OPTIONS _JAVA_OPTIONS CLASSPATH',
    `G=${g}`,
    'mkdir -p "$G/main" "$G/test" "$G/reports"',
    // Quoted for javac's argument file; a name javac cannot take fails the compile, which is no result, never a pass.
    `list() { if [ -d "$1" ]; then find "$1" -type f -name '*.java' | sort | sed 's/["\\\\]/\\\\&/g; s/.*/"&"/'; fi; }`,
    'list src/main/java > "$G/main.args"',
    'list src/test/java > "$G/test.args"',
    // The solution first, alone: the test classes are compiled against it into a folder of their own, the one scanned.
    // A compile failure leaves a marker: every test failed, a grade like any other (results() reads it).
    `if [ -s "$G/main.args" ]; then ${javac} -d "$G/main" -cp '${libs}' @"$G/main.args" || { : > "$G/build-failed"; exit 3; }; fi`,
    `${javac} -d "$G/test" -cp '${libs}':"$G/main" @"$G/test.args" || { : > "$G/build-failed"; exit 3; }`,
    `exec java -Xmx448m -Xss4m -XX:+UseSerialGC -XX:-UsePerfData -jar ${LAUNCHER} ` +
      `--class-path '${libs}':"$G/main":"$G/test" --scan-class-path "$G/test" --include-classname '.*' --include-engine junit-jupiter ` +
      `--reports-dir "$G/reports" --disable-banner --disable-ansi-colors --details summary`,
  ].join('\n');
  return { script, env: { HOME: '/workspace', PATH: '/usr/local/bin:/usr/bin:/bin', LANG: 'C.UTF-8' } };
}

// ---------------------------------------------------------------------------------------------------------------------
// Canaries: one more test method in the file's test class (or, in a file without one, a class of its own), asserting
// that two different values are equal, with the file's own assertion style.

const JAVA_VALUES: Spelling = { word: (w) => `"${w}"`, list: (items) => `java.util.List.of(${items.join(', ')})` };

const lowerCamel = (ws: string[]) => {
  const c = camel(ws);
  return c[0]!.toLowerCase() + c.slice(1);
};

function junitCanary(file: string, content: string, taken: ReadonlySet<string>): { content: string; canary: Canary } {
  const code = blankJava(content);
  const classes = javaClasses(code);
  const methods = testMethods(content);
  const pool = poolFrom(methods.map((m) => m.name.replace(/([a-z])([A-Z])/g, '$1 $2')));
  const { a, b } = unequalValues(JAVA_VALUES);
  const imports = (name: string) => new RegExp(String.raw`^\s*import\s+${name.replace(/\./g, String.raw`\s*\.\s*`)}\s*;`, 'm').test(code);
  const assertjStatic =
    imports('static org.assertj.core.api.Assertions.assertThat') || imports(String.raw`static org.assertj.core.api.Assertions.\*`);
  const check = assertjStatic
    ? `assertThat(${a}).isEqualTo(${b});`
    : /\borg\s*\.\s*assertj\b/.test(code)
      ? `org.assertj.core.api.Assertions.assertThat(${a}).isEqualTo(${b});`
      : `org.junit.jupiter.api.Assertions.assertEquals(${a}, ${b});`;
  const testAnnotation = imports('org.junit.jupiter.api.Test') || imports(String.raw`org.junit.jupiter.api.\*`) ? '@Test' : '@org.junit.jupiter.api.Test';
  const indent = /^([ \t]+)@\s*Test\b/m.exec(content)?.[1] ?? '    ';
  const visibility = /^[ \t]+@\s*Test\s+public\s/m.test(code) || /^[ \t]+public\s+void\s/m.test(code) ? 'public ' : '';

  // The class that holds the file's tests (the one named like the file if it has any), else none.
  const own = posix.basename(file, '.java');
  const top = classes.filter((c) => c.path.length === 1);
  const holder = methods.length ? (top.find((c) => c.path[0] === own && methods.some((m) => m.path[0] === own)) ?? classes.find((c) => c.path.join('.') === methods[0]!.path.join('.'))) : undefined;
  if (holder) {
    const name = freshName(() => lowerCamel(words(pool, 3, 6)), content, (n) => idOf(file, holder.path, n), taken);
    const body = `\n${indent}${testAnnotation}\n${indent}${visibility}void ${name}() {\n${indent}${indent}${check}\n${indent}}\n`;
    // Before the class's closing brace, after its last line.
    const at = content.lastIndexOf('\n', holder.close) + 1 > holder.open ? content.lastIndexOf('\n', holder.close) + 1 : holder.close;
    const text = content.slice(0, at) + body + content.slice(at);
    return { content: text, canary: { file, id: idOf(file, holder.path, name) } };
  }
  // No test class (a test helper such as an extension): a package-private class of its own, after everything else.
  const cls = freshName(() => `${camel(words(pool, 2, 3))}Test`, content, (n) => idOf(file, [n], ''), taken);
  const name = freshName(() => lowerCamel(words(pool, 3, 6)), content, (n) => idOf(file, [cls], n), taken);
  const fullCheck = check.startsWith('assertThat(') ? `org.assertj.core.api.Assertions.${check}` : check;
  const text = `${content.replace(/\n*$/, '\n')}\nclass ${cls} {\n    @org.junit.jupiter.api.Test\n    void ${name}() {\n        ${fullCheck}\n    }\n}\n`;
  return { content: text, canary: { file, id: idOf(file, [cls], name), group: idOf(file, [cls], '').replace(/ > $/, '') } };
}

// ---------------------------------------------------------------------------------------------------------------------
// Protection. The run compiles src/main/java and src/test/java and scans the test classes for tests; nothing else in
// the repository (build.gradle, the Gradle wrapper) is read, so only the test side needs guarding.

export const JUNIT_RULES: Rules = {
  // Every file under src/test: an added one would be compiled with the tests and scanned for tests (a class there can
  // be an extension or a listener), a changed helper would change what the hidden tests do.
  whole: (path) => path === 'src/test' || path.startsWith('src/test/'),
  partial: () => undefined,
};

// ---------------------------------------------------------------------------------------------------------------------
// Polyglot hooks.

const DISABLED = /@\s*(?:org\s*\.\s*junit\s*\.\s*jupiter\s*\.\s*api\s*\.\s*)?Disabled(?![\w$])/g;

/** Where the annotation starting at `at` ends: its name, then its arguments in balanced parentheses if any. */
function annotationEnd(code: string, at: number): number {
  const name = /@\s*[\w$]+(?:\s*\.\s*[\w$]+)*/y;
  name.lastIndex = at;
  let stop = at + (name.exec(code)?.[0].length ?? 1);
  let j = stop;
  while (j < code.length && /\s/.test(code[j]!)) j++;
  if (code[j] !== '(') return stop;
  for (let depth = 0; j < code.length; j++) {
    if (code[j] === '(') depth++;
    else if (code[j] === ')' && --depth === 0) break;
  }
  stop = j + 1;
  return stop;
}

/** Every `@Disabled` goes (a line that held only it goes whole); the import may stay, unused. */
function enableAll(_file: string, content: string): string {
  const code = blankJava(content);
  let out = '';
  let last = 0;
  for (const m of code.matchAll(DISABLED)) {
    if (m.index < last) continue;
    const stop = annotationEnd(code, m.index);
    const lineStart = content.lastIndexOf('\n', m.index - 1) + 1;
    const nl = content.indexOf('\n', stop);
    const lineEnd = nl === -1 ? content.length : nl + 1;
    if (content.slice(lineStart, m.index).trim() === '' && code.slice(stop, lineEnd).trim() === '') {
      out += content.slice(last, lineStart);
      last = lineEnd;
    } else {
      out += content.slice(last, m.index);
      last = stop;
      while (content[last] === ' ' || content[last] === '\t') last++;
    }
  }
  return out + content.slice(last);
}

// Libraries the image has, by Gradle coordinates (group:artifact); versions are Debian's, whatever the build asks.
const AVAILABLE = [/^org\.junit(\.[\w.]+)?:/, /^org\.assertj:assertj-core$/];
// Packages a source may import: the JDK's, and the libraries above.
const IMPORTABLE = /^(java|javax|jdk|org\.junit|org\.assertj|org\.opentest4j|org\.apiguardian)\./;
// assertj API newer than Debian's 3.14 that the exercises use (found by compiling every exercise's reference solution
// and tests against 3.14): such an exercise cannot compile here.
const NEWER_ASSERTJ = ['hasDimensions'];

const ExerciseConfig = z.object({ files: z.object({ test: z.array(z.string()).default([]), editor: z.array(z.string()).optional(), invalidator: z.array(z.string()).optional() }) });

function configOf(files: ReadonlyMap<string, string>) {
  const raw = files.get('.meta/config.json');
  if (raw === undefined) return undefined;
  try {
    const parsed = ExerciseConfig.safeParse(JSON.parse(raw));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

/** `group:artifact:version` of every dependency a Gradle build file declares. */
export function gradleDependencies(build: string): string[] {
  const code = build.replace(/\/\*[\s\S]*?\*\//g, '').replace(/\/\/[^\n]*/g, '');
  const out: string[] = [];
  for (const m of code.matchAll(/^\s*\w+\s*(?:\(\s*)?(?:platform\s*\(\s*)?(['"])([^'"\s:]+:[^'"\s:]+(?::[^'"\s]*)?)\1/gm)) out.push(m[2]!);
  for (const m of code.matchAll(/group\s*:\s*(['"])([^'"]+)\1\s*,\s*name\s*:\s*(['"])([^'"]+)\3(?:\s*,\s*version\s*:\s*(['"])([^'"]+)\5)?/g)) out.push(`${m[2]}:${m[4]}${m[6] ? `:${m[6]}` : ''}`);
  return out;
}

function cannotBuild(files: ReadonlyMap<string, string>): string | undefined {
  const build = files.get('build.gradle') ?? files.get('build.gradle.kts');
  const missing = (build ? gradleDependencies(build) : []).filter((d) => {
    const [group, artifact] = d.split(':');
    return !AVAILABLE.some((re) => re.test(`${group}:${artifact}`));
  });
  if (missing.length) return `needs ${missing.join(', ')}, which the Java image does not have (it has JUnit 5 and assertj-core only)`;
  const own = new Set<string>();
  const imported = new Set<string>();
  for (const [path, text] of files) {
    if (!path.endsWith('.java')) continue;
    const code = blankJava(text);
    for (const c of javaClasses(code)) if (c.path.length === 1) own.add([packageOf(code), c.path[0]].filter(Boolean).join('.'));
    for (const m of code.matchAll(/^\s*import\s+(?:static\s+)?([\w$.\s*]+?)\s*;/gm)) imported.add(m[1]!.replace(/\s+/g, ''));
  }
  const foreign = [...imported].filter((i) => !IMPORTABLE.test(i) && ![...own].some((o) => i === o || i.startsWith(`${o}.`)));
  if (foreign.length) return `imports ${foreign.slice(0, 3).join(', ')}, from a library the Java image does not have`;
  const tests = configOf(files)?.files.test ?? [...files.keys()].filter((p) => p.startsWith('src/test/'));
  for (const test of tests) {
    const code = blankJava(files.get(test) ?? '');
    const newer = NEWER_ASSERTJ.find((name) => new RegExp(String.raw`\.\s*${name}\s*\(`).test(code));
    if (newer) return `${test} uses assertj's ${newer}(), newer than the image's assertj-core 3.14`;
  }
  return undefined;
}

/** The build files (the runner ignores them, but they tell the solver how the exercise builds) and the editor files. */
function protectedPaths(files: ReadonlyMap<string, string>): string[] {
  const config = configOf(files);
  const build = [...files.keys()].filter((p) => /^(build\.gradle(\.kts)?|settings\.gradle(\.kts)?|gradlew(\.bat)?|gradle\/.*)$/.test(p));
  const testSide = [...files.keys()].filter((p) => p.startsWith('src/test/'));
  return [...new Set([...(config?.files.editor ?? []), ...(config?.files.invalidator ?? []), ...build, ...testSide])].sort();
}

export const junit: LanguageRunner = {
  runner: 'junit',
  language: 'java',
  image: async (): Promise<EnvImageSpec> => ({
    name: 'java',
    extras: {
      packages: PACKAGES,
      finish: async (rootfs, log) => {
        // The command names these files; an image without them would fail every run with no result.
        for (const jar of LIBRARIES) if (!existsSync(join(rootfs, jar))) throw new Error(`the Java image lacks ${jar}; Debian's ${PACKAGES.join(', ')} should bring it`);
        log(`java image: ${LIBRARIES.join(', ')} present`);
      },
    },
    inputs: { packages: PACKAGES, libraries: LIBRARIES, version: 1 },
  }),
  command: junitCommand,
  results: readJunitResults,
  canary: junitCanary,
  protect: JUNIT_RULES,
};

export const javaPolyglot: PolyglotLanguage = {
  language: 'java',
  runner: 'junit',
  listTests: (file, content) => testMethods(content).map((m) => idOf(file, m.path, m.name)),
  enableAll,
  cannotBuild,
  protectedPaths,
};
