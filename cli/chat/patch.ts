// What `clade chat --sandbox` brings back to the host: the agent's changes as a patch, which is data. Before the patch
// touches the user's working tree it is checked (no path into `.git`, no symlink or submodule, nothing outside the
// tree), and git applies it as a plain patch tool: it finds no repository and reads no configuration, so no hook,
// filter or fsmonitor can run, and `.git/` is never written.
import { execa } from 'execa';

/** The agent's changes since the last patch that was applied, as the user is shown them. */
export interface AgentPatch {
  diff: string;
  /** `git apply --stat --summary`: files, line counts, created and deleted files, mode changes. */
  summary: string;
  /** Where the patch was saved on the host, so nothing is lost whatever happens next. */
  savedTo: string;
}

export type ApplyResult = { ok: true; message: string } | { ok: false; message: string };

/** The changes of an agent that works on a copy, offered after each turn. */
export interface PatchReview {
  /** What the agent changed in its copy since the last patch that was applied; undefined when nothing. */
  pending(): Promise<AgentPatch | undefined>;
  /** Applies the patch to the user's working tree; once it is in, the next patch holds only later changes. */
  apply(patch: AgentPatch): Promise<ApplyResult>;
}

// Points GIT_DIR at nothing: git then treats the working tree as a plain folder, even one inside a repository, and
// with the repository goes its configuration (hooks, fsmonitor, filters named by a `.gitattributes` the patch wrote).
const NOWHERE = '/nonexistent/clade-no-repository';

/** git run as a plain patch tool, with a clean environment: no repository, no system or global config, no key. */
function plainGit(args: string[], cwd: string, input: string) {
  const env = { PATH: process.env.PATH ?? '/usr/bin:/bin', GIT_DIR: NOWHERE, GIT_CONFIG_NOSYSTEM: '1', GIT_CONFIG_GLOBAL: '/dev/null', HOME: NOWHERE, LANG: 'C' };
  return execa('git', args, { cwd, input, env, extendEnv: false, reject: false, timeout: 120_000 });
}

// Extended header lines that give a mode; in a hunk every line starts with ' ', '+', '-' or '\', so these never
// match content. 120000 is a symlink, 160000 a submodule.
const LINK_MODE = /^(?:new file mode|new mode|old mode|deleted file mode|index [0-9a-f]+\.\.[0-9a-f]+) (?:120000|160000)\b/m;

/** Why a path may not be written by a patch, or undefined when it may. */
function badPath(path: string): string | undefined {
  if (path.startsWith('/')) return 'is absolute';
  const parts = path.split('/');
  if (parts.includes('..')) return 'leaves the repository';
  // Case and trailing dots or spaces are ignored by some file systems; `.GIT` and `.git.` are `.git` there.
  if (parts.some((p) => p.replace(/[. ]+$/, '').toLowerCase() === '.git')) return 'is inside .git';
  return undefined;
}

/** The paths a patch touches, as git itself parses them (renames give both names). */
async function touchedPaths(diff: string, cwd: string): Promise<string[]> {
  const r = await plainGit(['apply', '--numstat', '-z', '-'], cwd, diff);
  if (r.exitCode !== 0) throw new Error(`the patch is malformed: ${r.stderr.trim()}`);
  // Records are "added\tdeleted\tpath\0", or "added\tdeleted\t\0from\0to\0" for a rename or copy.
  const fields = r.stdout.split('\0');
  const paths: string[] = [];
  for (let i = 0; i < fields.length; i++) {
    const f = fields[i]!;
    if (!f) continue;
    const rest = f.split('\t').slice(2).join('\t');
    if (rest) paths.push(rest);
    else paths.push(fields[++i] ?? '', fields[++i] ?? '');
  }
  return paths;
}

/** Why this patch must not be applied to a user's working tree, or undefined when it may be. */
export async function refusal(diff: string, cwd: string): Promise<string | undefined> {
  const link = LINK_MODE.exec(diff);
  if (link) return `it adds or changes a symbolic link or submodule (${link[0]}), which could point anywhere on this machine`;
  let paths: string[];
  try {
    paths = await touchedPaths(diff, cwd);
  } catch (err) {
    return (err as Error).message;
  }
  for (const path of paths) {
    const why = badPath(path);
    if (why) return `it touches ${JSON.stringify(path)}, which ${why}`;
  }
  return undefined;
}

/** What the patch changes, in git's words, for the user to read before deciding. */
export async function summarize(diff: string, cwd: string): Promise<string> {
  const r = await plainGit(['apply', '--stat', '--summary', '-'], cwd, diff);
  return r.exitCode === 0 ? r.stdout.trimEnd() : `(git cannot read this patch: ${r.stderr.trim()})`;
}

/** Checks the patch, then applies it to `repo`'s working tree, all or nothing; `.git/` is never read or written. */
export async function applyPatch(repo: string, patch: AgentPatch): Promise<ApplyResult> {
  const refused = await refusal(patch.diff, repo);
  if (refused) return { ok: false, message: `refused to apply the agent's changes: ${refused}. Nothing was changed; the patch is in ${patch.savedTo}` };
  const r = await plainGit(['apply', '--whitespace=nowarn', '-'], repo, patch.diff);
  if (r.exitCode !== 0) {
    return { ok: false, message: `the agent's changes do not apply to ${repo} (was the same part changed meanwhile?): ${r.stderr.trim()}. Nothing was changed; the patch is in ${patch.savedTo}` };
  }
  return { ok: true, message: `applied to ${repo} (the patch is also in ${patch.savedTo})` };
}
