import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { claimModel, getModel, mayWriteModel, verifyApiKey } from '@alignscope/db/queries';
import { getDb } from '../../../src/db.ts';

export const dynamic = 'force-dynamic';

/** Largest ONNX file accepted (the bundle's models are 1-5 MB; ImageNet ResNet-50 is about 100 MB). */
const MAX_MODEL_BYTES = 256 * 1024 * 1024;
const MAX_CARD_BYTES = 256 * 1024;
const CHECK_TIMEOUT_MS = 180_000;

type Failure = { code: string; message: string };

function fail(status: number, code: string, message: string) {
  return Response.json({ ok: false, errors: [{ code, message }] satisfies Failure[] }, { status });
}

/**
 * Runs `alignscope models add <file> --card <card> --json`: the evaluator's own checks (card schema,
 * sha256, onnxruntime loads it, input [N, 3, H, W] as the card says, a dummy batch gives the label
 * space's classes) and its model store. A child process keeps native inference out of the web server.
 */
function modelsAdd(
  file: string,
  card: string,
): Promise<{ ok: true; out: unknown } | { ok: false; message: string }> {
  const cli = path.resolve(/*turbopackIgnore: true*/ process.cwd(), '../evaluator/bin/alignscope.mjs');
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [cli, 'models', 'add', file, '--card', card, '--json'], {
      env: process.env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => {
      stdout += d;
    });
    child.stderr.on('data', (d) => {
      stderr += d;
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), CHECK_TIMEOUT_MS);
    child.on('error', (e) => {
      clearTimeout(timer);
      resolve({ ok: false, message: `the evaluator could not be started (${e.message})` });
    });
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      if (code === 0) {
        try {
          return resolve({ ok: true, out: JSON.parse(stdout) });
        } catch {
          return resolve({ ok: false, message: 'the evaluator answered without JSON' });
        }
      }
      const line = stderr
        .trim()
        .split('\n')
        .at(-1)
        ?.replace(/^alignscope: error: /, '');
      resolve({
        ok: false,
        message: signal ? `the model check was stopped (${signal})` : (line ?? `exit ${code}`),
      });
    });
  });
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
  let card: { name?: unknown };
  try {
    card = JSON.parse(cardText) as { name?: unknown };
  } catch (e) {
    return fail(422, 'INVALID_CARD', `the model card is not valid JSON (${(e as Error).message})`);
  }
  if (typeof card?.name !== 'string' || card.name.trim() === '') {
    return fail(422, 'INVALID_CARD', 'the model card needs a "name" (the model identifier)');
  }
  const existing = await getModel(db, card.name.trim());
  // As for submitResults: only the owner (or an admin key) may touch an existing model, and a model
  // without an owner (imported, or registered on the command line) belongs to the operators.
  if (existing && !mayWriteModel(existing, apiKey)) {
    return fail(
      403,
      'FORBIDDEN',
      existing.ownerKeyId === null
        ? `model ${existing.identifier} is managed by the platform's operators; only an admin key may replace it`
        : `model ${existing.identifier} belongs to another key`,
    );
  }

  const dir = await mkdtemp(path.join(os.tmpdir(), 'alignscope-upload-'));
  try {
    const file = path.join(dir, 'model.onnx');
    const cardFile = path.join(dir, 'card.json');
    await writeFile(file, Buffer.from(await model.arrayBuffer()));
    await writeFile(cardFile, cardText);
    const added = await modelsAdd(file, cardFile);
    if (!added.ok) return fail(422, 'MODEL_CHECK_FAILED', added.message);
    const out = added.out as {
      identifier: string;
      created: boolean;
      sha256: string;
      bytes: number;
      inputShape: number[];
      labelSpace: string;
    };
    await claimModel(db, out.identifier, apiKey.id);
    const { identifier, created, sha256, bytes, inputShape, labelSpace } = out;
    return Response.json({
      ok: true,
      model: { identifier, created, sha256, bytes, inputShape, labelSpace },
      errors: [],
    });
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
