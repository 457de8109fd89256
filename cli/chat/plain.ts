// `clade chat` without a terminal (a pipe, a script, CI): one message in, one turn out as plain text, then exit.
// Nobody is there to answer an approval, so without --yes every change the agent asks for is denied, and the model
// is told why so it can answer without it.
import { diffBody, headLines, isDiff, oneLineArgs, turnEndNotice } from './format.ts';
import type { PatchReview } from './patch.ts';
import type { SessionTransport } from './transport.ts';

export const NO_TERMINAL_REASON = 'no terminal to approve this; rerun with --yes';

export interface PlainOptions {
  transport: SessionTransport;
  message: string;
  /** The agent runs with --auto-approve: its approval requests are announcements that wait for nothing. */
  autoApprove?: boolean;
  /** An agent that works on a copy (--sandbox): its changes are printed after the turn, and applied with --yes. */
  patches?: PatchReview;
  out?: NodeJS.WritableStream;
  err?: NodeJS.WritableStream;
}

/** Runs one turn; resolves to the exit code: 0 when the turn ended, 1 when it ended in an error or the agent died. */
export async function runPlain({ transport, message, autoApprove = false, patches, out = process.stdout, err = process.stderr }: PlainOptions): Promise<number> {
  // Text streams without newlines; a tool line must start on a line of its own.
  let atLineStart = true;
  const write = (s: string) => {
    if (!s) return;
    out.write(s);
    atLineStart = s.endsWith('\n');
  };
  const line = (s: string) => write(`${atLineStart ? '' : '\n'}${s}\n`);

  transport.send({ type: 'user_message', text: message });
  for await (const e of transport.events) {
    switch (e.type) {
      case 'text':
        write(e.text);
        break;
      case 'tool_call':
        line(`● ${e.name}(${oneLineArgs(e.input)})`);
        break;
      case 'approval_request':
        if (autoApprove) break;
        transport.send({ type: 'approval', id: e.id, decision: 'deny', reason: NO_TERMINAL_REASON });
        line(`  denied ${e.description}: ${NO_TERMINAL_REASON}`);
        break;
      case 'tool_result': {
        const diff = !e.isError && !!e.display && isDiff(e.display);
        const shown = diff ? diffBody(e.display!) : e.display || e.output;
        const { lines, hidden } = headLines(shown || '(no output)', diff ? 40 : 8);
        for (const [i, l] of lines.entries()) line(`${i === 0 ? '  ⎿ ' : '    '}${l}`);
        if (hidden) line(`    … ${hidden} more lines`);
        break;
      }
      case 'context_elided':
        line(`(context was getting full: ${e.results} old tool results elided)`);
        break;
      case 'error':
        err.write(`clade chat: ${e.message}\n`);
        break;
      case 'turn_end': {
        const notice = turnEndNotice(e.reason, e.error);
        if (notice) line(`[${notice}]`);
        else if (!atLineStart) write('\n');
        const applied = patches ? await offerPatch(patches, autoApprove, line, err) : true;
        return e.reason === 'error' || !applied ? 1 : 0;
      }
      default:
        break;
    }
  }
  err.write('clade chat: the agent ended the session before the turn finished\n');
  return 1;
}

const PATCH_LINES = 400;

/** Prints the turn's changes and applies them with --yes; false when they could not be collected or applied. */
async function offerPatch(patches: PatchReview, autoApprove: boolean, line: (s: string) => void, err: NodeJS.WritableStream): Promise<boolean> {
  let patch;
  try {
    patch = await patches.pending();
  } catch (e) {
    err.write(`clade chat: ${(e as Error).message}\n`);
    return false;
  }
  if (!patch) return true;
  line(`● changes made in the sandbox (the whole patch: ${patch.savedTo})`);
  if (patch.summary) line(patch.summary);
  const { lines, hidden } = headLines(patch.diff, PATCH_LINES, Infinity);
  for (const l of lines) line(l);
  if (hidden) line(`… ${hidden} more lines`);
  if (!autoApprove) {
    line(`  not applied: ${NO_TERMINAL_REASON}, or review ${patch.savedTo} and apply it with git apply`);
    return true;
  }
  const r = await patches.apply(patch);
  if (r.ok) line(`  ${r.message}`);
  else err.write(`clade chat: ${r.message}\n`);
  return r.ok;
}
