/**
 * Issue 18 acceptance: the database restarted during work. A worker runs 16 short jobs on an embedded
 * PostgreSQL of its own (never the machine's shared server); while it works the server is stopped,
 * kept down for a few seconds and started again on the same port and data. The worker reconnects by
 * itself and every job ends succeeded with exactly one successful run; none is lost or left running.
 */
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { needsDataBundle } from '@alignscope/config/testing';
import { connect, freePort, setupDatabase, startEmbeddedPostgres } from '@alignscope/db';
import { createEvaluationRequestWithJobs, upsertModel } from '@alignscope/db/queries';
import { afterAll, describe, expect, it } from 'vitest';
import { loadCard } from '../src/models/card.ts';
import { checkModelFile, modelRow, storeModel } from '../src/models/store.ts';
import { startWorker, type Worker } from '../src/worker/index.ts';

const bundle = needsDataBundle(
  ['models/cifar10_resnet20.onnx', 'models/cifar10_resnet20.json', 'cifar10/test'],
  'database restart test',
);
const JOBS = 16;

describe.skipIf(bundle.missing)('a worker across a database restart (needs ALIGNSCOPE_DATA_DIR)', () => {
  const base = mkdtempSync(path.join(os.tmpdir(), 'alignscope-restart-'));
  chmodSync(base, 0o755); // as root the server runs as the postgres user, who must reach its data
  const dataDir = path.join(base, 'pg', 'data');
  let server: Awaited<ReturnType<typeof startEmbeddedPostgres>> | undefined;
  let worker: Worker | undefined;
  let app: ReturnType<typeof connect> | undefined;
  afterAll(async () => {
    await worker?.stop();
    await app?.pool.end().catch(() => {});
    await server?.stop();
    rmSync(base, { recursive: true, force: true });
  });

  it('reconnects and completes every job; none lost, none doubled', async () => {
    const port = await freePort();
    server = await startEmbeddedPostgres({ dataDir, persistent: true, port });
    app = connect(server.url, 3);
    app.pool.on('error', () => {});
    await setupDatabase(app.db);
    const card = loadCard(bundle.path('models/cifar10_resnet20.json'));
    const file = bundle.path('models/cifar10_resnet20.onnx');
    const checked = await checkModelFile(file, card, {});
    const stored = await storeModel(app.db, file, checked, path.join(base, 'home'));
    const log: string[] = [];
    worker = await startWorker({
      connectionString: server.url,
      home: path.join(base, 'home'),
      benchmarks: ['CIFAR10-top1'],
      staleSeconds: 4,
      heartbeatMs: 500,
      pollIntervalMs: 500,
      log: (m) => log.push(m),
    });
    for (let i = 0; i < JOBS; i++) {
      const { model } = await upsertModel(
        app.db,
        modelRow(
          { ...card, name: `restart-${i}` },
          { sha256: checked.sha256, bytes: checked.bytes, path: stored },
        ),
      );
      await createEvaluationRequestWithJobs(app.db, {
        modelId: model.id,
        apiKeyId: null,
        benchmarks: ['CIFAR10-top1'],
        configuration: { limit: 48 },
      });
    }
    const count = async (state: string) =>
      Number(
        (await app?.pool.query('select count(*)::int as n from evaluation_jobs where state = $1', [state]))
          ?.rows[0].n,
      );
    // let some work finish, then take the database away in the middle of the rest
    const t0 = Date.now();
    while ((await count('succeeded')) < 2 && Date.now() - t0 < 60_000)
      await new Promise((r) => setTimeout(r, 100));
    const before = await count('succeeded');
    expect(before).toBeGreaterThanOrEqual(2);
    expect(before).toBeLessThan(JOBS);
    await server.stop();
    await new Promise((r) => setTimeout(r, 3000));
    server = await startEmbeddedPostgres({ dataDir, persistent: true, port });

    const deadline = Date.now() + 120_000;
    let ended = 0;
    for (;;) {
      try {
        ended = Number(
          (
            await app.pool.query(
              `select count(*)::int as n from evaluation_jobs where state in ('succeeded', 'failed')`,
            )
          ).rows[0].n,
        );
      } catch {
        ended = 0; // the pool's idle connections died with the server; the next query reconnects
      }
      if (ended === JOBS || Date.now() > deadline) break;
      await new Promise((r) => setTimeout(r, 500));
    }
    const jobs = await app.pool.query(
      `select j.state, j.error, m.identifier,
         (select count(*)::int from runs r where r.model_id = j.model_id and r.status = 'succeeded') as runs
       from evaluation_jobs j join models m on m.id = j.model_id order by m.identifier`,
    );
    expect(jobs.rows.filter((r) => r.state !== 'succeeded')).toEqual([]);
    expect(jobs.rows).toHaveLength(JOBS);
    expect(jobs.rows.every((r) => r.runs === 1)).toBe(true);
    const queue = await app.pool.query('select count(*)::int as n from graphile_worker._private_jobs');
    expect(queue.rows[0].n).toBe(0);
  }, 240_000);
});
