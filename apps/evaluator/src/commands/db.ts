import { createDb, migrate, redactUrl } from '@alignscope/db';
import { dbStatus, seedCatalog } from '@alignscope/db/queries';
import type { Command } from 'commander';

export default function register(program: Command): void {
  const db = program.command('db').description('database administration');
  db.command('migrate')
    .description('apply the committed SQL migrations and seed the benchmark catalog (idempotent)')
    .action(async () => {
      const h = await createDb();
      try {
        await migrate(h.db);
        const n = await seedCatalog(h.db);
        const s = await dbStatus(h.db);
        console.log(`migrations applied: ${s.migrationsApplied}; catalog: ${n} benchmarks (${h.source})`);
      } finally {
        await h.close();
      }
    });
  db.command('status')
    .description('show where the database is, its migrations and row counts')
    .option('--json', 'print JSON')
    .action(async (opts: { json?: boolean }) => {
      const h = await createDb();
      try {
        const s = await dbStatus(h.db);
        const out = { database: redactUrl(h.url), source: h.source, ...s };
        if (opts.json) console.log(JSON.stringify(out, null, 2));
        else {
          console.log(`database:    ${out.database} (${out.source})`);
          console.log(`server:      PostgreSQL ${s.serverVersion}`);
          console.log(
            `migrations:  ${s.migrationsApplied} applied${s.lastMigrationAt ? ` (latest ${s.lastMigrationAt})` : ''}`,
          );
          for (const [k, v] of Object.entries(s.counts)) console.log(`${k.padEnd(12)} ${v}`);
        }
      } finally {
        await h.close();
      }
    });
}
