import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiKey, getModel, registerModelForKey, upsertModel } from '../src/queries/index.ts';
import { createTestDb, type TestDb } from '../src/testing.ts';

let t: TestDb;
beforeAll(async () => {
  t = await createTestDb();
});
afterAll(async () => {
  await t?.close();
});

const row = (identifier: string, displayName = identifier) => ({ identifier, displayName });

describe('registerModelForKey', () => {
  it('gives a new model to the key, lets the owner and admins update it, refuses others and writes nothing', async () => {
    const { apiKey: alice } = await createApiKey(t.db, { name: 'alice' });
    const { apiKey: bob } = await createApiKey(t.db, { name: 'bob' });
    const { apiKey: admin } = await createApiKey(t.db, { name: 'admin', isAdmin: true });

    const first = await registerModelForKey(t.db, row('net-a', 'A v1'), alice);
    expect(first.ok && first.created && first.model.ownerKeyId).toBe(alice.id);
    const again = await registerModelForKey(t.db, row('net-a', 'A v2'), alice);
    expect(again.ok && !again.created && again.model.displayName).toBe('A v2');

    const refused = await registerModelForKey(t.db, row('net-a', 'stolen'), bob);
    expect(refused).toMatchObject({ ok: false, existing: { identifier: 'net-a', ownerKeyId: alice.id } });
    expect((await getModel(t.db, 'net-a'))?.displayName).toBe('A v2');

    const byAdmin = await registerModelForKey(t.db, row('net-a', 'A fixed'), admin);
    expect(byAdmin.ok && byAdmin.model.ownerKeyId).toBe(alice.id); // an admin write keeps the owner
  });

  it('leaves operator models (no owner) to admin keys, who then own them', async () => {
    const { apiKey: carol } = await createApiKey(t.db, { name: 'carol' });
    const { apiKey: admin } = await createApiKey(t.db, { name: 'admin 2', isAdmin: true });
    await upsertModel(t.db, row('imported-net'));
    const refused = await registerModelForKey(t.db, row('imported-net', 'mine now'), carol);
    expect(refused.ok).toBe(false);
    expect((await getModel(t.db, 'imported-net'))?.ownerKeyId).toBeNull();
    const taken = await registerModelForKey(t.db, row('imported-net'), admin);
    expect(taken.ok && taken.model.ownerKeyId).toBe(admin.id);
  });

  it('lets exactly one of four keys racing for one new identifier create it', async () => {
    const keys = await Promise.all(
      ['racer 1', 'racer 2', 'racer 3', 'racer 4'].map(
        async (name) => (await createApiKey(t.db, { name })).apiKey,
      ),
    );
    for (let round = 0; round < 5; round++) {
      const identifier = `raced-${round}`;
      const results = await Promise.all(
        keys.map((k) => registerModelForKey(t.db, row(identifier, `by ${k.id}`), k)),
      );
      const winners = results.filter((r) => r.ok);
      expect(winners).toHaveLength(1);
      const stored = await getModel(t.db, identifier);
      const winner = winners[0];
      expect(winner?.ok && stored?.ownerKeyId === winner.model.ownerKeyId).toBe(true);
      expect(stored?.displayName).toBe(`by ${stored?.ownerKeyId}`);
    }
  });
});
