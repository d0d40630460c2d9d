/**
 * Boards built in worker threads (@alignscope/board's workerBoardSource) are the boards built in line
 * (dbBoardSource): on a seeded board of 150 models, the same aggregates, ranks, leaderboard and
 * correlation tables (coefficients from the `tables` worker, bootstrap intervals from the `intervals`
 * worker), before and after a write. The reference is the in-line board, whose numbers
 * test/integration/board.test.ts checks against the API and packages/analysis checks against closed
 * forms and scipy.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import {
  type Board,
  type CorrelationArgs,
  dbBoardSource,
  defaultTableArgs,
  type WorkerBoardSource,
  workerBoardSource,
} from '@alignscope/board';
import { upsertScoresBulk } from '@alignscope/db/queries';
import { createTestDb, type TestDb } from '@alignscope/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Seeded, seedResults } from '../support/seed.ts';

const MODELS = 150;
const TARGET = 'AutoAttack-Linf-1/255';

let t: TestDb;
let seeded: Seeded;
let workers: WorkerBoardSource;

beforeAll(async () => {
  t = await createTestDb();
  seeded = await seedResults(t.db, { models: MODELS, seed: 7, missingRate: 0.1, failedRate: 0.03 });
  workers = workerBoardSource(t.db, t.url);
});

afterAll(async () => {
  await workers?.close();
  await t?.close();
});

async function bothBoards(): Promise<{ inline: Board; worker: Board; blockedMs: number }> {
  const inline = dbBoardSource(t.db);
  const version = await inline.version();
  const h = monitorEventLoopDelay({ resolution: 5 });
  h.enable();
  const worker = await workers.read(version);
  h.disable();
  return { inline: await inline.read(version), worker, blockedMs: h.max / 1e6 };
}

async function expectSame(inline: Board, worker: Board) {
  expect(worker.version).toBe(inline.version);
  expect(worker.models.map((m) => m.identifier)).toEqual(inline.models.map((m) => m.identifier));
  expect(worker.nodes.map((n) => n.identifier)).toEqual(inline.nodes.map((n) => n.identifier));
  for (const missing of ['zero', 'skip'] as const) {
    for (const m of [inline.models[0], inline.models[75], inline.models.at(-1)]) {
      const id = m?.identifier as string;
      expect(worker.values(missing).get(id)).toEqual(inline.values(missing).get(id));
    }
    expect(worker.leaderboard('average_vision', missing)).toEqual(
      inline.leaderboard('average_vision', missing),
    );
    expect(worker.ranks('robustness', missing)).toEqual(inline.ranks('robustness', missing));
  }
  expect(worker.scores).toEqual(inline.scores);
  const base: CorrelationArgs = {
    target: TARGET,
    method: 'spearman',
    covariate: null,
    minN: 8,
    missing: 'skip',
    bootstrap: 0,
    includeRelated: false,
  };
  for (const args of [
    base,
    { ...base, method: 'kendall' as const, includeRelated: true },
    { ...base, covariate: 'ImageNet-top1', missing: 'zero' as const },
    { ...base, bootstrap: 100 },
  ]) {
    const rows = await worker.correlationsAsync(args);
    expect(rows, JSON.stringify(args)).toEqual(inline.correlations(args));
    expect(rows.filter((r) => r.coefficient !== null).length).toBeGreaterThan(15);
    if (args.bootstrap > 0) expect(rows.filter((r) => r.ciLow !== null).length).toBeGreaterThan(15);
    // Kept on the board: asked again, the same rows at once.
    expect(worker.hasCorrelations(args)).toBe(true);
  }
}

describe('boards built in worker threads', () => {
  it('equal the boards built in line, before and after a write', async () => {
    const before = await bothBoards();
    await expectSame(before.inline, before.worker);
    expect(defaultTableArgs(before.worker).map((a) => a.target)[0]).toBe(before.inline.defaultTarget());

    const model = seeded.models[0] as { id: number };
    await upsertScoresBulk(
      t.db,
      seeded.leaves.map((b) => ({
        modelId: model.id,
        benchmarkId: b.id,
        benchmarkVersion: b.version,
        status: 'scored' as const,
        rawValue: 0.5,
        ceiledValue: 0.5,
      })),
    );
    const after = await bothBoards();
    expect(after.worker.version).not.toBe(before.worker.version);
    await expectSame(after.inline, after.worker);
    console.log(`event loop max delay while a worker built the board: ${after.blockedMs.toFixed(1)} ms`);
  });
});

/** The nice value of each thread of this process (Linux: /proc/self/task/<tid>/stat, field 19). */
function threadNice(): Map<number, number> {
  const out = new Map<number, number>();
  for (const tid of readdirSync('/proc/self/task')) {
    const stat = readFileSync(`/proc/self/task/${tid}/stat`, 'utf8');
    // Fields after "(comm)" start at field 3 (state); nice is field 19.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    out.set(Number(tid), Number(fields[16]));
  }
  return out;
}

describe('board worker threads', () => {
  // The nice value is per thread on Linux only (elsewhere the workers keep the process's priority).
  it.runIf(process.platform === 'linux')(
    'run at a lower priority than the thread that answers requests',
    async () => {
      await workers.read(await workers.version()); // the three workers are running
      const nice = threadNice();
      const main = nice.get(process.pid) as number;
      expect(main).toBeLessThan(10);
      // The builder and intervals workers at nice 10, the tables worker at 5 (worker-main.ts).
      const values = [...nice.values()];
      expect(values.filter((n) => n === 10).length).toBeGreaterThanOrEqual(2);
      expect(values.filter((n) => n === 5).length).toBeGreaterThanOrEqual(1);
    },
  );
});
