// Small line charts as inline SVG: axes with round-number ticks, one polyline, dots where there are few points.
import { esc } from './format.ts';

export interface LineChart {
  id: string;
  title: string;
  xLabel: string;
  yLabel: string;
  points: Array<[number, number]>;
  yTick: (y: number) => string;
  /** Fixed top of the y axis (a score's is 1); otherwise fitted to the data. */
  yMax?: number;
  /** Draw a running value as steps: it holds until the next sample rather than sliding there. */
  steps?: boolean;
}

const CW = 520;
const CH = 250;
const M = { left: 60, right: 18, top: 34, bottom: 46 };

/** Ticks at 1, 2 or 5 times a power of ten, at most about `count` of them, from 0 past max. */
export function niceTicks(max: number, count = 5): number[] {
  if (!(max > 0) || !Number.isFinite(max)) return [0, 1];
  const raw = max / count;
  const pow = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * pow).find((s) => s >= raw)!;
  const ticks: number[] = [];
  for (let i = 0; i * step < max + step * 1e-9; i++) ticks.push(+(i * step).toPrecision(12));
  if (ticks[ticks.length - 1]! < max - step * 1e-9) ticks.push(+(ticks.length * step).toPrecision(12));
  return ticks;
}

const fmt = (n: number) => String(+n.toPrecision(6));

export function renderLineChart(c: LineChart): string {
  const pts = c.points.filter(([x, y]) => Number.isFinite(x) && Number.isFinite(y));
  const xTicks = niceTicks(Math.max(0, ...pts.map((p) => p[0])));
  const yTicks = c.yMax !== undefined ? niceTicks(c.yMax) : niceTicks(Math.max(0, ...pts.map((p) => p[1])));
  const xMax = xTicks[xTicks.length - 1]!;
  const yMax = yTicks[yTicks.length - 1]!;
  const pw = CW - M.left - M.right;
  const ph = CH - M.top - M.bottom;
  const sx = (x: number) => +(M.left + (x / xMax) * pw).toFixed(1);
  const sy = (y: number) => +(M.top + ph - (y / yMax) * ph).toFixed(1);

  const grid = yTicks
    .map((t) => `<line class="grid" x1="${M.left}" x2="${M.left + pw}" y1="${sy(t)}" y2="${sy(t)}"/><text class="tick" x="${M.left - 6}" y="${sy(t) + 4}" text-anchor="end">${esc(c.yTick(t))}</text>`)
    .join('');
  const xAxis = xTicks.map((t) => `<text class="tick" x="${sx(t)}" y="${M.top + ph + 16}" text-anchor="middle">${esc(fmt(t))}</text>`).join('');

  let line = `<text class="empty" x="${M.left + pw / 2}" y="${M.top + ph / 2}" text-anchor="middle">no data yet</text>`;
  if (pts.length) {
    const path: Array<[number, number]> = [];
    pts.forEach(([x, y], i) => {
      if (c.steps && i > 0) path.push([x, pts[i - 1]![1]]);
      path.push([x, y]);
    });
    if (path.length === 1) path.push(path[0]!);
    const dots = pts.length <= 40 ? pts.map(([x, y]) => `<circle cx="${sx(x)}" cy="${sy(y)}" r="3"/>`).join('') : '';
    line = `<polyline points="${path.map(([x, y]) => `${sx(x)},${sy(y)}`).join(' ')}"/>${dots}`;
  }

  return (
    `<svg id="${esc(c.id)}" class="chart" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${CW} ${CH}" role="img" aria-label="${esc(c.title)}">` +
    `<text class="title" x="${M.left}" y="20">${esc(c.title)}</text>${grid}${xAxis}` +
    `<line class="axis" x1="${M.left}" x2="${M.left}" y1="${M.top}" y2="${M.top + ph}"/>` +
    `<line class="axis" x1="${M.left}" x2="${M.left + pw}" y1="${M.top + ph}" y2="${M.top + ph}"/>` +
    `<text class="label" x="${M.left + pw / 2}" y="${CH - 8}" text-anchor="middle">${esc(c.xLabel)}</text>` +
    `<text class="label" transform="translate(14 ${M.top + ph / 2}) rotate(-90)" text-anchor="middle">${esc(c.yLabel)}</text>` +
    `<g class="series">${line}</g></svg>`
  );
}
