import type { Command } from 'commander';
import { breakdown, diffVariants, lineageTree, listVariants, runSuite, showVariant, summarize, type Count, type RunSummary, type SuiteScores, type VariantDetail, type VariantListing } from '../../evolve/inspect.ts';
import { emit, type OutputOptions } from '../output.ts';
import { runDirFlag } from '../flags.ts';
import { DEFAULT_RUN_DIR, withRun } from '../../evolve/open-run.ts';

type Flags = OutputOptions & { run: string };


// Proposals, reasons and file names are model-written: on a terminal, escape sequences and bidi overrides in them
// could rewrite what the user sees, so human output shows them as visible code points instead of obeying them.
// eslint-disable-next-line no-control-regex
const UNSAFE = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g;
export const clean = (s: string): string => s.replace(UNSAFE, (c) => `\\u{${c.codePointAt(0)!.toString(16)}}`);

const pct = (x: number | null) => (x === null ? '–' : `${Math.round(100 * x)}%`);
const usd = (x: number) => `$${x.toFixed(4)}`;
const time = (iso: string) => iso.replace('T', ' ').replace(/\.\d+Z$/, 'Z');
const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
const kn = (k: number, n: number) => (n ? `${k}/${n} ${pct(k / n)}` : '–');

function note(v: VariantListing): string {
  if (v.status === 'invalid') return `✕ ${v.reason ?? 'no reason recorded'}`;
  const tampered = v.tampered ? `⚠ tampered with ${plural(v.tampered, 'test run')} · ` : '';
  return `${tampered}${v.bestBelief ? '★ ' : ''}${v.improvement ?? (v.parentId === null ? '(seed)' : '')}`;
}

function table(rows: string[][]): string {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => [...r[i]!].length)));
  // The last column is free text; padding it would only add trailing spaces.
  return rows.map((r) => r.map((c, i) => (i === r.length - 1 ? c : c + ' '.repeat(widths[i]! - [...c].length))).join('  ').trimEnd()).join('\n');
}

function summaryLine(s: RunSummary): string {
  const best = s.bestBelief ? `best belief ${s.bestBelief.id} (${s.bestBelief.k}/${s.bestBelief.n}, posterior mean ${pct(s.bestBelief.mean)}, 90% ${pct(s.bestBelief.low)}–${pct(s.bestBelief.high)})` : 'no valid variant evaluated yet';
  const demo = s.config.demo ? ' · DEMO run: scripted model, the scores measure nothing' : '';
  return `${plural(s.variants, 'variant')} (${s.valid} valid, ${s.invalid} invalid), ${plural(s.evaluations, 'evaluation')}, ${plural(s.failedSteps, 'failed step')}, ${usd(s.spentUsd)} spent · ${best}${demo}${spendNote(s)}`;
}

/** Where the total comes from, and money the logs hold that the archive has not recorded yet. */
function spendNote(s: RunSummary): string {
  const u = s.spend.unrecorded;
  const source = s.spend.source === 'calls' ? `spend: ${plural(s.spend.calls, 'model call')} recorded from the gateway logs` : 'spend: from the records (no gateway log imported yet)';
  const pending = u.calls ? ` · the logs hold ${plural(u.calls, 'more call')} (${usd(u.usd)}) not recorded yet; \`clade evolve\` on this run records them` : '';
  const skipped = u.skippedLines ? ` · ${plural(u.skippedLines, 'log line')} could not be read as calls` : '';
  return `\n${source}${pending}${skipped}${eventsNote(s)}`;
}

/** Retries and discards as counts with their cost; configuration changes and stops one per line, as they matter alone. */
function eventsNote(s: RunSummary): string {
  const lines: string[] = [];
  for (const kind of ['retry', 'discarded'] as const) {
    const of = s.events.filter((e) => e.kind === kind);
    if (of.length) lines.push(`${plural(of.length, kind === 'retry' ? 'retried evaluation attempt' : 'discarded evaluation')}, ${usd(of.reduce((a, e) => a + e.costUsd, 0))}`);
  }
  for (const e of s.events.filter((x) => x.kind === 'config-change' || x.kind === 'stop')) lines.push(`${time(e.createdAt)} ${e.kind}: ${clean(JSON.stringify(e.detail) ?? '')}`);
  return lines.length ? `\nevents: ${lines.join('\n        ')}` : '';
}

const fixed = (usdAmount: number) => (usdAmount ? ` ${usd(usdAmount)}` : '');

function renderHistory(v: VariantDetail): string[] {
  const lines = [v.failedSteps.length ? 'failed steps from it:' : 'failed steps from it: none'];
  for (const f of v.failedSteps) lines.push(`  ${time(f.createdAt)}  ${f.kind}  ${usd(f.costUsd)}  ${clean(f.reason.split('\n')[0]!)}`);
  lines.push(v.events.length ? 'events:' : 'events: none');
  for (const e of v.events) lines.push(`  ${time(e.createdAt)}  ${e.kind}  ${clean(e.subject)}${fixed(e.costUsd)}  ${clean(eventText(e.detail))}`);
  return lines;
}

/** An event's detail in one line: its error or reason when it has one, else its JSON. */
function eventText(detail: unknown): string {
  const d = detail as { error?: unknown; reason?: unknown; attempt?: unknown } | null;
  const what = typeof d?.error === 'string' ? d.error : typeof d?.reason === 'string' ? d.reason : undefined;
  const attempt = typeof d?.attempt === 'number' ? `attempt ${d.attempt}: ` : '';
  return what !== undefined ? `${attempt}${what.split('\n')[0]}` : JSON.stringify(detail) ?? '';
}

const counts = (by: Record<string, Count>) =>
  Object.entries(by)
    .map(([name, c]) => `${name} ${kn(c.resolved, c.evaluated)}`)
    .join(', ') || '–';

const STATE: Record<SuiteScores['state'], string> = {
  same: '',
  changed: ' · ⚠ its content has changed since the run started',
  missing: ' · ⚠ the folder cannot be read now',
  unrecorded: ' · (a run from before suites: content not recorded)',
};

/** The run's suite and the scores on it per split and per language, with the published numbers to compare. */
export function renderSuite(s: SuiteScores, whose: string): string[] {
  return [
    `suite ${clean(s.name)}: ${clean(s.path)}${s.hash ? ` (hash ${s.hash.slice(0, 12)})` : ''}${STATE[s.state]}`,
    `  ${whose} by split: ${counts(s.bySplit)}`,
    `  ${whose} by language: ${counts(s.byLanguage)}`,
    ...s.reference.map((r) => `  reference: ${clean(r.label)}: ${pct(r.resolveRate)} on ${clean(r.split)} (${clean(r.source)})`),
  ];
}

function renderList(rows: VariantListing[], summary: RunSummary): string {
  const head = ['ID', 'PARENT', 'STATUS', 'SCORE', '95% CI', 'CLADE (CMP)', 'COST', 'CREATED', 'IMPROVEMENT / REASON'];
  const body = rows.map((v) => [
    v.id,
    v.parentId ?? '-',
    v.status,
    kn(v.resolved, v.evaluated),
    v.interval ? `${pct(v.interval.low)}–${pct(v.interval.high)}` : '–',
    kn(v.clade.resolved, v.clade.evaluated),
    usd(v.costUsd),
    time(v.createdAt),
    clean(note(v)),
  ]);
  return `${table([head, ...body])}\n\n${summaryLine(summary)}`;
}

const indent = (s: string, pad = '    ') => s.replace(/\n/g, `\n${pad}`);

function renderShow(v: VariantDetail): string {
  const lines = [
    `${v.id}  ${v.status}${v.bestBelief ? '  ★ best belief' : ''}  ${v.parentId ? `child of ${v.parentId}` : 'seed'}  created ${time(v.createdAt)}  commit ${v.commit.slice(0, 12)}`,
    ...renderSuite(v.suite, 'its evaluations'),
  ];
  if (v.status === 'invalid') lines.push(`  invalid: ${indent(clean(v.fullReason ?? 'no reason recorded'))}`);
  lines.push(
    `  score ${v.evaluated ? `${v.resolved}/${v.evaluated} (${pct(v.score)}, 95% CI ${pct(v.interval!.low)}–${pct(v.interval!.high)})` : 'not evaluated'}` +
      ` · clade of ${v.clade.size}: ${v.clade.evaluated ? `${v.clade.resolved}/${v.clade.evaluated} (CMP ${pct(v.clade.cmp)})` : 'not evaluated'}`,
    `  cost ${usd(v.costUsd)}: modification ${usd(v.modifyCostUsd)} (${(v.modify.inputTokens + v.modify.outputTokens).toLocaleString('en-US')} tokens, ${v.modify.seconds.toFixed(0)} s), evaluations ${usd(v.evalCostUsd)}`,
  );
  if (v.modify.trajectory) lines.push(`  modification trajectory: ${clean(v.modify.trajectory)}`);
  if (v.proposal) {
    const p = v.proposal;
    lines.push(`proposal${p.taskId ? ` (from task ${clean(p.taskId)})` : ''}:`, `  problem:        ${indent(clean(p.problem), ' '.repeat(18))}`, `  improvement:    ${indent(clean(p.improvement), ' '.repeat(18))}`, `  implementation: ${indent(clean(p.implementation), ' '.repeat(18))}`);
  }
  lines.push(`children: ${v.children.length ? v.children.map((c) => `${c.id} (${c.status})`).join(', ') : 'none'}`);
  if (v.parentId) lines.push(`changes against ${v.parentId} (\`clade archive diff ${v.parentId} ${v.id}\` for the diff):`, v.diffStat.trimEnd() ? clean(v.diffStat.trimEnd()).replace(/^ */gm, '  ') : '  none');
  lines.push(v.evaluations.length ? 'evaluations:' : 'evaluations: none');
  for (const e of v.evaluations) {
    const tests = e.tests ? `  fail-to-pass ${e.tests.failToPass.passed}/${e.tests.failToPass.total}, pass-to-pass ${e.tests.passToPass.passed}/${e.tests.passToPass.total}` : '';
    lines.push(`  ${clean(e.taskId)}  ${e.split}  ${e.outcome}${e.attempts > 1 ? ` (${e.attempts} attempts)` : ''}  ${usd(e.costUsd)}  ${e.seconds.toFixed(1)} s  ${e.tokens.toLocaleString('en-US')} tokens${tests}${e.error ? `  error: ${clean(e.error.split('\n')[0]!)}` : ''}`);
    if (e.tampered) lines.push(`      ⚠ TAMPERED: ${clean(e.tampered)}`);
    if (e.trajectory) lines.push(`      trajectory ${clean(e.trajectory)}`);
  }
  lines.push(...renderHistory(v));
  return lines.join('\n');
}

const runOption = (cmd: Command) => cmd.option('--run <dir>', 'the run directory', runDirFlag, DEFAULT_RUN_DIR).option('--json', 'print the result as JSON');

export function registerArchive(program: Command): void {
  const archive = program.command('archive');

  runOption(archive.command('ls').description('list the variants with their scores, clade statistics and costs')).action((opts: Flags) =>
    withRun(opts.run, async (a) => {
      const rows = listVariants(a);
      // --json stays the array of variants; the suite and its breakdown are for people reading the table.
      const suite = opts.json ? undefined : breakdown(await runSuite(a), a.evaluations());
      emit(opts, rows, () => `${renderList(rows, summarize(a))}\n${renderSuite(suite!, 'all evaluations').join('\n')}`);
    }),
  );

  runOption(archive.command('show').description('everything about one variant: proposal, evaluations, children, changes').argument('<id>', 'variant id, e.g. v3')).action((id: string, opts: Flags) =>
    withRun(opts.run, async (a) => {
      const detail = await showVariant(a, id);
      emit(opts, detail, () => renderShow(detail));
    }),
  );

  runOption(archive.command('diff').description('the git diff from variant A to variant B').argument('<a>', 'from variant').argument('<b>', 'to variant')).action((from: string, to: string, opts: Flags) =>
    withRun(opts.run, async (a) => {
      const diff = await diffVariants(a, from, to);
      if (opts.json) emit(opts, { from, to, diff }, () => '');
      // Piped, the diff stays byte-exact for `git apply`; on a terminal, model-written escape sequences are neutralised.
      else process.stdout.write(process.stdout.isTTY ? clean(diff) : diff);
    }),
  );

  runOption(archive.command('tree').description('the lineage tree: ★ best belief, ✕ invalid')).action((opts: Flags) =>
    withRun(opts.run, (a) => {
      const tree = lineageTree(a);
      emit(opts, tree, () => `${clean(tree.text)}\n\n★ best belief (highest 5% posterior quantile of its own score) · ✕ invalid`);
    }),
  );
}
