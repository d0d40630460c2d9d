/**
 * The dashboard in a real browser: Debian's Chromium (playwright-core, no downloaded browser) against
 * the production build (`next build` + `next start`) on a seeded throw-away database.
 *
 * Expected numbers are worked out by hand from the fixture in seed.ts (Brain-Score aggregation: a
 * parent is the mean of its direct children; `zero` counts a missing child as 0, `skip` leaves it out),
 * or computed independently with @alignscope/analysis for the correlation explorer.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { aggregate, type BenchmarkTreeNode, correlate, type ModelScores } from '@alignscope/analysis';
import { needsDataBundle } from '@alignscope/config/testing';
import {
  createApiKey,
  getModel,
  listBenchmarks,
  listModels,
  registerEvaluatorBenchmarks,
  upsertModel,
} from '@alignscope/db/queries';
import { createTestDb, type TestDb } from '@alignscope/db/testing';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, seriousViolations } from './browser.ts';
import { LEAVES, MODELS, seed } from './seed.ts';
import { repoRoot, startWeb, type WebServer } from './server.ts';
import { sharedWebBuild } from './shared-build.ts';

/** A real ONNX classifier and its card from the data bundle, for the upload test. */
const bundle = needsDataBundle(
  ['models/cifar10_resnet20.onnx', 'models/cifar10_resnet20.json'],
  'web e2e: ONNX model upload',
);
const MODELS_DIR = bundle.path('models');
/** The model store of the server under test (uploads land here, not in the developer's home). */
const home = mkdtempSync(path.join(os.tmpdir(), 'alignscope-e2e-home-'));
const SHOTS = path.join(repoRoot, 'test-results/e2e');

let DIST: string;
let t: TestDb;
let server: WebServer;
let browser: Browser;
let context: BrowserContext;
let page: Page;
const external: string[] = [];
const pageErrors: string[] = [];

beforeAll(async () => {
  mkdirSync(SHOTS, { recursive: true });
  t = await createTestDb();
  const [, dist] = await Promise.all([seed(t.db), sharedWebBuild()]);
  DIST = dist;
  server = await startWeb(DIST, t.url, { ALIGNSCOPE_HOME: home });
  browser = await launchChromium();
  context = await browser.newContext({ viewport: { width: 1440, height: 900 }, acceptDownloads: true });
  context.on('request', (r) => {
    const u = r.url();
    if (!u.startsWith('http://127.0.0.1:') && !u.startsWith('data:') && !u.startsWith('blob:'))
      external.push(u);
  });
  page = await context.newPage();
  page.on('pageerror', (e) => pageErrors.push(e.message));
}, 540_000);

afterAll(async () => {
  await browser?.close();
  await server?.stop();
  await t?.close();
  rmSync(home, { recursive: true, force: true });
});

async function go(p: string) {
  await page.goto(`${server.url}${p}`, { waitUntil: 'networkidle' });
}

async function shot(name: string) {
  await page.screenshot({ path: path.join(SHOTS, `${name}.png`), fullPage: true });
}

async function expectAccessible(name: string) {
  const v = await seriousViolations(page);
  expect(v, `${name}: ${JSON.stringify(v, null, 1)}`).toEqual([]);
}

/** The leaderboard as shown: column identifiers and, per row, model identifier, rank and cell texts. */
async function readBoard() {
  return page.evaluate(() => {
    const cols = [...document.querySelectorAll('table[data-testid=leaderboard] thead tr.col-row th')].map(
      (th) => th.getAttribute('data-col') ?? '',
    );
    const rows = [...document.querySelectorAll('table[data-testid=leaderboard] tbody tr[data-model]')].map(
      (tr) => {
        const cells = [...tr.querySelectorAll('td.cell')].map((td) => (td.textContent ?? '').trim());
        return {
          model: tr.getAttribute('data-model') ?? '',
          rank: (tr.querySelector('td.pin-rank')?.textContent ?? '').trim(),
          cells: Object.fromEntries(cols.map((c, i) => [c, cells[i] ?? ''])),
        };
      },
    );
    return { cols, rows };
  });
}

function num(text: string | undefined): number {
  return Number.parseFloat((text ?? '').replace('*', ''));
}

/** The cell shows `value` rounded to three decimals (half a unit in the last place, plus float slack). */
function expectShown(text: string | undefined, value: number) {
  expect(Math.abs(num(text) - value), `${text} vs ${value}`).toBeLessThanOrEqual(0.0005 + 1e-9);
}

async function waitForUrl(pred: (u: URL) => boolean) {
  await page.waitForURL((u) => pred(u), { timeout: 15_000 });
  await page.waitForLoadState('networkidle');
}

/**
 * The server under test runs no evaluator worker; the API accepts requests only for benchmarks a
 * worker registered, so register the two top-1 benchmarks as a starting worker does.
 */
async function registerWorkerBenchmarks(): Promise<void> {
  await registerEvaluatorBenchmarks(t.db, [
    { identifier: 'ImageNet-top1', version: 1, labelSpace: 'imagenet-1k' },
    { identifier: 'CIFAR10-top1', version: 1, labelSpace: 'cifar-10' },
  ]);
}

describe('dashboard (production build, Chromium)', () => {
  it('renders the seeded models with hand-computed aggregates', async () => {
    await go('/');
    await shot('leaderboard');
    const { cols, rows } = await readBoard();
    expect(rows.map((r) => r.model).sort()).toEqual(MODELS.map((m) => m.identifier).sort());
    // Default view: roots, with average_vision open (neural and behavior shown), sorted by average_vision.
    expect(cols.slice(0, 3)).toEqual(['average_vision', 'neural_vision', 'behavior_vision']);
    const byModel = new Map(rows.map((r) => [r.model, r]));
    // resnet50 (missing = zero): IT = (0.6 + 0)/2 = 0.3 (Kar2019 missing); neural = (0.5+0.3+0.4+0.3)/4 = 0.375;
    // error consistency = (0.4+0.3+0.2)/3 = 0.3; behavior = (0.2+0.3)/2 = 0.25; average = (0.375+0.25)/2 = 0.3125;
    // engineering = (0.76 + (0.21+0.8)/2)/2 = 0.6325.
    const r50 = byModel.get('resnet50')?.cells ?? {};
    expectShown(r50.neural_vision, 0.375);
    expectShown(r50.behavior_vision, 0.25);
    expectShown(r50.average_vision, 0.3125);
    expectShown(r50.engineering_vision, 0.6325);
    expect(r50.average_vision).toContain('*'); // partial: Kar2019 has no score
    // convnext-t-at: IT = (0.56+0.48)/2 = 0.52; neural = (0.52+0.37+0.47+0.52)/4 = 0.47;
    // behavior = (0.26 + (0.4+0.35+0.3)/3)/2 = 0.305; average = 0.3875, the best: rank 1, first row.
    expect(rows[0]?.model).toBe('convnext-t-at');
    expect(rows[0]?.rank).toBe('1');
    expectShown(rows[0]?.cells.neural_vision, 0.47);
    expectShown(rows[0]?.cells.behavior_vision, 0.305);
    // convnext-t: ImageNet-top1 failed counts as 0: engineering = (0 + (0.3+0.75)/2)/2 = 0.2625.
    expect(Math.abs(num(byModel.get('convnext-t')?.cells.engineering_vision) - 0.2625)).toBeLessThanOrEqual(
      0.0005 + 1e-9,
    );
    // Ranks descend with the average.
    const averages = rows.map((r) => num(r.cells.average_vision));
    expect([...averages].sort((a, b) => b - a)).toEqual(averages);
    await expectAccessible('leaderboard');
  });

  it('shows failed, not-run and missing scores differently', async () => {
    await go('/?open=average_vision,neural_vision,engineering_vision');
    const { rows } = await readBoard();
    const by = new Map(rows.map((r) => [r.model, r.cells]));
    expect(by.get('convnext-t')?.['ImageNet-top1']).toBe('✕ failed');
    expect(by.get('alexnet')?.V1).toBe('not run');
    expect(by.get('resnet50')?.['ImageNet-top1']).toBe('0.760');
    const classes = await page.evaluate(() => {
      const row = (m: string) => document.querySelector(`tr[data-model="${m}"]`);
      const col = [...document.querySelectorAll('thead tr.col-row th')].map((th) =>
        th.getAttribute('data-col'),
      );
      const cell = (m: string, c: string) => row(m)?.querySelectorAll('td.cell')[col.indexOf(c)]?.className;
      return {
        failed: cell('convnext-t', 'ImageNet-top1'),
        notRun: cell('alexnet', 'V1'),
        missing: cell('resnet50', 'CIFAR10-top1') ?? cell('resnet50', 'cifar10_vision'),
        scored: cell('resnet50', 'V1'),
      };
    });
    expect(classes.failed).toContain('st-f');
    expect(classes.notRun).toContain('st-n');
    expect(classes.missing).toContain('st-m');
    expect(classes.scored).toContain('st-s');
    await shot('leaderboard-expanded');
    await go('/?open=average_vision,engineering_vision,robustness');
    // Robustness benchmarks are grouped by data set and threat model, one column per eps.
    expect(await page.textContent('thead tr.group-row')).toContain('ImageNet L∞ AutoAttack (torchattacks)');
    expect(await page.textContent('th[data-col="AutoAttack-Linf-1/255"]')).toContain('ε = 1/255');
    await expectAccessible('leaderboard (expanded)');
  });

  it('sorts by a column, keeps it in the URL, and a reload restores it', async () => {
    await go('/');
    await page.click('[data-testid="sort-neural_vision"]');
    await waitForUrl((u) => u.searchParams.get('sort') === 'neural_vision');
    let board = await readBoard();
    // neural: resnet50-at = (0.55+0.4+0.45+(0.52+0.5)/2)/4 = 0.4775, the highest; alexnet has V1 not run
    // (counted 0): (0+0.25+0.3+(0.4+0.3)/2)/4 = 0.225, the lowest.
    expect(board.rows[0]?.model).toBe('resnet50-at');
    expectShown(board.rows[0]?.cells.neural_vision, 0.4775);
    expect(board.rows.at(-1)?.model).toBe('alexnet');
    const neural = board.rows.map((r) => num(r.cells.neural_vision));
    expect([...neural].sort((a, b) => b - a)).toEqual(neural);
    await page.click('[data-testid="sort-neural_vision"]');
    await waitForUrl((u) => u.searchParams.get('dir') === 'asc');
    board = await readBoard();
    expect(board.rows[0]?.model).toBe('alexnet');
    const before = board.rows.map((r) => r.model);
    await page.reload({ waitUntil: 'networkidle' });
    expect((await readBoard()).rows.map((r) => r.model)).toEqual(before);
    // Keyboard: the model column's sort link works with Enter.
    await page.focus('[data-testid="sort-model"]');
    await page.keyboard.press('Enter');
    await waitForUrl((u) => u.searchParams.get('sort') === 'model');
    expect((await readBoard()).rows[0]?.model).toBe('alexnet');
  });

  it('filters by search operators, family, regime and parameters, all in the URL', async () => {
    await go('/');
    // Keyboard: "/" focuses the search box.
    await page.locator('body').click({ position: { x: 5, y: 5 } });
    await page.keyboard.press('/');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('q');
    await page.fill('[data-testid="search"]', 'family:resnet');
    await page.press('[data-testid="search"]', 'Enter');
    await waitForUrl((u) => u.searchParams.get('q') === 'family:resnet');
    expect((await readBoard()).rows.map((r) => r.model).sort()).toEqual([
      'resnet18',
      'resnet50',
      'resnet50-at',
    ]);
    await page.selectOption('[data-testid="regime"]', 'adversarial');
    await waitForUrl((u) => u.searchParams.get('regime') === 'adversarial');
    expect((await readBoard()).rows.map((r) => r.model)).toEqual(['resnet50-at']);
    await page.reload({ waitUntil: 'networkidle' });
    expect((await readBoard()).rows.map((r) => r.model)).toEqual(['resnet50-at']);
    expect(await page.inputValue('[data-testid="search"]')).toBe('family:resnet');
    // Parameter range 20-30 M: resnet50 (25.6 M), resnet50-at, vit-s16-at (22.1 M), convnext-t (28.6 M) x2, swin-t (28.3 M).
    await go('/?pmin=20&pmax=30');
    expect((await readBoard()).rows.map((r) => r.model).sort()).toEqual(
      ['convnext-t', 'convnext-t-at', 'resnet50', 'resnet50-at', 'swin-t', 'vit-s16-at'].sort(),
    );
    // Negation and a parameter operator: everything but ViTs with more than 50 M parameters.
    await go(`/?q=${encodeURIComponent('-vit params>50M')}`);
    expect((await readBoard()).rows.map((r) => r.model).sort()).toEqual(['alexnet', 'vgg16']);
    await go('/?q=nothing-matches-this');
    expect(await page.isVisible('[data-testid="empty-filter"]')).toBe(true);
    await go('/?q=colour:red');
    expect(await page.textContent('#q-help')).toContain('unknown field');
  });

  it('collapses and expands column groups through the URL', async () => {
    await go('/');
    await page.click('[data-testid="toggle-average_vision"]');
    await waitForUrl((u) => u.searchParams.get('open') === '');
    let { cols } = await readBoard();
    expect(cols).not.toContain('neural_vision');
    expect(cols).toContain('average_vision');
    await page.reload({ waitUntil: 'networkidle' });
    ({ cols } = await readBoard());
    expect(cols).not.toContain('neural_vision');
    await page.click('[data-testid="toggle-engineering_vision"]');
    await waitForUrl((u) => u.searchParams.get('open') === 'engineering_vision');
    ({ cols } = await readBoard());
    expect(cols).toEqual(expect.arrayContaining(['ImageNet-top1', 'Hermann2020']));
    // The group header says how many benchmarks a group holds: engineering = top-1 + shape bias + shape match.
    expect(await page.textContent('th[data-col="engineering_vision"] .count')).toBe('3 benchmarks');
  });

  it('switches missing children from zero to skip', async () => {
    await go('/');
    await page.check('[data-testid="missing-skip"]');
    await waitForUrl((u) => u.searchParams.get('missing') === 'skip');
    const r50 = (await readBoard()).rows.find((r) => r.model === 'resnet50');
    // skip: IT = 0.6 (Kar2019 left out); neural = (0.5+0.3+0.4+0.6)/4 = 0.45; average = (0.45+0.25)/2 = 0.35.
    expectShown(r50?.cells.neural_vision, 0.45);
    expectShown(r50?.cells.average_vision, 0.35);
  });

  it('exports exactly the current view as CSV and JSON', async () => {
    await go('/?q=family:resnet|vit&sort=behavior_vision&dir=asc&open=average_vision,engineering_vision');
    const view = await readBoard();
    expect(view.rows.length).toBe(5);
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.click('[data-testid="export-csv"]'),
    ]);
    const csv = readFileSync((await download.path()) as string, 'utf8')
      .trim()
      .split('\n');
    const header = (csv[0] as string).split(',');
    expect(header).toEqual(['rank', 'model', 'name', ...view.cols]);
    expect(csv.length - 1).toBe(view.rows.length);
    csv.slice(1).forEach((line, i) => {
      const fields = line.split(',');
      const row = view.rows[i];
      expect(fields[0]).toBe(row?.rank);
      expect(fields[1]).toBe(row?.model);
      view.cols.forEach((c, j) => {
        const shown = row?.cells[c] ?? '';
        const exported = fields[3 + j] as string;
        if (/^[\d.]+\*?$/.test(shown)) expect(Number(exported).toFixed(3)).toBe(shown.replace('*', ''));
        else if (shown === '✕ failed') expect(exported).toBe('failed');
        else if (shown === 'not run') expect(exported).toBe('not-run');
        else expect(exported).toBe('missing');
      });
    });
    const [jsonDownload] = await Promise.all([
      page.waitForEvent('download'),
      page.click('[data-testid="export-json"]'),
    ]);
    const json = JSON.parse(readFileSync((await jsonDownload.path()) as string, 'utf8')) as {
      rows: { model: string; scores: Record<string, { value: number | null }> }[];
    };
    expect(json.rows.map((r) => r.model)).toEqual(view.rows.map((r) => r.model));
    expect(Object.keys(json.rows[0]?.scores ?? {})).toEqual(view.cols);
  });

  it('model page shows metadata, card, seeded scores and their provenance', async () => {
    await go('/models/resnet50');
    await shot('model');
    expect(await page.textContent('[data-testid="model-title"]')).toBe('ResNet-50');
    expect(await page.textContent('[data-testid="model-card"]')).toContain('inputShape');
    const scores = await page.$$eval('table[data-testid=model-scores] tbody tr', (trs) =>
      Object.fromEntries(
        trs.map((tr) => [
          tr.getAttribute('data-benchmark'),
          tr.querySelector('[data-testid=score]')?.textContent ?? '',
        ]),
      ),
    );
    for (const [i, id] of LEAVES.entries()) {
      const v = MODELS[0]?.scores[i];
      // A seeded score at three decimals; a leaf without a record (null) prints fmt's dash.
      expect(scores[id], id).toBe(typeof v === 'number' ? v.toFixed(3) : '–');
    }
    expectShown(scores.neural_vision, 0.375);
    const text = (await page.textContent('table[data-testid=model-scores]')) ?? '';
    expect(text).toContain('import · e2e-seed 1.0.0 · seed 7');
    // Robustness curve data: ImageNet L∞ reference at eps 0.5/255 and 1/255.
    expect(await page.isVisible('text=Robust accuracy against ε')).toBe(true);
    await expectAccessible('model');
    await go('/models/no-such-model');
    expect(await page.textContent('h1')).toBe('Not found');
  });

  it('benchmark page shows ranked seeded scores and the correlation with robustness', async () => {
    await go('/benchmarks/Hermann2020cueconflict-shape_bias');
    await shot('benchmark');
    const ranked = await page.$$eval('table[data-testid=ranked-models] tbody tr', (trs) =>
      trs.map((tr) => [tr.getAttribute('data-model'), tr.querySelectorAll('td')[2]?.textContent]),
    );
    expect(ranked[0]).toEqual(['convnext-t-at', '0.700']);
    expect(ranked).toHaveLength(10);
    // Shape bias increases strictly with AutoAttack-Linf-1/255 over the ten models (seed.ts): Spearman rho = 1.
    const rho = await page.textContent('tr[data-target="AutoAttack-Linf-1/255"] [data-testid=rho]');
    expect(rho).toBe('1.000');
    await expectAccessible('benchmark');
    await go('/benchmarks/AutoAttack-Linf-1/255');
    expect(await page.textContent('[data-testid="benchmark-title"]')).toContain('AutoAttack');
    await go('/benchmarks');
    await shot('benchmarks');
    await expectAccessible('benchmarks');
  });

  it('correlation explorer shows the coefficients the analysis package computes', async () => {
    const target = 'AutoAttack-Linf-1/255';
    await go(`/correlations?target=${encodeURIComponent(target)}&method=spearman`);
    await shot('correlations');
    const shown = await page.$$eval('table[data-testid=correlation-table] tbody tr', (trs) =>
      trs.map((tr) => {
        const td = tr.querySelectorAll('td');
        return {
          benchmark: tr.getAttribute('data-benchmark') ?? '',
          n: td[1]?.textContent ?? '',
          coef: td[2]?.textContent ?? '',
          ci: td[3]?.textContent ?? '',
          p: td[4]?.textContent ?? '',
          q: td[5]?.textContent ?? '',
        };
      }),
    );
    // Independent computation: the catalog tree and the fixture's leaf scores, aggregated with missing = skip
    // (the explorer's and the API's default), one column per benchmark node that some model has a value for.
    const benchmarks = await listBenchmarks(t.db);
    const ident = new Map(benchmarks.map((b) => [b.id, b.identifier]));
    const tree: BenchmarkTreeNode[] = benchmarks.map((b) => ({
      identifier: b.identifier,
      parent: b.parentId === null ? null : (ident.get(b.parentId) ?? null),
      domain: b.domain,
    }));
    const scores: ModelScores[] = MODELS.map((m) => ({
      model: m.identifier,
      scores: Object.fromEntries(
        LEAVES.flatMap((id, i) => {
          const v = m.scores[i];
          if (v === null || v === undefined) return [];
          const domain = tree.find((n) => n.identifier === id)?.domain;
          const alignment = domain === 'neural' || domain === 'behavioral';
          return [
            [
              id,
              typeof v === 'number'
                ? { status: 'scored' as const, raw: v, ceiled: alignment ? v : null }
                : { status: v, raw: null, ceiled: null },
            ],
          ];
        }),
      ),
    }));
    const agg = aggregate(tree, scores, { missing: 'skip' });
    // Not predictors (issue 17, item 10): the target's ancestors and sibling robustness benchmarks. In
    // the seeded catalog every robustness benchmark sits directly under the `robustness` root.
    const related = new Set([
      'robustness',
      ...tree.filter((n) => n.parent === 'robustness' && n.identifier !== target).map((n) => n.identifier),
    ]);
    const columns: Record<string, (number | null)[]> = {};
    for (const n of tree) {
      const col = agg.map((a) => a.values[n.identifier]?.value ?? null);
      if (related.has(n.identifier)) continue;
      if (n.identifier === target || col.some((v) => v !== null)) columns[n.identifier] = col;
    }
    const expected = correlate(
      { models: MODELS.map((m) => m.identifier), columns },
      { target, method: 'spearman', minN: 8 },
    );
    const withCoef = expected.filter((r) => r.coefficient !== null);
    expect(shown.length).toBe(expected.length);
    expect(shown.some((r) => r.benchmark === 'robustness')).toBe(false);
    for (const r of withCoef) {
      const row = shown.find((s) => s.benchmark === r.benchmark);
      expect(shown.map((s) => s.benchmark)).toContain(r.benchmark);
      expect(row?.coef, r.benchmark).toBe((r.coefficient as number).toFixed(3));
      expect(row?.n, r.benchmark).toBe(String(r.n));
    }
    // Closed forms from the fixture's construction: shape bias rho = +1, shape match rho = -1 (n = 10).
    expect(shown.find((s) => s.benchmark === 'Hermann2020cueconflict-shape_bias')?.coef).toBe('1.000');
    expect(shown.find((s) => s.benchmark === 'Hermann2020cueconflict-shape_match')?.coef).toBe('-1.000');
    // The four aggregates' OLS R² match analysis.correlate's r2.
    for (const a of ['average_vision', 'neural_vision', 'behavior_vision', 'engineering_vision']) {
      const r2 = await page.textContent(
        `table[data-testid=aggregate-ols] tr[data-benchmark="${a}"] [data-testid=r2]`,
      );
      const want = expected.find((r) => r.benchmark === a)?.r2;
      expect(want, a).toBeTypeOf('number');
      expect(r2, a).toBe(Number(want).toFixed(3));
    }
    await expectAccessible('correlations');
    // Every chart downloads as SVG and PNG.
    const chart = page.locator('figure.chart-frame').first();
    const [svgFile] = await Promise.all([
      page.waitForEvent('download'),
      chart.getByRole('button', { name: /as SVG/ }).click(),
    ]);
    const svg = readFileSync((await svgFile.path()) as string, 'utf8');
    expect(svg.startsWith('<svg')).toBe(true);
    expect(svg).toContain('Shape bias');
    const [pngFile] = await Promise.all([
      page.waitForEvent('download'),
      chart.getByRole('button', { name: /as PNG/ }).click(),
    ]);
    const png = readFileSync((await pngFile.path()) as string);
    expect([...png.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    expect(png.length).toBeGreaterThan(5000);
    // Changing the method changes the URL and the numbers.
    await page.selectOption('[data-testid="method"]', 'kendall');
    await page.click('text=Update');
    await waitForUrl((u) => u.searchParams.get('method') === 'kendall');
    expect(await page.textContent('table[data-testid=correlation-table] thead')).toContain('Kendall');
    // A covariate adds the partial coefficient; a minimum n above the 10 models leaves every row without q.
    await go(`/correlations?target=${encodeURIComponent(target)}&covariate=ImageNet-top1&minN=11`);
    expect(await page.textContent('table[data-testid=correlation-table] thead')).toContain(
      'Partial ρ | ImageNet top-1',
    );
    const qs = await page.$$eval('table[data-testid=correlation-table] tbody tr', (trs) =>
      trs.map((tr) => tr.querySelectorAll('td')[5]?.textContent),
    );
    expect(qs.length).toBeGreaterThan(10);
    expect(new Set(qs)).toEqual(new Set(['–']));
  });

  it('correlation explorer shows the coefficients the GraphQL API returns', async () => {
    const target = 'AutoAttack-Linf-0.5/255';
    const res = await fetch(`${server.url}/api/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        query: `query ($t: String!) { correlations(target: $t) {
          benchmark { identifier } n coefficient pValue qValue ciLow ciHigh } }`,
        variables: { t: target },
      }),
    });
    const body = (await res.json()) as {
      data?: {
        correlations: {
          benchmark: { identifier: string };
          n: number;
          coefficient: number | null;
          pValue: number | null;
          qValue: number | null;
          ciLow: number | null;
          ciHigh: number | null;
        }[];
      };
      errors?: unknown;
    };
    expect(body.errors).toBeUndefined();
    const api = body.data?.correlations ?? [];
    expect(api.length).toBeGreaterThan(10);
    await go(`/correlations?target=${encodeURIComponent(target)}`);
    const shown = new Map(
      await page.$$eval('table[data-testid=correlation-table] tbody tr', (trs) =>
        trs.map((tr) => {
          const td = [...tr.querySelectorAll('td')].map((x) => x.textContent ?? '');
          return [
            tr.getAttribute('data-benchmark') ?? '',
            { n: td[1], coef: td[2], ci: td[3], p: td[4], q: td[5] },
          ] as const;
        }),
      ),
    );
    const f3 = (v: number | null) => (v === null ? '–' : v.toFixed(3));
    // p and q print with three significant digits.
    const close3 = (text: string | undefined, v: number | null) => {
      if (v === null) return expect(text).toBe('–');
      expect(Math.abs(Number(text) - v), `${text} vs ${v}`).toBeLessThanOrEqual(Math.abs(v) * 0.005 + 1e-12);
    };
    expect(shown.size).toBe(api.length);
    for (const r of api) {
      const row = shown.get(r.benchmark.identifier);
      expect(shown.has(r.benchmark.identifier), r.benchmark.identifier).toBe(true);
      expect(row?.n).toBe(String(r.n));
      expect(row?.coef).toBe(f3(r.coefficient));
      expect(row?.ci).toBe(`[${f3(r.ciLow)}, ${f3(r.ciHigh)}]`);
      close3(row?.p, r.pValue);
      close3(row?.q, r.qValue);
    }
    // The benchmark page's row for the same pair shows the same numbers (its interval is bootstrapped alone).
    const sb = api.find((r) => r.benchmark.identifier === 'Hermann2020cueconflict-shape_bias');
    expect(sb?.ciLow).toBeTypeOf('number');
    await go('/benchmarks/Hermann2020cueconflict-shape_bias');
    const cells = await page.$$eval(`tr[data-target="${target}"] td`, (tds) =>
      tds.map((td) => td.textContent ?? ''),
    );
    expect(cells[0]).toBe(String(sb?.n));
    expect(cells[1]).toBe(f3(sb?.coefficient ?? null));
    expect(cells[2]).toBe(`[${f3(sb?.ciLow ?? null)}, ${f3(sb?.ciHigh ?? null)}]`);
    close3(cells[3], sb?.pValue ?? null);
    close3(cells[4], sb?.qValue ?? null);
  });

  it("correlation explorer shows the target's ancestors and sibling robustness benchmarks only when asked, marked", async () => {
    const target = 'AutoAttack-Linf-1/255';
    await go(`/correlations?target=${encodeURIComponent(target)}&related=1`);
    const rows = await page.$$eval('table[data-testid=correlation-table] tbody tr', (trs) =>
      trs.map((tr) => [tr.getAttribute('data-benchmark'), tr.getAttribute('data-relation')] as const),
    );
    const relation = new Map(rows);
    expect(relation.get('robustness')).toBe('ancestor');
    expect(relation.get('AutoAttack-Linf-0.5/255')).toBe('sibling');
    expect(relation.get('Hermann2020cueconflict-shape_bias')).toBeNull();
    expect(await page.isChecked('[data-testid=show-related]')).toBe(true);
  });

  it('compare page puts models side by side with the best highlighted', async () => {
    await go('/compare?m=resnet50&m=convnext-t-at');
    await shot('compare');
    const row = await page.$$eval(
      'table[data-testid=compare-table] tr[data-benchmark="average_vision"] td',
      (tds) => tds.map((td) => ({ text: td.textContent ?? '', best: td.classList.contains('better') })),
    );
    expect(row[1]?.best).toBe(true);
    expect(row[0]?.best).toBe(false);
    // Δ to the first model: 0.3875 - 0.3125 = 0.075.
    expect(row[1]?.text).toContain('Δ +0.075');
    await expectAccessible('compare');
  });

  it('submit page checks a results file in the browser: per-row errors, nothing written', async () => {
    const { key } = await createApiKey(t.db, { name: 'e2e checker' });
    const before = (await listModels(t.db)).length;
    await go('/submit');
    await expectAccessible('submit');
    // A bad file: per-row errors in the preview, the submit button stays disabled, nothing is written.
    await page.fill('[data-testid="api-key"]', key);
    await page.fill('[data-testid="model-identifier"]', 'e2e-submitted');
    await page.setInputFiles('[data-testid="results-file"]', {
      name: 'bad.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from(
        'benchmark,status,value\nImageNet-top1,SCORED,1.7\nNoSuchBenchmark,SCORED,0.2\nAutoAttack-Linf-1/255,SCORED,0.3\n',
      ),
    });
    await page.waitForSelector('[data-testid="preview"]');
    const errors = await page.$$eval('[data-testid="row-errors"]', (tds) =>
      tds.map((td) => td.textContent ?? ''),
    );
    expect(errors[0]).toContain('outside [0, 1]');
    expect(errors[1]).toContain('unknown benchmark "NoSuchBenchmark"');
    expect(errors[2]).toBe('ok');
    expect(await page.isDisabled('[data-testid="submit"]')).toBe(true);
    await shot('submit-errors');
    expect((await listModels(t.db)).length).toBe(before);
  });

  it('submit flow: a valid file with a valid key adds a model that then appears on the leaderboard', async () => {
    const { key } = await createApiKey(t.db, { name: 'e2e submitter' });
    await go('/submit');
    await page.fill('[data-testid="api-key"]', key);
    await page.fill('[data-testid="model-identifier"]', 'e2e-submitted');
    await page.fill('[data-testid="model-displayName"]', 'E2E Submitted Net');
    await page.fill('[data-testid="model-family"]', 'e2e');
    await page.setInputFiles('[data-testid="results-file"]', {
      name: 'good.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from(
        'benchmark,status,value\nImageNet-top1,SCORED,0.71\nMajajHong2015.IT-pls,SCORED,0.5\nAutoAttack-Linf-1/255,SCORED,0.3\n',
      ),
    });
    expect(await page.textContent('[data-testid="preview-summary"]')).toContain('all valid');
    await page.click('[data-testid="submit"]');
    await page.waitForSelector('[data-testid="submit-result"]');
    expect(await page.textContent('[data-testid="submit-result"]')).toContain('Accepted');
    await shot('submit-accepted');
    // The metadata filled into the form above.
    expect(await getModel(t.db, 'e2e-submitted')).toMatchObject({
      identifier: 'e2e-submitted',
      displayName: 'E2E Submitted Net',
      family: 'e2e',
    });
    await go('/?q=family:e2e&open=average_vision,engineering_vision');
    const board = await readBoard();
    expect(board.rows.map((r) => r.model)).toEqual(['e2e-submitted']);
    expect(board.rows[0]?.cells['ImageNet-top1']).toBe('0.710');
    // A wrong key is refused by the server and writes nothing.
    await go('/submit');
    await page.fill('[data-testid="api-key"]', 'as_not-a-real-key');
    await page.fill('[data-testid="model-identifier"]', 'e2e-intruder');
    await page.setInputFiles('[data-testid="results-file"]', {
      name: 'good.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from('benchmark,value\nImageNet-top1,0.5\n'),
    });
    await page.click('[data-testid="submit"]');
    await page.waitForSelector('[data-testid="submit-result"]');
    expect(await page.getAttribute('[data-testid="submit-result"]', 'class')).toContain('bad');
    expect(await getModel(t.db, 'e2e-intruder')).toBeUndefined();
  });

  it('evaluation request: recorded through the API, its status shown on the model page', async () => {
    const { key } = await createApiKey(t.db, { name: 'e2e admin', isAdmin: true });
    await registerWorkerBenchmarks();
    // The platform must hold an ONNX file of the model (only its hash matters to the request) and
    // its card (the request is checked against the card's label space).
    await upsertModel(t.db, {
      identifier: 'resnet18',
      displayName: 'ResNet-18',
      onnxSha256: 'ab'.repeat(32),
      card: { labelSpace: 'imagenet-1k' },
    });
    await go('/submit');
    await page.fill('[data-testid="api-key"]', key);
    await page.fill('#eval-model', 'resnet18');
    await page.getByLabel('ImageNet top-1', { exact: true }).check();
    await page.getByRole('button', { name: 'Request evaluation' }).click();
    await page.waitForSelector('[data-testid="eval-result"]');
    expect(await page.textContent('[data-testid="eval-result"]')).toMatch(
      /recorded: status (pending|queued)/,
    );
    await page.click('[data-testid="eval-result"] a');
    await page.waitForSelector('[data-testid="evaluation-requests"]');
    const text = await page.textContent('[data-testid="evaluation-requests"]');
    expect(text).toContain('ImageNet-top1');
    expect(text).toMatch(/pending|queued/);
    await expectAccessible('model with evaluation request');
  });

  it.skipIf(bundle.missing)(
    'upload: an ONNX model with its card is checked, registered to the key and can be evaluated',
    async () => {
      const { key, apiKey } = await createApiKey(t.db, { name: 'e2e uploader' });
      await registerWorkerBenchmarks();
      await go('/submit');
      await page.fill('[data-testid="api-key"]', key);
      // A card that describes another file: the evaluator's sha256 check refuses it, nothing is registered.
      await page.setInputFiles('[data-testid="onnx-file"]', path.join(MODELS_DIR, 'cifar10_resnet20.onnx'));
      await page.setInputFiles(
        '[data-testid="card-file"]',
        path.join(MODELS_DIR, 'mobilenet_v1_025_imagenet1k.json'),
      );
      await page.click('[data-testid="upload-model"]');
      await page.waitForSelector('[data-testid="upload-result"]', { timeout: 60_000 });
      expect(await page.textContent('[data-testid="upload-result"]')).toContain(
        'card disagrees with the model',
      );
      expect(await getModel(t.db, 'mobilenet_v1_025_imagenet1k')).toBeUndefined();
      // The right card: registered, owned by the key, and ready for an evaluation request.
      await page.setInputFiles('[data-testid="card-file"]', path.join(MODELS_DIR, 'cifar10_resnet20.json'));
      await page.click('[data-testid="upload-model"]');
      await page.waitForFunction(
        () => document.querySelector('[data-testid="upload-result"]')?.textContent?.includes('Registered'),
        undefined,
        { timeout: 60_000 },
      );
      const registered = await getModel(t.db, 'cifar10_resnet20');
      expect(registered?.onnxSha256).toBe('8b2491c9913cf5610120495451d83f2f0a7ac4f98eaf214f5c47a767832c521b');
      expect(registered?.ownerKeyId).toBe(apiKey.id);
      expect(existsSync(path.join(home, 'models', `${registered?.onnxSha256}.onnx`))).toBe(true);
      expect(await page.inputValue('[data-testid="eval-model"]')).toBe('cifar10_resnet20');
      await page.getByLabel('CIFAR-10 top-1', { exact: true }).check();
      await page.getByRole('button', { name: 'Request evaluation' }).click();
      await page.waitForSelector('[data-testid="eval-result"]');
      expect(await page.textContent('[data-testid="eval-result"]')).toMatch(
        /recorded: status (pending|queued)/,
      );
      await shot('submit-upload');
      // Without a key the upload route refuses.
      const res = await fetch(`${server.url}/api/models`, { method: 'POST', body: new FormData() });
      expect(res.status).toBe(401);
    },
  );

  it('an empty database shows empty states that say what to do', async () => {
    const empty = await createTestDb();
    const web = await startWeb(DIST, empty.url);
    try {
      await page.goto(`${web.url}/`, { waitUntil: 'networkidle' });
      expect(await page.textContent('[data-testid="empty-board"]')).toContain('alignscope import');
      await shot('empty-leaderboard');
      await expectAccessible('empty leaderboard');
      await page.goto(`${web.url}/correlations`, { waitUntil: 'networkidle' });
      expect(await page.isVisible('[data-testid="empty-correlations"]')).toBe(true);
      await page.goto(`${web.url}/compare`, { waitUntil: 'networkidle' });
      expect(await page.isVisible('[data-testid="empty-compare"]')).toBe(true);
      await page.goto(`${web.url}/benchmarks/ImageNet-top1`, { waitUntil: 'networkidle' });
      expect(await page.isVisible('[data-testid="no-scores"]')).toBe(true);
    } finally {
      await web.stop();
      await empty.close();
    }
  });

  it('works in dark mode and makes no third-party requests', async () => {
    await page.emulateMedia({ colorScheme: 'dark' });
    await go('/');
    await shot('leaderboard-dark');
    await expectAccessible('leaderboard (dark)');
    await page.emulateMedia({ colorScheme: 'light' });
    expect(external).toEqual([]);
    expect(pageErrors).toEqual([]);
  });
});
