/**
 * The model store: checked ONNX files kept by content hash in `<home>/models/<sha256>.onnx`, and the
 * checks `models add` and `evaluate --model <file.onnx>` run before a model is registered.
 */
import { createHash } from 'node:crypto';
import { createReadStream, existsSync, statSync } from 'node:fs';
import { copyFile, mkdir, rename } from 'node:fs/promises';
import path from 'node:path';
import { loadConfig } from '@alignscope/config';
import type { NewModel } from '@alignscope/db/queries';
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
  const tmp = `${dest}.${process.pid}.tmp`;
  await copyFile(file, tmp);
  await rename(tmp, dest);
  return dest;
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
