// The results channel: the test run's stdout, which carries exactly one record from the grader's runner,
// `clade-results NONCE BASE64(JSON)`, and nothing else. The nonce is fresh per run and lives only in the runner's
// memory (its file removes itself before any test code loads), so code under test that writes to stdout, or keeps
// writing after the runner finished, shows up as a second record or as bytes around the one record. Code in the
// same process can still find the nonce; canaries are the backstop for that.
import { z } from 'zod';

export const RECORD_PREFIX = 'clade-results';

const Results = z.array(z.object({ id: z.string().min(1).max(4096), status: z.enum(['passed', 'failed', 'skipped']) })).max(200_000);

export type ChannelRead =
  | { kind: 'results'; results: Record<string, 'passed' | 'failed' | 'skipped'> }
  /**
   * No results. `buildFailed` says the code did not compile (the compiler's own words, trimmed): every test of the run
   * failed, a grade like any other. Without it, no results means the run could not be graded: an error.
   */
  | { kind: 'none'; buildFailed?: string }
  | { kind: 'unreadable'; reason: string }
  | { kind: 'tampered'; reason: string };

export function readChannel(stdout: string, nonce: string): ChannelRead {
  const records = stdout.split(nonce).length - 1;
  if (records === 0) return { kind: 'none' };
  if (records > 1) return { kind: 'tampered', reason: `the results channel carried ${records} records, and the grader's runner writes one` };
  const start = stdout.indexOf(`${RECORD_PREFIX} ${nonce} `);
  if (start === -1) return { kind: 'tampered', reason: "the results channel carried the run's nonce outside a record" };
  const end = stdout.indexOf('\n', start);
  const line = stdout.slice(start, end === -1 ? undefined : end);
  const before = stdout.slice(0, start).trim().length;
  const after = end === -1 ? 0 : stdout.slice(end).trim().length;
  if (before || after) {
    return { kind: 'tampered', reason: `something besides the grader's runner wrote to the results channel (${before} characters before its record, ${after} after)` };
  }
  // No newline at the end: the runner was cut off mid-record (a killed run), which is no result at all.
  if (end === -1) return { kind: 'unreadable', reason: 'the results record was cut off' };
  try {
    const parsed = Results.parse(JSON.parse(Buffer.from(line.slice(RECORD_PREFIX.length + nonce.length + 2), 'base64').toString('utf8')));
    const results: Record<string, 'passed' | 'failed' | 'skipped'> = {};
    for (const { id, status } of parsed) results[id] = status;
    return { kind: 'results', results };
  } catch (err) {
    return { kind: 'unreadable', reason: `the results record does not parse: ${(err as Error).message.slice(0, 200)}` };
  }
}
