import { desc, eq } from 'drizzle-orm';
import type { Database } from '../client.ts';
import { runs } from '../tables/index.ts';

export type Run = typeof runs.$inferSelect;
export type NewRun = Omit<typeof runs.$inferInsert, 'id' | 'startedAt' | 'finishedAt' | 'status'>;

/** Opens a run in state `running`. */
export async function createRun(db: Database, params: NewRun): Promise<Run> {
  const [row] = await db.insert(runs).values(params).returning();
  if (!row) throw new Error('run was not created');
  return row;
}

/** Closes a run as succeeded or failed, with whatever it produced. */
export async function finishRun(
  db: Database,
  id: number,
  params: {
    status: 'succeeded' | 'failed';
    error?: string | null;
    log?: string | null;
    timings?: Record<string, unknown>;
    artifacts?: Record<string, unknown>;
    environment?: Record<string, unknown>;
  },
): Promise<Run> {
  const [row] = await db
    .update(runs)
    .set({ ...params, finishedAt: new Date() })
    .where(eq(runs.id, id))
    .returning();
  if (!row) throw new Error(`run ${id} not found`);
  return row;
}

export async function getRun(db: Database, id: number): Promise<Run | undefined> {
  const [row] = await db.select().from(runs).where(eq(runs.id, id)).limit(1);
  return row;
}

export async function listRunsForModel(db: Database, modelId: number): Promise<Run[]> {
  return db.select().from(runs).where(eq(runs.modelId, modelId)).orderBy(desc(runs.startedAt));
}

/** The latest run of a producer (e.g. the first start's marker run), if any. */
export async function latestRunOf(db: Database, producer: string): Promise<Run | undefined> {
  const [row] = await db
    .select()
    .from(runs)
    .where(eq(runs.producer, producer))
    .orderBy(desc(runs.id))
    .limit(1);
  return row;
}
