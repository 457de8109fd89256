// The page's only stylesheet, inlined so the report needs nothing but itself.
export const CSS = `
:root { --fg: #1d2330; --muted: #667085; --line: #dfe3ea; --bg: #f6f7f9; --best: #1f5fd6; --bad: #b42318; }
* { box-sizing: border-box; }
body { margin: 0; background: var(--bg); color: var(--fg); font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; }
main { max-width: 1180px; margin: 0 auto; padding: 28px 24px 80px; }
h1 { margin: 0 0 12px; font-size: 26px; }
h2 { margin: 36px 0 12px; font-size: 20px; }
h3 { margin: 0 0 6px; font-size: 18px; display: flex; align-items: center; gap: 8px; flex-wrap: wrap; }
h4 { margin: 18px 0 6px; font-size: 14px; text-transform: uppercase; letter-spacing: .04em; color: var(--muted); }
a { color: var(--best); }
code, pre { font: 13px/1.45 ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; }
.muted { color: var(--muted); }
.demo { background: #fff4e5; border: 1px solid #f5b041; border-left: 6px solid #e67e22; padding: 10px 14px; border-radius: 6px; }
dl.meta { display: grid; grid-template-columns: max-content 1fr; gap: 2px 14px; margin: 12px 0; }
dl.meta dt { color: var(--muted); }
dl.meta dd { margin: 0; overflow-wrap: anywhere; }
.stats { display: grid; grid-template-columns: repeat(auto-fit, minmax(190px, 1fr)); gap: 12px; margin-top: 16px; }
.stats > div { background: #fff; border: 1px solid var(--line); border-radius: 8px; padding: 12px 16px; display: flex; flex-direction: column; }
.stats b { font-size: 22px; overflow-wrap: anywhere; }
.stats b small { font-size: 13px; font-weight: normal; color: var(--muted); margin-left: 8px; }
.stats span { color: var(--muted); }
.stats div > small { color: var(--muted); }
section#lineage, section#progress, section.variant { background: #fff; border: 1px solid var(--line); border-radius: 10px; padding: 16px 20px; }
section#lineage h2, section#progress h2 { margin-top: 0; }
section#lineage, section#progress { margin-top: 20px; }
.legend { display: flex; align-items: center; gap: 6px; flex-wrap: wrap; font-size: 13px; margin: 0 0 8px; }
.legend .ramp { width: 90px; height: 12px; border-radius: 3px; background: linear-gradient(90deg, hsl(0,62%,62%), hsl(60,62%,62%), hsl(120,62%,62%)); }
.legend .key { display: inline-flex; align-items: center; justify-content: center; width: 22px; height: 14px; border-radius: 3px; margin-left: 10px; font-size: 10px; }
.legend .key.invalid { border: 1.5px dashed var(--bad); color: var(--bad); background: #eee; }
.legend .key.best { border: 3px solid var(--best); }
.tree-wrap { overflow: auto; max-height: 80vh; }
#tree { display: block; margin: 0 auto; }
#tree .edge { fill: none; stroke: #9aa3b2; stroke-width: 1.5; }
#tree .edge.best-path { stroke: var(--best); stroke-width: 3.5; }
#tree rect { stroke: #56606f; stroke-width: 1; }
#tree .invalid rect { stroke: var(--bad); stroke-width: 2; stroke-dasharray: 6 4; opacity: .85; }
#tree .best-path rect { stroke: var(--best); stroke-width: 3.5; }
#tree text { text-anchor: middle; fill: #1d2330; font-size: 12px; }
#tree text.id { font-weight: 600; font-size: 13px; }
#tree text.cross { fill: var(--bad); font-size: 13px; font-weight: 700; }
#tree a:hover rect { filter: brightness(1.08); stroke-width: 3; }
.charts { display: grid; grid-template-columns: repeat(auto-fit, minmax(420px, 1fr)); gap: 16px; }
.chart { width: 100%; height: auto; background: #fff; }
.chart .title { font-size: 14px; font-weight: 600; fill: var(--fg); }
.chart .grid { stroke: #edf0f4; }
.chart .axis { stroke: #8a93a3; }
.chart .tick, .chart .label, .chart .empty { font-size: 11px; fill: var(--muted); }
.chart .label { font-size: 12px; }
.chart polyline { fill: none; stroke: var(--best); stroke-width: 2.5; stroke-linejoin: round; }
.chart circle { fill: #fff; stroke: var(--best); stroke-width: 2; }
section.variant { margin: 16px 0; scroll-margin-top: 12px; }
section.variant:target { outline: 3px solid var(--best); outline-offset: 2px; }
.swatch { display: inline-block; width: 14px; height: 14px; border-radius: 3px; border: 1px solid #56606f; }
.badge { font-size: 12px; font-weight: 600; padding: 1px 8px; border-radius: 10px; background: #e7ecf3; }
.badge.valid { background: #dcf5e3; color: #17663a; }
.badge.invalid { background: #fde4e1; color: var(--bad); }
.badge.best { background: #dfe9fb; color: var(--best); }
.badge.tampered { background: #fde4e1; color: var(--bad); }
h3 .up { margin-left: auto; font-size: 13px; font-weight: normal; }
p { margin: 4px 0; }
.reason { color: var(--bad); white-space: pre-wrap; overflow-wrap: anywhere; }
dl.proposal { margin: 0; display: grid; grid-template-columns: max-content 1fr; gap: 4px 14px; }
dl.proposal dt { font-weight: 600; }
dl.proposal dd { margin: 0; white-space: pre-wrap; overflow-wrap: anywhere; }
pre.diff { margin: 0; max-height: 480px; overflow: auto; background: #fafbfc; border: 1px solid var(--line); border-radius: 6px; padding: 6px 0; }
pre.diff span { display: block; padding: 0 12px; white-space: pre; min-height: 1.45em; }
pre.diff .add { background: #e6f7ea; color: #116329; }
pre.diff .del { background: #fdecea; color: #a1260d; }
pre.diff .hunk { background: #eef3fb; color: #4a5a75; }
pre.diff .file { font-weight: 700; background: #f0f2f5; }
pre.diff .meta { color: var(--muted); }
table.results { border-collapse: collapse; width: 100%; font-size: 14px; }
table.results th, table.results td { text-align: left; padding: 5px 10px; border-bottom: 1px solid var(--line); vertical-align: top; }
table.results th.num, table.results .num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
table.results .err { color: var(--bad); font-size: 13px; overflow-wrap: anywhere; }
.r-resolved { color: #17663a; font-weight: 600; }
.r-unresolved { color: #8a6d00; }
.r-error { color: var(--bad); font-weight: 600; }
`;
