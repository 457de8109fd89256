// What the grader and the Polyglot importer need from a language's test runner, in one place per runner: how to run
// the hidden tests, where its structured results are and how to read them, how to write a canary in a test file's
// own style, which files a patch may not change, and what the runner's environment image holds.
// bench/languages/index.ts lists them; adding a runner means a module here and a line there.
import type { EnvImageSpec } from '../../sandbox/image.ts';
import type { ChannelRead } from '../grader/channel.ts';
import type { Canary, Rules } from '../grader/types.ts';

export interface TestRunResult {
  stdout: string;
  stderr: string;
  exitCode: number;
  timedOut: boolean;
}

export interface RunContext {
  /** The test files, relative to the repository root (the task's testFiles). */
  files: readonly string[];
  /** A fresh folder outside the repository, for the runner's own output (results files, build products). */
  graderDir: string;
  nonce: string;
}

export interface ResultsContext extends RunContext {
  /** The test files' texts as the grader wrote them into the repository (hidden tests, canaries included). */
  tests: Readonly<Record<string, string>>;
  run: TestRunResult;
  /** Reads a file of the grading container, at most `maxBytes` (undefined when missing or not a regular file). */
  readFile(path: string, maxBytes: number): Promise<Buffer | undefined>;
}

export interface LanguageRunner {
  /** The runner's name in task.json. */
  runner: string;
  language: 'go' | 'rust' | 'cpp' | 'java' | 'javascript' | 'python';
  /** The environment image the tests run in; built once per set of inputs and cached by hash. */
  image(): Promise<EnvImageSpec>;
  /** The command run in the repository (cwd) to run the test files; `bash -c` text, in the grader's container. */
  command(ctx: RunContext): { script: string; env?: Record<string, string> };
  /**
   * The results, from the runner's structured output (never console text): test id → status. A run that wrote none
   * is `{ kind: 'none' }`; output that does not parse is `unreadable`.
   */
  results(ctx: ResultsContext): Promise<ChannelRead>;
  /** The file with one canary test added in its own style, and the canary's id as results() names it. */
  canary(file: string, content: string, taken: ReadonlySet<string>): { content: string; canary: Canary };
  /** Files a patch may not change for grading (see grader/protect.ts). */
  protect: Rules;
}

/** What the Polyglot importer (bench/import-polyglot.ts) needs from a language, beyond its runner. */
export interface PolyglotLanguage {
  /** The folder name in the benchmark checkout: cpp, go, java, javascript, python, rust. */
  language: LanguageRunner['language'];
  /** The runner its tasks name in task.json. */
  runner: string;
  /** The test ids of one hidden test file, exactly as the runner's results name them. */
  listTests(file: string, content: string): string[];
  /** A test file's text as the benchmark runs it: every test enabled, as Aider's harness runs them (no skips, no ignores). */
  enableAll(file: string, content: string): string;
  /**
   * Why the exercise cannot build in the runner's image (a library the image does not have), or undefined. `files`
   * holds the exercise's own files (stubs, tests, example, build files) by path, `.meta/` included.
   */
  cannotBuild(files: ReadonlyMap<string, string>): string | undefined;
  /** Files besides the tests that a patch may not change for grading (build files, test helpers); relative paths. */
  protectedPaths(files: ReadonlyMap<string, string>): string[];
  /**
   * Reference files that `.meta/config.json` does not list as examples, by the repository path they replace: Rust's
   * `.meta/Cargo-example.toml` is the manifest the reference solution builds with.
   */
  referenceExtras?(files: ReadonlyMap<string, string>): Map<string, string>;
}
