// Escaping and number formatting shared by the report's pieces. Every model-written string passes through esc().

const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Text safe both as element content and inside a quoted attribute, in HTML and in inline SVG. */
export function esc(value: unknown): string {
  return String(value ?? '').replace(/[&<>"']/g, (c) => ENTITIES[c]!);
}

export const UNEVALUATED_COLOR = '#c3c7cf';

/** Fill for a score in [0, 1]: red through yellow to green at constant lightness, so dark text stays readable. */
export function scoreColor(score: number | null): string {
  if (score === null || !Number.isFinite(score)) return UNEVALUATED_COLOR;
  const s = Math.min(1, Math.max(0, score));
  return `hsl(${Math.round(s * 120)}, 62%, 62%)`;
}

export function pct(x: number): string {
  return Number.isFinite(x) ? `${Math.round(x * 100)}%` : '–';
}

export function usd(x: number, digits = 2): string {
  return Number.isFinite(x) ? `$${x.toFixed(digits)}` : '–';
}

/** ISO time as "YYYY-MM-DD HH:MM:SS UTC"; anything unparseable is shown as given. */
export function when(iso: string): string {
  const t = Date.parse(iso);
  return Number.isNaN(t) ? iso : new Date(t).toISOString().replace('T', ' ').replace(/\.\d+Z$/, ' UTC');
}

/** Fragment link to a variant's section; encoded so odd ids cannot break out of the URL either. */
export function variantHref(id: string): string {
  return `#${encodeURIComponent(`variant-${id}`)}`;
}
