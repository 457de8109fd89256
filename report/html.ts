// One self-contained HTML page about an evolution run. No scripts and a CSP that forbids every fetch, so the file
// stays inert and offline even if some model-written text ever slipped past escaping.
import type { ReportData, ReportEvent, ReportFailedStep, ReportSuite, ReportVariant } from './data.ts';
import { esc, pct, scoreColor, UNEVALUATED_COLOR, usd, variantHref, when } from './format.ts';
import { renderTree } from './tree.ts';
import { renderLineChart } from './charts.ts';
import { CSS } from './style.ts';

export type { ReportData, ReportVariant } from './data.ts';

const MAX_DIFF_LINES = 2000;

/** Diff lines classed by where they sit: a "+++"/"---" line is a file header only before the first hunk. */
export function renderDiff(diff: string): string {
  if (!diff.trim()) return '<p class="muted">No changes (the seed, or an empty diff).</p>';
  const lines = diff.replace(/\n$/, '').split('\n');
  let inHunk = false;
  const out = lines.slice(0, MAX_DIFF_LINES).map((line) => {
    let cls = 'ctx';
    if (line.startsWith('diff --git ')) {
      inHunk = false;
      cls = 'file';
    } else if (line.startsWith('@@')) {
      inHunk = true;
      cls = 'hunk';
    } else if (!inHunk) cls = 'meta';
    else if (line.startsWith('+')) cls = 'add';
    else if (line.startsWith('-')) cls = 'del';
    return `<span class="${cls}">${esc(line) || ' '}</span>`;
  });
  const more = lines.length - MAX_DIFF_LINES;
  if (more > 0) out.push(`<span class="meta">… ${more} more lines not shown</span>`);
  return `<pre class="diff">${out.join('')}</pre>`;
}

function scoreText(v: ReportVariant): string {
  if (v.score === null) return 'not evaluated';
  const interval = v.interval ? ` · interval ${pct(v.interval.low)}–${pct(v.interval.high)}` : '';
  return `${pct(v.score)} (${v.resolved}/${v.evaluated} resolved)${interval}`;
}

function renderProposal(p: NonNullable<ReportVariant['proposal']>): string {
  const from = p.taskId ? ` <span class="muted">from task ${esc(p.taskId)}</span>` : '';
  return (
    `<h4>Proposal${from}</h4><dl class="proposal">` +
    `<dt>What went wrong</dt><dd>${esc(p.problem)}</dd>` +
    `<dt>Improvement</dt><dd>${esc(p.improvement)}</dd>` +
    `<dt>How</dt><dd>${esc(p.implementation)}</dd></dl>`
  );
}

function renderResults(results: ReportVariant['results']): string {
  if (!results.length) return '<p class="muted">No task results.</p>';
  const rows = results.map(
    (r) =>
      `<tr><td>${esc(r.taskId)}</td><td class="r-${esc(r.status)}">${esc(r.status)}${r.tampered ? ' <span class="badge tampered">tampered</span>' : ''}${r.attempts && r.attempts > 1 ? ` <span class="muted">(${r.attempts} attempts)</span>` : ''}</td><td class="num">${usd(r.costUsd, 4)}</td>` +
      `<td class="num">${r.seconds.toFixed(1)} s</td><td class="num">${r.tokens.toLocaleString('en-US')}</td>` +
      `<td class="err">${esc([r.tampered ? `tampered: ${r.tampered}` : '', r.error ?? ''].filter(Boolean).join(' · '))}</td></tr>`,
  );
  return `<table class="results"><thead><tr><th>Task</th><th>Result</th><th class="num">Cost</th><th class="num">Time</th><th class="num">Tokens</th><th>Error</th></tr></thead><tbody>${rows.join('')}</tbody></table>`;
}

function renderVariant(v: ReportVariant, onPath: boolean): string {
  const parent = v.parentId === null ? 'none (seed)' : `<a href="${esc(variantHref(v.parentId))}">${esc(v.parentId)}</a>`;
  return (
    `<section id="variant-${esc(v.id)}" class="variant ${esc(v.status)}">` +
    `<h3><span class="swatch" style="background:${scoreColor(v.status === 'invalid' ? null : v.score)}"></span>${esc(v.id)} ` +
    `<span class="badge ${esc(v.status)}">${esc(v.status)}</span>${onPath ? '<span class="badge best">best path</span>' : ''}` +
    `<a class="up" href="#lineage">↑ tree</a></h3>` +
    `<p class="muted">parent ${parent} · created ${esc(when(v.createdAt))} · modification cost ${usd(v.modifyCostUsd)}</p>` +
    (v.status === 'invalid' ? `<p class="reason"><b>Invalid:</b> ${esc(v.reason ?? 'no reason recorded')}</p>` : '') +
    `<p class="score-line"><b>Score:</b> ${esc(scoreText(v))}</p>` +
    (v.proposal ? renderProposal(v.proposal) : '') +
    `<h4>Diff against parent</h4>${renderDiff(v.diff)}` +
    `<h4>Task results</h4>${renderResults(v.results)}</section>`
  );
}

/** Seconds, minutes or hours, whichever keeps the spend chart's axis numbers small. */
function timeUnit(spanSeconds: number): { div: number; name: string } {
  if (spanSeconds < 120) return { div: 1, name: 's' };
  if (spanSeconds < 2 * 3600) return { div: 60, name: 'min' };
  return { div: 3600, name: 'h' };
}

function renderCharts(data: ReportData): string {
  const t0 = data.timeline.length ? Date.parse(data.timeline[0]!.at) : 0;
  const secs = data.timeline.map((p) => (Date.parse(p.at) - t0) / 1000);
  const unit = timeUnit(Math.max(0, ...secs.filter(Number.isFinite)));
  const score = renderLineChart({
    id: 'chart-score',
    title: 'Best score over evaluations',
    xLabel: 'task evaluations',
    yLabel: 'best score',
    points: data.timeline.map((p) => [p.evaluations, p.bestScore]),
    yTick: pct,
    yMax: 1,
    steps: true,
  });
  const spend = renderLineChart({
    id: 'chart-spend',
    title: 'Spend over time',
    xLabel: `time since start (${unit.name})`,
    yLabel: 'spend (USD)',
    points: data.timeline.map((p, i) => [secs[i]! / unit.div, p.spendUsd]),
    yTick: (y) => usd(y),
  });
  return `<div class="charts">${score}${spend}</div>`;
}

function renderHeader(data: ReportData): string {
  const t = data.totals;
  const b = data.bestBelief;
  const best = b
    ? `<a href="${esc(variantHref(b.id))}">${esc(b.id)}</a><small>${pct(b.mean)} (${pct(b.low)}–${pct(b.high)})</small>`
    : '<span class="muted">none yet</span>';
  const demo = data.demo
    ? `<p class="demo" role="alert"><b>Demo run:</b> the model's answers were scripted (canned), so these scores measure nothing about any agent. The page only shows what a real run's report looks like.</p>`
    : '';
  return (
    `<header><h1>${esc(data.title)}</h1>${demo}<dl class="meta">` +
    `<dt>Run</dt><dd><code>${esc(data.runDir)}</code></dd><dt>Policy</dt><dd>${esc(data.policy)}</dd>` +
    `<dt>Model</dt><dd>${esc(data.model)}</dd><dt>Generated</dt><dd>${esc(when(data.generatedAt))}</dd></dl>` +
    `<div class="stats">` +
    `<div><b>${t.variants}</b><span>variants</span><small>${t.valid} valid · ${t.invalid} invalid</small></div>` +
    `<div><b>${t.evaluations}</b><span>task evaluations</span></div>` +
    `<div><b>${usd(t.spendUsd)}</b><span>spent</span>${spendNote(data)}</div>` +
    `<div><b>${best}</b><span>best belief</span></div></div></header>`
  );
}

function spendNote(data: ReportData): string {
  const s = data.spend;
  if (!s) return '';
  const source = s.source === 'calls' ? `${s.calls.toLocaleString('en-US')} model calls, from the gateway logs` : 'from the records (no gateway log imported)';
  const pending = s.unrecordedCalls ? ` · <span class="err">+${usd(s.unrecordedUsd, 4)} in ${s.unrecordedCalls.toLocaleString('en-US')} logged calls not recorded yet</span>` : '';
  return `<small>${esc(source)}${pending}</small>`;
}

/** A subject naming a variant (`v3` or `v3:task`) links to it. */
function subjectLink(subject: string, ids: Set<string>): string {
  const id = subject.split(':')[0]!;
  return ids.has(id) ? `<a href="${esc(variantHref(id))}">${esc(subject)}</a>` : esc(subject);
}

function eventText(detail: unknown): string {
  const d = detail as { error?: unknown; reason?: unknown; attempt?: unknown } | null;
  const what = typeof d?.error === 'string' ? d.error : typeof d?.reason === 'string' ? d.reason : undefined;
  const attempt = typeof d?.attempt === 'number' ? `attempt ${d.attempt}: ` : '';
  return what !== undefined ? `${attempt}${what}` : (JSON.stringify(detail) ?? '');
}

function renderHistory(failed: ReportFailedStep[], events: ReportEvent[], ids: Set<string>): string {
  const steps = failed.length
    ? `<table class="results"><thead><tr><th>When</th><th>From</th><th>Step</th><th class="num">Cost</th><th>Reason</th></tr></thead><tbody>${failed
        .map((f) => `<tr><td>${esc(when(f.createdAt))}</td><td>${subjectLink(f.parentId, ids)}</td><td>${esc(f.kind)}</td><td class="num">${usd(f.costUsd, 4)}</td><td class="err">${esc(f.reason)}</td></tr>`)
        .join('')}</tbody></table>`
    : '<p class="muted">No failed steps.</p>';
  const log = events.length
    ? `<table class="results"><thead><tr><th>When</th><th>Event</th><th>About</th><th class="num">Cost</th><th>Detail</th></tr></thead><tbody>${events
        .map((e) => `<tr><td>${esc(when(e.createdAt))}</td><td>${esc(e.kind)}</td><td>${subjectLink(e.subject, ids)}</td><td class="num">${usd(e.costUsd, 4)}</td><td class="err">${esc(eventText(e.detail))}</td></tr>`)
        .join('')}</tbody></table>`
    : '<p class="muted">No retries, discarded evaluations or configuration changes.</p>';
  return `<section id="history"><h2>Failed steps and events</h2><h4>Steps that made no variant</h4>${steps}<h4>Events</h4>${log}</section>`;
}

const SUITE_STATE: Record<ReportSuite['state'], string> = {
  same: '',
  changed: ' <span class="err">⚠ its content has changed since the run started</span>',
  missing: ' <span class="err">⚠ the folder cannot be read now</span>',
  unrecorded: ' <span class="muted">(a run from before suites: content not recorded)</span>',
};

/** Scores per split and per language, for every evaluation and for the best-belief variant, beside the published ones. */
function renderSuite(s: ReportSuite): string {
  const kn = (c: { resolved: number; evaluated: number } | undefined) => (c && c.evaluated ? `${c.resolved}/${c.evaluated} (${pct(c.resolved / c.evaluated)})` : '–');
  const table = (title: string, all: Record<string, { resolved: number; evaluated: number }>, best: Record<string, { resolved: number; evaluated: number }> | undefined) => {
    const keys = [...new Set([...Object.keys(all), ...Object.keys(best ?? {})])];
    if (!keys.length) return '';
    return (
      `<table class="results"><thead><tr><th>${esc(title)}</th><th class="num">All evaluations</th>${s.best ? `<th class="num">Best belief ${esc(s.best.id)}</th>` : ''}</tr></thead><tbody>` +
      keys.map((k) => `<tr><td>${esc(k)}</td><td class="num">${kn(all[k])}</td>${s.best ? `<td class="num">${kn(best?.[k])}</td>` : ''}</tr>`).join('') +
      `</tbody></table>`
    );
  };
  const reference = s.reference.length
    ? `<h4>Published results on this suite</h4><ul>${s.reference.map((r) => `<li>${esc(r.label)}: <b>${pct(r.resolveRate)}</b> on ${esc(r.split)} <span class="muted">(${esc(r.source)})</span></li>`).join('')}</ul>`
    : '';
  return (
    `<section id="suite"><h2>Suite</h2><p><b>${esc(s.name)}</b> <code>${esc(s.path)}</code>${s.hash ? ` <span class="muted">hash ${esc(s.hash.slice(0, 12))}</span>` : ''}${SUITE_STATE[s.state]}</p>` +
    table('Split', s.all.bySplit, s.best?.bySplit) +
    table('Language', s.all.byLanguage, s.best?.byLanguage) +
    reference +
    `</section>`
  );
}

const LEGEND =
  `<p class="legend"><span class="ramp"></span> score 0% → 100% ` +
  `<span class="key" style="background:${UNEVALUATED_COLOR}"></span> not evaluated ` +
  `<span class="key invalid">✕</span> invalid <span class="key best"></span> best-belief path ` +
  `<span class="muted">· click a node for its details</span></p>`;

export function renderReport(data: ReportData): string {
  const onPath = new Set(data.bestPath);
  return (
    `<!doctype html><html lang="en"><head><meta charset="utf-8">` +
    `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">` +
    `<meta name="viewport" content="width=device-width, initial-scale=1"><title>${esc(data.title)}</title>` +
    `<style>${CSS}</style></head><body><main>${renderHeader(data)}` +
    `<section id="lineage"><h2>Lineage</h2>${LEGEND}<div class="tree-wrap">${renderTree(data)}</div></section>` +
    `<section id="progress"><h2>Progress</h2>${renderCharts(data)}</section>` +
    (data.suite ? renderSuite(data.suite) : '') +
    (data.failedSteps || data.events ? renderHistory(data.failedSteps ?? [], data.events ?? [], new Set(data.variants.map((v) => v.id))) : '') +
    `<h2>Variants</h2>${data.variants.map((v) => renderVariant(v, onPath.has(v.id))).join('\n')}` +
    `</main></body></html>\n`
  );
}
