import { dbStatus } from '@alignscope/db/queries';
import { getDb } from '../src/db';

export const dynamic = 'force-dynamic';

export default async function Home() {
  const { db } = await getDb();
  const status = await dbStatus(db);
  return (
    <section>
      <h1>AlignScope</h1>
      <p>Are vision models that are more aligned with human vision also more robust to adversarial attack?</p>
      <p data-testid="counts">
        {status.counts.models} models, {status.counts.benchmarks} benchmarks, {status.counts.scores} scores.
      </p>
    </section>
  );
}
