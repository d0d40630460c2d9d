import { and, eq, inArray, sql } from 'drizzle-orm';
import type { Database } from '../client.ts';
import { modelAliases, models, runs, scores } from '../tables/index.ts';
import type { Model } from './models.ts';
import type { Run } from './runs.ts';
import {
  cellKey,
  type NewScoreRow,
  newestVersionsBySource,
  type ScoreInput,
  sameScoreValues,
  scoreRow,
  type UpsertOutcome,
  writeScoresBulk,
} from './scores.ts';

/**
 * Queries used by the importers of public results (`alignscope import`): transactions, run reuse by
 * file hash, non-destructive model merging and batched score upserts.
 */

/**
 * Runs `fn` in one transaction; everything it writes is rolled back when it throws. The transaction
 * handle is passed as a `Database` so that every query function works inside it.
 */
export async function inTransaction<T>(db: Database, fn: (tx: Database) => Promise<T>): Promise<T> {
  return db.transaction(async (tx) => fn(tx as unknown as Database));
}

/**
 * The earlier successful import run of the same input (same producer and fingerprint: the file's
 * sha256, combined with any other input such as a mapping file), if any.
 */
export async function findImportRun(
  db: Database,
  params: { producer: string; fingerprint: string },
): Promise<Run | undefined> {
  const [row] = await db
    .select()
    .from(runs)
    .where(
      and(
        eq(runs.kind, 'import'),
        eq(runs.producer, params.producer),
        eq(runs.status, 'succeeded'),
        sql`${runs.configuration}->>'fingerprint' = ${params.fingerprint}`,
      ),
    )
    .orderBy(runs.id)
    .limit(1);
  return row;
}

/** Model fields an importer may set. `metadata` is merged key by key (one key per source). */
export type ImportedModel = {
  identifier: string;
  displayName: string;
  architecture?: string | null;
  family?: string | null;
  trainingRegime?: string | null;
  trainingData?: string | null;
  parameters?: number | null;
  source?: string | null;
  license?: string | null;
  visibility?: 'public' | 'private';
  metadata?: Record<string, unknown>;
};

const FILLABLE = [
  'architecture',
  'family',
  'trainingRegime',
  'trainingData',
  'parameters',
  'source',
  'license',
] as const;

/** JSON with sorted keys, for comparing metadata values. */
function stableJson(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(stableJson).join(',')}]`;
  if (v !== null && typeof v === 'object') {
    const o = v as Record<string, unknown>;
    return `{${Object.keys(o)
      .filter((k) => o[k] !== undefined)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${stableJson(o[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(v) ?? 'null';
}

function newModelRow(m: ImportedModel): typeof models.$inferInsert {
  return {
    identifier: m.identifier,
    displayName: m.displayName,
    architecture: m.architecture ?? null,
    family: m.family ?? null,
    trainingRegime: m.trainingRegime ?? null,
    trainingData: m.trainingData ?? null,
    parameters: m.parameters ?? null,
    source: m.source ?? null,
    license: m.license ?? null,
    visibility: m.visibility ?? 'public',
    metadata: m.metadata ?? {},
  };
}

/** What merging `m` into `existing` changes: empty fields filled, metadata keys replaced. */
function modelPatch(existing: Model, m: ImportedModel): Partial<typeof models.$inferInsert> {
  const patch: Partial<typeof models.$inferInsert> = {};
  for (const k of FILLABLE) {
    const v = m[k];
    if (v !== undefined && v !== null && existing[k] === null) Object.assign(patch, { [k]: v });
  }
  const oldMeta = (existing.metadata ?? {}) as Record<string, unknown>;
  const newMeta = { ...oldMeta, ...(m.metadata ?? {}) };
  if (stableJson(newMeta) !== stableJson(oldMeta)) patch.metadata = newMeta;
  return patch;
}

/**
 * Creates the model, or merges into the one the identifier resolves to (directly or through an
 * alias) without overwriting what is there: empty fields are filled, and each top-level metadata key
 * (one per source) is replaced. Writes nothing when nothing differs, so re-imports are no-ops.
 */
export async function mergeImportedModel(
  db: Database,
  m: ImportedModel,
): Promise<{ model: Model; outcome: UpsertOutcome }> {
  const [r] = await mergeImportedModels(db, [m]);
  if (!r) throw new Error(`model ${m.identifier} was not written`);
  return r;
}

/**
 * mergeImportedModel for many models at once (a few queries per batch instead of a few per model).
 * Results are in input order; an identifier given twice is merged once.
 */
export async function mergeImportedModels(
  db: Database,
  list: readonly ImportedModel[],
): Promise<{ model: Model; outcome: UpsertOutcome }[]> {
  if (list.length === 0) return [];
  const ids = [...new Set(list.map((m) => m.identifier))];
  const found = new Map<string, Model>();
  for (const row of await db.select().from(models).where(inArray(models.identifier, ids))) {
    found.set(row.identifier, row);
  }
  const rest = ids.filter((i) => !found.has(i));
  if (rest.length > 0) {
    const viaAlias = await db
      .select({ alias: modelAliases.alias, model: models })
      .from(modelAliases)
      .innerJoin(models, eq(models.id, modelAliases.modelId))
      .where(inArray(modelAliases.alias, rest));
    for (const r of viaAlias) found.set(r.alias, r.model);
  }
  const result = new Map<string, { model: Model; outcome: UpsertOutcome }>();
  const toInsert = new Map<string, ImportedModel>();
  for (const m of list) {
    if (result.has(m.identifier) || toInsert.has(m.identifier)) continue;
    const existing = found.get(m.identifier);
    if (!existing) {
      toInsert.set(m.identifier, m);
      continue;
    }
    const patch = modelPatch(existing, m);
    if (Object.keys(patch).length === 0) {
      result.set(m.identifier, { model: existing, outcome: 'unchanged' });
      continue;
    }
    const [row] = await db
      .update(models)
      .set({ ...patch, updatedAt: new Date() })
      .where(eq(models.id, existing.id))
      .returning();
    if (!row) throw new Error(`model ${existing.identifier} was not updated`);
    result.set(m.identifier, { model: row, outcome: 'updated' });
  }
  const inserts = [...toInsert.values()];
  for (let i = 0; i < inserts.length; i += 1000) {
    const rows = await db
      .insert(models)
      .values(inserts.slice(i, i + 1000).map(newModelRow))
      .returning();
    for (const row of rows) result.set(row.identifier, { model: row, outcome: 'created' });
  }
  return list.map((m) => {
    const r = result.get(m.identifier);
    if (!r) throw new Error(`model ${m.identifier} was not written`);
    return r;
  });
}

const key = (modelId: number, benchmarkId: number, version: number) => `${modelId}:${benchmarkId}:${version}`;

/**
 * Writes many imported scores at once with the semantics of upsertScore: a score whose values equal
 * the newest imported version of its cell is left alone (keeping its run link); the others are
 * appended as versions of source `import`, and their cells' current values re-chosen by the rule.
 * Returns the outcome counts, and the runs of the current values that another run wrote before (so the
 * report can say that another source also has a value there). Later entries for the same cell win.
 */
export async function upsertScoresBatch(
  db: Database,
  inputs: readonly ScoreInput[],
): Promise<Record<UpsertOutcome, number> & { otherRuns: number[] }> {
  const counts = { created: 0, updated: 0, unchanged: 0, otherRuns: [] as number[] };
  if (inputs.length === 0) return counts;
  const byKey = new Map<string, ScoreInput>();
  for (const s of inputs) byKey.set(cellKey(s), s);
  const cells = [...byKey.values()];
  const modelIds = [...new Set(cells.map((s) => s.modelId))];
  const benchmarkIds = [...new Set(cells.map((s) => s.benchmarkId))];
  const existing = await db
    .select()
    .from(scores)
    .where(and(inArray(scores.modelId, modelIds), inArray(scores.benchmarkId, benchmarkIds)));
  const current = new Map(existing.map((r) => [cellKey(r), r]));
  const newest = await newestVersionsBySource(db, 'import', cells);
  const write: NewScoreRow[] = [];
  for (const [k, s] of byKey) {
    const values = scoreRow(s);
    const prior = newest.get(k);
    const e = current.get(k);
    if (e && prior && sameScoreValues(prior, values)) {
      counts.unchanged++;
      continue;
    }
    counts[e ? 'updated' : 'created']++;
    if (e?.runId != null && e.runId !== values.runId) counts.otherRuns.push(e.runId);
    write.push({ ...values, source: 'import', sourceBenchmarkVersion: s.sourceBenchmarkVersion ?? null });
  }
  await writeScoresBulk(db, write);
  return counts;
}

/** The producer of each run id (runs that no longer exist are absent). */
export async function runProducers(db: Database, ids: readonly number[]): Promise<Map<number, string>> {
  if (ids.length === 0) return new Map();
  const rows = await db
    .select({ id: runs.id, producer: runs.producer })
    .from(runs)
    .where(inArray(runs.id, [...new Set(ids)]));
  return new Map(rows.map((r) => [r.id, r.producer]));
}

/** Row counts that an import may change (for checking that a failed import wrote nothing). */
export async function importTableCounts(
  db: Database,
): Promise<{ models: number; modelAliases: number; benchmarks: number; scores: number; runs: number }> {
  const r = await db.execute<{
    models: number;
    modelAliases: number;
    benchmarks: number;
    scores: number;
    runs: number;
  }>(sql`select
    (select count(*)::int from models) as models,
    (select count(*)::int from model_aliases) as "modelAliases",
    (select count(*)::int from benchmarks) as benchmarks,
    (select count(*)::int from scores) as scores,
    (select count(*)::int from runs) as runs`);
  const row = r.rows[0];
  if (!row) throw new Error('no counts');
  return row;
}
