import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { verifyApiKey } from '@alignscope/db/queries';
import { addModel, InputError, type ModelCard, parseCard } from '@alignscope/evaluator/models';
import { getDb } from '../../../src/db.ts';

export const dynamic = 'force-dynamic';

/** Largest ONNX file accepted (the bundle's models are 1-5 MB; ImageNet ResNet-50 is about 100 MB). */
const MAX_MODEL_BYTES = 256 * 1024 * 1024;
const MAX_CARD_BYTES = 256 * 1024;

type Failure = { code: string; message: string };

function fail(status: number, code: string, message: string) {
  return Response.json({ ok: false, errors: [{ code, message }] satisfies Failure[] }, { status });
}

function forbidden(existing: { identifier: string; ownerKeyId: number | null }) {
  // As for submitResults: only the owner (or an admin key) may touch an existing model, and a model
  // without an owner (imported, or registered on the command line) belongs to the operators.
  return fail(
    403,
    'FORBIDDEN',
    existing.ownerKeyId === null
      ? `model ${existing.identifier} is managed by the platform's operators; only an admin key may replace it`
      : `model ${existing.identifier} belongs to another key`,
  );
}

/**
 * Upload of an ONNX model and its card (multipart: `model`, `card`), for API-key holders; the model
 * then belongs to the key. Answers `{ ok, model: { identifier, sha256, bytes, ... } }` or
 * `{ ok: false, errors: [{ code, message }] }`.
 */
export async function POST(request: Request) {
  const key = /^Bearer\s+(.+)$/i.exec(request.headers.get('authorization') ?? '')?.[1]?.trim();
  if (!key) return fail(401, 'UNAUTHENTICATED', 'an API key is required: Authorization: Bearer <key>');
  const length = Number(request.headers.get('content-length') ?? 'NaN');
  if (Number.isFinite(length) && length > MAX_MODEL_BYTES + MAX_CARD_BYTES + 64 * 1024) {
    return fail(413, 'TOO_LARGE', `the upload is larger than ${MAX_MODEL_BYTES / 1024 / 1024} MB`);
  }
  const { db } = await getDb();
  const apiKey = await verifyApiKey(db, key);
  if (!apiKey) return fail(401, 'UNAUTHENTICATED', 'unknown or revoked API key');

  let form: FormData;
  try {
    form = await request.formData();
  } catch {
    return fail(
      400,
      'BAD_REQUEST',
      'expected multipart/form-data with fields "model" (the .onnx file) and "card"',
    );
  }
  const model = form.get('model');
  const cardField = form.get('card');
  if (!(model instanceof File) || model.size === 0)
    return fail(400, 'BAD_REQUEST', 'field "model": an ONNX file is required');
  if (model.size > MAX_MODEL_BYTES) {
    return fail(413, 'TOO_LARGE', `the model file is larger than ${MAX_MODEL_BYTES / 1024 / 1024} MB`);
  }
  if (cardField === null) return fail(400, 'BAD_REQUEST', 'field "card": the model card (JSON) is required');
  const cardText = typeof cardField === 'string' ? cardField : await cardField.text();
  if (cardText.length > MAX_CARD_BYTES) return fail(413, 'TOO_LARGE', 'the model card is larger than 256 kB');
  let card: ModelCard;
  try {
    card = parseCard(JSON.parse(cardText), '(upload)');
  } catch (e) {
    const message =
      e instanceof SyntaxError ? `the model card is not valid JSON (${e.message})` : (e as Error).message;
    return fail(422, 'INVALID_CARD', message);
  }

  // The evaluator's own checks (card, sha256, onnxruntime loads it, input [N, 3, H, W] as the card
  // says, a dummy batch gives the label space's classes), its model store, and the registration for
  // the key, permission and write in one transaction (addModel -> registerModelForKey).
  const dir = await mkdtemp(path.join(os.tmpdir(), 'alignscope-upload-'));
  try {
    const file = path.join(dir, 'model.onnx');
    await writeFile(file, Buffer.from(await model.arrayBuffer()));
    let added: Awaited<ReturnType<typeof addModel>>;
    try {
      added = await addModel(db, file, card, { key: apiKey });
    } catch (e) {
      if (e instanceof InputError) return fail(422, 'MODEL_CHECK_FAILED', e.message);
      throw e;
    }
    if (!added.ok) return forbidden(added.forbidden);
    const { identifier, created, sha256, bytes, inputShape, labelSpace } = added.model;
    return Response.json({
      ok: true,
      model: { identifier, created, sha256, bytes, inputShape, labelSpace },
      errors: [],
    });
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
