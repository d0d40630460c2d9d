/**
 * Issue 18 item 7: the jobs page (/jobs) and the model page's jobs, in Debian's Chromium against the
 * production build: state, attempts, a progress bar with ETA, the error and the run; progress that
 * changes in the database shows without a reload (the table polls the GraphQL jobs query); an API
 * key that requested a job cancels it from the page. Every page is checked with axe.
 */
import {
  createApiKey,
  createEvaluationRequestWithJobs,
  registerEvaluatorBenchmarks,
  upsertModel,
} from '@alignscope/db/queries';
import { createTestDb, type TestDb } from '@alignscope/db/testing';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, seriousViolations } from './browser.ts';
import { startWeb, type WebServer } from './server.ts';
import { sharedWebBuild } from './shared-build.ts';

let t: TestDb;
let server: WebServer;
let browser: Browser;
let page: Page;
let key = '';
const ids: Record<'queued' | 'running' | 'failed', string> = {} as never;

beforeAll(async () => {
  t = await createTestDb();
  const [dist] = await Promise.all([sharedWebBuild()]);
  const k = await createApiKey(t.db, { name: 'jobs e2e', isAdmin: false });
  key = k.key;
  const { model } = await upsertModel(t.db, {
    identifier: 'jobs-model',
    displayName: 'Jobs model',
    ownerKeyId: k.apiKey.id,
    onnxSha256: 'a'.repeat(64),
    card: { labelSpace: 'cifar-10' },
  });
  const benchmarks = ['CIFAR10-top1', 'cifar10.AutoAttack-Linf-1/255', 'cifar10.AutoAttack-Linf-8/255'];
  await registerEvaluatorBenchmarks(
    t.db,
    benchmarks.map((identifier) => ({ identifier, version: 1, labelSpace: 'cifar-10' })),
  );
  const { jobs } = await createEvaluationRequestWithJobs(t.db, {
    modelId: model.id,
    apiKeyId: k.apiKey.id,
    benchmarks,
  });
  const [queued, running, failed] = jobs.map((j) => String(j.job.id));
  Object.assign(ids, { queued, running, failed });
  await t.pool.query(
    `update evaluation_jobs set state = 'running', attempts = 1, heartbeat_at = now(),
       progress = '{"fraction": 0.25, "stage": "apgd-ce", "etaSeconds": 90, "updatedAt": "2026-12-06T00:00:00Z"}'
     where id = $1`,
    [Number(running)],
  );
  await t.pool.query(
    `update evaluation_jobs set state = 'failed', attempts = 3, error = 'the stored ONNX file of jobs-model is missing' where id = $1`,
    [Number(failed)],
  );
  server = await startWeb(dist as string, t.url);
  browser = await launchChromium();
  page = await (await browser.newContext({ viewport: { width: 1440, height: 900 } })).newPage();
}, 720_000);

afterAll(async () => {
  await browser?.close();
  await server?.stop();
  await t?.close();
});

const row = (id: string) => page.locator(`[data-testid="jobs-table"] tr[data-job="${id}"]`);

describe('jobs page', () => {
  it('lists jobs with state, attempts, progress bar, ETA and error, and passes axe', async () => {
    await page.goto(`${server.url}/jobs`, { waitUntil: 'networkidle' });
    expect(await page.locator('h1').textContent()).toBe('Evaluation jobs');
    expect(await page.locator('[data-testid="jobs-table"] tbody tr').count()).toBe(3);
    const running = row(ids.running);
    expect(await running.locator('[data-testid="job-state"]').textContent()).toBe('running');
    expect(await running.locator('progress').getAttribute('value')).toBe('0.25');
    expect(await running.locator('[data-testid="job-percent"]').textContent()).toBe('25 %');
    expect(await running.locator('[data-testid="job-eta"]').textContent()).toBe('1 min 30 s');
    expect((await running.locator('td').nth(4).textContent())?.trim()).toBe('1 / 3');
    const failed = row(ids.failed);
    expect(await failed.locator('[data-testid="job-state"]').textContent()).toBe('failed');
    expect(await failed.locator('[data-testid="job-error"]').textContent()).toBe(
      'the stored ONNX file of jobs-model is missing',
    );
    expect(await seriousViolations(page)).toEqual([]);
  });

  it('shows progress written to the database without a reload', async () => {
    await page.evaluate(() => {
      (window as unknown as { marker: number }).marker = 42; // gone if the page reloads
    });
    await t.pool.query(
      `update evaluation_jobs set progress = jsonb_set(jsonb_set(progress, '{fraction}', '0.75'), '{etaSeconds}', '12') where id = $1`,
      [Number(ids.running)],
    );
    await row(ids.running)
      .locator('[data-testid="job-percent"]', { hasText: '75 %' })
      .waitFor({ timeout: 15_000 });
    expect(await row(ids.running).locator('[data-testid="job-eta"]').textContent()).toBe('12 s');
    expect(await page.evaluate(() => (window as unknown as { marker?: number }).marker)).toBe(42);
  });

  it('cancels a job with the key that requested it', async () => {
    await page.fill('[data-testid="jobs-api-key"]', key);
    await page.getByRole('button', { name: `Cancel job ${ids.queued}` }).click();
    await page.locator('[data-testid="jobs-message"]', { hasText: `job ${ids.queued} cancelled` }).waitFor();
    await row(ids.queued).locator('[data-testid="job-state"]', { hasText: 'cancelled' }).waitFor();
    const db = await t.pool.query('select state from evaluation_jobs where id = $1', [Number(ids.queued)]);
    expect(db.rows[0].state).toBe('cancelled');
    expect(await seriousViolations(page)).toEqual([]);
  });

  it('shows the same live jobs on the model page', async () => {
    await page.goto(`${server.url}/models/jobs-model`, { waitUntil: 'networkidle' });
    expect(await page.locator('[data-testid="jobs-table"] tbody tr').count()).toBe(3);
    await t.pool.query(
      `update evaluation_jobs set state = 'succeeded', progress = jsonb_set(progress, '{fraction}', '1') where id = $1`,
      [Number(ids.running)],
    );
    await row(ids.running)
      .locator('[data-testid="job-state"]', { hasText: 'succeeded' })
      .waitFor({ timeout: 15_000 });
    expect(await row(ids.running).locator('[data-testid="job-percent"]').textContent()).toBe('100 %');
    expect(await seriousViolations(page)).toEqual([]);
  });
});
