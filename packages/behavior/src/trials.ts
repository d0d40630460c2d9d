/**
 * Trial CSVs in the model-vs-human format (bethgelab/model-vs-human `raw-data/`):
 * `subj,session,trial,rt,object_response,category,condition,imagename`, one row per trial. Some human
 * files spell the second column `Session`; model files use CRLF line endings and `NaN` for rt.
 */

/** One trial: who decided what on which image. */
export type Trial = {
  /** Subject (human `subject-01`) or model name. */
  subj: string;
  session: string;
  trial: number;
  /** Reaction time in seconds; null for models (`NaN`). */
  rt: number | null;
  /** The chosen category (one of the 16, or `na` when a human gave no answer). */
  objectResponse: string;
  /** The true category (for cue-conflict: the shape category). */
  category: string;
  /** Distortion level; `0` or `NaN` for cue-conflict, edge and silhouette. */
  condition: string;
  imagename: string;
};

/** A trial CSV that cannot be read; the message names the file and line. */
export class TrialParseError extends Error {
  override name = 'TrialParseError';
}

const REQUIRED = ['subj', 'session', 'trial', 'rt', 'object_response', 'category', 'condition', 'imagename'];

/**
 * Parses a model-vs-human trial CSV (LF or CRLF, `session` or `Session`, optional BOM). Columns are
 * found by name, so extra columns are ignored. Blank lines are skipped. Throws TrialParseError on a
 * missing column, a short row, a non-integer trial number or an empty response/category/imagename.
 */
export function parseTrials(text: string, file = '<input>'): Trial[] {
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  const header = (lines[0] ?? '').split(',').map((h) => h.trim().toLowerCase());
  const col = new Map(header.map((h, i) => [h, i] as const));
  const missing = REQUIRED.filter((c) => !col.has(c));
  if (missing.length > 0) {
    throw new TrialParseError(
      `${file}: not a trial CSV: missing column(s) ${missing.join(', ')} (expected ${REQUIRED.join(',')})`,
    );
  }
  const idx = (name: string) => col.get(name) as number;
  const trials: Trial[] = [];
  for (let ln = 1; ln < lines.length; ln++) {
    const line = lines[ln] as string;
    if (line.trim() === '') continue;
    const f = line.split(',');
    if (f.length < header.length) {
      throw new TrialParseError(`${file}:${ln + 1}: expected ${header.length} fields, found ${f.length}`);
    }
    const get = (name: string) => (f[idx(name)] as string).trim();
    const trialText = get('trial');
    const trial = Number(trialText);
    if (!Number.isInteger(trial)) {
      throw new TrialParseError(`${file}:${ln + 1}: trial "${trialText}" is not an integer`);
    }
    const rtText = get('rt');
    const rt = rtText === '' || /^nan$/i.test(rtText) ? null : Number(rtText);
    if (rt !== null && !Number.isFinite(rt)) {
      throw new TrialParseError(`${file}:${ln + 1}: rt "${rtText}" is not a number`);
    }
    const t: Trial = {
      subj: get('subj'),
      session: get('session'),
      trial,
      rt,
      objectResponse: get('object_response'),
      category: get('category'),
      condition: get('condition'),
      imagename: get('imagename'),
    };
    for (const k of ['subj', 'objectResponse', 'category', 'imagename'] as const) {
      if (t[k] === '') throw new TrialParseError(`${file}:${ln + 1}: empty ${k}`);
    }
    trials.push(t);
  }
  if (trials.length === 0) throw new TrialParseError(`${file}: no trials`);
  return trials;
}

/**
 * The stimulus file name of a trial's image: the part after the last `_`
 * (`0002_s5n_s01_0_bird_00_bird2-clock3.png` -> `bird2-clock3.png`; a bare `airplane1-bicycle2.png`
 * stays as it is). For the cue-conflict, edge and silhouette data sets this is the file in `stimuli/`.
 */
export function stimulusName(imagename: string): string {
  const base = imagename.split(/[\\/]/).pop() ?? imagename;
  return base.slice(base.lastIndexOf('_') + 1);
}

/**
 * A key that identifies the same image across subjects and models. Lab image names are
 * `NNNN_<experiment>_<subject>_<rest>` (trial number and observer code differ between observers);
 * the key is `<rest>`. Stimulus-only data sets (cue-conflict, edge, silhouette), whose model files
 * give bare file names, use the stimulus name.
 */
export function imageKey(imagename: string, dataset: string): string {
  if (STIMULUS_KEYED.has(normaliseDataset(dataset))) return stimulusName(imagename);
  const m = /^\d+_[^_]+_[^_]+_(.+)$/.exec(imagename);
  return m ? (m[1] as string) : imagename;
}

const STIMULUS_KEYED = new Set(['cue-conflict', 'edge', 'silhouette']);

/** `cueconflict`, `cue_conflict`, `Cue-Conflict` -> `cue-conflict`; other names lower-cased. */
export function normaliseDataset(dataset: string): string {
  const d = dataset.trim().toLowerCase().replace(/_/g, '-');
  return d === 'cueconflict' ? 'cue-conflict' : d;
}
