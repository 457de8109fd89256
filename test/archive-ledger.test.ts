// The archive as the run's ledger: spend from the gateway call logs in integer micro-dollars, typed outcomes, events,
// one transaction across records, and a damaged or newer archive refused before a byte of the run folder changes.
// Real SQLite, real git, real temp folders, and the real CLI for what a user sees.
import { describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { appendFileSync, lstatSync, mkdirSync, readdirSync, readFileSync, readlinkSync, rmSync, symlinkSync, truncateSync, writeFileSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { execa } from 'execa';
import { Archive, ArchiveDamaged, ArchiveTooNew, SCHEMA_VERSION } from '../archive/archive.ts';
import { renderReport, type ReportData } from '../report/html.ts';
import { tempDir } from './helpers.ts';

const bin = fileURLToPath(new URL('../bin/clade.js', import.meta.url));
const clade = (args: string[]) => execa('node', [bin, ...args], { reject: false, timeout: 110_000 });

// The schema as it was before the ledger (archive/db.ts at the commit before it), to build an archive an older Clade wrote.
const OLD_SCHEMA = `
CREATE TABLE IF NOT EXISTS variants (
  id TEXT PRIMARY KEY,
  seq INTEGER NOT NULL UNIQUE,
  parent_id TEXT REFERENCES variants(id),
  commit_sha TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('seed', 'valid', 'invalid')),
  reason TEXT,
  proposal TEXT,
  modify_cost_usd REAL NOT NULL DEFAULT 0,
  modify_input_tokens INTEGER NOT NULL DEFAULT 0,
  modify_output_tokens INTEGER NOT NULL DEFAULT 0,
  modify_seconds REAL NOT NULL DEFAULT 0,
  modify_trajectory TEXT,
  created_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS evaluations (
  id INTEGER PRIMARY KEY,
  variant_id TEXT NOT NULL REFERENCES variants(id),
  task_id TEXT NOT NULL,
  split TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('resolved', 'unresolved', 'error')),
  cost_usd REAL NOT NULL,
  input_tokens INTEGER NOT NULL,
  output_tokens INTEGER NOT NULL,
  seconds REAL NOT NULL,
  trajectory TEXT NOT NULL,
  patch TEXT NOT NULL,
  grade TEXT,
  error TEXT,
  created_at TEXT NOT NULL,
  tampered TEXT,
  UNIQUE (variant_id, task_id)
);
CREATE TABLE IF NOT EXISTS failed_steps (
  id INTEGER PRIMARY KEY,
  parent_id TEXT NOT NULL REFERENCES variants(id),
  kind TEXT NOT NULL,
  reason TEXT NOT NULL,
  cost_usd REAL NOT NULL,
  created_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
`;

/** Every file and symlink under `dir` with a hash of its bytes: "nothing changed" means this map is equal before and after. */
function snapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string) => {
    for (const name of readdirSync(d).sort()) {
      const path = join(d, name);
      const st = lstatSync(path);
      if (st.isSymbolicLink()) out[path] = `link ${readlinkSync(path)}`;
      else if (st.isDirectory()) {
        out[path] = 'dir';
        walk(path);
      } else out[path] = createHash('sha256').update(readFileSync(path)).digest('hex');
    }
  };
  walk(dir);
  return out;
}

async function source(files: Record<string, string>): Promise<string> {
  const dir = await tempDir();
  for (const [path, text] of Object.entries(files)) {
    await mkdir(dirname(join(dir, path)), { recursive: true });
    await writeFile(join(dir, path), text);
  }
  return dir;
}

/** A run with a seed and one child, real commits in source.git. */
async function smallRun(): Promise<string> {
  const run = await tempDir('clade-ledger-');
  const archive = await Archive.open(run, { create: true });
  await archive.add({ parentId: null, dir: await source({ 'a.txt': 'seed\n' }), status: 'seed' });
  await archive.add({ parentId: 'v0', dir: await source({ 'a.txt': 'child\n' }), status: 'valid', proposal: { problem: 'p', improvement: 'i', implementation: 'x' } });
  archive.close();
  return run;
}

let seq = 0;
const call = (over: Record<string, unknown>) =>
  JSON.stringify({ seq: ++seq, session: 's', time: '2026-01-01T00:00:00.000Z', durationMs: 5, endpoint: 'messages', stream: false, status: 200, request: { big: 'x'.repeat(50) }, spent: {}, ...over }) + '\n';

function log(run: string, rel: string, text: string): void {
  const path = join(run, rel);
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, text);
}

const evaluation = (variantId: string, taskId: string, status: 'resolved' | 'unresolved' | 'error', extra: Record<string, unknown> = {}) => ({
  variantId,
  taskId,
  split: 'small',
  status,
  costUsd: 0.01,
  inputTokens: 1,
  outputTokens: 1,
  seconds: 1,
  trajectory: '',
  patch: '',
  grade: null,
  error: status === 'error' ? 'agent crashed' : null,
  ...extra,
});

describe('spend from the call logs', () => {
  it('imports every billed call once, in exact micro-dollars, from logs at any depth', async () => {
    const run = await smallRun();
    log(run, 'steps/1/diagnose.jsonl', call({ costMicros: 1_234_567, response: { usage: { input_tokens: 100, output_tokens: 20 } } }) + call({ costUsd: 0.000123 }) + call({ status: 402 }) + '{"seq": 99, "session": "s", "tim');
    log(run, 'steps/1/modify/gateway.jsonl', call({ costMicros: 3, costUsd: 0.5 }));
    log(run, 'variants/v1/tasks/t1/attempt-2/gateway.jsonl', call({ costMicros: 700_001 }) + call({ costMicros: 0 }));
    // Not call logs: an agent-written trajectory that imitates one, other JSONL, a source tree, and symlinks.
    log(run, 'variants/v1/tasks/t1/trajectory.jsonl', call({ costMicros: 9_000_000_000 }));
    log(run, 'variants/v1/tasks/t1/events.jsonl', '{"type":"turn","n":1}\n' + call({ costMicros: 5_000_000 }));
    log(run, 'work/v1/gateway.jsonl', call({ costMicros: 5_000_000 }));
    const outside = await tempDir();
    writeFileSync(join(outside, 'gateway.jsonl'), call({ costMicros: 5_000_000 }));
    symlinkSync(join(outside, 'gateway.jsonl'), join(run, 'steps', 'linked.jsonl'));
    symlinkSync(outside, join(run, 'steps', 'linked-dir'));

    const archive = await Archive.open(run);
    // 1_234_567 + round(123.00000000000001) + 0 (refused, unbilled) + 3 (the integer wins over costUsd) + 700_001 + 0; the torn line waits.
    const expected = 1_234_567 + 123 + 0 + 3 + 700_001 + 0;
    expect(archive.importCalls()).toEqual({ imported: 6, micros: expected, skipped: 0 });
    expect(archive.spentMicros()).toBe(expected);
    expect(archive.spentUsd()).toBe(expected / 1e6);
    expect(archive.calls().map((c) => [c.log, c.costMicros, c.inputTokens, c.outputTokens])).toEqual([
      ['steps/1/diagnose.jsonl', 1_234_567, 100, 20],
      ['steps/1/diagnose.jsonl', 123, null, null],
      ['steps/1/diagnose.jsonl', 0, null, null],
      ['steps/1/modify/gateway.jsonl', 3, null, null],
      ['variants/v1/tasks/t1/attempt-2/gateway.jsonl', 700_001, null, null],
      ['variants/v1/tasks/t1/attempt-2/gateway.jsonl', 0, null, null],
    ]);

    // Again: nothing new.
    expect(archive.importCalls()).toEqual({ imported: 0, micros: 0, skipped: 0 });
    expect(archive.spentMicros()).toBe(expected);

    // The torn line completed by its writer, and a second session appending to the same log with its seq starting over.
    appendFileSync(join(run, 'steps/1/diagnose.jsonl'), 'e": "2026-01-01T00:00:01Z", "endpoint": "messages", "status": 200, "costMicros": 10}\n');
    appendFileSync(join(run, 'steps/1/diagnose.jsonl'), JSON.stringify({ seq: 1, session: 'again', time: 't', endpoint: 'messages', status: 200, costMicros: 20 }) + '\n');
    expect(archive.importCalls()).toEqual({ imported: 2, micros: 30, skipped: 0 });
    expect(archive.spentMicros()).toBe(expected + 30);
    archive.close();
  });

  it('reads, never writes, for the inspection commands: the total recorded and what the logs hold beyond it', async () => {
    const run = await smallRun();
    log(run, 'steps/1/diagnose.jsonl', call({ costMicros: 250_000 }));
    const archive = await Archive.open(run);
    archive.importCalls();
    archive.recordFailedStep({ parentId: 'v1', kind: 'modify', reason: 'modification crashed\nstack…', costUsd: 0.125 });
    archive.recordEvent({ kind: 'retry', subject: 'v1:t1', detail: { attempt: 1, error: 'docker engine went away' }, costMicros: 40_000 });
    archive.recordEvent({ kind: 'config-change', subject: 'run', detail: { changes: [{ flag: '--model', from: 'a', to: 'b' }] } });
    archive.close();
    // A call a killed process logged but never recorded.
    log(run, 'variants/v1/tasks/t1/attempt-1/gateway.jsonl', call({ costMicros: 1_500_000 }));
    const before = snapshot(run);

    const ls = await clade(['archive', 'ls', '--run', run]);
    expect(ls.stderr).toBe('');
    expect(ls.exitCode).toBe(0);
    expect(ls.stdout).toContain('$0.2500 spent');
    expect(ls.stdout).toContain('spend: 1 model call recorded from the gateway logs · the logs hold 1 more call ($1.5000) not recorded yet');
    expect(ls.stdout).toContain('1 retried evaluation attempt, $0.0400');
    expect(ls.stdout).toMatch(/config-change: .*--model/);

    const show = await clade(['archive', 'show', 'v1', '--run', run, '--json']);
    expect(show.exitCode).toBe(0);
    const detail = JSON.parse(show.stdout) as { failedSteps: unknown[]; events: unknown[] };
    expect(detail.failedSteps).toEqual([expect.objectContaining({ parentId: 'v1', kind: 'modify', reason: 'modification crashed\nstack…', costUsd: 0.125 })]);
    expect(detail.events).toEqual([expect.objectContaining({ kind: 'retry', subject: 'v1:t1', costUsd: 0.04, detail: { attempt: 1, error: 'docker engine went away' } })]);
    expect(snapshot(run)).toEqual(before);

    const ro = await Archive.open(run, { readOnly: true });
    expect(ro.pendingCalls()).toEqual({ imported: 1, micros: 1_500_000, skipped: 0 });
    expect(() => ro.importCalls()).toThrow(/open read-only/);
    ro.close();
    expect(snapshot(run)).toEqual(before);
  });
});

describe('records', () => {
  it('gives old archives a typed outcome and a schema version, reading them without writing', async () => {
    const run = await smallRun();
    const made = await Archive.open(run, { readOnly: true });
    const commit = made.get('v0')!.commit;
    made.close();
    rmSync(join(run, 'archive.db'));
    const old = new Database(join(run, 'archive.db'));
    old.pragma('journal_mode = WAL');
    old.exec(OLD_SCHEMA);
    old.prepare("INSERT INTO variants (id, seq, parent_id, commit_sha, status, created_at) VALUES ('v0', 0, NULL, ?, 'seed', 't')").run(commit);
    const row = old.prepare("INSERT INTO evaluations (variant_id, task_id, split, status, cost_usd, input_tokens, output_tokens, seconds, trajectory, patch, error, tampered, created_at) VALUES ('v0', ?, 'small', ?, 0.5, 1, 1, 1, '', '', ?, ?, 't')");
    row.run('t1', 'resolved', null, null);
    row.run('t2', 'unresolved', null, 'rewrote the test runner');
    row.run('t3', 'error', 'agent crashed', null);
    row.run('t4', 'unresolved', null, null);
    old.close();
    const before = snapshot(run);

    const ro = await Archive.open(run, { readOnly: true });
    expect(ro.evaluations().map((e) => [e.taskId, e.outcome, e.attempts])).toEqual([
      ['t1', 'resolved', 1],
      ['t2', 'tampered', 1],
      ['t3', 'agent_error', 1],
      ['t4', 'unresolved', 1],
    ]);
    // An old archive never imported a log: its total is what its records say.
    expect(ro.spentUsd()).toBe(2);
    ro.close();
    expect(snapshot(run)).toEqual(before);

    const archive = await Archive.open(run);
    expect(archive.tree().evaluations.map((e) => e.resolved)).toEqual([true, false, false, false]);
    archive.recordEvaluation(evaluation('v0', 't5', 'unresolved', { tampered: 'edited the grader' }));
    archive.recordEvaluation(evaluation('v0', 't6', 'error', { attempts: 3 }));
    archive.recordEvaluation(evaluation('v0', 't7', 'unresolved', { outcome: 'agent_error' }));
    expect(() => archive.recordEvaluation(evaluation('v0', 't8', 'unresolved', { attempts: 0 }))).toThrow(/attempts must be a positive integer/);
    expect(archive.evaluations().slice(4).map((e) => [e.taskId, e.outcome, e.attempts])).toEqual([
      ['t5', 'tampered', 1],
      ['t6', 'agent_error', 3],
      ['t7', 'agent_error', 1],
    ]);
    archive.close();
    const db = new Database(join(run, 'archive.db'), { readonly: true });
    expect(db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
    db.close();
  });

  it('writes a record and the meta that depends on it together, or neither', async () => {
    const run = await smallRun();
    const archive = await Archive.open(run);
    expect(() =>
      archive.atomically(() => {
        archive.recordEvaluation(evaluation('v1', 't1', 'resolved'));
        archive.setMeta('decisions', '[1]');
        archive.recordEvent({ kind: 'stop', subject: 'run', detail: { reason: 'budget' } });
        throw new Error('killed between the two');
      }),
    ).toThrow(/killed/);
    expect([archive.evaluations().length, archive.getMeta('decisions'), archive.events().length]).toEqual([0, undefined, 0]);
    const out = archive.atomically(() => {
      archive.recordEvaluation(evaluation('v1', 't1', 'resolved'));
      archive.setMeta('decisions', '[1]');
      return archive.recordEvent({ kind: 'discarded', subject: 'v1:t2', detail: { reason: 'budget stop' }, costMicros: 12 });
    });
    expect(out).toMatchObject({ kind: 'discarded', costMicros: 12 });
    expect(archive.getMeta('decisions')).toBe('[1]');
    expect(archive.events('discarded').map((e) => [e.subject, e.detail, e.costMicros])).toEqual([['v1:t2', { reason: 'budget stop' }, 12]]);
    expect(archive.events('retry')).toEqual([]);
    expect(() => archive.recordEvent({ kind: 'retry', subject: 'v1:t1', costMicros: 0.5 })).toThrow(/non-negative integer/);
    archive.close();
  });
});

describe('the report', () => {
  it('lists failed steps and events with their costs, and money the logs hold that is not recorded yet', () => {
    const data: ReportData = {
      title: 'r',
      generatedAt: '2026-01-01T00:00:00Z',
      runDir: '/r',
      policy: 'hgm',
      model: 'm',
      demo: false,
      variants: [{ id: 'v0', parentId: null, status: 'seed', createdAt: '2026-01-01T00:00:00Z', resolved: 0, evaluated: 1, score: 0, diff: '', modifyCostUsd: 0, results: [{ taskId: 't1', status: 'error', costUsd: 0.1, seconds: 1, tokens: 2, attempts: 3 }] }],
      bestBelief: null,
      bestPath: [],
      timeline: [],
      totals: { variants: 1, valid: 1, invalid: 0, evaluations: 1, spendUsd: 1.25 },
      spend: { source: 'calls', calls: 12, unrecordedCalls: 2, unrecordedUsd: 0.5 },
      failedSteps: [{ parentId: 'v0', kind: 'modify', reason: '<img src=x onerror=alert(1)> crashed', costUsd: 0.125, createdAt: '2026-01-01T00:01:00Z' }],
      events: [
        { kind: 'retry', subject: 'v0:t1', detail: { attempt: 1, error: 'engine <gone>' }, costUsd: 0.04, createdAt: '2026-01-01T00:02:00Z' },
        { kind: 'config-change', subject: 'run', detail: { changes: [{ flag: '--model' }] }, costUsd: 0, createdAt: '2026-01-01T00:03:00Z' },
      ],
    };
    const html = renderReport(data);
    expect(html).toContain('12 model calls, from the gateway logs');
    expect(html).toContain('+$0.5000 in 2 logged calls not recorded yet');
    expect(html).toContain('(3 attempts)');
    expect(html).toContain('<td class="num">$0.1250</td><td class="err">&lt;img src=x onerror=alert(1)&gt; crashed</td>');
    expect(html).toContain('<td>retry</td><td><a href="#variant-v0">v0:t1</a></td><td class="num">$0.0400</td><td class="err">attempt 1: engine &lt;gone&gt;</td>');
    expect(html).toContain('<td>config-change</td><td>run</td>');
    expect(html).not.toContain('<img');
  });
});

/** The CLI's answer on a damaged run: exit 1, one line on stderr naming `file`, and the run folder exactly as it was. */
async function refused(run: string, file: string, says: RegExp): Promise<void> {
  const before = snapshot(run);
  const r = await clade(['archive', 'ls', '--run', run]);
  expect(r.exitCode).toBe(1);
  expect(r.stdout).toBe('');
  expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
  expect(r.stderr).toContain(file);
  expect(r.stderr).toMatch(says);
  expect(snapshot(run)).toEqual(before);
  // The loop's read-write open refuses the same way, before it writes anything either.
  await expect(Archive.open(run)).rejects.toThrow(says);
  expect(snapshot(run)).toEqual(before);
}

describe('a damaged or newer archive', () => {
  it('refuses an archive.db written by a newer Clade', async () => {
    const run = await smallRun();
    const db = new Database(join(run, 'archive.db'));
    db.pragma(`user_version = ${SCHEMA_VERSION + 1}`);
    db.close();
    await refused(run, join(run, 'archive.db'), /written by a newer Clade.*upgrade Clade, or pass another --run/);
    await expect(Archive.open(run, { readOnly: true })).rejects.toBeInstanceOf(ArchiveTooNew);
  });

  it('refuses a corrupt archive.db (random bytes, or cut short) and says how to fix it', async () => {
    const garbage = await tempDir('clade-ledger-');
    writeFileSync(join(garbage, 'archive.db'), createHash('sha512').update('not a database').digest().toString('hex').repeat(64));
    await refused(garbage, join(garbage, 'archive.db'), /is damaged .*restore it from a copy, or start a new run with another --run/);

    const cut = await smallRun();
    const file = join(cut, 'archive.db');
    truncateSync(file, Math.floor(readFileSync(file).length / 2));
    await refused(cut, file, /is damaged .*restore it from a copy/);
    await expect(Archive.open(cut, { readOnly: true })).rejects.toBeInstanceOf(ArchiveDamaged);
  });

  it('refuses a variant whose commit is gone from source.git, and puts back a ref that is only missing', async () => {
    const run = await smallRun();
    const gitDir = join(run, 'source.git');
    const archive = await Archive.open(run, { readOnly: true });
    const v1 = archive.get('v1')!.commit;
    archive.close();

    // A lost ref (a kill between the row and the ref) is repaired when the loop opens the run; inspecting leaves it.
    await execa('git', ['--git-dir', gitDir, 'update-ref', '-d', 'refs/variants/v1']);
    (await Archive.open(run, { readOnly: true })).close();
    expect((await execa('git', ['--git-dir', gitDir, 'rev-parse', '--verify', '-q', 'refs/variants/v1'], { reject: false })).exitCode).not.toBe(0);
    (await Archive.open(run)).close();
    expect((await execa('git', ['--git-dir', gitDir, 'rev-parse', 'refs/variants/v1'])).stdout.trim()).toBe(v1);

    // A lost commit object cannot be repaired.
    await execa('git', ['--git-dir', gitDir, 'update-ref', '-d', 'refs/variants/v1']);
    rmSync(join(gitDir, 'objects', v1.slice(0, 2), v1.slice(2)));
    await refused(run, gitDir, new RegExp(`variant v1's commit ${v1} is missing from .*restore source.git from a copy`));
  });
});
