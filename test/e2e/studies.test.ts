/**
 * The study pages in a real browser (Debian's Chromium, production build): the list, a running
 * study's progress (per stage and model, refreshed in place), a computed study's result (correlations
 * with intervals, the spread beside a model's own interval, aggregates, partial correlations, the
 * predictor), its CSV/SVG/PNG downloads, and the correlation explorer on the study's result and with
 * the board's predictor.
 *
 * The fixture is written with the db functions the study runner uses (saveStudyDefinition,
 * updateStudy, createRun/finishRun, enqueueJobs/claimJob/heartbeatJob, upsertScore). The stored result
 * is built as `computeStudyResult` builds it (correlate of @alignscope/analysis) from eight
 * hand-chosen models; the numbers the tests expect are worked out by hand from the ranks (Spearman
 * ρ = 1 − 6Σd²/(n(n²−1)), n = 8, so 1 − 6Σd²/504) and checked with scipy.stats.spearmanr / numpy
 * (values in the comments). The predictor's numbers (stored and live) are a closed form worked by
 * hand (HELD_OUT below), not computed with predictRobustness.
 */
import { mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { correlate, STUDY_TABLES, type StoredStudyResult, studyCsv } from '@alignscope/analysis';
import type { Database } from '@alignscope/db';
import {
  claimJob,
  createRun,
  enqueueJobs,
  failAttempt,
  finishRun,
  getBenchmark,
  getStudy,
  heartbeatJob,
  saveStudyDefinition,
  updateStudy,
  upsertModel,
  upsertScore,
} from '@alignscope/db/queries';
import { createTestDb, type TestDb } from '@alignscope/db/testing';
import { parse } from 'csv-parse/sync';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, seriousViolations } from './browser.ts';
import { repoRoot, startWeb, type WebServer } from './server.ts';
import { sharedWebBuild } from './shared-build.ts';

const T1 = 'cifar10.AutoAttack-Linf-1/255';
const T2 = 'cifar10.AutoAttack-Linf-2/255';
const TOP1 = 'CIFAR10-top1';
const SB = 'Hermann2020cueconflict-shape_bias';
const SM = 'Hermann2020cueconflict-shape_match';
const AGG = 'cifar10_vision';
const MODELS = ['zoo-a', 'zoo-b', 'zoo-c', 'zoo-d', 'zoo-e', 'zoo-f', 'zoo-g', 'zoo-h'];

// Hand-chosen values, one per model of MODELS.
// T1 rises strictly, so its ranks are 1..8. T2 swaps models b and c: ranks [1,3,2,4,5,6,7,8].
// TOP1 ranks [8,6,7,4,5,2,3,1]: with T1 Σd² = 49+16+16+16+16+49 = 162, ρ = 1 − 972/504 = −0.928571
//   (scipy −0.9285714); with T2 Σd² = 49+9+25+16+16+49 = 164, ρ = −0.952381 (scipy −0.9523810).
// SM ranks [3,2,4,1,5,6,7,8]: with T1 Σd² = 4+1+9 = 14, ρ = 1 − 84/504 = 0.833333 (scipy 0.8333333).
// SB barely varies (range 0.006) while each model's own interval is 0.04 wide: ρ = 0.190 (scipy
//   0.1904762), whose interval must include 0.
// AGG: Pearson with T1 gives R² = 0.987056, F = R²/(1 − R²)·6 = 457.55 (numpy).
// biome-ignore format: a table
const VALUES: Record<string, number[]> = {
  [T1]:   [0.10, 0.20, 0.30, 0.40, 0.50, 0.60, 0.70, 0.80],
  [T2]:   [0.02, 0.05, 0.04, 0.10, 0.12, 0.20, 0.25, 0.30],
  [TOP1]: [0.92, 0.90, 0.91, 0.88, 0.89, 0.86, 0.87, 0.85],
  [SB]:   [0.5000, 0.5020, 0.4990, 0.5010, 0.5030, 0.4980, 0.5040, 0.5005],
  [SM]:   [0.40, 0.35, 0.45, 0.30, 0.50, 0.55, 0.60, 0.65],
  [AGG]:  [0.30, 0.33, 0.38, 0.41, 0.43, 0.49, 0.50, 0.56],
};
const SB_CI_HALF = 0.02;

// The predictor of T1 and of T2 from TOP1 alone: ridge (λ 0.1) on mid-ECDF ranks, leave-one-out,
// worked by hand (also packages/analysis/src/predict.test.ts, where predictRobustness is checked
// against it). Every fold trains on 7 models with distinct values, whose ranks are (r − 1/2)/7 for
// TOP1 and target alike: var = 28/343, cov = C/343 with C = 28 − D/2 (D: Σd² of the 7 within-fold
// ranks), so w = C/62.3 and b = 1/2 − w/2; the held-out model sits at z = (TOP1 rank − 1)/7 and is
// predicted 1/2 + w(z − 1/2). TOP1 ranks R = [8,6,7,4,5,2,3,1].
//   T1: leaving out a or h gives D = 106 (C = −25), any other D = 108 (C = −26). Held-out order
//     a < c < b < e < d < g < f < h: the pairs (b,c), (d,e), (f,g) are reversed, ranking accuracy
//     25/28 = 0.893, Spearman 1 − 6·6/504 = 0.929. Fit on all 8 (ranks (r − 1/2)/8, D = 162):
//     w = (42 − 81)/93.2 = −0.418, intercept 1/2 − w/2.
//   T2: a, b, c, h give D = 108 (C = −26); d, e, f, g D = 110 (C = −27). Same held-out order; only
//     (d,e) and (f,g) are reversed: 26/28 = 0.929, Spearman 1 − 6·4/504 = 0.952; w = (42 − 82)/93.2.
const TOP1_RANK = [8, 6, 7, 4, 5, 2, 3, 1];
type HeldOut = { C: number[]; accuracy: number; rho: number; w: number };
const HELD_OUT: Record<string, HeldOut> = {
  [T1]: { C: [-25, -26, -26, -26, -26, -26, -26, -25], accuracy: 25 / 28, rho: 1 - 36 / 504, w: -39 / 93.2 },
  [T2]: { C: [-26, -26, -26, -27, -27, -27, -27, -26], accuracy: 26 / 28, rho: 1 - 24 / 504, w: -40 / 93.2 },
};
const heldOut = (target: string) => {
  const h = HELD_OUT[target] as HeldOut;
  return {
    n: 8,
    folds: 8,
    predictions: TOP1_RANK.map((r, i) => 0.5 + ((h.C[i] as number) / 62.3) * ((r - 1) / 7 - 0.5)),
    heldOutSpearman: h.rho,
    heldOutRankingAccuracy: h.accuracy,
    weights: { [TOP1]: h.w },
    intercept: 0.5 - h.w / 2,
    reason: null,
  };
};

const definition = (name: string, models: string[]) => ({
  name,
  title: `${name}: does robustness rise with the alignment probes?`,
  description: 'An e2e fixture.',
  cohort: { models, bundleModels: [], filters: [] },
  benchmarks: [TOP1, SB, SM],
  robustness: [
    {
      dataset: 'cifar10',
      norm: 'Linf',
      eps: ['1/255', '2/255'],
      profile: 'reference',
      version: 'standard',
      images: { set: 'default', size: 8 },
      seed: 0,
    },
  ],
  analysis: {
    method: 'spearman',
    covariate: TOP1,
    minN: 5,
    aggregates: [AGG],
    predictor: { features: [TOP1], folds: 'loo', lambda: 0.1 },
    missing: 'zero',
  },
});

/** The result as computeStudyResult (apps/evaluator/src/studies/run.ts) builds it from these columns. */
function studyResult(tag: string) {
  const targets = [T1, T2];
  const correlations = targets.map((target) => {
    const columns = Object.fromEntries(
      Object.entries(VALUES).filter(([k]) => k === target || !targets.includes(k)),
    );
    return {
      target,
      rows: correlate({ models: MODELS, columns }, { target, method: 'spearman', minN: 5, covariate: TOP1 }),
    };
  });
  return {
    study: tag,
    computedAt: '2026-12-01T10:00:00.000Z',
    models: MODELS,
    correlations,
    aggregates: correlations.flatMap(({ target, rows }) =>
      rows
        .filter((r) => r.benchmark === AGG)
        .map((r) => ({ target, benchmark: AGG, n: r.n, r2: r.r2, f: r.fStatistic, fP: r.fPValue })),
    ),
    predictor: targets.map((target) => ({
      target,
      features: [TOP1],
      result: heldOut(target),
      targetValues: VALUES[target] as number[],
    })),
    values: VALUES,
    provenance: { definition: 'zoo-e2e', method: 'spearman', minN: 5 },
  };
}

async function bench(db: Database, id: string) {
  const b = await getBenchmark(db, id);
  if (!b) throw new Error(`catalog has no ${id}`);
  return b;
}

let computedId = 0;
let runningId = 0;
let failedId = 0;
let result: ReturnType<typeof studyResult>;

/** Models, their board scores (T1, TOP1, SB with its interval), a computed study and a running one. */
async function seedStudies(db: Database): Promise<Map<string, number>> {
  const ids = new Map<string, number>();
  const importRun = await createRun(db, { kind: 'import', producer: 'e2e-seed', configuration: {} });
  await finishRun(db, importRun.id, { status: 'succeeded' });
  for (const [i, m] of MODELS.entries()) {
    const { model } = await upsertModel(db, {
      identifier: m,
      displayName: m,
      family: 'resnet',
      trainingRegime: 'standard',
      architecture: 'ResNet',
      trainingData: 'CIFAR-10',
      source: 'e2e fixture',
      card: { inputShape: [1, 3, 32, 32], inputRange: [0, 1], labels: 'cifar10' },
    });
    ids.set(m, model.id);
    for (const [id, ceiled, half] of [
      [T1, false, 0],
      [TOP1, false, 0],
      [SB, true, SB_CI_HALF],
    ] as const) {
      const b = await bench(db, id);
      const v = VALUES[id]?.[i] as number;
      await upsertScore(db, {
        modelId: model.id,
        benchmarkId: b.id,
        benchmarkVersion: b.version,
        status: 'scored',
        rawValue: v,
        ceiledValue: ceiled ? v : null,
        ...(half ? { ciLow: v - half, ciHigh: v + half, ciMethod: 'bootstrap' } : {}),
        runId: importRun.id,
      });
    }
  }

  // Computed: every score was current (reused), the result stored.
  const done = await saveStudyDefinition(db, 'zoo-e2e', definition('zoo-e2e', MODELS));
  computedId = done.study.id;
  result = studyResult('zoo-e2e@1');
  await updateStudy(db, computedId, {
    status: 'computed',
    plan: {
      study: 'zoo-e2e@1',
      cohort: MODELS,
      benchmarks: [TOP1, SB, SM],
      robustness: [T1, T2],
      scores: MODELS.flatMap((m) => [
        ...[TOP1, SB, SM].map((b) => ({
          model: m,
          benchmark: b,
          kind: 'alignment',
          state: 'current',
          limit: null,
        })),
        ...[T1, T2].map((b) => ({ model: m, benchmark: b, kind: 'robustness', state: 'current', limit: 8 })),
      ]),
      counts: { current: 40, missing: 0, unavailable: 0 },
      estimateMs: 0,
      unmeasured: [],
    },
    progress: { tasksDone: 0, tasks: 0 },
    result,
  });

  // Running: zoo-a reused; zoo-b's TOP1 run succeeded and its T1 job is running (40 %, APGD-CE);
  // zoo-c's TOP1 is still to run and its T1 cannot run here.
  const running = await saveStudyDefinition(
    db,
    'zoo-e2e-running',
    definition('zoo-e2e-running', MODELS.slice(0, 3)),
  );
  runningId = running.study.id;
  const tag = 'zoo-e2e-running@1';
  await updateStudy(db, runningId, {
    status: 'running',
    plan: {
      study: tag,
      cohort: ['zoo-a', 'zoo-b', 'zoo-c'],
      benchmarks: [TOP1],
      robustness: [T1],
      scores: [
        { model: 'zoo-a', benchmark: TOP1, kind: 'alignment', state: 'current', limit: null },
        { model: 'zoo-a', benchmark: T1, kind: 'robustness', state: 'current', limit: 8 },
        {
          model: 'zoo-b',
          benchmark: TOP1,
          kind: 'alignment',
          state: 'missing',
          limit: null,
          estimateMs: 2000,
        },
        { model: 'zoo-b', benchmark: T1, kind: 'robustness', state: 'missing', limit: 8, estimateMs: 80_000 },
        {
          model: 'zoo-c',
          benchmark: TOP1,
          kind: 'alignment',
          state: 'missing',
          limit: null,
          estimateMs: 2000,
        },
        {
          model: 'zoo-c',
          benchmark: T1,
          kind: 'robustness',
          state: 'unavailable',
          limit: 8,
          reason: 'no ONNX model to run',
        },
      ],
      counts: { current: 2, missing: 3, unavailable: 1 },
      estimateMs: 84_000,
      unmeasured: [],
    },
    progress: { tasksDone: 1, tasks: 3 },
  });
  const run = await createRun(db, {
    kind: 'evaluation',
    modelId: ids.get('zoo-b') as number,
    producer: 'alignscope-evaluator',
    configuration: { study: tag, benchmark: TOP1 },
  });
  await finishRun(db, run.id, { status: 'succeeded' });
  const t1 = await bench(db, T1);
  const [job] = await enqueueJobs(db, {
    modelId: ids.get('zoo-b') as number,
    jobs: [{ benchmark: T1, benchmarkVersion: t1.version, configuration: { limit: 8 } }],
  });
  const claim = await claimJob(db, { jobId: job?.job.id as number, worker: 'e2e', staleSeconds: 600 });
  if (!claim) throw new Error('job not claimed');
  await heartbeatJob(db, {
    jobId: claim.job.id,
    claim: claim.claim,
    progress: { fraction: 0.4, stage: 'apgd-ce', etaSeconds: 30, updatedAt: new Date().toISOString() },
  });

  // Done with failures: zoo-a's TOP1 reused; zoo-b's TOP1 job failed for good (one attempt).
  const failedStudy = await saveStudyDefinition(
    db,
    'zoo-e2e-failed',
    definition('zoo-e2e-failed', MODELS.slice(0, 2)),
  );
  failedId = failedStudy.study.id;
  const top1 = await bench(db, TOP1);
  const [bad] = await enqueueJobs(db, {
    modelId: ids.get('zoo-b') as number,
    maxAttempts: 1,
    jobs: [{ benchmark: TOP1, benchmarkVersion: top1.version, configuration: { limit: 50 } }],
  });
  const badClaim = await claimJob(db, { jobId: bad?.job.id as number, worker: 'e2e', staleSeconds: 600 });
  if (!badClaim) throw new Error('job not claimed');
  await failAttempt(db, {
    jobId: badClaim.job.id,
    claim: badClaim.claim,
    error: FAILED_ERROR,
    computeSeconds: 1,
  });
  await updateStudy(db, failedId, {
    status: 'done_with_failures',
    error: `1 planned score(s) failed and are left out of the result: zoo-b ${TOP1} (${FAILED_ERROR})`,
    plan: {
      study: 'zoo-e2e-failed@1',
      cohort: ['zoo-a', 'zoo-b'],
      benchmarks: [TOP1],
      robustness: [],
      scores: [
        { model: 'zoo-a', benchmark: TOP1, kind: 'alignment', state: 'current', limit: 50 },
        { model: 'zoo-b', benchmark: TOP1, kind: 'alignment', state: 'missing', limit: 50 },
      ],
      counts: { current: 1, missing: 1, unavailable: 0 },
      estimateMs: 1000,
      unmeasured: [],
    },
  });
  return ids;
}

const FAILED_ERROR = 'the card disagrees with the model: the ONNX file is corrupt';

const SHOTS = path.join(repoRoot, 'test-results/e2e');
let t: TestDb;
let server: WebServer;
let browser: Browser;
let page: Page;
let ids: Map<string, number>;
const pageErrors: string[] = [];

beforeAll(async () => {
  mkdirSync(SHOTS, { recursive: true });
  t = await createTestDb();
  const [seeded, dist] = await Promise.all([seedStudies(t.db), sharedWebBuild()]);
  ids = seeded;
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
  await page.screenshot({ path: path.join(SHOTS, `studies-${name}.png`), fullPage: true });
  const v = await seriousViolations(page);
  expect(v, `${name}: ${JSON.stringify(v, null, 1)}`).toEqual([]);
}

const text = (selector: string) => page.locator(selector).textContent();
const cells = (selector: string) =>
  page.$$eval(selector, (trs) =>
    trs.map((tr) => [...tr.querySelectorAll('th, td')].map((c) => (c.textContent ?? '').trim())),
  );

describe('studies', () => {
  it('lists the studies with state, progress and cohort size, linked from the navigation', async () => {
    await go('/');
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Studies' }).click();
    await page.waitForURL(/\/studies$/);
    const rows = await page.$$eval('table[data-testid=studies-table] tbody tr', (trs) =>
      trs.map((tr) => ({
        study: tr.getAttribute('data-study'),
        state: tr.querySelector('[data-testid=state]')?.textContent,
        progress: tr.querySelector('[data-testid=progress]')?.textContent?.trim(),
        cohort: tr.querySelector('[data-testid=cohort]')?.textContent,
      })),
    );
    expect(rows).toEqual([
      { study: 'zoo-e2e@1', state: 'computed', progress: '40 / 40', cohort: '8' },
      // zoo-a's two reused scores and zoo-b's finished TOP1 of the five that can be computed here.
      // zoo-a's reused TOP1 of the two it needs; zoo-b's failed.
      { study: 'zoo-e2e-failed@1', state: 'done_with_failures', progress: '1 / 2', cohort: '2' },
      { study: 'zoo-e2e-running@1', state: 'running', progress: '3 / 5', cohort: '3' },
    ]);
    await expectAccessible('list');
  });

  it('says a study is done with failures and lists each failed score with its error', async () => {
    await go(`/studies/${failedId}`);
    expect(await text('[data-testid=study-state]')).toBe('done_with_failures');
    expect(await text('[data-testid=study-failures-notice]')).toContain(
      'the result covers the scores that succeeded; 1 planned scores failed',
    );
    expect(await page.locator('[data-testid=study-error]').count()).toBe(0);
    expect(await text('[data-testid=overall-progress]')).toContain(
      '1 of 2 scores done (50 %), 0 running, 1 failed',
    );
    expect(await page.locator('[data-testid=failed-tasks] li').allTextContents()).toEqual([
      `zoo-b · CIFAR-10 top-1 (failed): ${FAILED_ERROR}`,
    ]);
    await expectAccessible('failures');
  });

  it("shows a running study's progress per stage and model, and refreshes it without reloading", async () => {
    await go(`/studies/${runningId}`);
    expect(await text('[data-testid=study-state]')).toBe('running');
    expect(await text('[data-testid=overall-progress]')).toContain(
      '3 of 5 scores done (60 %), 1 running, 0 failed, 1 unavailable here',
    );
    expect(await cells('table[data-testid=progress-stages] tbody tr')).toEqual([
      // stage, done, needed, running, failed, unavailable
      ['alignment', '2', '3', '0', '0', '0'],
      ['robustness', '1', '2', '1', '0', '1'],
    ]);
    expect(await cells('table[data-testid=progress-models] tbody tr')).toEqual([
      ['zoo-a', '2 / 2', '0', '0'],
      ['zoo-b', '1 / 2', '1', '0'],
      ['zoo-c', '0 / 1', '0', '0'],
    ]);
    expect(await text('[data-testid=running]')).toContain('zoo-b · ');
    expect(await text('[data-testid=running]')).toContain('apgd-ce · 40 %');
    expect(await text('[data-testid=no-result]')).toContain('No result yet');
    await expectAccessible('running');

    // zoo-c's TOP1 finishes (as a worker would record it); the open page shows it by itself.
    await page.evaluate(() => {
      (window as unknown as { marker: number }).marker = 42;
    });
    const run = await createRun(t.db, {
      kind: 'evaluation',
      modelId: ids.get('zoo-c') as number,
      producer: 'alignscope-evaluator',
      configuration: { study: 'zoo-e2e-running@1', benchmark: TOP1 },
    });
    await finishRun(t.db, run.id, { status: 'succeeded' });
    await page.waitForFunction(
      () => document.querySelector('[data-testid=overall-progress]')?.textContent?.includes('4 of 5'),
      undefined,
      { timeout: 15_000 },
    );
    expect(await page.evaluate(() => (window as unknown as { marker?: number }).marker)).toBe(42);
    expect(await cells('table[data-testid=progress-models] tbody tr[data-model=zoo-c]')).toEqual([
      ['zoo-c', '1 / 1', '0', '0'],
    ]);
  });

  it("shows a computed study's correlations with their intervals and the spread beside a model's own interval", async () => {
    await go(`/studies/${computedId}`);
    expect(await text('[data-testid=study-state]')).toBe('computed');
    const row = async (b: string) => {
      const tr = page.locator(`table[data-testid=study-correlations] tbody tr[data-benchmark="${b}"]`);
      return {
        coef: await tr.locator('[data-testid=coef]').textContent(),
        ci: await tr.locator('[data-testid=ci]').textContent(),
        spansZero: await tr.getAttribute('data-ci-spans-zero'),
        spread: await tr.locator('[data-testid=spread]').textContent(),
        head: await tr.locator('th').textContent(),
      };
    };
    // Hand-worked Spearman coefficients against T1 (see the header).
    expect((await row(TOP1)).coef).toBe('-0.929');
    expect((await row(SM)).coef).toBe('0.833');
    expect((await row(AGG)).coef).toBe('1.000');
    const sb = await row(SB);
    expect(sb.coef).toBe('0.190');
    // The interval printed is the stored one, and it includes 0: marked, and named in the note.
    const stored = result.correlations[0]?.rows.find((r) => r.benchmark === SB);
    expect(sb.ci).toBe(`[${stored?.ciLow?.toFixed(3)}, ${stored?.ciHigh?.toFixed(3)}]`);
    expect(stored?.ciLow).toBeLessThan(0);
    expect(stored?.ciHigh).toBeGreaterThan(0);
    expect(sb.spansZero).toBe('1');
    expect(sb.head).toContain('CI spans 0');
    // Range 0.504 − 0.498 = 0.006, narrower than a model's own interval (0.04): within noise.
    expect(sb.spread).toBe('0.006');
    expect(sb.head).toContain('spread within noise');
    expect((await row(TOP1)).spansZero).toBe('0');
    expect(await text('[data-testid=uncertainty-note]')).toMatch(
      /^\d+ of 4 benchmarks have a 95 % interval that includes 0/,
    );
    // The aggregate's OLS: R² 0.987056, F 457.55 (numpy).
    expect(await cells(`table[data-testid=study-aggregates] tbody tr`)).toEqual([
      ['CIFAR-10', '8', '0.987', '457.55', expect.any(String)],
    ]);
    // Partial correlations given TOP1 per target, printed with their p-values.
    const partial = await cells(`table[data-testid=study-partial] tbody tr[data-benchmark="${SM}"]`);
    const want = result.correlations.map((c) => c.rows.find((r) => r.benchmark === SM)?.partialCoefficient);
    expect(partial[0]?.slice(1).map((c) => c.split(' ')[0])).toEqual(want.map((v) => v?.toFixed(3)));
    // The scatter of the strongest benchmark (AGG, |ρ| = 1) with its OLS line and R²/F.
    expect(await text('[data-testid=scatter-stats]')).toContain('8 models.');
    expect(await text('[data-testid=scatter-stats]')).toContain('R² = 0.987, F = 457.55');
    expect(await page.locator('.recharts-scatter-symbol').count()).toBeGreaterThanOrEqual(16);
    // The predictor: held-out accuracy per target, and a held-out prediction for every model beside its T1.
    // Hand-worked (HELD_OUT): accuracy 25/28 and 26/28, Spearman 0.929 and 0.952.
    const stats = await cells('table[data-testid=predictor-summary] tbody tr');
    expect(stats.map((r) => [r[1], r[2], r[3], r[4], r[5]])).toEqual([
      ['8', '8', '1', '0.929', '0.893'],
      ['8', '8', '1', '0.952', '0.929'],
    ]);
    // Best predicted first: h (0.700642 = 1/2 + 25/62.3/2) ... a (0.299358).
    const predictions = await cells('table[data-testid=predictions] tbody tr');
    expect(predictions.map((r) => r[0])).toEqual([
      'zoo-h',
      'zoo-f',
      'zoo-g',
      'zoo-d',
      'zoo-e',
      'zoo-b',
      'zoo-c',
      'zoo-a',
    ]);
    expect(predictions[0]?.[1]).toBe('0.701');
    expect(predictions[7]?.[1]).toBe('0.299');
    for (const [model, , measured] of predictions) {
      expect(measured).toBe(VALUES[T1]?.[MODELS.indexOf(model as string)]?.toFixed(3));
    }
    await expectAccessible('computed');

    // Another target through the URL: TOP1 against T2 is −0.952381 by hand.
    await page.selectOption('[data-testid=study-target]', T2);
    await page.getByRole('button', { name: 'Show' }).click();
    await page.waitForURL(/target=/);
    await page.waitForLoadState('networkidle');
    expect(
      await page
        .locator(
          `table[data-testid=study-correlations] tbody tr[data-benchmark="${TOP1}"] [data-testid=coef]`,
        )
        .textContent(),
    ).toBe('-0.952');
  });

  it('downloads the tables as CSV and the charts as SVG and PNG', async () => {
    await go(`/studies/${computedId}`);
    // The CSV route: a real CSV file with the stored numbers.
    const res = await page.request.get(`${server.url}/studies/${computedId}/csv/correlations.csv`);
    expect(res.status()).toBe(200);
    expect(res.headers()['content-type']).toBe('text/csv; charset=utf-8');
    expect(res.headers()['content-disposition']).toBe('attachment; filename="zoo-e2e-v1-correlations.csv"');
    const rows = parse(await res.text(), { columns: true }) as Record<string, string>[];
    expect(rows.length).toBe(2 * 4);
    const top1 = rows.find((r) => r.target === T1 && r.benchmark === TOP1);
    expect(Number(top1?.coefficient)).toBeCloseTo(-0.9285714, 6);
    const sbRow = rows.find((r) => r.target === T1 && r.benchmark === SB);
    expect(Number(sbRow?.ciLow)).toBeLessThanOrEqual(0);
    expect(Number(sbRow?.ciHigh)).toBeGreaterThanOrEqual(0);
    expect((await page.request.get(`${server.url}/studies/${computedId}/csv/nothing.csv`)).status()).toBe(
      404,
    );
    expect((await page.request.get(`${server.url}/studies/${runningId}/csv/values.csv`)).status()).toBe(409);

    // Every link on the page downloads its file: the bytes `alignscope study export` writes from the
    // same stored result (one writer, analysis' studyCsv; Postgres' jsonb keeps the columns of
    // `values` in its own key order, which both read back).
    const stored = (await getStudy(t.db, computedId))?.result as StoredStudyResult;
    for (const table of STUDY_TABLES) {
      const [download] = await Promise.all([
        page.waitForEvent('download'),
        page.click(`[data-testid=downloads] a[data-table=${table}]`),
      ]);
      expect(download.suggestedFilename()).toBe(`zoo-e2e-v1-${table}.csv`);
      const csv = parse(readFileSync((await download.path()) as string, 'utf8'), { columns: true }) as Record<
        string,
        string
      >[];
      expect(readFileSync((await download.path()) as string, 'utf8'), table).toBe(studyCsv(stored, table));
      // Every table has rows but the failures (none: every score was current).
      if (table === 'failures') expect(csv.length).toBe(0);
      else expect(csv.length, table).toBeGreaterThan(0);
      if (table === 'values') {
        expect(csv.map((r) => r.model)).toEqual(MODELS);
        expect(csv.map((r) => Number(r[SB]))).toEqual(VALUES[SB]);
      }
      if (table === 'predictions') expect(csv.length).toBe(16);
    }

    // The heatmap as SVG (the rendered chart, with its coefficients) and PNG.
    const heatmap = page.locator('figure.chart-frame').first();
    const [svgFile] = await Promise.all([
      page.waitForEvent('download'),
      heatmap.getByRole('button', { name: /as SVG/ }).click(),
    ]);
    expect(svgFile.suggestedFilename()).toBe('zoo-e2e@1-heatmap.svg');
    const svg = readFileSync((await svgFile.path()) as string, 'utf8');
    expect(svg.startsWith('<svg')).toBe(true);
    expect(svg).toContain('xmlns="http://www.w3.org/2000/svg"');
    expect(svg).toContain('-0.93');
    expect(svg).toContain('-0.95');
    // Each cell prints its coefficient, with a * exactly where the stored row is BH-significant.
    const marked = result.correlations.flatMap((c) => c.rows);
    expect(marked.some((r) => r.significant)).toBe(true);
    for (const r of marked)
      if (r.coefficient !== null)
        expect(svg).toContain(`>${r.coefficient.toFixed(2)}${r.significant ? '*' : ''}</text>`);
    const [pngFile] = await Promise.all([
      page.waitForEvent('download'),
      heatmap.getByRole('button', { name: /as PNG/ }).click(),
    ]);
    expect(pngFile.suggestedFilename()).toBe('zoo-e2e@1-heatmap.png');
    const png = readFileSync((await pngFile.path()) as string);
    expect([...png.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    expect(png.length).toBeGreaterThan(5000);
    // A scatter plot too (recharts' SVG).
    const scatter = page.locator('figure.chart-frame', { hasText: 'Scatter:' });
    const [scatterSvg] = await Promise.all([
      page.waitForEvent('download'),
      scatter.getByRole('button', { name: /as SVG/ }).click(),
    ]);
    expect(readFileSync((await scatterSvg.path()) as string, 'utf8')).toContain('recharts-scatter');
  });

  it("opens a study's result in the correlation explorer, and the board's predictor", async () => {
    await go('/correlations');
    await page.selectOption('[data-testid=study-select]', String(computedId));
    await page.getByRole('button', { name: 'Open' }).click();
    await page.waitForURL(/study=/);
    await page.waitForLoadState('networkidle');
    expect(await text('[data-testid=study-source]')).toContain('zoo-e2e@1 over 8 models');
    expect(
      await page
        .locator(`table[data-testid=study-correlations] tr[data-benchmark="${SM}"] [data-testid=coef]`)
        .textContent(),
    ).toBe('0.833');
    expect(await page.locator('table[data-testid=predictions] tbody tr').count()).toBe(8);
    const sbHead = await page
      .locator(`table[data-testid=study-correlations] tr[data-benchmark="${SB}"] th`)
      .textContent();
    expect(sbHead).toContain('CI spans 0');
    expect(sbHead).toContain('spread within noise');
    await expectAccessible('explorer-study');

    // Live board: T1, TOP1 and SB over the eight models; the predictor is computed for the page. By
    // default it uses every leaf (TOP1 and SB).
    await go(`/correlations?target=${encodeURIComponent(T1)}&minN=5`);
    const both = await cells('table[data-testid=predictor-weights] tbody tr');
    expect(both.map((w) => w[0]).sort()).toEqual(['CIFAR-10 top-1', 'Shape bias'].sort());
    // TOP1 alone (feature=): the hand-worked case of HELD_OUT, computed by the page from the board.
    await go(`/correlations?target=${encodeURIComponent(T1)}&minN=5&feature=${encodeURIComponent(TOP1)}`);
    const summary = await cells('table[data-testid=predictor-summary] tbody tr');
    expect(summary.map((r) => [r[1], r[2], r[3], r[4], r[5]])).toEqual([['8', '8', '1', '0.929', '0.893']]);
    const weights = await cells('table[data-testid=predictor-weights] tbody tr');
    expect(weights).toEqual([['CIFAR-10 top-1', '-0.418']]);
    const live = await cells('table[data-testid=predictions] tbody tr');
    expect(live.map((r) => [r[0], r[1]])).toEqual(
      heldOut(T1)
        .predictions.map((p, i) => [MODELS[i], p.toFixed(3)])
        .sort((a, b) => Number(b[1]) - Number(a[1])),
    );
    await expectAccessible('explorer-live');
    expect(pageErrors).toEqual([]);
  });
});
