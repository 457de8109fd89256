// Every numeric flag of every command, and every --run, as a user types them wrong: the real CLI must stop at once
// with exit 2 and one line naming the flag, before any Docker work (the engine is pointed at nothing, so a command
// that got that far would fail another way) and before any model could be reached (no key, a temporary working dir).
// The flags are found by walking the command tree, so a numeric flag added later is tested too.
import { beforeAll, describe, expect, it } from 'vitest';
import { execa } from 'execa';
import { fileURLToPath } from 'node:url';
import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Command, Option } from 'commander';
import { build } from 'esbuild';
import { buildProgram } from '../cli/program.ts';
import { numberRuleOf, type NumberRule } from '../cli/flags.ts';

const bin = fileURLToPath(new URL('../bin/clade.js', import.meta.url));
const cwd = mkdtempSync(join(tmpdir(), 'clade-flags-'));
const env = { PATH: process.env.PATH!, HOME: cwd, CLADE_DOCKER_SOCKET: join(cwd, 'no-docker.sock') };
const clade = (args: string[]) => execa('node', [bin, ...args], { reject: false, cwd, env, extendEnv: false, timeout: 120_000 });

function* walk(cmd: Command, path: string[] = []): Generator<{ path: string[]; cmd: Command }> {
  for (const sub of cmd.commands) {
    const p = [...path, sub.name()];
    yield { path: p, cmd: sub };
    yield* walk(sub, p);
  }
}

const program = await buildProgram();
const commands = [...walk(program)];

// What a numeric value's placeholder looks like; an option with one that is not a numberOption escapes the parse-time
// check, so the test below refuses it (except where a command checks its flags itself, listed next).
const NUMERIC_PLACEHOLDER = /<(n|k|h|x|p|mb|seconds|dollars|usd|count|tokens|turns|hours)>/;
// `clade evolve` declares some numeric options as plain strings and checks them with numberFlag first thing in its
// action (cli/commands/evolve.ts); their rules, as that file gives them.
const EVOLVE_RULES: Record<string, NumberRule> = {
  '--max-evals': { integer: true, min: 1 },
  '--budget-usd': { min: 0, minExclusive: true },
  '--max-hours': { min: 0, minExclusive: true },
  '--parallel': { integer: true, min: 1 },
  '--seed': { integer: true, min: 0 },
  '--threshold': { min: 0, max: 1 },
  '--task-timeout': { min: 0, minExclusive: true },
};

interface NumericFlag {
  path: string[];
  cmd: Command;
  option: Option;
  flag: string;
  rule?: NumberRule;
}

const numeric: NumericFlag[] = commands.flatMap(({ path, cmd }) =>
  cmd.options
    .filter((o) => numberRuleOf(o) || NUMERIC_PLACEHOLDER.test(o.flags))
    .map((option) => ({ path, cmd, option, flag: option.long!, rule: numberRuleOf(option) ?? (path.join(' ') === 'evolve' ? EVOLVE_RULES[option.long!] : undefined) })),
);

/** Values outside `rule`: not a number at all, then just past each bound, then a fraction for a whole number. */
function badValues(rule: NumberRule | undefined): string[] {
  const out = ['x'];
  if (!rule) return out;
  if (rule.min !== undefined) out.push(String(rule.minExclusive ? rule.min : rule.min - 1));
  if (rule.max !== undefined) out.push(String(rule.maxExclusive ? rule.max : rule.max + 1));
  if (rule.integer) out.push(String((rule.min ?? 0) + 1.5));
  return out;
}

/** A command line that gets past commander: the command, its required arguments and options, then `extra`. */
function argv(path: string[], cmd: Command, extra: string[], given: Record<string, string> = {}): string[] {
  const mandatory = cmd.options.filter((o) => o.mandatory && !(o.long! in given)).flatMap((o) => [o.long!, join(cwd, 'dummy')]);
  const args = cmd.registeredArguments.filter((a) => a.required).map(() => 'dummy');
  return [...path, ...Object.entries(given).flat(), ...mandatory, ...extra, ...(args.length ? ['--', ...args] : [])];
}

async function expectUsageError(args: string[], pattern: RegExp): Promise<void> {
  const r = await clade(args);
  const what = `clade ${args.join(' ')} → exit ${r.exitCode}\n${r.stderr}`;
  expect(r.exitCode, what).toBe(2);
  expect(r.stderr.trimEnd().split('\n'), what).toHaveLength(1);
  expect(r.stderr, what).toMatch(pattern);
  expect(r.stdout, what).toBe('');
}

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

describe('numeric flags', () => {
  it('are found on every command that has them', () => {
    const found = new Set(numeric.map((n) => `${n.path.join(' ')} ${n.flag}`));
    for (const known of ['sandbox exec --timeout', 'sim --seeds', 'bench validate --parallel', 'bench run --timeout', 'solve --max-turns', 'chat --budget-usd', 'gateway serve --budget-requests', 'evolve --seed', 'evolve --threshold']) {
      expect(found).toContain(known);
    }
  });

  it('are all checked while the command line is parsed, or (evolve) by the command before it does anything', () => {
    const unchecked = numeric.filter((n) => !n.rule).map((n) => `${n.path.join(' ')} ${n.flag}`);
    expect(unchecked, 'declare these with numberOption (cli/flags.ts)').toEqual([]);
  });

  // The budget flags are the same options on several commands: each command gets "x", each rule its edge values once.
  const seen = new Set<string>();
  for (const n of numeric) {
    const key = `${n.flag} ${JSON.stringify(n.rule)}`;
    const values = seen.has(key) ? ['x'] : badValues(n.rule);
    seen.add(key);
    it.concurrent(`clade ${n.path.join(' ')} ${n.flag} ${values.map((v) => JSON.stringify(v)).join(' ')}: exit 2, one line`, { timeout: 600_000 }, async () => {
      for (const value of values) {
        await expectUsageError(argv(n.path, n.cmd, [`${n.flag}=${value}`]), new RegExp(`^clade: ${escape(n.flag)} must be .*, got ${escape(JSON.stringify(value))}$`));
      }
    });
  }
});

describe('--run', () => {
  const runCommands = commands.filter(({ cmd }) => cmd.options.some((o) => o.long === '--run'));

  it('is found on every command that takes it', () => {
    expect(runCommands.map((c) => c.path.join(' ')).sort()).toEqual(
      expect.arrayContaining(['archive diff', 'archive ls', 'archive show', 'archive tree', 'bench run', 'chat', 'evolve', 'export', 'report', 'solve']),
    );
  });

  for (const { path, cmd } of runCommands) {
    it.concurrent(`clade ${path.join(' ')} --run FILE: exit 2, one line, the file untouched`, { timeout: 600_000 }, async () => {
      const file = join(mkdtempSync(join(tmpdir(), 'clade-run-file-')), 'notes.txt');
      writeFileSync(file, 'my notes\n');
      const before = statSync(file);
      await expectUsageError(argv(path, cmd, ['--run', file]), new RegExp(`^clade: --run ${escape(file)} is not a folder: pass the folder of a run`));
      expect(readFileSync(file, 'utf8')).toBe('my notes\n');
      expect(statSync(file).mtimeMs).toBe(before.mtimeMs);
    });
  }
});

describe('exit codes', () => {
  it('2 for a mistake commander finds: unknown option, missing argument, invalid choice, excess argument, no command', async () => {
    for (const args of [['--bogus'], ['sim', '--bogus'], ['archive', 'show'], ['evolve', '--policy', 'nope'], ['bench', 'list', 'extra'], ['sandbox'], []]) {
      const r = await clade(args);
      expect(r.exitCode, `clade ${args.join(' ')}\n${r.stderr}`).toBe(2);
      expect(r.stderr).toMatch(/^error: |^Usage: /);
    }
  });

  it('0 for help and version', async () => {
    for (const args of [['--help'], ['help'], ['sandbox', 'exec', '--help'], ['help', 'evolve'], ['--version']]) {
      const r = await clade(args);
      expect(r.exitCode, `clade ${args.join(' ')}\n${r.stderr}`).toBe(0);
      expect(r.stdout).not.toBe('');
    }
  });

  it('--isolation is a root option every command takes, before or after its name; a bad one is exit 2', async () => {
    const missing = join(cwd, 'no-such-run');
    // Each reaches the command's own check of --run: the option was taken, not refused as unknown.
    for (const args of [['--isolation', 'gvisor', 'archive', 'ls', '--run', missing], ['archive', 'ls', '--isolation', 'runc', '--run', missing], ['--isolation=gvisor', 'evolve', '--dry-run', '--run', join(cwd, 'notes.txt')]]) {
      writeFileSync(join(cwd, 'notes.txt'), 'my notes\n');
      const r = await clade(args);
      expect(r.exitCode, `clade ${args.join(' ')}\n${r.stderr}`).toBe(2);
      expect(r.stderr, `clade ${args.join(' ')}`).toMatch(/^clade: (no run at|--run .* is not a folder)/);
    }
    for (const args of [['--isolation', 'kata', 'sim'], ['sim', '--isolation', 'kata']]) {
      const r = await clade(args);
      expect(r.exitCode, `clade ${args.join(' ')}\n${r.stderr}`).toBe(2);
      expect(r.stderr).toMatch(/option '--isolation <kind>' argument 'kata' is invalid\. Allowed choices are runc, gvisor/);
    }
  });

  it('a bad --mount is a usage error too', async () => {
    await expectUsageError(['sandbox', 'exec', '--mount', 'nocolon', '--', 'true'], /^clade: bad --mount "nocolon": expected HOST:PATH/);
  });
});

describe('an exported CLI (cli/standalone/main.ts)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'clade-standalone-'));
  const exported = (args: string[]) => execa('node', [join(dir, 'cli.mjs'), ...args], { reject: false, cwd, env, extendEnv: false, timeout: 60_000 });

  beforeAll(async () => {
    // Bundled as `clade export` does, without a variant: these runs end before the agent would start.
    await build({
      entryPoints: [fileURLToPath(new URL('../cli/standalone/main.ts', import.meta.url))],
      outfile: join(dir, 'cli.mjs'),
      bundle: true,
      platform: 'node',
      format: 'esm',
      banner: { js: "import { createRequire as __cladeRequire } from 'node:module'; const require = __cladeRequire(import.meta.url);" },
      plugins: [{ name: 'no-react-devtools', setup: (b) => void (b.onResolve({ filter: /^react-devtools-core$/ }, () => ({ path: 'stub', namespace: 'stub' })), b.onLoad({ filter: /.*/, namespace: 'stub' }, () => ({ contents: 'export default {}' }))) }],
      logLevel: 'warning',
    });
    writeFileSync(join(dir, 'clade-export.json'), JSON.stringify({ name: 'my-agent', version: '1.0.0', variant: 'v3', run: 'r', lineage: ['v0', 'v3'], score: null, model: null }));
  }, 120_000);

  it('has the exit codes of clade: 2 for a bad --max-turns or an unknown flag, 0 for help and version', async () => {
    for (const value of ['x', '0', '1.5']) {
      const r = await exported(['solve', '--repo', cwd, '--problem', join(cwd, 'dummy'), `--max-turns=${value}`]);
      expect(r.exitCode, r.stderr).toBe(2);
      expect(r.stderr).toBe(`my-agent: --max-turns must be a whole number ≥ 1, got "${value}"`);
    }
    for (const args of [['--bogus'], ['solve'], ['solve', '--repo', join(cwd, 'nope'), '--problem', 'x']]) expect((await exported(args)).exitCode, args.join(' ')).toBe(2);
    for (const args of [['--help'], ['--version'], ['solve', '--help']]) expect((await exported(args)).exitCode, args.join(' ')).toBe(0);
  });
});
