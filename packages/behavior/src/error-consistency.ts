/**
 * Error consistency (Geirhos, Meding & Wichmann, NeurIPS 2020, arXiv:2006.16736): Cohen's kappa of
 * two observers' trial-wise correctness, c_exp = p1 p2 + (1 - p1)(1 - p2),
 * kappa = (c_obs - c_exp) / (1 - c_exp).
 *
 * A trial is correct when `object_response == category` — model-vs-human
 * `modelvshuman/plotting/analyses.py` `ErrorConsistency.analysis` (`df.object_response == df.category`)
 * and Brain-Score `brainscore_vision/metrics/error_consistency/metric.py` `compare_single_subject`
 * (`values == truth`). For cue-conflict, `category` is the SHAPE category, so a texture decision is an
 * error. All trials of a condition count (same-category cue-conflict images are not excluded here).
 *
 * Aggregation as in Brain-Score's metric: kappa per (subject, condition), mean over conditions, then
 * over subjects; the ceiling is the same mean over all unordered pairs of human subjects (equal to
 * model-vs-human's mean over humans of each human's mean kappa with the others, as kappa is symmetric).
 * By default (model-vs-human's convention) a negative raw value is reported as it is; the
 * 'brain-score' convention reproduces Brain-Score's NaN handling and abs().
 */
import { bootstrapStrata, type Interval, type StrataBootstrapOptions } from '@alignscope/analysis';
import { imageKey, type Trial } from './trials.ts';

export type KappaResult = {
  kappa: number;
  /** Share of trials on which both are correct or both are wrong. */
  observed: number;
  expected: number;
  /** Accuracies of the two observers. */
  p1: number;
  p2: number;
  n: number;
};

/**
 * Cohen's kappa of two equally long correctness vectors. When both observers are always right (or
 * always wrong), c_exp = 1: model-vs-human returns 1 (`observed == 1`), Brain-Score's cohens_kappa
 * gives NaN (0/0), which its aggregation then skips.
 */
export function cohensKappa(
  a: readonly boolean[],
  b: readonly boolean[],
  convention: KappaConvention = 'model-vs-human',
): KappaResult {
  if (a.length !== b.length) throw new Error(`kappa: ${a.length} vs ${b.length} trials`);
  const n = a.length;
  if (n === 0) throw new Error('kappa: no trials');
  let c1 = 0;
  let c2 = 0;
  let same = 0;
  for (let i = 0; i < n; i++) {
    if (a[i]) c1++;
    if (b[i]) c2++;
    if (a[i] === b[i]) same++;
  }
  const p1 = c1 / n;
  const p2 = c2 / n;
  const expected = p1 * p2 + (1 - p1) * (1 - p2);
  const observed = same / n;
  // analyses.py ErrorConsistency.error_consistency: observed == 1 -> 1 (also avoids 0/0 when c_exp == 1).
  const kappa =
    convention === 'brain-score'
      ? expected === 1
        ? Number.NaN
        : (observed - expected) / (1 - expected)
      : observed === 1
        ? 1
        : (observed - expected) / (1 - expected);
  return { kappa, observed, expected, p1, p2, n };
}

export type KappaConvention = 'model-vs-human' | 'brain-score';

export type ErrorConsistencyOptions = {
  /** model-vs-human data set name (`cue-conflict`, `edge`, `silhouette`, `contrast`...): decides how images are matched. */
  dataset: string;
  /**
   * 'model-vs-human' (default): kappa = 1 when c_obs = 1, plain means, signed result.
   * 'brain-score': kappa = NaN when c_exp = 1, NaN-skipping means, abs() of the model-human mean
   * (brain-score/vision metrics/error_consistency/metric.py). They differ only in degenerate cells
   * (an observer always right or always wrong within a condition).
   */
  convention?: KappaConvention;
};

export type SubjectConsistency = { subject: string; kappa: number; n: number };

export type ErrorConsistencyResult = {
  /** Mean model-human kappa over subjects (each the mean over conditions). */
  raw: number;
  /** Mean human-human kappa over all pairs of subjects. */
  ceiling: number;
  /** raw / ceiling (not clipped; aggregation clips leaf scores to [0, 1]). */
  ceiled: number;
  /** Population standard deviation of the model-human kappas over (subject, condition). */
  error: number;
  perSubject: SubjectConsistency[];
  /** Model trials matched per subject (the same for every subject). */
  n: number;
  conditions: string[];
};

type Indexed = { subject: string; byCondition: Map<string, Map<string, boolean>> };

const isCorrect = (t: Trial) => t.objectResponse === t.category;

function indexObserver(trials: readonly Trial[], dataset: string, what: string): Indexed {
  const subject = trials[0]?.subj ?? what;
  const byCondition = new Map<string, Map<string, boolean>>();
  for (const t of trials) {
    if (t.subj !== subject)
      throw new Error(`${what}: trials of more than one subject (${subject}, ${t.subj})`);
    const key = imageKey(t.imagename, dataset);
    let m = byCondition.get(t.condition);
    if (!m) {
      m = new Map();
      byCondition.set(t.condition, m);
    }
    if (m.has(key))
      throw new Error(`${what} (${subject}): image ${key} appears twice in condition ${t.condition}`);
    m.set(key, isCorrect(t));
  }
  return { subject, byCondition };
}

/** kappa per condition of `b`'s conditions, `a` looked up by image key (any condition when `a` has one). */
function compare(a: Indexed, b: Indexed, convention: KappaConvention): Map<string, KappaResult> {
  const out = new Map<string, KappaResult>();
  const aSingle = a.byCondition.size === 1 ? [...a.byCondition.values()][0] : undefined;
  for (const [cond, bTrials] of [...b.byCondition.entries()].sort(([x], [y]) => x.localeCompare(y))) {
    const aTrials = a.byCondition.get(cond) ?? aSingle;
    if (!aTrials) throw new Error(`${a.subject} has no trials in condition ${cond} of ${b.subject}`);
    const ca: boolean[] = [];
    const cb: boolean[] = [];
    for (const [key, correct] of bTrials) {
      const other = aTrials.get(key);
      if (other === undefined) {
        throw new Error(`${a.subject} has no trial on image ${key} (condition ${cond}) seen by ${b.subject}`);
      }
      ca.push(other);
      cb.push(correct);
    }
    if (ca.length !== aTrials.size) {
      throw new Error(
        `${a.subject} and ${b.subject} saw different images in condition ${cond} (${aTrials.size} vs ${ca.length})`,
      );
    }
    out.set(cond, cohensKappa(ca, cb, convention));
  }
  return out;
}

const mean = (xs: readonly number[]) => xs.reduce((s, x) => s + x, 0) / xs.length;
/** Mean of the non-NaN values (numpy.nanmean / xarray's default skipna); NaN when there are none. */
const nanmean = (xs: readonly number[]) => mean(xs.filter((x) => !Number.isNaN(x)));

/**
 * Error consistency of a model with human observers. `model`: the model's trials (one per image);
 * `humans`: one array of trials per human subject. Throws when images cannot be matched.
 */
export function errorConsistency(
  model: readonly Trial[],
  humans: readonly (readonly Trial[])[],
  opts: ErrorConsistencyOptions,
): ErrorConsistencyResult {
  if (model.length === 0) throw new Error('error consistency: the model has no trials');
  if (humans.length < 2)
    throw new Error('error consistency: needs at least two human subjects (for the ceiling)');
  const convention = opts.convention ?? 'model-vs-human';
  const avg = convention === 'brain-score' ? nanmean : mean;
  const m = indexObserver(model, opts.dataset, 'model');
  const hs = humans.map((h, i) => indexObserver(h, opts.dataset, `human ${i + 1}`));
  const subjects = new Set(hs.map((h) => h.subject));
  if (subjects.size !== hs.length) throw new Error('error consistency: a human subject is given twice');

  const all: number[] = [];
  const perSubject: SubjectConsistency[] = [];
  let n = 0;
  const conditions = new Set<string>();
  for (const h of hs) {
    const k = compare(m, h, convention);
    const ks = [...k.values()];
    for (const [c, r] of k) {
      all.push(r.kappa);
      conditions.add(c);
    }
    const subjectN = ks.reduce((s, r) => s + r.n, 0);
    n = Math.max(n, subjectN);
    perSubject.push({ subject: h.subject, kappa: avg(ks.map((r) => r.kappa)), n: subjectN });
  }
  const signed = avg(perSubject.map((s) => s.kappa));
  const raw = convention === 'brain-score' ? Math.abs(signed) : signed;

  const pairs: number[] = [];
  for (let i = 0; i < hs.length; i++) {
    for (let j = i + 1; j < hs.length; j++) {
      const k = compare(hs[i] as Indexed, hs[j] as Indexed, convention);
      pairs.push(avg([...k.values()].map((r) => r.kappa)));
    }
  }
  const ceiling = convention === 'brain-score' ? Math.abs(avg(pairs)) : avg(pairs);
  const valid = all.filter((x) => !Number.isNaN(x));
  const mu = mean(valid);
  const error = Math.sqrt(mean(valid.map((x) => (x - mu) ** 2)));
  return {
    raw,
    ceiling,
    ceiled: raw / ceiling,
    error,
    perSubject,
    n,
    conditions: [...conditions].sort(),
  };
}

export type ErrorConsistencyIntervals = {
  /** Interval of the raw value (mean model-human kappa). */
  raw: Interval | null;
  /** Interval of the ceiled value (raw / ceiling, the ceiling recomputed on each resample). */
  ceiled: Interval | null;
  /** Interval of each subject's model-human kappa (mean over conditions), in the order of `humans`. */
  perSubject: { subject: string; interval: Interval | null }[];
  resamples: number;
  seed: number;
  level: number;
};

/** Cohen's kappa of two correctness vectors weighted by resample multiplicities (the rules of cohensKappa). */
function weightedKappa(a: Uint8Array, b: Uint8Array, w: Uint32Array, convention: KappaConvention): number {
  let n = 0;
  let c1 = 0;
  let c2 = 0;
  let same = 0;
  for (let i = 0; i < w.length; i++) {
    const k = w[i] as number;
    if (k === 0) continue;
    n += k;
    if (a[i]) c1 += k;
    if (b[i]) c2 += k;
    if (a[i] === b[i]) same += k;
  }
  const p1 = c1 / n;
  const p2 = c2 / n;
  const expected = p1 * p2 + (1 - p1) * (1 - p2);
  if (convention === 'brain-score')
    return expected === 1 ? Number.NaN : (same / n - expected) / (1 - expected);
  return same === n ? 1 : (same / n - expected) / (1 - expected);
}

/**
 * Bootstrap intervals of error consistency over trials (resampling trials, as the recent literature on
 * the significance of error-consistency differences does; percentile method): each resample draws the
 * images of every condition with replacement (stratified by condition) and applies the same draw to the
 * model and to every human, so model-human and human-human kappas stay paired; per resample the
 * per-subject kappas, their mean (raw), the human-human ceiling and raw / ceiling are recomputed exactly as
 * `errorConsistency` does. Seeded (default seed 0, 1,000 resamples, 95 %).
 */
export function errorConsistencyIntervals(
  model: readonly Trial[],
  humans: readonly (readonly Trial[])[],
  opts: ErrorConsistencyOptions & StrataBootstrapOptions,
): ErrorConsistencyIntervals {
  // Validates the trials (matching images, subjects, conditions) with the error messages of the score.
  errorConsistency(model, humans, opts);
  const convention = opts.convention ?? 'model-vs-human';
  const avg = convention === 'brain-score' ? nanmean : mean;
  const m = indexObserver(model, opts.dataset, 'model');
  const hs = humans.map((h, i) => indexObserver(h, opts.dataset, `human ${i + 1}`));
  const first = hs[0] as Indexed;
  const conditions = [...first.byCondition.keys()].sort((x, y) => x.localeCompare(y));
  const mSingle = m.byCondition.size === 1 ? [...m.byCondition.values()][0] : undefined;
  // correct[o][c][i]: observer o (0 = model, 1.. = humans) on image i of condition c.
  const correct: Uint8Array[][] = [m, ...hs].map(() => []);
  const sizes: number[] = [];
  for (const cond of conditions) {
    const keys = [...(first.byCondition.get(cond) as Map<string, boolean>).keys()];
    sizes.push(keys.length);
    [m, ...hs].forEach((o, oi) => {
      const trials = o.byCondition.get(cond) ?? (o === m ? mSingle : undefined);
      if (!trials)
        throw new Error(`error consistency interval: ${o.subject} has no trials in condition ${cond}`);
      const arr = new Uint8Array(keys.length);
      keys.forEach((k, i) => {
        const v = trials.get(k);
        if (v === undefined) {
          throw new Error(
            `error consistency interval: ${o.subject} has no trial on image ${k} (condition ${cond})`,
          );
        }
        arr[i] = v ? 1 : 0;
      });
      (correct[oi] as Uint8Array[]).push(arr);
    });
  }
  const H = hs.length;
  const kappaOverConditions = (a: number, b: number, counts: readonly Uint32Array[]) =>
    avg(
      counts.map((w, c) =>
        weightedKappa(
          (correct[a] as Uint8Array[])[c] as Uint8Array,
          (correct[b] as Uint8Array[])[c] as Uint8Array,
          w,
          convention,
        ),
      ),
    );
  const r = bootstrapStrata(
    sizes,
    2 + H,
    (counts) => {
      const per = hs.map((_, j) => kappaOverConditions(0, j + 1, counts));
      const signed = avg(per);
      const raw = convention === 'brain-score' ? Math.abs(signed) : signed;
      const pairs: number[] = [];
      for (let i = 0; i < H; i++)
        for (let j = i + 1; j < H; j++) pairs.push(kappaOverConditions(i + 1, j + 1, counts));
      const ceilingSigned = avg(pairs);
      const ceiling = convention === 'brain-score' ? Math.abs(ceilingSigned) : ceilingSigned;
      return [raw, raw / ceiling, ...per];
    },
    opts,
  );
  return {
    raw: r.intervals[0] ?? null,
    ceiled: r.intervals[1] ?? null,
    perSubject: hs.map((h, j) => ({ subject: h.subject, interval: r.intervals[j + 2] ?? null })),
    resamples: r.resamples,
    seed: r.seed,
    level: r.level,
  };
}
