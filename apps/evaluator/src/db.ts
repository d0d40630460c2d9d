import { createDb, type DbHandle, setupDatabase } from '@alignscope/db';

/**
 * Runs `fn` with an open, migrated and seeded database (DATABASE_URL, the running embedded one, or a
 * new embedded one) and closes it afterwards.
 */
export async function withDb<T>(fn: (h: DbHandle) => Promise<T>): Promise<T> {
  const handle = await createDb();
  try {
    await setupDatabase(handle.db);
    return await fn(handle);
  } finally {
    await handle.close();
  }
}
