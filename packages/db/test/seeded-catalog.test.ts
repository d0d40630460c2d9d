/**
 * The seeded benchmark catalog, row for row, against a written-out list (seeded-catalog.json, dumped
 * from a fresh database by this query before the catalog moved to @alignscope/benchmarks): moving or
 * regrouping the definitions must not change an identifier, a field, the tree or the order.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDb, type TestDb } from '../src/testing.ts';

const golden = path.join(import.meta.dirname, 'seeded-catalog.json');

let t: TestDb;
beforeAll(async () => {
  t = await createTestDb();
});
afterAll(async () => {
  await t?.close();
});

describe('seeded catalog', () => {
  it('seeds exactly the written-out rows and versions', async () => {
    const { rows } = await t.pool.query(
      `select b.identifier, b.version, p.identifier as parent, b.domain, b.display_name, b.metric,
              b.ceiling, b.range_min, b.range_max, b.description, b.reference, b.parameters, b.sort_order,
              (select json_agg(json_build_object('version', v.version, 'changes', v.changes) order by v.version)
                 from benchmark_versions v where v.benchmark_id = b.id) as versions
         from benchmarks b left join benchmarks p on p.id = b.parent_id
        order by b.sort_order, b.identifier`,
    );
    expect(rows).toEqual(JSON.parse(readFileSync(golden, 'utf8')));
  });
});
