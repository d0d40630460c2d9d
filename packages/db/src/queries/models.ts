import { asc, eq, getTableColumns, inArray, sql } from 'drizzle-orm';
import type { Database } from '../client.ts';
import { modelAliases, models } from '../tables/index.ts';

export type Model = typeof models.$inferSelect;
export type NewModel = Omit<typeof models.$inferInsert, 'id' | 'createdAt' | 'updatedAt'>;

/**
 * Inserts a model or updates the given fields of the existing one with that identifier. Returns the
 * row and whether it was created.
 */
export async function upsertModel(
  db: Database,
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
  params: { model: string; alias: string; source?: string },
): Promise<void> {
  const model = await getModel(db, params.model);
  if (!model) throw new Error(`unknown model ${params.model}`);
  if (await getModel(db, params.alias)) throw new Error(`${params.alias} is already a model identifier`);
  await db
    .insert(modelAliases)
    .values({ alias: params.alias, modelId: model.id, source: params.source ?? null })
    .onConflictDoUpdate({ target: modelAliases.alias, set: { modelId: model.id } });
}

export async function listModelAliases(db: Database, modelId: number): Promise<string[]> {
  const rows = await db
    .select({ alias: modelAliases.alias })
    .from(modelAliases)
    .where(eq(modelAliases.modelId, modelId));
  return rows.map((r) => r.alias).sort();
}
