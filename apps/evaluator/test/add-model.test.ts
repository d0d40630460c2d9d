/**
 * addModel: what `alignscope models add` and the web's upload (POST /api/models) run in-process —
 * check, store, and registration for an API key with the permission check in the same transaction.
 */
import { existsSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { createApiKey, getModel } from '@alignscope/db/queries';
import { createTestDb, type TestDb } from '@alignscope/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InputError } from '../src/errors.ts';
import { addModel, closeModels, fileDigest, parseCard } from '../src/models/index.ts';
import { tinyCard, tinyClassifier, tmpDir } from './helpers.ts';

let t: TestDb;
const home = tmpDir('alignscope-home-');
const dir = tmpDir();
const file = path.join(dir, 'tiny.onnx');

beforeAll(async () => {
  t = await createTestDb();
  writeFileSync(file, tinyClassifier(['N', 3, 8, 8], 10));
});
afterAll(async () => {
  await closeModels();
  await t?.close();
});

describe('addModel for an API key', () => {
  it('registers a checked model to the key, stores it, and refuses another key without writing', async () => {
    const { apiKey: owner } = await createApiKey(t.db, { name: 'uploader' });
    const { apiKey: other } = await createApiKey(t.db, { name: 'someone else' });
    const card = parseCard(tinyCard({ name: 'tiny_owned' }));
    const { sha256 } = await fileDigest(file);

    const added = await addModel(t.db, file, card, { key: owner, home });
    expect(added).toEqual({
      ok: true,
      model: {
        identifier: 'tiny_owned',
        created: true,
        sha256,
        bytes: expect.any(Number),
        store: path.join(home, 'models', `${sha256}.onnx`),
        inputShape: [3, 8, 8],
        labelSpace: 'cifar-10',
        dummyOutputShape: [expect.any(Number), 10],
      },
    });
    expect(existsSync(path.join(home, 'models', `${sha256}.onnx`))).toBe(true);
    expect((await getModel(t.db, 'tiny_owned'))?.ownerKeyId).toBe(owner.id);

    const renamed = parseCard(tinyCard({ name: 'tiny_owned', displayName: 'Taken over' }));
    const refused = await addModel(t.db, file, renamed, { key: other, home });
    expect(refused).toMatchObject({
      ok: false,
      forbidden: { identifier: 'tiny_owned', ownerKeyId: owner.id },
    });
    expect((await getModel(t.db, 'tiny_owned'))?.displayName).toBe('Tiny test model');
  });

  it('reports a card that names another file as an InputError and registers nothing', async () => {
    const { apiKey } = await createApiKey(t.db, { name: 'careless' });
    const card = parseCard(tinyCard({ name: 'tiny_wrong_hash', sha256: 'ab'.repeat(32) }));
    const err = await addModel(t.db, file, card, { key: apiKey, home }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InputError);
    expect((err as Error).message).toMatch(
      /^the card disagrees with the model: card tiny_wrong_hash names sha256 abab/,
    );
    expect(await getModel(t.db, 'tiny_wrong_hash')).toBeUndefined();
  });
});
