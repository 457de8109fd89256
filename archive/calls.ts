// Reads the gateway call logs of a run: every gateway session writes one JSONL line per call, and those lines are the
// truth about money. Reading never writes; archive.ts decides what to record.
import { closeSync, constants, fstatSync, openSync, readdirSync, readSync, type Dirent } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { z } from 'zod';
import type { CallRow } from './db.ts';

/** Folders that hold source, dependencies or a variant's working tree, never a call log. */
const SKIP_DIRS = new Set(['source.git', 'deps', 'work', 'node_modules', '.git']);
/**
 * A gateway line holds a request and a response capped at 256 KiB each (JSON escaping can grow them a few times): a
 * line past this is not one, and is skipped rather than held in memory.
 */
export const MAX_LINE_BYTES = 16 * 1024 * 1024;
/** Read per log per scan; a longer log is read on by the next scan, from where this one stopped. */
export const MAX_SCAN_BYTES = 256 * 1024 * 1024;
const CHUNK = 1024 * 1024;

const Usage = z.object({ usage: z.object({ input_tokens: z.number().int().nonnegative().optional(), output_tokens: z.number().int().nonnegative().optional() }) });

/** The fields of gateway/server.ts's CallRecord that the ledger needs; the rest of the line is not read. */
const CallLine = z.object({
  seq: z.number().int().nonnegative(),
  session: z.string(),
  time: z.string(),
  endpoint: z.string(),
  status: z.number().int(),
  costMicros: z.number().int().nonnegative().optional(),
  costUsd: z.number().nonnegative().finite().optional(),
  response: z.unknown().optional(),
});

/** A call's cost in micro-dollars: the gateway's own integer when it wrote one; a call it did not bill costs 0. */
function toRow(log: string, offset: number, line: z.infer<typeof CallLine>): CallRow {
  const usage = Usage.safeParse(line.response);
  return {
    log,
    offset,
    seq: line.seq,
    session: line.session,
    costMicros: line.costMicros ?? (line.costUsd === undefined ? 0 : Math.round(line.costUsd * 1e6)),
    inputTokens: usage.success ? (usage.data.usage.input_tokens ?? null) : null,
    outputTokens: usage.success ? (usage.data.usage.output_tokens ?? null) : null,
    time: line.time,
  };
}

function parseLine(text: string): z.infer<typeof CallLine> | undefined {
  try {
    const parsed = CallLine.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

export interface LogScan {
  /** Relative to the run folder, with '/' separators. */
  log: string;
  /** The byte after the last complete line read: where the next scan starts. */
  scannedBytes: number;
  calls: CallRow[];
  /** Complete lines that are not call records (or are too long to be): counted, never guessed at. */
  skipped: number;
}

/** Every *.jsonl file under the run folder, without following symlinks and without entering source or work trees. */
export function findJsonl(runDir: string): string[] {
  const found: string[] = [];
  const stack = [runDir];
  while (stack.length) {
    const dir = stack.pop()!;
    let entries: Dirent[];
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch {
      continue; // removed while walking, or unreadable: it holds nothing this scan can count
    }
    for (const e of entries) {
      const path = join(dir, e.name);
      if (e.isDirectory() && !SKIP_DIRS.has(e.name)) stack.push(path);
      // An agent writes its own trajectory; a line in it that looks like a call must not count as money.
      else if (e.isFile() && e.name.endsWith('.jsonl') && !e.name.includes('trajectory')) found.push(path);
    }
  }
  return found.sort();
}

/**
 * Reads one file from `from`: its complete lines, each parsed as a call record. A file not yet known as a log (`known`
 * false) counts as one only when its first line is a call record, so other JSONL files are passed over. A last line
 * without its newline (being written, or torn by a kill) is left for the next scan. Returns undefined for a file that is
 * not a call log.
 */
export function scanLog(runDir: string, path: string, from: number, known: boolean): LogScan | undefined {
  const log = relative(runDir, path).split(sep).join('/');
  let fd: number;
  try {
    // O_NOFOLLOW: a symlink swapped in after the walk is not followed either.
    fd = openSync(path, constants.O_RDONLY | constants.O_NOFOLLOW);
  } catch {
    return undefined;
  }
  try {
    const size = fstatSync(fd).size;
    // Shorter than what was read before: the file was replaced, so it is read again from the start (its lines are
    // other calls, at offsets already seen or not).
    const start = size < from ? 0 : from;
    const end = Math.min(size, start + MAX_SCAN_BYTES);
    const scan: LogScan = { log, scannedBytes: start, calls: [], skipped: 0 };
    let isLog = known;
    let pending: Buffer[] = [];
    let pendingBytes = 0;
    let overlong = false;
    let lineStart = start;
    const buf = Buffer.alloc(CHUNK);
    for (let pos = start; pos < end; ) {
      const n = readSync(fd, buf, 0, Math.min(CHUNK, end - pos), pos);
      if (n === 0) break;
      let at = 0;
      while (at < n) {
        const nl = buf.indexOf(0x0a, at);
        const stop = nl === -1 || nl >= n ? n : nl;
        if (!overlong) {
          pending.push(Buffer.from(buf.subarray(at, stop)));
          pendingBytes += stop - at;
          if (pendingBytes > MAX_LINE_BYTES) {
            overlong = true;
            pending = [];
          }
        }
        if (stop === n) break;
        // A complete line.
        const text = overlong ? undefined : Buffer.concat(pending).toString('utf8');
        const line = text === undefined ? undefined : parseLine(text);
        if (!isLog) {
          if (!line) return undefined;
          isLog = true;
        }
        if (line) scan.calls.push(toRow(log, lineStart, line));
        else if (text?.trim() !== '') scan.skipped++;
        lineStart = pos + nl + 1;
        scan.scannedBytes = lineStart;
        pending = [];
        pendingBytes = 0;
        overlong = false;
        at = nl + 1;
      }
      pos += n;
    }
    return isLog ? scan : undefined;
  } finally {
    closeSync(fd);
  }
}
