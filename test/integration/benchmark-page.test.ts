/**
 * The benchmark page (/benchmarks/<id>) computes nothing statistical on the thread that answers
 * requests: its coefficients come from the board's `tables` worker and the bootstrap interval of each
 * (benchmark, robustness target) pair from its `intervals` worker (apps/web/src/correlations.ts'
 * benchmarkVsTargets, which the page calls). The test counts the calls of @alignscope/analysis'
 * `correlate` and `percentileBootstrap` on this thread (the workers load their own copy of the module,
 * which the mock does not reach) while the page's data is made, then checks the numbers against
 * independent references computed here: the in-line board's correlation table (coefficient, p, q, n)
 * and `percentileBootstrap` on the pair's two columns (seed 0, 1,000 resamples), and, for one target,
 * the row of the in-line table computed with that bootstrap (the page's interval is that row's).
 */
import * as analysis from '@alignscope/analysis';
import { type Board, dbBoardSource, type WorkerBoardSource, workerBoardSource } from '@alignscope/board';
import { createTestDb, type TestDb } from '@alignscope/db/testing';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { benchmarkVsTargets } from '../../apps/web/src/correlations.ts';
import { type Seeded, seedResults } from '../support/seed.ts';

vi.mock('@alignscope/analysis', async (importOriginal) => {
  const actual = await importOriginal<typeof import('@alignscope/analysis')>();
  return {
    ...actual,
    correlate: vi.fn(actual.correlate),
    percentileBootstrap: vi.fn(actual.percentileBootstrap),
  };
});

const MODELS = 120;

let t: TestDb;
let seeded: Seeded;
let workers: WorkerBoardSource;

beforeAll(async () => {
  t = await createTestDb();
  seeded = await seedResults(t.db, { models: MODELS, seed: 11, missingRate: 0.1, failedRate: 0.03 });
  workers = workerBoardSource(t.db, t.url);
});

afterAll(async () => {
  await workers?.close();
  await t?.close();
});

const skipArgs = (target: string, bootstrap: number) => ({
  target,
  method: 'spearman' as const,
  covariate: null,
  minN: 8,
  missing: 'skip' as const,
  bootstrap,
  includeRelated: false,
});

describe('the benchmark page', () => {
  it('gets its coefficients and bootstrap intervals from the board workers, none computed on the request thread', async () => {
    const version = await workers.version();
    const board: Board = await workers.read(version);
    const benchmark = seeded.leaves.find((b) => b.domain === 'behavioral')?.identifier as string;
    expect(benchmark).toBeDefined();

    const correlate = vi.mocked(analysis.correlate);
    const bootstrap = vi.mocked(analysis.percentileBootstrap);
    correlate.mockClear();
    bootstrap.mockClear();
    const page = benchmarkVsTargets(board, benchmark, 'skip');
    const rows = await page.rows;
    const intervals = await page.intervals;
    // The page's data is complete, and this thread computed none of it.
    expect(correlate).not.toHaveBeenCalled();
    expect(bootstrap).not.toHaveBeenCalled();
    // Asked again (the next request at the same data version): from the board, still nothing computed.
    const again = benchmarkVsTargets(board, benchmark, 'skip');
    expect(await again.intervals).toEqual(intervals);
    expect(bootstrap).not.toHaveBeenCalled();

    // The references, computed here in line (these calls are the first the mocks count).
    const inline = await dbBoardSource(t.db).read(version);
    const targets = inline.robustnessTargets().map((n) => n.identifier);
    expect(rows.map((r) => r.target.identifier)).toEqual(targets);
    let withInterval = 0;
    for (const { target, row } of rows) {
      const id = target.identifier;
      const expected = inline.correlations(skipArgs(id, 0)).find((r) => r.benchmark === benchmark);
      expect(row, id).toEqual(expected);
      const ci = analysis.percentileBootstrap(
        inline.column(benchmark, 'skip'),
        inline.column(id, 'skip'),
        'spearman',
        {
          resamples: 1000,
          seed: 0,
        },
      );
      expect(intervals.get(id), id).toEqual({ low: ci.low, high: ci.high });
      if (ci.low !== null) withInterval++;
    }
    expect(withInterval).toBeGreaterThan(0);
    // The interval is the one the full table with the bootstrap gives that row.
    const target = rows.find((r) => r.row?.coefficient != null)?.target.identifier as string;
    const full = inline.correlations(skipArgs(target, 1000)).find((r) => r.benchmark === benchmark);
    expect(intervals.get(target)).toEqual({ low: full?.ciLow, high: full?.ciHigh });
  });

  it('gives the same numbers when the board is built in line (no workers)', async () => {
    const source = dbBoardSource(t.db);
    const board = await source.read(await source.version());
    const withWorkers = await workers.read(board.version);
    const benchmark = seeded.leaves.find((b) => b.domain === 'neural')?.identifier as string;
    const a = benchmarkVsTargets(board, benchmark, 'zero');
    const b = benchmarkVsTargets(withWorkers, benchmark, 'zero');
    expect(await a.rows).toEqual(await b.rows);
    expect(await a.intervals).toEqual(await b.intervals);
    expect([...(await a.intervals).values()].some((iv) => iv.low !== null)).toBe(true);
  });
});
