/**
 * Issue 18: model files reachable from any worker. A model added on one machine (its own
 * ALIGNSCOPE_HOME and file) is evaluated by a worker with another home after the original file and
 * store are gone: the worker fetches the database's copy, checks its sha256 and caches it by hash. A
 * corrupted copy fails with an error naming it; models registered before the store are backfilled.
 */
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import { needsDataBundle } from '@alignscope/config/testing';
import {
  createEvaluationRequestWithJobs,
  getJob,
  getModel,
  getModelBlob,
  MODEL_BLOB_CHUNK_BYTES,
  modelsWithoutBlob,
  upsertModel,
} from '@alignscope/db/queries';
import { createTestDb, type TestDb } from '@alignscope/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addModel } from '../src/models/add.ts';
import { loadCard } from '../src/models/card.ts';
import { closeModels } from '../src/models/session.ts';
import { backfillModelStore, modelFileFor, modelRow } from '../src/models/store.ts';
import { startWorker, type Worker } from '../src/worker/index.ts';
import { tmpDir } from './helpers.ts';

const bundle = needsDataBundle(
  ['models/cifar10_resnet20.onnx', 'models/cifar10_resnet20.json', 'cifar10/test'],
  'model store',
);

async function waitFor<T>(fn: () => Promise<T>, ok: (v: T) => boolean, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (ok(v) || Date.now() > deadline) return v;
    await new Promise((r) => setTimeout(r, 250));
  }
}

describe.skipIf(bundle.missing)("the database's model store (needs ALIGNSCOPE_DATA_DIR)", () => {
  let t: TestDb;
  let worker: Worker | undefined;
  const root = tmpDir('alignscope-model-store-');
  const original = bundle.path('models/cifar10_resnet20.onnx');
  // the sha256 of the bundle's file, hashed here independently of the store's code
  const sha256 = createHash('sha256').update(readFileSync(original)).digest('hex');
  const size = statSync(original).size;
  const card = loadCard(bundle.path('models/cifar10_resnet20.json'));

  beforeAll(async () => {
    t = await createTestDb();
  });
  afterAll(async () => {
    await worker?.stop();
    await closeModels();
    await t.close();
    rmSync(root, { recursive: true, force: true });
  });

  it('models add writes the file into the database in 1 MiB chunks that read back to the same bytes', async () => {
    const machineA = path.join(root, 'a');
    mkdirSync(machineA, { recursive: true });
    const file = path.join(machineA, 'upload.onnx');
    copyFileSync(original, file);
    const added = await addModel(
      t.db,
      file,
      { ...card, name: 'far-away' },
      { home: path.join(machineA, 'home') },
    );
    expect(added.ok && added.model.sha256).toBe(sha256);
    expect(await getModelBlob(t.db, sha256)).toMatchObject({ sha256, bytes: size, chunkBytes: 1 << 20 });
    const chunks = await t.pool.query<{ seq: number; data: Buffer }>(
      'select seq, data from model_blob_chunks where sha256 = $1 order by seq',
      [sha256],
    );
    expect(chunks.rows.map((r) => r.seq)).toEqual([
      ...Array(Math.ceil(size / MODEL_BLOB_CHUNK_BYTES)).keys(),
    ]);
    expect(
      createHash('sha256')
        .update(Buffer.concat(chunks.rows.map((r) => r.data)))
        .digest('hex'),
    ).toBe(sha256);
    // adding it again (another name, same bytes) stores nothing twice
    await addModel(t.db, file, { ...card, name: 'far-away-2' }, { home: path.join(machineA, 'home') });
    const n = await t.pool.query('select count(*)::int as n from model_blobs');
    expect(n.rows[0].n).toBe(1);
    // machine A goes away: its upload and its model store
    rmSync(machineA, { recursive: true, force: true });
  });

  it('a worker with another ALIGNSCOPE_HOME and no access to the original path evaluates the model', async () => {
    const homeB = path.join(root, 'b');
    const log: string[] = [];
    worker = await startWorker({
      connectionString: t.url,
      home: homeB,
      concurrency: 2,
      pollIntervalMs: 500,
      log: (m) => log.push(m),
    });
    const model = await getModel(t.db, 'far-away');
    expect(model?.onnxPath && existsSync(model.onnxPath)).toBe(false);
    const { jobs } = await createEvaluationRequestWithJobs(t.db, {
      modelId: model?.id as number,
      apiKeyId: null,
      benchmarks: ['CIFAR10-top1'],
      configuration: { limit: 4 },
    });
    const job = await waitFor(
      () => getJob(t.db, jobs[0]?.job.id as number),
      (j) => j?.state === 'succeeded' || j?.state === 'failed',
      90_000,
    );
    expect(job?.error).toBeNull();
    expect(job?.state).toBe('succeeded');
    const cached = path.join(homeB, 'models', `${sha256}.onnx`);
    expect(createHash('sha256').update(readFileSync(cached)).digest('hex')).toBe(sha256);
    expect(log.filter((m) => m.startsWith('fetched the ONNX file of far-away'))).toHaveLength(1);
    const run = await t.pool.query('select configuration from runs where id = $1', [job?.runId]);
    expect(run.rows[0].configuration.model).toMatchObject({ file: cached, sha256 });
  });

  it('concurrent jobs of one process fetch a model once', async () => {
    const homeC = path.join(root, 'c');
    const row = await getModel(t.db, 'far-away');
    const log: string[] = [];
    const files = await Promise.all(
      [1, 2, 3, 4].map(() =>
        modelFileFor(t.db, row as NonNullable<typeof row>, { home: homeC, log: (m) => log.push(m) }),
      ),
    );
    expect(new Set(files)).toEqual(new Set([path.join(homeC, 'models', `${sha256}.onnx`)]));
    expect(log).toHaveLength(1);
    expect(readdirSync(path.join(homeC, 'models'))).toEqual([`${sha256}.onnx`]);
  });

  it('a corrupted copy in the database fails with an error naming it, and leaves no file', async () => {
    await t.pool.query(
      'update model_blob_chunks set data = set_byte(data, 7, (get_byte(data, 7) + 1) % 256) where sha256 = $1 and seq = 0',
      [sha256],
    );
    const homeD = path.join(root, 'd');
    const row = await getModel(t.db, 'far-away');
    const e = await modelFileFor(t.db, row as NonNullable<typeof row>, { home: homeD }).catch(
      (x: unknown) => x,
    );
    expect(e).toBeInstanceOf(Error);
    expect((e as Error).message).toMatch(
      new RegExp(
        `^the database's copy of the ONNX file of far-away is corrupt: model blob ${sha256} \\(${size} bytes\\) read back as ${size} bytes with sha256 [0-9a-f]{64}; add the model again`,
      ),
    );
    expect(readdirSync(path.join(homeD, 'models'))).toEqual([]);
  });

  it('a model registered by path before the store is backfilled (models store), and then reachable anywhere', async () => {
    await t.pool.query('delete from model_blobs');
    const legacy = path.join(root, 'legacy.onnx');
    copyFileSync(original, legacy);
    await upsertModel(t.db, modelRow({ ...card, name: 'legacy' }, { sha256, bytes: size, path: legacy }));
    await upsertModel(
      t.db,
      modelRow(
        { ...card, name: 'nowhere' },
        { sha256: 'e'.repeat(64), bytes: 1, path: path.join(root, 'no.onnx') },
      ),
    );
    const todo = await modelsWithoutBlob(t.db);
    expect(todo.map((m) => m.identifier).sort()).toEqual(['far-away', 'far-away-2', 'legacy', 'nowhere']);
    const report = await backfillModelStore(t.db, todo, path.join(root, 'empty-home'));
    // the far-away models' file and home are gone; legacy's registered path holds the same bytes
    expect(report.map((r) => [r.identifier, r.outcome])).toEqual([
      ['far-away', 'missing'],
      ['far-away-2', 'missing'],
      ['legacy', 'stored'],
      ['nowhere', 'missing'],
    ]);
    expect(await getModelBlob(t.db, sha256)).toMatchObject({ bytes: size });
    rmSync(legacy);
    const row = await getModel(t.db, 'legacy');
    const file = await modelFileFor(t.db, row as NonNullable<typeof row>, { home: path.join(root, 'e') });
    expect(createHash('sha256').update(readFileSync(file)).digest('hex')).toBe(sha256);
  });
});
