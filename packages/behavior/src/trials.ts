/**
 * Trial CSVs in the model-vs-human format (bethgelab/model-vs-human `raw-data/`):
 * `subj,session,trial,rt,object_response,category,condition,imagename`, one row per trial. Some human
 * files spell the second column `Session`; model files use CRLF line endings and `NaN` for rt.
 */
import { CsvError, type CsvRecord, csvRecords } from './csv.ts';

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
  /**
   * @param problem what is wrong, without the file and line
   * @param line 1-based line of the problem; null for the file as a whole
   */
  constructor(
    readonly file: string,
    readonly line: number | null,
    readonly problem: string,
  ) {
    super(`${file}${line === null ? '' : `:${line}`}: ${problem}`);
  }
}

const REQUIRED = ['subj', 'session', 'trial', 'rt', 'object_response', 'category', 'condition', 'imagename'];

/**
 * Parses a model-vs-human trial CSV (LF or CRLF, `session` or `Session`, optional BOM, RFC 4180
 * quoting through csv-parse). Columns are found by name, so extra columns are ignored. Blank lines
 * are skipped. Throws TrialParseError on malformed quoting, a missing column, a short row, a
 * non-integer trial number or an empty response/category/imagename.
 */
export function parseTrials(text: string, file = '<input>'): Trial[] {
  let records: CsvRecord[];
  try {
    records = csvRecords(text);
  } catch (e) {
    if (e instanceof CsvError) throw new TrialParseError(file, null, `malformed CSV: ${e.message}`);
    throw e;
  }
  const header = (records[0]?.record ?? []).map((h) => h.toLowerCase());
  const col = new Map(header.map((h, i) => [h, i] as const));
  const missing = REQUIRED.filter((c) => !col.has(c));
  if (missing.length > 0) {
    throw new TrialParseError(
      file,
      null,
      `not a trial CSV: missing column(s) ${missing.join(', ')} (expected ${REQUIRED.join(',')})`,
    );
  }
  const idx = (name: string) => col.get(name) as number;
  const trials: Trial[] = [];
  for (const { record: f, info } of records.slice(1)) {
    const ln = info.lines;
    if (f.length === 1 && f[0] === '') continue;
    if (f.length < header.length) {
      throw new TrialParseError(file, ln, `expected ${header.length} fields, found ${f.length}`);
    }
    const get = (name: string) => f[idx(name)] as string;
    const trialText = get('trial');
    const trial = Number(trialText);
    if (trialText === '' || !Number.isInteger(trial)) {
      throw new TrialParseError(file, ln, `trial "${trialText}" is not an integer`);
    }
    const rtText = get('rt');
    const rt = rtText === '' || /^nan$/i.test(rtText) ? null : Number(rtText);
    if (rt !== null && !Number.isFinite(rt)) {
      throw new TrialParseError(file, ln, `rt "${rtText}" is not a number`);
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
      if (t[k] === '') throw new TrialParseError(file, ln, `empty ${k}`);
    }
    trials.push(t);
  }
  if (trials.length === 0) throw new TrialParseError(file, null, 'no trials');
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
