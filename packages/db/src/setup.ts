import type { Database } from './client.ts';
import { migrate } from './migrate.ts';
import { seedCatalog } from './queries/benchmarks.ts';

/** Migrations, then the benchmark catalog: what every process runs once at start-up. Idempotent. */
export async function setupDatabase(db: Database): Promise<void> {
  await migrate(db);
  await seedCatalog(db);
}
