// The run report: escaping and layout as pure functions, then the real page in headless Chromium, offline and inert.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import type { ReportData, ReportVariant } from '../report/data.ts';
import { renderDiff, renderReport } from '../report/html.ts';
import { esc, scoreColor, UNEVALUATED_COLOR } from '../report/format.ts';
import { layoutTree } from '../report/tree.ts';
import { niceTicks } from '../report/charts.ts';
import { ensureChromium, launchBrowser } from './browser.ts';

const XSS_PROPOSAL = '<script>window.__pwned = 1; alert(1)</script>';
const XSS_DIFF_LINE = '+</pre><img src=x onerror="window.__pwned = 2">';

const DIFF = `diff --git a/src/prompts.ts b/src/prompts.ts
index 3b18e51..a9c2f07 100644
--- a/src/prompts.ts
+++ b/src/prompts.ts
@@ -12,7 +12,9 @@ export const SYSTEM = [
   'You are a careful coding agent.',
-  'Edit files, then stop.',
+  'Before editing, run the failing test and read its output.',
+  'After editing, run the tests again; stop only when they pass.',
   'Never modify tests.',
-  '--- do not touch this line ---',
+  '++ kept literally ++',
 ].join('\\n');
`;

function variant(v: Partial<ReportVariant> & Pick<ReportVariant, 'id' | 'parentId'>): ReportVariant {
  return { status: 'valid', createdAt: '2025-03-01T10:00:00Z', resolved: 0, evaluated: 0, score: null, diff: '', modifyCostUsd: 0, results: [], ...v };
}

const results = (n: number, resolved: number): ReportVariant['results'] =>
  Array.from({ length: n }, (_, i) => ({
    taskId: `range-00${i + 1}`,
    status: i < resolved ? ('resolved' as const) : i === n - 1 ? ('error' as const) : ('unresolved' as const),
    costUsd: 0.0123 * (i + 1),
    seconds: 41.5 + i * 7,
    tokens: 18_000 + i * 2_500,
    ...(i >= resolved && i === n - 1 ? { error: 'agent timed out after 300 s' } : {}),
  }));

const DATA: ReportData = {
  title: 'Clade run 2025-03-01',
  generatedAt: '2025-03-01T12:30:00Z',
  runDir: '/work/main/.clade/runs/2025-03-01T10-00',
  policy: 'hgm (Thompson sampling over clade metaproductivity)',
  model: 'claude-sonnet-4',
  demo: true,
  variants: [
    variant({ id: 'v0000', parentId: null, status: 'seed', resolved: 2, evaluated: 5, score: 0.4, interval: { low: 0.12, high: 0.74 }, results: results(5, 2) }),
    variant({
      id: 'v0001', parentId: 'v0000', createdAt: '2025-03-01T10:20:00Z', resolved: 3, evaluated: 5, score: 0.6, interval: { low: 0.23, high: 0.88 },
      modifyCostUsd: 0.41, diff: DIFF, results: results(5, 3),
      proposal: { taskId: 'range-002', problem: 'The agent stopped after editing without running the tests.', improvement: 'Make it run the failing test before and after each edit.', implementation: 'Two lines in the system prompt in src/prompts.ts.' },
    }),
    variant({
      id: 'v0002', parentId: 'v0000', createdAt: '2025-03-01T10:25:00Z', resolved: 1, evaluated: 5, score: 0.2, modifyCostUsd: 0.38, results: results(5, 1),
      diff: `diff --git a/src/loop.ts b/src/loop.ts\n--- a/src/loop.ts\n+++ b/src/loop.ts\n@@ -1,2 +1,2 @@\n-const MAX_TURNS = 30;\n${XSS_DIFF_LINE}\n`,
      proposal: { problem: XSS_PROPOSAL, improvement: 'Raise the turn limit. "quotes" & ampersands', implementation: "<b onmouseover='x'>bold</b>" },
    }),
    variant({ id: 'v0003', parentId: 'v0000', createdAt: '2025-03-01T10:30:00Z', status: 'invalid', reason: 'build failed: src/tools.ts(14,3): error TS2304: Cannot find name <T>.', modifyCostUsd: 0.52, diff: DIFF }),
    variant({ id: 'v0004', parentId: 'v0001', createdAt: '2025-03-01T11:10:00Z', resolved: 4, evaluated: 5, score: 0.8, interval: { low: 0.38, high: 0.96 }, modifyCostUsd: 0.47, diff: DIFF, results: results(5, 4) }),
    variant({ id: 'v0005', parentId: 'v0001', createdAt: '2025-03-01T11:40:00Z' }),
  ],
  bestBelief: { id: 'v0004', mean: 0.74, low: 0.45, high: 0.93 },
  bestPath: ['v0000', 'v0001', 'v0004'],
  timeline: [
    { at: '2025-03-01T10:05:00Z', evaluations: 5, bestScore: 0.4, spendUsd: 0.62 },
    { at: '2025-03-01T10:40:00Z', evaluations: 10, bestScore: 0.6, spendUsd: 1.9 },
    { at: '2025-03-01T11:00:00Z', evaluations: 15, bestScore: 0.6, spendUsd: 2.7 },
    { at: '2025-03-01T11:30:00Z', evaluations: 20, bestScore: 0.8, spendUsd: 3.85 },
  ],
  totals: { variants: 6, valid: 3, invalid: 1, evaluations: 20, spendUsd: 3.85 },
};

describe('report rendering', () => {
  it('escapes every character that could open markup or leave an attribute', () => {
    expect(esc(`<script>alert(1)</script>`)).toBe('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(esc(`" onclick='x' &amp;`)).toBe('&quot; onclick=&#39;x&#39; &amp;amp;');
    const html = renderReport(DATA);
    expect(html).not.toContain('<script');
    expect(html).not.toMatch(/<img/i);
    expect(html).not.toMatch(/<b onmouseover/);
    expect(html).toContain('&lt;script&gt;window.__pwned = 1; alert(1)&lt;/script&gt;');
    expect(html).toContain('&lt;/pre&gt;&lt;img src=x onerror=&quot;window.__pwned = 2&quot;&gt;');
  });

  it('makes no outside references', () => {
    const html = renderReport(DATA);
    expect(html).not.toMatch(/(src|href)\s*=\s*["']?(https?:|\/\/)/i);
    expect(html).not.toMatch(/@import|url\(/i);
  });

  it('colours scores from red through green, and unscored variants grey', () => {
    const hue = (s: number) => Number(/^hsl\((\d+),/.exec(scoreColor(s))![1]);
    expect(hue(0)).toBe(0);
    expect(hue(0.5)).toBe(60);
    expect(hue(1)).toBe(120);
    expect(hue(-3)).toBe(0);
    expect(hue(7)).toBe(120);
    for (let s = 0; s < 1; s += 0.1) expect(hue(s + 0.1)).toBeGreaterThanOrEqual(hue(s));
    expect(scoreColor(null)).toBe(UNEVALUATED_COLOR);
    expect(scoreColor(Number.NaN)).toBe(UNEVALUATED_COLOR);
  });

  it('classes diff lines by position, not by their first character alone', () => {
    const classes = [...renderDiff(DIFF).matchAll(/<span class="(\w+)">/g)].map((m) => m[1]);
    expect(classes).toEqual(['file', 'meta', 'meta', 'meta', 'hunk', 'ctx', 'del', 'add', 'add', 'ctx', 'del', 'add', 'ctx']);
  });

  it('lays the tree out without overlaps, children below their parents, and survives a parent cycle', () => {
    const { pos } = layoutTree(DATA.variants);
    expect(pos.size).toBe(DATA.variants.length);
    const boxes = [...pos.values()];
    for (const [i, a] of boxes.entries()) for (const b of boxes.slice(i + 1)) expect(a.x !== b.x || a.y !== b.y).toBe(true);
    for (const v of DATA.variants) if (v.parentId) expect(pos.get(v.id)!.y).toBeGreaterThan(pos.get(v.parentId)!.y);
    const cyclic = layoutTree([variant({ id: 'a', parentId: 'b' }), variant({ id: 'b', parentId: 'a' })]);
    expect(cyclic.pos.size).toBe(2);
  });

  it('picks round chart ticks that cover the data', () => {
    expect(niceTicks(7)).toEqual([0, 2, 4, 6, 8]);
    expect(niceTicks(1)).toEqual([0, 0.2, 0.4, 0.6, 0.8, 1]);
    expect(niceTicks(0)).toEqual([0, 1]);
  });
});

describe('report in headless Chromium', () => {
  let dir: string;
  let file: string;
  let browser: Browser;
  let page: Page;
  const requests: string[] = [];
  // Page-side code as strings: this project's TypeScript has no DOM library.
  const inPage = <T = unknown>(expression: string) => page.evaluate<T>(expression);

  beforeAll(async () => {
    await ensureChromium((l) => console.log(`[chromium] ${l}`));
    dir = mkdtempSync(join(tmpdir(), 'clade-report-'));
    file = join(dir, 'report.html');
    writeFileSync(file, renderReport(DATA));
    browser = await launchBrowser();
    page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    page.on('request', (r) => requests.push(r.url()));
    await page.goto(pathToFileURL(file).href, { waitUntil: 'load' });
  }, 900_000);

  afterAll(async () => {
    await browser?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('draws one tree node per variant, marks the invalid one, and highlights exactly the best path', async () => {
    const nodes = await page.$$eval('#tree [data-variant]', (els) => els.map((e) => ({ id: e.getAttribute('data-variant'), cls: e.getAttribute('class') ?? '', text: e.textContent ?? '' })));
    expect(nodes.map((n) => n.id).sort()).toEqual(DATA.variants.map((v) => v.id).sort());
    const invalid = nodes.filter((n) => n.cls.split(' ').includes('invalid'));
    expect(invalid.map((n) => n.id)).toEqual(['v0003']);
    expect(invalid[0]!.text).toContain('✕');
    const dash = await inPage<string>(`getComputedStyle(document.querySelector('#tree [data-variant="v0003"] rect')).strokeDasharray`);
    expect(dash).not.toBe('none');
    expect(await page.$$eval('#tree .node.best-path', (els) => els.map((e) => e.getAttribute('data-variant')))).toEqual(expect.arrayContaining(DATA.bestPath));
    expect(await page.locator('#tree .node.best-path').count()).toBe(DATA.bestPath.length);
    expect(await page.locator('#tree .edge.best-path').count()).toBe(DATA.bestPath.length - 1);
    expect(await page.locator('#tree .edge').count()).toBe(DATA.variants.length - 1);
  });

  it('says plainly that a demo run measures nothing', async () => {
    expect(await page.locator('.demo').innerText()).toMatch(/scripted|canned/);
    expect(await page.locator('.demo').innerText()).toMatch(/measure nothing/);
  });

  it('draws both charts with a line', async () => {
    for (const id of ['chart-score', 'chart-spend']) {
      const points = await page.$eval(`svg#${id} polyline`, (p) => p.getAttribute('points') ?? '');
      expect(points.split(' ').length).toBeGreaterThanOrEqual(DATA.timeline.length);
    }
  });

  it('takes a click on a tree node to that variant, whose diff shows added and removed lines', async () => {
    await page.click('#tree [data-variant="v0004"]');
    await page.waitForFunction(`location.hash === '#variant-v0004'`);
    const target = await inPage<{ id?: string; top: number; vh: number; scrolled: number }>(`(() => {
      const t = document.querySelector(':target');
      return { id: t?.id, top: t ? t.getBoundingClientRect().top : -1, vh: innerHeight, scrolled: scrollY };
    })()`);
    expect(target.id).toBe('variant-v0004');
    expect(target.scrolled).toBeGreaterThan(0);
    expect(target.top).toBeGreaterThanOrEqual(0);
    expect(target.top).toBeLessThan(target.vh);
    expect(await page.locator('#variant-v0004 pre.diff .add').count()).toBe(3);
    expect(await page.locator('#variant-v0004 pre.diff .del').count()).toBe(2);
    expect(await inPage<string>(`getComputedStyle(document.querySelector('#variant-v0004 pre.diff .add')).backgroundColor`)).not.toBe('rgba(0, 0, 0, 0)');
  });

  it('renders the hostile proposal and diff as text that never ran', async () => {
    expect(await inPage<string>('typeof window.__pwned')).toBe('undefined');
    expect(await page.locator('script, img, [onerror], [onmouseover]').count()).toBe(0);
    const section = await page.locator('#variant-v0002').innerText();
    expect(section).toContain(XSS_PROPOSAL);
    expect(section).toContain(XSS_DIFF_LINE);
    expect(await page.locator('#variant-v0002 pre.diff .add').innerText()).toBe(XSS_DIFF_LINE);
  });

  it('made no network request but the page itself', () => {
    expect(requests).toEqual([pathToFileURL(file).href]);
  });

  it('screenshots to a PNG of real size', async () => {
    // Drop the earlier click's :target outline so the screenshot shows the page as first opened.
    await inPage(`location.hash = ''; scrollTo(0, 0)`);
    const shot = join(dir, 'report.png');
    await page.screenshot({ path: shot, fullPage: true });
    const png = readFileSync(shot);
    expect(png.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))).toBe(true);
    expect(statSync(shot).size).toBeGreaterThan(50_000);
    copyFileSync(shot, '/tmp/clade-report-screenshot.png');
  });
});
