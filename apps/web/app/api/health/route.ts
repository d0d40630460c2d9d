import { dbStatus } from '@alignscope/db/queries';
import { getDb } from '../../../src/db';

export const dynamic = 'force-dynamic';

/** Liveness and database reachability, for `alignscope start` and monitors. */
export async function GET() {
  try {
    const { db } = await getDb();
    const s = await dbStatus(db);
    return Response.json({ ok: true, migrations: s.migrationsApplied });
  } catch {
    return Response.json({ ok: false, error: 'database unavailable' }, { status: 503 });
  }
}
