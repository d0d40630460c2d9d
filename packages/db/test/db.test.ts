import { catalog, parseEps, parseRobustnessIdentifier, robustnessIdentifier } from '@alignscope/benchmarks';
import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrate } from '../src/migrate.ts';
import {
  createApiKey,
  createRun,
  dbStatus,
  getBenchmark,
  hashApiKey,
  listApiKeys,
  listScores,
  mayWriteModel,
  revokeApiKey,
  seedCatalog,
  upsertModel,
  upsertScore,
  verifyApiKey,
} from '../src/queries/index.ts';
import { apiKeys, scores } from '../src/tables/index.ts';
import { createTestDb, type TestDb } from '../src/testing.ts';

/** The database's own error message (drizzle wraps it as the cause of "Failed query"). */
async function dbError(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (e) {
    const err = e as Error & { cause?: Error };
    return err.cause?.message ?? err.message;
  }
  return 'no error';
}

describe('migrations', () => {
  let t: TestDb;
  beforeAll(async () => {
    t = await createTestDb({ setup: false });
  });
  afterAll(() => t.close());

  it('apply on an empty database and are idempotent', async () => {
    expect((await dbStatus(t.db)).migrationsApplied).toBe(0);
    await migrate(t.db);
    const first = await dbStatus(t.db);
    expect(first.migrationsApplied).toBeGreaterThan(0);
    await migrate(t.db);
    await Promise.all([migrate(t.db), migrate(t.db)]); // concurrent migrators wait for each other
    expect((await dbStatus(t.db)).migrationsApplied).toBe(first.migrationsApplied);
    const tables = await t.db.execute<{ n: string }>(
      sql`select table_name as n from information_schema.tables where table_schema = 'public' order by 1`,
    );
    expect(tables.rows.map((r) => r.n)).toEqual(
      expect.arrayContaining([
        'api_keys',
        'benchmarks',
        'model_aliases',
        'models',
        'runs',
        'scores',
        'submissions',
      ]),
    );
  });

  it('seeds the catalog idempotently with the Brain-Score tree', async () => {
    await seedCatalog(t.db);
    await seedCatalog(t.db);
    expect((await dbStatus(t.db)).counts.benchmarks).toBe(catalog.length);
    const it_ = await getBenchmark(t.db, 'MajajHong2015.IT-pls');
    const parent = await getBenchmark(t.db, 'IT');
    const grand = await getBenchmark(t.db, 'neural_vision');
    expect(it_?.parentId).toBe(parent?.id);
    expect(parent?.parentId).toBe(grand?.id);
    expect((await getBenchmark(t.db, 'engineering_vision'))?.parentId).toBeNull();
    const aa = await getBenchmark(t.db, 'AutoAttack-Linf-1/255');
    expect(aa?.domain).toBe('robustness');
    expect(aa?.parameters).toMatchObject({
      norm: 'Linf',
      eps: 1 / 255,
      profile: 'reference',
      dataset: 'imagenet',
    });
  });
});

describe('scores, models and keys', () => {
  let t: TestDb;
  beforeAll(async () => {
    t = await createTestDb();
  });
  afterAll(() => t.close());

  it('a re-written score is an update, not a duplicate; unchanged values are reported as such', async () => {
    const { model, created } = await upsertModel(t.db, { identifier: 'resnet50', displayName: 'ResNet-50' });
    expect(created).toBe(true);
    expect((await upsertModel(t.db, { identifier: 'resnet50', displayName: 'ResNet 50' })).created).toBe(
      false,
    );
    const b = await getBenchmark(t.db, 'ImageNet-top1');
    if (!b) throw new Error('seed missing');
    const base = {
      modelId: model.id,
      benchmarkId: b.id,
      benchmarkVersion: b.version,
      status: 'scored' as const,
    };
    expect((await upsertScore(t.db, { ...base, rawValue: 0.7 })).outcome).toBe('created');
    expect((await upsertScore(t.db, { ...base, rawValue: 0.7 })).outcome).toBe('unchanged');
    expect((await upsertScore(t.db, { ...base, rawValue: 0.76 })).outcome).toBe('updated');
    const rows = await t.db.select().from(scores).where(eq(scores.modelId, model.id));
    expect(rows).toHaveLength(1);
    expect(rows[0]?.rawValue).toBe(0.76);
    const listed = await listScores(t.db, { model: 'resnet50' });
    expect(listed).toEqual([
      expect.objectContaining({ benchmark: 'ImageNet-top1', rawValue: 0.76, status: 'scored' }),
    ]);
  });

  it('the unique index holds even for direct inserts', async () => {
    const [s] = await t.db.select().from(scores).limit(1);
    if (!s) throw new Error('no score');
    expect(
      await dbError(
        t.db.insert(scores).values({
          modelId: s.modelId,
          benchmarkId: s.benchmarkId,
          benchmarkVersion: s.benchmarkVersion,
          status: 'failed',
        }),
      ),
    ).toMatch(/duplicate key|unique/);
  });

  it('a score cannot point at a missing model or benchmark', async () => {
    const b = await getBenchmark(t.db, 'ImageNet-top1');
    const { model } = await upsertModel(t.db, { identifier: 'm2', displayName: 'M2' });
    expect(
      await dbError(
        t.db
          .insert(scores)
          .values({ modelId: 999_999, benchmarkId: b?.id ?? 0, benchmarkVersion: 1, status: 'not-run' }),
      ),
    ).toMatch(/foreign key/);
    expect(
      await dbError(
        t.db
          .insert(scores)
          .values({ modelId: model.id, benchmarkId: 999_999, benchmarkVersion: 1, status: 'not-run' }),
      ),
    ).toMatch(/foreign key/);
  });

  it('a scored score must carry a value; failed and not-run need none', async () => {
    const b = await getBenchmark(t.db, 'CIFAR10-top1');
    const { model } = await upsertModel(t.db, { identifier: 'm3', displayName: 'M3' });
    const base = { modelId: model.id, benchmarkId: b?.id ?? 0, benchmarkVersion: 1 };
    expect(await dbError(t.db.insert(scores).values({ ...base, status: 'scored' }))).toMatch(
      /scores_scored_has_value/,
    );
    const run = await createRun(t.db, { kind: 'evaluation', producer: 'test', modelId: model.id });
    const { score } = await upsertScore(t.db, { ...base, status: 'failed', runId: run.id });
    expect(score.status).toBe('failed');
    expect(score.runId).toBe(run.id);
  });

  it('API keys are stored hashed, verify, and stop verifying when revoked', async () => {
    const { key, apiKey } = await createApiKey(t.db, { name: 'lab', isAdmin: true });
    expect(key).toMatch(/^as_[A-Za-z0-9_-]{32}$/);
    const [stored] = await t.db.select().from(apiKeys).where(eq(apiKeys.id, apiKey.id));
    expect(stored?.keyHash).toBe(hashApiKey(key));
    expect(stored?.keyHash).not.toContain(key.slice(3));
    // sha256("abc") from FIPS 180-2, appendix B.1: the hash is the standard one.
    expect(hashApiKey('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    expect((await verifyApiKey(t.db, key))?.id).toBe(apiKey.id);
    expect(await verifyApiKey(t.db, `${key}x`)).toBeUndefined();
    expect(await verifyApiKey(t.db, 'not-a-key')).toBeUndefined();
    expect(JSON.stringify(await listApiKeys(t.db))).not.toContain(stored?.keyHash);
    expect(await revokeApiKey(t.db, apiKey.id)).toBe(true);
    expect(await verifyApiKey(t.db, key)).toBeUndefined();
  });
});

describe('model write permission', () => {
  const owner = { id: 7, isAdmin: false };
  const other = { id: 8, isAdmin: false };
  const admin = { id: 9, isAdmin: true };
  it('lets the owner and admin keys write a model, and nobody else', () => {
    expect(mayWriteModel({ ownerKeyId: 7 }, owner)).toBe(true);
    expect(mayWriteModel({ ownerKeyId: 7 }, other)).toBe(false);
    expect(mayWriteModel({ ownerKeyId: 7 }, admin)).toBe(true);
  });
  it('keeps models without an owner (imported, CLI-registered) for admin keys', () => {
    expect(mayWriteModel({ ownerKeyId: null }, owner)).toBe(false);
    expect(mayWriteModel({ ownerKeyId: null }, admin)).toBe(true);
  });
});

describe('robustness identifiers', () => {
  it('encode norm, eps, profile and data set, and parse back', () => {
    const id = robustnessIdentifier({
      norm: 'Linf',
      epsLabel: '8/255',
      profile: 'torchattacks',
      version: 'standard',
      dataset: 'cifar10',
    });
    expect(id).toBe('cifar10.AutoAttack-Linf-8/255-torchattacks');
    expect(parseRobustnessIdentifier(id)).toEqual({
      attack: 'AutoAttack',
      norm: 'Linf',
      eps: 8 / 255,
      epsLabel: '8/255',
      profile: 'torchattacks',
      version: 'standard',
      dataset: 'cifar10',
    });
    expect(parseRobustnessIdentifier('ImageNet-top1')).toBeUndefined();
  });
  it('parse eps as numbers or fractions and reject the rest', () => {
    expect(parseEps('0.5')).toBe(0.5);
    expect(parseEps('4/255')).toBeCloseTo(0.01568627, 8);
    for (const bad of ['0', '-1', 'abc', '1/0', '']) expect(() => parseEps(bad)).toThrow(/invalid eps/);
  });
});
