/**
 * Adding a model: the checks of an ONNX file against its card (store.ts), the copy into the model
 * store (the database's, which every worker reaches, and this machine's), and the registration — by an operator (`alignscope models add`) or for an API key (the web's
 * upload), where the permission check and the write are one transaction
 * (`registerModelForKey`). A library function, so the web server calls it in-process.
 */
import path from 'node:path';
import type { Database } from '@alignscope/db';
import {
  getModel,
  type Model,
  mayWriteModel,
  registerModelForKey,
  upsertModel,
} from '@alignscope/db/queries';
import { labelSpaceName, type ModelCard } from './card.ts';
import { releaseModel } from './session.ts';
import { checkModelFile, modelRow, storeModel } from './store.ts';

export type AddedModel = {
  identifier: string;
  created: boolean;
  sha256: string;
  bytes: number;
  /** Where the file is kept in the model store. */
  store: string;
  inputShape: number[];
  labelSpace: string;
  dummyOutputShape: number[];
};

export type AddModelResult = { ok: true; model: AddedModel } | { ok: false; forbidden: Model };

export type AddModelOptions = {
  /** onnxruntime threads for the check. */
  threads?: number;
  /** Register for this API key (owner or admin only); without it the operator registers it. */
  key?: { id: number; isAdmin: boolean };
  /** ALIGNSCOPE_HOME of the model store (default: the configuration's). */
  home?: string;
};

/**
 * Checks `file` against `card` (an InputError says what is wrong), stores it and registers it. For a
 * key, a model the key may not write is refused before the check (cheap) and again, authoritatively,
 * in the registering transaction; either way nothing is registered (`ok: false`).
 */
export async function addModel(
  db: Database,
  file: string,
  card: ModelCard,
  opts: AddModelOptions = {},
): Promise<AddModelResult> {
  const key = opts.key;
  if (key) {
    const existing = await getModel(db, card.name);
    if (existing && !mayWriteModel(existing, key)) return { ok: false, forbidden: existing };
  }
  const checked = await checkModelFile(path.resolve(file), card, { threads: opts.threads });
  await releaseModel(checked.model);
  const stored = await storeModel(db, path.resolve(file), checked, opts.home);
  const row = modelRow(card, { sha256: checked.sha256, bytes: checked.bytes, path: stored });
  let registered: { model: Model; created: boolean };
  if (key) {
    const r = await registerModelForKey(db, row, key);
    if (!r.ok) return { ok: false, forbidden: r.existing };
    registered = r;
  } else {
    registered = await upsertModel(db, row);
  }
  return {
    ok: true,
    model: {
      identifier: registered.model.identifier,
      created: registered.created,
      sha256: checked.sha256,
      bytes: checked.bytes,
      store: stored,
      inputShape: card.inputShape,
      labelSpace: labelSpaceName(card),
      dummyOutputShape: checked.outputShape,
    },
  };
}
