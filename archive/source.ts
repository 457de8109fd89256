// Variant sources as git commits in a bare repository: a child's commit has its parent variant's commit as parent, so
// the lineage is the git graph and `git diff A B` works between any two variants. Git objects are immutable and written
// before the database row that names them, so a crash can leave an unreferenced object but never a row without source.
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

// node:child_process rather than execa: every command that opens a run checks its commits here, and loading execa
// would cost `clade archive ls` a fifth of its time.
const execFileAsync = promisify(execFile);

// The variant's own repository configuration is never read: these are trusted host-side commands over untrusted trees.
const SAFE = ['-c', 'core.hooksPath=/dev/null', '-c', 'core.fsmonitor=false', '-c', 'diff.external=', '-c', 'core.pager=cat', '-c', 'core.autocrlf=false'];
const AUTHOR = { GIT_AUTHOR_NAME: 'clade', GIT_AUTHOR_EMAIL: 'clade@localhost', GIT_COMMITTER_NAME: 'clade', GIT_COMMITTER_EMAIL: 'clade@localhost' };
/** What never belongs to a variant's source: installed dependencies and build output. */
const EXCLUDE = ['node_modules/', 'dist/', '.clade/'];

export class SourceStore {
  constructor(readonly gitDir: string) {}

  static async open(gitDir: string): Promise<SourceStore> {
    if (!existsSync(join(gitDir, 'HEAD'))) {
      await mkdir(gitDir, { recursive: true });
      await run('git', ['init', '-q', '--bare', gitDir]);
      await mkdir(join(gitDir, 'info'), { recursive: true });
      await writeFile(join(gitDir, 'info', 'exclude'), EXCLUDE.join('\n') + '\n');
    }
    return new SourceStore(gitDir);
  }

  private git(args: string[], opts: { env?: Record<string, string>; input?: string; cwd?: string } = {}) {
    return run('git', [...SAFE, `--git-dir=${this.gitDir}`, ...args], { env: { ...AUTHOR, ...opts.env }, input: opts.input, cwd: opts.cwd });
  }

  /** Commits the tree of `dir` (minus dependencies and build output) as a child of `parent`; returns the commit id. */
  async commit(dir: string, message: string, parent: string | null): Promise<string> {
    // A private index per commit: parallel steps commit at once without sharing git's index lock.
    const scratch = await mkdtemp(join(tmpdir(), 'clade-index-'));
    const env = { GIT_INDEX_FILE: join(scratch, 'index') };
    try {
      await this.git([`--work-tree=${dir}`, 'add', '-A', '--force', '--', '.', ...EXCLUDE.map((e) => `:!${e}`), ...EXCLUDE.map((e) => `:!**/${e}`)], { env, cwd: dir });
      const tree = (await this.git(['write-tree'], { env })).stdout.trim();
      const args = ['commit-tree', tree, '-F', '-'];
      if (parent) args.push('-p', parent);
      return (await this.git(args, { input: message })).stdout.trim();
    } finally {
      await rm(scratch, { recursive: true, force: true });
    }
  }

  /** A named ref per variant, so `git log refs/variants/v3` and ordinary git tools find it. */
  async tag(variantId: string, commit: string): Promise<void> {
    await this.git(['update-ref', `refs/variants/${variantId}`, commit]);
  }

  /** Writes the variant's files into `dir` (which must exist). */
  async checkout(commit: string, dir: string): Promise<void> {
    await run('bash', ['-o', 'pipefail', '-c', 'git "${@:3}" archive --format=tar "$1" | tar -x -C "$2"', 'checkout', commit, dir, ...SAFE, `--git-dir=${this.gitDir}`]);
  }

  async diff(from: string, to: string): Promise<string> {
    return (await this.git(['diff', '--no-ext-diff', '--no-textconv', '--binary', from, to])).stdout;
  }

  async diffStat(from: string, to: string): Promise<string> {
    return (await this.git(['diff', '--stat', from, to])).stdout;
  }

  async exists(commit: string): Promise<boolean> {
    return run('git', [...SAFE, `--git-dir=${this.gitDir}`, 'cat-file', '-e', `${commit}^{commit}`]).then(
      () => true,
      () => false,
    );
  }

  /** Which of `commits` are not commits in the repository (all of them when there is no repository). Reads only. */
  async missing(commits: string[]): Promise<Set<string>> {
    const unique = [...new Set(commits)];
    if (!existsSync(join(this.gitDir, 'HEAD'))) return new Set(unique);
    const out = await run('git', [...SAFE, `--git-dir=${this.gitDir}`, 'cat-file', '--batch-check=%(objectname) %(objecttype)'], { input: unique.join('\n') + '\n' }).catch(() => undefined);
    if (!out) return new Set(unique);
    const found = new Set(
      out.stdout
        .split('\n')
        .map((l) => l.split(' '))
        .filter(([, type]) => type === 'commit')
        .map(([sha]) => sha),
    );
    return new Set(unique.filter((c) => !found.has(c)));
  }

  /** The parent recorded in git, to check that the git graph and the database agree. */
  async parentOf(commit: string): Promise<string | null> {
    const out = (await this.git(['rev-list', '--parents', '-n', '1', commit])).stdout.trim().split(' ');
    return out[1] ?? null;
  }
}

/** Runs a command to its end; a non-zero exit rejects with its stderr in the message. */
async function run(cmd: string, args: string[], opts: { env?: Record<string, string>; input?: string; cwd?: string } = {}): Promise<{ stdout: string; stderr: string }> {
  const child = execFileAsync(cmd, args, { env: { ...process.env, ...opts.env }, cwd: opts.cwd, maxBuffer: 256 * 1024 * 1024, encoding: 'utf8' });
  // A command that exits before reading its input closes the pipe early: its exit status is what counts.
  child.child.stdin?.on('error', () => {});
  child.child.stdin?.end(opts.input ?? '');
  return child;
}
