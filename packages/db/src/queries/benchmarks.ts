import { type BenchmarkDefinition, catalog } from '@alignscope/benchmarks';
import { asc, eq, inArray, sql } from 'drizzle-orm';
import type { Database } from '../client.ts';
import { benchmarks, benchmarkVersions } from '../tables/index.ts';

export type Benchmark = typeof benchmarks.$inferSelect;

/** The row of a catalog entry. */
function entryRow(e: BenchmarkDefinition, parentId: number | null, sortOrder: number) {
  return {
    identifier: e.identifier,
    version: e.version,
    parentId,
    domain: e.domain,
    displayName: e.displayName ?? null,
    metric: e.metric ?? null,
    ceiling: e.ceiling ?? null,
    rangeMin: e.rangeMin ?? null,
    rangeMax: e.rangeMax ?? null,
    description: e.description ?? null,
    reference: e.reference ?? null,
    parameters: e.parameters ?? {},
    sortOrder,
  };
}

/**
 * Writes the benchmark catalog: inserts missing entries and brings code-owned fields of existing
 * ones up to date. Idempotent. Parents come before children in `entries`.
 */
export async function seedCatalog(
  db: Database,
  entries: readonly BenchmarkDefinition[] = catalog,
): Promise<number> {
  return db.transaction(async (tx) => {
    const ids = new Map<string, number>();
    const existing = await tx
      .select({ id: benchmarks.id, identifier: benchmarks.identifier })
      .from(benchmarks);
    for (const b of existing) ids.set(b.identifier, b.id);
    let order = 0;
    for (const e of entries) {
      const parentId = e.parent === null ? null : ids.get(e.parent);
      if (parentId === undefined)
        throw new Error(`catalog: parent ${e.parent} of ${e.identifier} is unknown`);
      const values = entryRow(e, parentId, order++);
      const [row] = await tx
        .insert(benchmarks)
        .values(values)
        .onConflictDoUpdate({ target: benchmarks.identifier, set: { ...values, identifier: undefined } })
        .returning({ id: benchmarks.id });
      if (row) {
        ids.set(e.identifier, row.id);
        await recordBenchmarkVersion(tx, row.id, e);
      }
    }
    return entries.length;
  });
}

/** Creates one benchmark (e.g. a new AutoAttack configuration) unless it exists; returns it. */
export async function ensureBenchmark(db: Database, e: BenchmarkDefinition): Promise<Benchmark> {
  const found = await getBenchmark(db, e.identifier);
  if (found) return found;
  const parent = e.parent === null ? undefined : await getBenchmark(db, e.parent);
  if (e.parent !== null && !parent) throw new Error(`unknown parent benchmark ${e.parent}`);
  const [max] = await db
    .select({ m: sql<number>`coalesce(max(${benchmarks.sortOrder}), 0)` })
    .from(benchmarks);
  await db
    .insert(benchmarks)
    .values(entryRow(e, parent?.id ?? null, Number(max?.m ?? 0) + 1))
    .onConflictDoNothing({ target: benchmarks.identifier });
  const row = await getBenchmark(db, e.identifier);
  if (!row) throw new Error(`benchmark ${e.identifier} could not be created`);
  await recordBenchmarkVersion(db, row.id, { version: row.version, versionChanges: e.versionChanges });
  return row;
}

/** Adds a benchmark's version to its history (once per version; the first record of a version stays). */
async function recordBenchmarkVersion(
  db: Pick<Database, 'insert'>,
  benchmarkId: number,
  e: { version: number; versionChanges?: string | undefined },
): Promise<void> {
  await db
    .insert(benchmarkVersions)
    .values({
      benchmarkId,
      version: e.version,
      changes: e.versionChanges ?? (e.version === 1 ? 'first version' : `version ${e.version}`),
    })
    .onConflictDoNothing();
}

export type BenchmarkVersion = typeof benchmarkVersions.$inferSelect;

/** A benchmark's version history, oldest first. */
export async function listBenchmarkVersions(db: Database, benchmarkId: number): Promise<BenchmarkVersion[]> {
  return db
    .select()
    .from(benchmarkVersions)
    .where(eq(benchmarkVersions.benchmarkId, benchmarkId))
    .orderBy(asc(benchmarkVersions.version));
}

export async function getBenchmark(db: Database, identifier: string): Promise<Benchmark | undefined> {
  const [row] = await db.select().from(benchmarks).where(eq(benchmarks.identifier, identifier)).limit(1);
  return row;
}

export async function getBenchmarksByIdentifiers(
  db: Database,
  identifiers: readonly string[],
): Promise<Benchmark[]> {
  if (identifiers.length === 0) return [];
  return db
    .select()
    .from(benchmarks)
    .where(inArray(benchmarks.identifier, [...identifiers]));
}

/** Every benchmark and aggregate node, in catalog order. */
export async function listBenchmarks(db: Database): Promise<Benchmark[]> {
  return db.select().from(benchmarks).orderBy(asc(benchmarks.sortOrder), asc(benchmarks.id));
}

export type BenchmarkNode = Benchmark & { parentIdentifier: string | null; children: BenchmarkNode[] };

/** The benchmark forest (optionally the subtree under `root`). */
export async function benchmarkTree(db: Database, root?: string): Promise<BenchmarkNode[]> {
  const rows = await listBenchmarks(db);
  const byId = new Map<number, BenchmarkNode>();
  for (const r of rows) byId.set(r.id, { ...r, parentIdentifier: null, children: [] });
  const top: BenchmarkNode[] = [];
  for (const node of byId.values()) {
    const parent = node.parentId === null ? undefined : byId.get(node.parentId);
    if (parent) {
      node.parentIdentifier = parent.identifier;
      parent.children.push(node);
    } else top.push(node);
  }
  if (root === undefined) return top;
  const found = [...byId.values()].find((n) => n.identifier === root);
  return found ? [found] : [];
}
