/**
 * The model store: checked ONNX files kept by content hash, in the database (model_blobs, reached by
 * every worker) and on each machine in `<home>/models/<sha256>.onnx` (the copy `models add` made, or
 * a cache filled from the database the first time a worker needs the file); and the checks
 * `models add` and `evaluate --model <file.onnx>` run before a model is registered.
 */
import { createHash, randomUUID } from 'node:crypto';
import { createReadStream, createWriteStream, existsSync, statSync } from 'node:fs';
import { copyFile, mkdir, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { loadConfig } from '@alignscope/config';
import type { Database } from '@alignscope/db';
import {
  getModelBlob,
  MODEL_BLOB_CHUNK_BYTES,
  type Model,
  type NewModel,
  putModelBlob,
  readModelBlob,
} from '@alignscope/db/queries';
import { InputError } from '../errors.ts';
import { labelSpaceName, type ModelCard } from './card.ts';
import { checkModel, type LoadedModel, type OpenModelOptions, openModel } from './session.ts';

/** sha256 (hex) and size of a file, streamed. */
export async function fileDigest(file: string): Promise<{ sha256: string; bytes: number }> {
  const hash = createHash('sha256');
  let bytes = 0;
  for await (const chunk of createReadStream(file)) {
    hash.update(chunk as Buffer);
    bytes += (chunk as Buffer).length;
  }
  return { sha256: hash.digest('hex'), bytes };
}

export type CheckedModel = {
  model: LoadedModel;
  sha256: string;
  bytes: number;
  outputShape: number[];
};

/**
 * Checks an ONNX file against its card: the file exists and is not empty, its sha256 equals the
 * card's (when the card names one), onnxruntime loads it, the input is [batch, 3, H, W] as the card
 * says, and a dummy batch gives [N, classes of the label space].
 */
export async function checkModelFile(
  file: string,
  card: ModelCard,
  opts: OpenModelOptions = {},
): Promise<CheckedModel> {
  if (!existsSync(file) || !statSync(file).isFile()) throw new InputError(`model file not found: ${file}`);
  const { sha256, bytes } = await fileDigest(file);
  if (bytes === 0) throw new InputError(`${file} is empty`);
  if (card.sha256 && card.sha256 !== sha256) {
    throw new InputError(
      `the card disagrees with the model: card ${card.name} names sha256 ${card.sha256}, ${path.basename(file)} has ${sha256}`,
    );
  }
  const model = await openModel(file, card, opts);
  const { outputShape } = await checkModel(model);
  return { model, sha256, bytes, outputShape };
}

/** Copies a checked file into the store (once per content hash); returns its path there. */
export async function storeModelFile(
  file: string,
  sha256: string,
  home = loadConfig().home,
): Promise<string> {
  const dir = path.join(home, 'models');
  const dest = path.join(dir, `${sha256}.onnx`);
  if (existsSync(dest)) return dest;
  await mkdir(dir, { recursive: true });
  const tmp = `${dest}.${randomUUID()}.tmp`;
  await copyFile(file, tmp);
  await rename(tmp, dest);
  return dest;
}

/**
 * Stores a checked file in the database's model store (once per content hash) and in the local one;
 * returns the local path. What `models add`, the web's upload and `evaluate --model <file>` call.
 */
export async function storeModel(
  db: Database,
  file: string,
  checked: { sha256: string; bytes: number },
  home = loadConfig().home,
): Promise<string> {
  await putModelBlob(db, {
    sha256: checked.sha256,
    bytes: checked.bytes,
    data: createReadStream(file, { highWaterMark: MODEL_BLOB_CHUNK_BYTES }),
  });
  return storeModelFile(file, checked.sha256, home);
}

/** Fetches in flight, by local destination: concurrent jobs of one process fetch a model once. */
const fetching = new Map<string, Promise<string>>();

export type ModelFileOptions = { home?: string; log?: (message: string) => void };

/**
 * A local file holding a registered model's ONNX bytes, for any machine: the local store's copy
 * (`<home>/models/<sha256>.onnx`), else the registered path when it exists here, else the database's
 * copy fetched into the local store (its sha256 checked before it is kept; a mismatch is an
 * InputError naming the corrupt blob). A model registered before the database store existed is
 * copied into it on first use here (lazy backfill; `alignscope models store` does all at once).
 */
export async function modelFileFor(
  db: Database,
  row: Pick<Model, 'identifier' | 'onnxSha256' | 'onnxPath' | 'onnxBytes'>,
  opts: ModelFileOptions = {},
): Promise<string> {
  const sha256 = row.onnxSha256;
  if (!sha256) {
    if (row.onnxPath && existsSync(row.onnxPath)) return row.onnxPath;
    throw new InputError(`the stored ONNX file of ${row.identifier} is missing: ${row.onnxPath}`);
  }
  const home = opts.home ?? loadConfig().home;
  const local = path.join(home, 'models', `${sha256}.onnx`);
  const blob = await getModelBlob(db, sha256);
  const here = existsSync(local) ? local : row.onnxPath && existsSync(row.onnxPath) ? row.onnxPath : null;
  if (here) {
    if (!blob) await backfill(db, here, sha256, row.identifier, opts.log);
    return here;
  }
  if (!blob) {
    throw new InputError(
      `the stored ONNX file of ${row.identifier} is missing: ${row.onnxPath} (and the database holds no copy of sha256 ${sha256}; add the model again with \`alignscope models add\`)`,
    );
  }
  let pending = fetching.get(local);
  if (!pending) {
    pending = fetchBlob(db, blob, local, row.identifier, opts.log).finally(() => fetching.delete(local));
    fetching.set(local, pending);
  }
  return pending;
}

async function fetchBlob(
  db: Database,
  blob: NonNullable<Awaited<ReturnType<typeof getModelBlob>>>,
  dest: string,
  identifier: string,
  log?: (message: string) => void,
): Promise<string> {
  await mkdir(path.dirname(dest), { recursive: true });
  const tmp = `${dest}.${randomUUID()}.tmp`;
  const hash = createHash('sha256');
  let bytes = 0;
  try {
    await pipeline(
      readModelBlob(db, blob),
      async function* (chunks: AsyncIterable<Buffer>) {
        for await (const c of chunks) {
          hash.update(c);
          bytes += c.length;
          yield c;
        }
      },
      createWriteStream(tmp),
    );
    const got = hash.digest('hex');
    if (got !== blob.sha256 || bytes !== blob.bytes) {
      throw new InputError(
        `the database's copy of the ONNX file of ${identifier} is corrupt: model blob ${blob.sha256} (${blob.bytes} bytes) read back as ${bytes} bytes with sha256 ${got}; add the model again with \`alignscope models add\``,
      );
    }
    await rename(tmp, dest);
  } finally {
    await rm(tmp, { force: true });
  }
  log?.(`fetched the ONNX file of ${identifier} (${bytes} bytes, sha256 ${blob.sha256}) from the database`);
  return dest;
}

/** Copies a local file of a model into the database's store after checking its hash. */
async function backfill(
  db: Database,
  file: string,
  sha256: string,
  identifier: string,
  log?: (message: string) => void,
): Promise<boolean> {
  const digest = await fileDigest(file);
  if (digest.sha256 !== sha256) return false; // the evaluation's own check reports the mismatch
  const written = await putModelBlob(db, {
    sha256,
    bytes: digest.bytes,
    data: createReadStream(file, { highWaterMark: MODEL_BLOB_CHUNK_BYTES }),
  });
  if (written) log?.(`copied the ONNX file of ${identifier} into the database's model store`);
  return written;
}

export type StoredModelReport = {
  identifier: string;
  sha256: string;
  outcome: 'stored' | 'missing' | 'mismatch';
};

/**
 * `alignscope models store`: copies into the database the ONNX file of every model registered before
 * the database store existed (from the local store or its registered path, hash checked).
 */
export async function backfillModelStore(
  db: Database,
  rows: readonly Pick<Model, 'identifier' | 'onnxSha256' | 'onnxPath'>[],
  home = loadConfig().home,
): Promise<StoredModelReport[]> {
  const out: StoredModelReport[] = [];
  for (const r of rows) {
    const sha256 = r.onnxSha256;
    if (!sha256) continue;
    const local = path.join(home, 'models', `${sha256}.onnx`);
    const file = existsSync(local) ? local : r.onnxPath && existsSync(r.onnxPath) ? r.onnxPath : null;
    if (!file) {
      out.push({ identifier: r.identifier, sha256, outcome: 'missing' });
      continue;
    }
    const ok = await backfill(db, file, sha256, r.identifier);
    const exists = ok || (await getModelBlob(db, sha256)) !== undefined;
    out.push({ identifier: r.identifier, sha256, outcome: exists ? 'stored' : 'mismatch' });
  }
  return out;
}

function sourceText(card: ModelCard): string | null {
  const s = card.source;
  if (s === undefined) return null;
  if (typeof s === 'string') return s;
  const r = s as { repo?: string; path?: string; commit?: string };
  return (
    [r.repo, r.path, r.commit ? `@${r.commit}` : undefined].filter(Boolean).join(' ') || JSON.stringify(s)
  );
}

/** The models-table row of a checked model with its card. */
export function modelRow(card: ModelCard, stored: { sha256: string; bytes: number; path: string }): NewModel {
  return {
    identifier: card.name,
    displayName: card.displayName,
    architecture: card.architecture ?? null,
    family: card.family ?? null,
    trainingRegime: card.trainingRegime ?? null,
    trainingData: card.trainingData ?? null,
    parameters: card.parameters ?? null,
    source: sourceText(card),
    license: card.license ?? null,
    onnxSha256: stored.sha256,
    onnxPath: stored.path,
    onnxBytes: stored.bytes,
    card: card as unknown as Record<string, unknown>,
    metadata: { labelSpace: labelSpaceName(card) },
  };
}
