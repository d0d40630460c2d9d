import { asc, eq, getTableColumns, inArray, sql } from 'drizzle-orm';
import type { Database } from '../client.ts';
import { modelAliases, models, scores } from '../tables/index.ts';

export type Model = typeof models.$inferSelect;
export type NewModel = Omit<typeof models.$inferInsert, 'id' | 'createdAt' | 'updatedAt'>;

/**
 * Inserts a model or updates the given fields of the existing one with that identifier. Returns the
 * row and whether it was created.
 */
export async function upsertModel(
  db: Pick<Database, 'insert'>,
  params: NewModel,
): Promise<{ model: Model; created: boolean }> {
  const [row] = await db
    .insert(models)
    .values(params)
    .onConflictDoUpdate({
      target: models.identifier,
      set: { ...params, identifier: undefined, updatedAt: new Date() },
    })
    .returning({ ...getTableColumns(models), created: sql<boolean>`(xmax = 0)` });
  if (!row) throw new Error(`model ${params.identifier} was not written`);
  const { created, ...model } = row;
  return { model, created };
}

export async function getModel(db: Database, identifier: string): Promise<Model | undefined> {
  const [row] = await db.select().from(models).where(eq(models.identifier, identifier)).limit(1);
  return row;
}

export async function getModelsByIds(db: Database, ids: readonly number[]): Promise<Model[]> {
  if (ids.length === 0) return [];
  return db
    .select()
    .from(models)
    .where(inArray(models.id, [...ids]));
}

/**
 * Whether an API key may write a model (replace its file, write its scores): its owner or an admin
 * key. A model without an owner (imported, or registered on the command line) belongs to the
 * platform's operators, so only admin keys may write it.
 */
export function mayWriteModel(
  model: Pick<Model, 'ownerKeyId'>,
  key: { id: number; isAdmin: boolean },
): boolean {
  return key.isAdmin || (model.ownerKeyId !== null && model.ownerKeyId === key.id);
}

export type KeyRegistration = { ok: true; model: Model; created: boolean } | { ok: false; existing: Model };

/**
 * Registers a model for an API key in one transaction: the identifier is locked (a transaction-scoped
 * advisory lock, so two uploads of one new identifier cannot both create it), the permission is
 * checked against the row as it is then (`mayWriteModel`), and the row is written with its owner: a
 * new model belongs to the key, an existing one keeps its owner, and an unowned one that an admin key
 * replaces becomes the admin key's. Nothing is written when the key may not (`ok: false`).
 */
export async function registerModelForKey(
  db: Database,
  params: NewModel,
  key: { id: number; isAdmin: boolean },
): Promise<KeyRegistration> {
  return db.transaction(async (tx) => {
    await tx.execute(
      sql`select pg_advisory_xact_lock(hashtext('alignscope.model'), hashtext(${params.identifier}))`,
    );
    const [existing] = await tx
      .select()
      .from(models)
      .where(eq(models.identifier, params.identifier))
      .for('update');
    if (existing && !mayWriteModel(existing, key)) return { ok: false, existing };
    const row = { ...params, ownerKeyId: existing?.ownerKeyId ?? key.id };
    const { model, created } = await upsertModel(tx, row);
    return { ok: true, model, created };
  });
}

/** A model by identifier or by one of its aliases. */
export async function resolveModel(db: Database, name: string): Promise<Model | undefined> {
  const direct = await getModel(db, name);
  if (direct) return direct;
  const [row] = await db
    .select({ model: models })
    .from(modelAliases)
    .innerJoin(models, eq(models.id, modelAliases.modelId))
    .where(eq(modelAliases.alias, name))
    .limit(1);
  return row?.model;
}

export async function listModels(db: Database): Promise<Model[]> {
  return db.select().from(models).orderBy(asc(models.identifier));
}

/** Links `alias` to a model; an alias names at most one model and never shadows an identifier. */
export async function addModelAlias(
  db: Database,
  params: { model: string; alias: string; source?: string; evidence?: unknown },
): Promise<void> {
  const model = await getModel(db, params.model);
  if (!model) throw new Error(`unknown model ${params.model}`);
  if (await getModel(db, params.alias)) throw new Error(`${params.alias} is already a model identifier`);
  const evidence = params.evidence ?? null;
  await db
    .insert(modelAliases)
    .values({ alias: params.alias, modelId: model.id, source: params.source ?? null, evidence })
    .onConflictDoUpdate({
      target: modelAliases.alias,
      set: { modelId: model.id, ...(params.evidence === undefined ? {} : { evidence }) },
    });
}

export type DroppedScore = {
  benchmarkId: number;
  benchmarkVersion: number;
  status: string;
  rawValue: number | null;
  ceiledValue: number | null;
  runId: number | null;
};

export type MergeResult = {
  into: string;
  from: string;
  /** Scores moved over from `from`. */
  movedScores: number;
  /** Scores of `from` on a benchmark (and version) that `into` already had: `into`'s value is kept. */
  droppedScores: DroppedScore[];
  /** Aliases of `from` that now name `into`. */
  movedAliases: number;
};

const FILL = [
  'architecture',
  'family',
  'trainingRegime',
  'trainingData',
  'parameters',
  'source',
  'license',
] as const;

/**
 * Folds model `from` into model `into` (one network known under two names): its scores, runs and every
 * other row that references it move to `into`, its aliases follow, empty fields of `into` are filled
 * and metadata keys it lacks are added, then `from` is deleted and its identifier becomes an alias of
 * `into` whose evidence records `evidence`, the deleted row and any score `into` already had (kept;
 * the other value is recorded there, with its run, so nothing is lost). One transaction.
 */
export async function mergeModels(
  db: Database,
  params: { into: string; from: string; source: string; evidence: unknown },
): Promise<MergeResult> {
  return db.transaction(async (tx) => {
    const into = await getModel(tx as unknown as Database, params.into);
    const from = await getModel(tx as unknown as Database, params.from);
    if (!into) throw new Error(`unknown model ${params.into}`);
    if (!from) throw new Error(`unknown model ${params.from}`);
    if (into.id === from.id) throw new Error(`${params.into} and ${params.from} are the same model`);
    if (from.onnxSha256 && into.onnxSha256 && from.onnxSha256 !== into.onnxSha256) {
      throw new Error(
        `${params.from} and ${params.into} have different ONNX files (sha256 ${from.onnxSha256.slice(0, 12)} vs ${into.onnxSha256.slice(0, 12)}): not the same network`,
      );
    }
    const theirs = await tx.select().from(scores).where(eq(scores.modelId, from.id));
    const ours = await tx.select().from(scores).where(eq(scores.modelId, into.id));
    const have = new Set(ours.map((r) => `${r.benchmarkId}:${r.benchmarkVersion}`));
    const dropped = theirs.filter((r) => have.has(`${r.benchmarkId}:${r.benchmarkVersion}`));
    const moved = theirs.filter((r) => !have.has(`${r.benchmarkId}:${r.benchmarkVersion}`));
    if (moved.length > 0) {
      await tx
        .update(scores)
        .set({ modelId: into.id })
        .where(
          inArray(
            scores.id,
            moved.map((r) => r.id),
          ),
        );
    }
    // Every other reference to the model (runs, evaluation requests, and tables added later) moves too.
    const refs = await tx.execute<{ table: string; column: string }>(sql`
      select cl.relname as "table", att.attname as "column"
      from pg_constraint c
      join pg_class cl on cl.oid = c.conrelid
      join pg_namespace ns on ns.oid = cl.relnamespace
      join pg_attribute att on att.attrelid = c.conrelid and att.attnum = c.conkey[1]
      where c.contype = 'f' and c.confrelid = 'models'::regclass and ns.nspname = current_schema()
        and cl.relname not in ('scores', 'model_aliases')`);
    for (const r of refs.rows) {
      await tx.execute(
        sql`update ${sql.identifier(r.table)} set ${sql.identifier(r.column)} = ${into.id} where ${sql.identifier(r.column)} = ${from.id}`,
      );
    }
    const aliases = await tx
      .update(modelAliases)
      .set({ modelId: into.id })
      .where(eq(modelAliases.modelId, from.id))
      .returning({ alias: modelAliases.alias });
    const patch: Partial<typeof models.$inferInsert> = {};
    for (const k of FILL) if (into[k] === null && from[k] !== null) Object.assign(patch, { [k]: from[k] });
    const intoMeta = (into.metadata ?? {}) as Record<string, unknown>;
    const fromMeta = (from.metadata ?? {}) as Record<string, unknown>;
    const added = Object.keys(fromMeta).filter((k) => !(k in intoMeta));
    if (added.length > 0)
      patch.metadata = { ...Object.fromEntries(added.map((k) => [k, fromMeta[k]])), ...intoMeta };
    await tx.delete(models).where(eq(models.id, from.id));
    if (Object.keys(patch).length > 0) {
      await tx
        .update(models)
        .set({ ...patch, updatedAt: new Date() })
        .where(eq(models.id, into.id));
    }
    const droppedScores: DroppedScore[] = dropped.map((r) => ({
      benchmarkId: r.benchmarkId,
      benchmarkVersion: r.benchmarkVersion,
      status: r.status,
      rawValue: r.rawValue,
      ceiledValue: r.ceiledValue,
      runId: r.runId,
    }));
    const { id: _id, card: _card, ...mergedRow } = from;
    await tx
      .insert(modelAliases)
      .values({
        alias: from.identifier,
        modelId: into.id,
        source: params.source,
        evidence: {
          evidence: params.evidence,
          merged: { ...mergedRow, card: from.card ?? null },
          droppedScores,
        },
      })
      .onConflictDoNothing();
    return {
      into: into.identifier,
      from: from.identifier,
      movedScores: moved.length,
      droppedScores,
      movedAliases: aliases.length,
    };
  });
}

/** Every alias with its model, source and evidence (for the identity map and the model page). */
export async function listAliasesWithEvidence(
  db: Database,
  modelId?: number,
): Promise<{ alias: string; model: string; source: string | null; evidence: unknown }[]> {
  return db
    .select({
      alias: modelAliases.alias,
      model: models.identifier,
      source: modelAliases.source,
      evidence: modelAliases.evidence,
    })
    .from(modelAliases)
    .innerJoin(models, eq(models.id, modelAliases.modelId))
    .where(modelId === undefined ? undefined : eq(modelAliases.modelId, modelId))
    .orderBy(asc(modelAliases.alias));
}

export async function listModelAliases(db: Database, modelId: number): Promise<string[]> {
  const rows = await db
    .select({ alias: modelAliases.alias })
    .from(modelAliases)
    .where(eq(modelAliases.modelId, modelId));
  return rows.map((r) => r.alias).sort();
}
