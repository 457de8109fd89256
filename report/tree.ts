// The lineage tree as inline SVG, laid out top-down: leaves take consecutive columns, parents sit over their children.
import type { ReportData, ReportVariant } from './data.ts';
import { esc, pct, scoreColor, variantHref } from './format.ts';

const W = 136;
const H = 48;
const GAP_X = 20;
const GAP_Y = 52;
const PAD = 20;

export interface TreeLayout {
  pos: Map<string, { x: number; y: number }>;
  width: number;
  height: number;
}

export function layoutTree(variants: ReportVariant[]): TreeLayout {
  const ids = new Set(variants.map((v) => v.id));
  const children = new Map<string, ReportVariant[]>();
  const roots: ReportVariant[] = [];
  for (const v of variants) {
    if (v.parentId !== null && v.parentId !== v.id && ids.has(v.parentId)) {
      const list = children.get(v.parentId) ?? [];
      list.push(v);
      children.set(v.parentId, list);
    } else roots.push(v);
  }
  for (const list of children.values()) list.sort((a, b) => a.createdAt.localeCompare(b.createdAt));

  const slot = new Map<string, { col: number; depth: number }>();
  let nextCol = 0;
  let maxDepth = 0;
  const place = (v: ReportVariant, depth: number): number => {
    // Mark before descending so a corrupt archive with a parent cycle cannot recurse forever.
    slot.set(v.id, { col: -1, depth });
    maxDepth = Math.max(maxDepth, depth);
    const cols = (children.get(v.id) ?? []).filter((c) => !slot.has(c.id)).map((c) => place(c, depth + 1));
    const col = cols.length ? (cols[0]! + cols[cols.length - 1]!) / 2 : nextCol++;
    slot.set(v.id, { col, depth });
    return col;
  };
  for (const r of roots) place(r, 0);
  // Variants on a parent cycle are reachable from no root; show them rather than drop them.
  for (const v of variants) if (!slot.has(v.id)) place(v, 0);

  const pos = new Map<string, { x: number; y: number }>();
  for (const [id, { col, depth }] of slot) pos.set(id, { x: PAD + col * (W + GAP_X), y: PAD + depth * (H + GAP_Y) });
  return {
    pos,
    width: Math.max(W, nextCol * (W + GAP_X) - GAP_X) + 2 * PAD,
    height: variants.length ? (maxDepth + 1) * (H + GAP_Y) - GAP_Y + 2 * PAD : 2 * PAD,
  };
}

function clip(s: string, n: number): string {
  return s.length > n ? `${s.slice(0, n - 1)}…` : s;
}

function scoreLabel(v: ReportVariant): string {
  if (v.status === 'invalid') return 'invalid';
  if (v.score === null) return 'not evaluated';
  return `${pct(v.score)} · ${v.resolved}/${v.evaluated}`;
}

export function renderTree(data: ReportData): string {
  const { pos, width, height } = layoutTree(data.variants);
  const onPath = new Set(data.bestPath);
  const pathEdges = new Set(data.bestPath.slice(1).map((id, i) => `${data.bestPath[i]}\n${id}`));

  const edges: string[] = [];
  for (const v of data.variants) {
    const from = v.parentId === null ? undefined : pos.get(v.parentId);
    const to = pos.get(v.id);
    if (!from || !to || v.parentId === v.id) continue;
    const best = pathEdges.has(`${v.parentId}\n${v.id}`);
    const x1 = from.x + W / 2, y1 = from.y + H, x2 = to.x + W / 2, y2 = to.y, my = (y1 + y2) / 2;
    edges.push(`<path class="edge${best ? ' best-path' : ''}" d="M${x1} ${y1} C${x1} ${my} ${x2} ${my} ${x2} ${y2}"/>`);
  }
  // Highlighted edges last, so crossing grey edges never paint over them.
  edges.sort((a, b) => Number(a.includes('best-path')) - Number(b.includes('best-path')));

  const nodes = data.variants.map((v) => {
    const p = pos.get(v.id)!;
    const cls = ['node', v.status, onPath.has(v.id) ? 'best-path' : ''].filter(Boolean).join(' ');
    const tip = `${v.id} — ${v.status}${v.reason ? `: ${v.reason}` : ''} — ${scoreLabel(v)}`;
    return (
      `<a href="${esc(variantHref(v.id))}" class="${cls}" data-variant="${esc(v.id)}"><title>${esc(tip)}</title>` +
      `<rect x="${p.x}" y="${p.y}" width="${W}" height="${H}" rx="8" fill="${scoreColor(v.status === 'invalid' ? null : v.score)}"/>` +
      `<text x="${p.x + W / 2}" y="${p.y + 20}" class="id">${esc(clip(v.id, 17))}</text>` +
      `<text x="${p.x + W / 2}" y="${p.y + 37}" class="score">${esc(scoreLabel(v))}</text>` +
      (v.status === 'invalid' ? `<text x="${p.x + W - 11}" y="${p.y + 15}" class="cross">✕</text>` : '') +
      `</a>`
    );
  });

  return (
    `<svg id="tree" xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="img" aria-label="Lineage tree">` +
    `<g class="edges">${edges.join('')}</g><g class="nodes">${nodes.join('')}</g></svg>`
  );
}
