import { dirname, resolve } from 'node:path';

// git as the harness runs it on repositories an agent has touched: every knob a repository's own configuration could
// turn to run code (hooks, fsmonitor) or change a diff (external diff, textconv, pager) is switched off.
export const SAFE_GIT = 'git -c core.hooksPath=/dev/null -c core.fsmonitor=false -c diff.external= -c core.pager=cat -c user.name=clade -c user.email=clade@localhost';

/**
 * The environment for a git command that must treat `dir` as a plain folder. Inside some repository (a run or import
 * folder under a checkout), `git apply` would find that repository and silently skip every path outside the current
 * subdirectory; a ceiling just above `dir` keeps git from looking up there.
 */
export function plainFolder(dir: string): Record<string, string> {
  return { GIT_CEILING_DIRECTORIES: dirname(resolve(dir)) };
}
