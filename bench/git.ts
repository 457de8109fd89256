// git as the harness runs it on repositories an agent has touched: every knob a repository's own configuration could
// turn to run code (hooks, fsmonitor) or change a diff (external diff, textconv, pager) is switched off.
export const SAFE_GIT = 'git -c core.hooksPath=/dev/null -c core.fsmonitor=false -c diff.external= -c core.pager=cat -c user.name=clade -c user.email=clade@localhost';
