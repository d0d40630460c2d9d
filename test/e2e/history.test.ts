/**
 * Score history in the browser (issue 13): the date control changes the leaderboard and the
 * correlation explorer and the URL keeps it; intervals show as a tooltip, a toggle, in the CSV
 * export and as overlap marks on ranks; the model page lists every version of a cell and the sources
 * side by side. Production build, Debian's Chromium, axe on every page.
 *
 * Fixture (written here, times set by hand so the dates are fixed): on ImageNet-top1,
 *   lab-a: import 0.60 [0.55, 0.65] recorded 2024-01-10, our evaluation 0.70 [0.66, 0.74] on 2025-03-01;
 *   lab-b: evaluation 0.68 [0.64, 0.72] on 2024-01-10;  lab-c: evaluation 0.40 [0.35, 0.45] on 2024-01-10.
 * So now a (0.70) ranks 1 and b 2; as of 2024-06-01 a shows its import (0.60) and b ranks 1. Overlaps,
 * by hand: as of 2024-06-01 a [0.55, 0.65] and b [0.64, 0.72] overlap (0.64 ≤ 0.65), c overlaps none.
 */
import { mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { createRun, getBenchmark, upsertModel, upsertScore } from '@alignscope/db/queries';
import { createTestDb, type TestDb } from '@alignscope/db/testing';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, seriousViolations } from './browser.ts';
import { repoRoot, startWeb, type WebServer } from './server.ts';
import { sharedWebBuild } from './shared-build.ts';

const SHOTS = path.join(repoRoot, 'test-results/e2e');
const BENCH = 'ImageNet-top1';
const TARGET = 'AutoAttack-Linf-1/255';
const BOARD = `/?sort=${BENCH}&open=engineering_vision`;

let t: TestDb;
let server: WebServer;
let browser: Browser;
let page: Page;
const pageErrors: string[] = [];

async function seedHistory(db: TestDb['db']) {
  const bench = await getBenchmark(db, BENCH);
  const target = await getBenchmark(db, TARGET);
  if (!bench || !target) throw new Error('catalog not seeded');
  const imp = await createRun(db, { kind: 'import', producer: 'alignscope-import/brainscore' });
  const write = async (
    identifier: string,
    source: 'import' | 'evaluation',
    value: number,
    ci: [number, number],
    recorded: string,
  ) => {
    const { model } = await upsertModel(db, { identifier, displayName: identifier.toUpperCase() });
    const run =
      source === 'import'
        ? imp
        : await createRun(db, { kind: 'evaluation', producer: 'alignscope evaluate', modelId: model.id });
    await upsertScore(db, {
      modelId: model.id,
      benchmarkId: bench.id,
      benchmarkVersion: bench.version,
      status: 'scored',
      rawValue: value,
      ciLow: ci[0],
      ciHigh: ci[1],
      ciMethod:
        source === 'import' ? 'source error: value ± 1 error as given by brainscore' : 'clopper-pearson 95%',
      source,
      runId: run.id,
    });
    // A robustness value too (±0.05), so the correlation explorer has a target.
    await upsertScore(db, {
      modelId: model.id,
      benchmarkId: target.id,
      benchmarkVersion: target.version,
      status: 'scored',
      rawValue: value / 2,
      ciLow: value / 2 - 0.05,
      ciHigh: value / 2 + 0.05,
      ciMethod: 'clopper-pearson 95%',
      source: 'evaluation',
      runId: run.id,
    });
    await t.pool.query(`update score_versions set recorded_at = $1 where model_id = $2 and run_id = $3`, [
      recorded,
      model.id,
      run.id,
    ]);
  };
  await write('lab-a', 'import', 0.6, [0.55, 0.65], '2024-01-10T00:00:00Z');
  await write('lab-b', 'evaluation', 0.68, [0.64, 0.72], '2024-01-10T00:00:00Z');
  await write('lab-c', 'evaluation', 0.4, [0.35, 0.45], '2024-01-10T00:00:00Z');
  await write('lab-a', 'evaluation', 0.7, [0.66, 0.74], '2025-03-01T00:00:00Z');
  // Models and benchmarks existed before the first value (the board as of a time shows only those).
  await t.pool.query(`update models set created_at = '2023-01-01T00:00:00Z'`);
  await t.pool.query(`update benchmarks set created_at = '2023-01-01T00:00:00Z'`);
  await t.pool.query(`update benchmark_versions set created_at = '2023-01-01T00:00:00Z'`);
}

beforeAll(async () => {
  mkdirSync(SHOTS, { recursive: true });
  t = await createTestDb();
  const [, dist] = await Promise.all([seedHistory(t.db), sharedWebBuild()]);
  server = await startWeb(dist, t.url);
  browser = await launchChromium();
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 }, acceptDownloads: true });
  page = await context.newPage();
  page.on('pageerror', (e) => pageErrors.push(e.message));
}, 720_000);

afterAll(async () => {
  await browser?.close();
  await server?.stop();
  await t?.close();
});

async function go(p: string) {
  await page.goto(`${server.url}${p}`, { waitUntil: 'networkidle' });
}

async function expectAccessible(name: string) {
  const v = await seriousViolations(page);
  expect(v, `${name}: ${JSON.stringify(v, null, 1)}`).toEqual([]);
}

/** Per model: rank text and the ImageNet-top1 cell's text and tooltip. */
async function readColumn() {
  return page.evaluate((bench) => {
    const cols = [...document.querySelectorAll('table[data-testid=leaderboard] thead tr.col-row th')].map(
      (th) => th.getAttribute('data-col') ?? '',
    );
    const i = cols.indexOf(bench);
    return Object.fromEntries(
      [...document.querySelectorAll('table[data-testid=leaderboard] tbody tr[data-model]')].map((tr) => {
        const td = tr.querySelectorAll('td.cell')[i];
        return [
          tr.getAttribute('data-model') ?? '',
          {
            rank: (tr.querySelector('td.pin-rank')?.firstChild?.textContent ?? '').trim(),
            overlap: tr.querySelector('[data-testid=rank-overlap]')?.getAttribute('title') ?? null,
            text: (td?.textContent ?? '').trim(),
            title: td?.getAttribute('title') ?? null,
          },
        ];
      }),
    );
  }, BENCH);
}

describe('score history in the dashboard (production build, Chromium)', () => {
  it('the date control changes the leaderboard and the URL keeps it', async () => {
    await go(BOARD);
    let col = await readColumn();
    expect(col['lab-a']).toMatchObject({ rank: '1', text: '0.700', title: 'interval [0.660, 0.740]' });
    expect(col['lab-b']?.rank).toBe('2');
    // Now a [0.66, 0.74] and b [0.64, 0.72] overlap; c [0.35, 0.45] overlaps neither.
    expect([col['lab-a']?.overlap, col['lab-b']?.overlap, col['lab-c']?.overlap]).toEqual([
      'interval overlaps ranks 1–2',
      'interval overlaps ranks 1–2',
      null,
    ]);
    expect(await page.locator('[data-testid=as-of-notice]').count()).toBe(0);

    await page.fill('[data-testid=as-of]', '2024-06-01');
    await page.click('form.controls button[type=submit]');
    await page.waitForURL((u) => u.searchParams.get('asOf') === '2024-06-01', { timeout: 15_000 });
    await page.waitForLoadState('networkidle');
    const url = new URL(page.url());
    expect(url.searchParams.get('sort')).toBe(BENCH);
    col = await readColumn();
    // As of 2024-06-01 lab-a's only value is its import.
    expect(col['lab-a']).toMatchObject({ rank: '2', text: '0.600', title: 'interval [0.550, 0.650]' });
    expect(col['lab-b']).toMatchObject({ rank: '1', text: '0.680' });
    expect(await page.textContent('[data-testid=as-of-notice]')).toContain('2024-06-01');
    await expectAccessible('leaderboard as of a date');

    // A benchmark's cell opens that cell's history on the model page.
    await page.click('tr[data-model="lab-a"] [data-testid=cell-history]');
    await page.waitForURL((u) => u.pathname === '/models/lab-a' && u.searchParams.get('cell') === BENCH, {
      timeout: 15_000,
    });
    await page.waitForLoadState('networkidle');
    expect(await page.locator(`[data-testid="history-${BENCH}"]`).getAttribute('open')).not.toBeNull();
    await go(`${BOARD}&asOf=2024-06-01`);

    // A reload (or a shared link) restores the same board.
    await page.reload({ waitUntil: 'networkidle' });
    expect((await readColumn())['lab-a']?.text).toBe('0.600');
    expect(await page.inputValue('[data-testid=as-of]')).toBe('2024-06-01');
  });

  it('shows intervals with the toggle, marks overlapping ranks and exports the intervals', async () => {
    await go(`${BOARD}&asOf=2024-06-01`);
    await page.click('[data-testid=toggle-ci]');
    await page.waitForURL((u) => u.searchParams.get('ci') === '1', { timeout: 15_000 });
    await page.waitForLoadState('networkidle');
    expect(new URL(page.url()).searchParams.get('asOf')).toBe('2024-06-01');
    const col = await readColumn();
    expect(col['lab-a']?.text).toBe('0.600[0.550, 0.650]');
    expect(col['lab-a']?.overlap).toBe('interval overlaps ranks 1–2');
    expect(col['lab-b']?.overlap).toBe('interval overlaps ranks 1–2');
    expect(col['lab-c']?.overlap).toBeNull();
    await expectAccessible('leaderboard with intervals');

    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.click('[data-testid="export-csv"]'),
    ]);
    const lines = readFileSync((await download.path()) as string, 'utf8')
      .trim()
      .split('\n');
    const header = (lines[0] ?? '').split(',');
    const row = (lines.find((l) => l.includes(',lab-a,')) ?? '').split(',');
    const at = (name: string) => row[header.indexOf(name)];
    expect([at(BENCH), at(`${BENCH}_ci_low`), at(`${BENCH}_ci_high`)]).toEqual(['0.6', '0.55', '0.65']);
  });

  it('the model page lists every version of a cell and the sources side by side', async () => {
    await go(`/models/lab-a?cell=${BENCH}`);
    const panel = page.locator(`[data-testid="history-${BENCH}"]`);
    expect(await panel.getAttribute('open')).not.toBeNull();
    const versions = panel.locator('[data-testid=history-version]');
    expect(await versions.count()).toBe(2);
    expect(await versions.locator('[data-testid=history-value]').allTextContents()).toEqual([
      '0.600',
      '0.700',
    ]);
    // Oldest first: the import, then our evaluation, which is the current value.
    expect(await versions.nth(0).textContent()).toContain('2024-01-10 00:00:00 UTC');
    expect(await versions.nth(0).textContent()).toContain('import');
    expect(await versions.nth(1).getAttribute('data-current')).toBe('true');
    expect(await versions.nth(1).textContent()).toContain('[0.660, 0.740]');

    const row = page.locator(`[data-testid=score-sources] tr[data-benchmark="${BENCH}"]`);
    expect((await row.locator('[data-source=evaluation]').textContent())?.startsWith('0.700')).toBe(true);
    expect((await row.locator('[data-source=import]').textContent())?.startsWith('0.600')).toBe(true);
    // 0.60 − 0.70, and [0.55, 0.65] does not overlap [0.66, 0.74].
    expect(await row.locator('[data-delta=import]').textContent()).toBe('Δ -0.100beyond uncertainty');
    // The scores table shows the current interval; the robustness curve draws it as a whisker.
    expect(
      await page.textContent(
        `[data-testid=model-scores] tr[data-benchmark="${BENCH}"] [data-testid=score-interval]`,
      ),
    ).toBe('[0.660, 0.740]');
    expect(await page.locator('.recharts-errorBar').count()).toBeGreaterThan(0);
    await expectAccessible('model page history');
  });

  it('the date control changes the correlation explorer and the URL keeps it', async () => {
    await go(`/correlations?target=${encodeURIComponent(TARGET)}`);
    expect(await page.locator('[data-testid=as-of-notice]').count()).toBe(0);
    await page.fill('[data-testid=as-of]', '2024-06-01');
    await page.click('form.controls button[type=submit]');
    await page.waitForURL((u) => u.searchParams.get('asOf') === '2024-06-01', { timeout: 15_000 });
    await page.waitForLoadState('networkidle');
    expect(new URL(page.url()).searchParams.get('target')).toBe(TARGET);
    expect(await page.textContent('[data-testid=as-of-notice]')).toContain('2024-06-01');
    await expectAccessible('correlations as of a date');

    // The scatter of two leaves with intervals offers the noisy-input bootstrap.
    await go(`/correlations?target=${encodeURIComponent(TARGET)}&x=${BENCH}&y=${encodeURIComponent(TARGET)}`);
    expect(await page.textContent('[data-testid=noisy-bootstrap]')).toContain(
      'Noisy-input bootstrap (models resampled and each score with an interval redrawn uniformly within it, 3 of the models with intervals',
    );
    // Both scores of every point have intervals: whiskers in x and y.
    expect(await page.locator('.recharts-errorBar').count()).toBeGreaterThan(0);
    await expectAccessible('correlations scatter with intervals');
    expect(pageErrors).toEqual([]);
  });
});
