/**
 * The AutoAttack driver (fra31/auto-attack autoattack/autoattack.py, run_standard_evaluation) and
 * its two named profiles:
 * - 'reference': fra31/auto-attack as RobustBench runs it (versions 'standard', 'rand', 'custom');
 * - 'torchattacks': the torchattacks library's AutoAttack (Harry24k/adversarial-attacks-pytorch
 *   torchattacks/attacks/autoattack.py with MultiAttack), which the seed paper used: APGD-CE and
 *   APGD-T with 10 steps, APGD-T and FAB multi-targeted over n_classes - 1 targets, FAB 10 steps,
 *   Square 5000 queries with its rescaled p schedule.
 * Clean pre-filter; each attack runs only on points still robust, in batches; every returned point is
 * re-checked with a fresh forward pass and must lie within eps.
 * Checkpoints (`onCheckpoint`, `resume`): after the clean pass, after each batch, at each stage end,
 * and inside APGD-T's and FAB-T's batches at target-group boundaries (throttled, unless
 * `checkpointNow` says a stop was asked); Square's batches only between batches. A point fooled
 * inside a batch is re-checked when an in-batch checkpoint is taken, the others at the end: the
 * check's forward pass on fewer points gives the same logits because the plain session's per-sample
 * outputs do not depend on the batch (src/onnx.test.ts, "the plain session's logits").
 */
import { APGD_DEFAULTS, type ApgdOptions, apgdPerturb, apgdTargetedPerturb } from './apgd.ts';
import { FAB_DEFAULTS, type FabOptions, fabTargetedPerturb } from './fab.ts';
import { argmaxRow, predictedClass } from './losses.ts';
import {
  checkTargetRunsState,
  SIDE_BY_SIDE_DEFAULTS,
  type SideBySide,
  type SideBySideStats,
  targetRunCount,
} from './side-by-side.ts';
import { SQUARE_DEFAULTS, type SquareOptions, squarePerturb } from './square.ts';
import { copySample, diffNorm, gather, gatherInt, nonzero } from './tensor.ts';
import {
  type AttackContext,
  type Classifier,
  type Norm,
  type PerturbResult,
  sampleSize,
  type TargetRunsState,
} from './types.ts';

export type AttackName = 'apgd-ce' | 'apgd-dlr' | 'apgd-t' | 'fab-t' | 'square';
export const ATTACK_NAMES: readonly AttackName[] = ['apgd-ce', 'apgd-dlr', 'apgd-t', 'fab-t', 'square'];
export type AutoAttackVersion = 'standard' | 'rand' | 'custom';
export type AttackProfile = 'reference' | 'torchattacks';

export type ProgressEvent = {
  attack: AttackName | 'clean';
  /** 0-based index of the stage and the number of stages. */
  stageIndex: number;
  stageCount: number;
  /** Points the stage attacks (robust before it) and points still robust now. */
  pointsTotal: number;
  robustNow: number;
  /** Fraction of the stage done, in [0, 1]. */
  fraction: number;
  /** Seconds since the stage started. */
  stageSeconds: number;
};

export type AutoAttackOptions = {
  norm: Norm;
  eps: number;
  version?: AutoAttackVersion;
  /** The attack list for version 'custom'; must be omitted (or equal the version's) otherwise. */
  attacks?: readonly AttackName[];
  profile?: AttackProfile;
  seed?: number;
  /** Points per attack batch (reference default 250). */
  batchSize?: number;
  /** torchattacks' n_classes (targets = n_classes - 1); default the model's number of classes. */
  nClasses?: number;
  onProgress?: (e: ProgressEvent) => void;
  /** Keep the adversarial points in the result (default true; false saves N x D floats). */
  keepAdversarial?: boolean;
  /**
   * Called after the clean pre-filter, after every attack batch, at every stage change and inside
   * APGD-T's and FAB-T's batches at target-group boundaries (see `inBatchCheckpointSeconds`) with the
   * state needed to continue; the run waits for it (the caller persists it; a rejection stops the run).
   */
  onCheckpoint?: (c: AutoAttackCheckpoint) => void | Promise<void>;
  /**
   * Least seconds since the last checkpoint before one is taken inside an APGD-T or FAB-T batch, at
   * the next target-group boundary (default 10: a group can take well under a second, and each
   * checkpoint is a database write). 0: at every group boundary. The
   * checkpoints after the clean pass, after each batch and at each stage end are always taken.
   * Square checkpoints only between batches (its state is per-point images).
   */
  inBatchCheckpointSeconds?: number;
  /**
   * Asked at each APGD-T / FAB-T target-group boundary the throttle would skip: true takes the
   * checkpoint there anyway. For a caller stopping the run (the evaluator passes
   * `() => signal.aborted`: a worker shutting down waits a few seconds for the next checkpoint, and
   * the throttle would make it up to `inBatchCheckpointSeconds` older).
   */
  checkpointNow?: () => boolean;
  /** Continue from a checkpoint of a run with the same inputs and options (needs keepAdversarial false). */
  resume?: AutoAttackCheckpoint;
  /**
   * APGD-T's and FAB-T's target runs side by side (results unchanged; `maxRuns: 1` runs them one
   * after another). Missing fields take SIDE_BY_SIDE_DEFAULTS.
   */
  sideBySide?: Partial<SideBySide>;
  /**
   * FAB-T's per-row steps: threads including the main one (default every core this process may use,
   * from 1024 values per sample on; 1: main thread only). Results do not depend on it. Runs on
   * shares of their rows (`rowShares`) do their steps on the shares' threads instead.
   */
  fabStepThreads?: number;
  /**
   * APGD-T's and FAB-T's runs on shares of their rows, a whole run per thread, and Linf Square's
   * queries in spans (square.ts SQUARE_SHARE_SPAN) per thread, where the classifier offers it (OnnxClassifier with shares;
   * `AttackContext.rowShares`). Default true; results do not depend on it.
   */
  rowShares?: boolean;
  /**
   * The optimisation level of the classifier's gradient graphs (OnnxClassifier's
   * `gradientOptimization.level`), for the checkpoint: gradients at another level differ in the
   * last bits, so a resume must use the level the run started with (a resume with another level is
   * refused; a caller reopens the model with the checkpoint's `gradientOptimization`).
   */
  gradientOptimization?: string;
};

/**
 * The state of a run between two attack batches, or inside an APGD-T or FAB-T batch between two
 * target runs. Every attack re-seeds its RNG from the run's seed at each batch, so between batches
 * the state is just which points are done; inside a batch `inBatch` adds the target runs done, the
 * RNG state there (APGD-T), which of the batch's points are fooled and the attack's counters.
 * Resuming from any checkpoint ends with the same flags, norms, accuracies and per-stage counters as
 * an uninterrupted run (given per-sample model outputs that do not depend on the batch).
 * Plain JSON (numbers round-trip exactly through JSON.stringify / JSON.parse); no images.
 */
export type AutoAttackCheckpoint = {
  /**
   * 2 with `inBatch` (issue 12), 1 without it (between batches: the content of format 1, which a
   * worker of before issue 12 resumes during a rolling upgrade); both resume.
   */
  format: 1 | 2;
  /** What the run is: a resume must match it. */
  n: number;
  seed: number;
  batchSize: number;
  norm: Norm;
  eps: number;
  attacks: AttackName[];
  /** The gradient graphs' optimisation level the run used (absent: not given / older checkpoints). */
  gradientOptimization?: string;
  /**
   * The profile and the options of the run's attacks (`planParameters`): a resume under another plan
   * is refused. Absent in older checkpoints, which resume unchecked.
   */
  parameters?: PlanParameters;
  cleanFlags: boolean[];
  /** Per point: 1 while still robust. */
  robust: number[];
  perturbationNorms: number[];
  /** Finished stages. */
  stages: StageResult[];
  /** The stage in progress (index into attacks; attacks.length when all are done). */
  stageIndex: number;
  /** The points the stage attacks (robust when it started) and how many of its batches are done. */
  stagePoints: number[];
  batchesDone: number;
  stageForwards: number;
  stageGradients: number;
  /** The stage's side-by-side counters so far (APGD-T, FAB-T; of its finished batches). */
  stageSideBySide?: SideBySideStats;
  stageSeconds: number;
  warnings: string[];
  /** Seconds spent before this checkpoint (over all earlier attempts). */
  seconds: number;
  /**
   * Format 2: the APGD-T or FAB-T batch `batchesDone` of stage `stageIndex` in progress, at a
   * target-group boundary (absent between batches). The points its runs fooled so far are already
   * checked by the driver: `robust`, `perturbationNorms` and `stageForwards` include that check.
   */
  inBatch?: InBatchCheckpoint;
};

/** An APGD-T / FAB-T batch in progress (the attack's `TargetRunsState`) in a checkpoint. */
export type InBatchCheckpoint = TargetRunsState & {
  attack: 'apgd-t' | 'fab-t';
  /** The batch's progress fraction when the state was taken (a resumed batch reports no less). */
  fraction: number;
};

export type StageResult = {
  attack: AttackName;
  robustAccuracy: number;
  seconds: number;
  /** Per-sample forward (logits) and forward+gradient passes spent by the stage. */
  forwards: number;
  gradients: number;
  /** APGD-T and FAB-T: how their target runs were grouped (summed over the stage's batches). */
  sideBySide?: SideBySideStats;
};

export type AttackPlan = {
  profile: AttackProfile;
  version: AutoAttackVersion;
  attacks: AttackName[];
  apgd: ApgdOptions;
  apgdT: ApgdOptions & { nTargetClasses: number };
  fabT: FabOptions;
  square: SquareOptions;
  /**
   * Whether APGD / APGD-T / FAB-T stop iterating a point once it is fooled, and why: on for
   * deterministic models; off for version 'rand' (EOT) and when the randomness check fires, where
   * the reference's keep-optimising, last-misclassified-iterate behaviour is kept.
   */
  earlyStop: { enabled: boolean; reason: string };
};

/**
 * What defines a plan's target runs and iterations beyond the attack list: the profile and the
 * options of the attacks in the list (APGD-CE and APGD-DLR share `apgd`), as JSON values.
 */
export type PlanParameters = {
  profile: AttackProfile;
  apgd?: ApgdOptions;
  apgdT?: ApgdOptions & { nTargetClasses: number };
  fabT?: FabOptions;
  square?: SquareOptions;
};

/** The plan's parameters a checkpoint records (JSON round-tripped, as a stored checkpoint reads back). */
export function planParameters(plan: AttackPlan): PlanParameters {
  const has = (...names: AttackName[]) => names.some((a) => plan.attacks.includes(a));
  const p: PlanParameters = {
    profile: plan.profile,
    ...(has('apgd-ce', 'apgd-dlr') ? { apgd: plan.apgd } : {}),
    ...(has('apgd-t') ? { apgdT: plan.apgdT } : {}),
    ...(has('fab-t') ? { fabT: plan.fabT } : {}),
    ...(has('square') ? { square: plan.square } : {}),
  };
  return JSON.parse(JSON.stringify(p)) as PlanParameters;
}

/** The differences between two JSON values, one `path a / b` each (`absent` for a missing field). */
function jsonDifferences(a: unknown, b: unknown, path: string): string[] {
  const isObject = (v: unknown): v is Record<string, unknown> =>
    typeof v === 'object' && v !== null && !Array.isArray(v);
  if (isObject(a) && isObject(b)) {
    const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])].sort();
    return keys.flatMap((key) => jsonDifferences(a[key], b[key], path ? `${path}.${key}` : key));
  }
  const show = (v: unknown) => (v === undefined ? 'absent' : JSON.stringify(v));
  return show(a) === show(b) ? [] : [`${path} ${show(a)} / ${show(b)}`];
}

export type AutoAttackResult = {
  n: number;
  cleanAccuracy: number;
  robustAccuracy: number;
  stages: StageResult[];
  /** Per point, in input order: still classified correctly after every attack. */
  robustFlags: boolean[];
  cleanFlags: boolean[];
  /** Largest ||x_adv - x|| over all points (norm of the threat model). */
  maxPerturbation: number;
  warnings: string[];
  /** Per point: ||x_adv - x|| of the accepted adversarial point (0 where none). */
  perturbationNorms: number[];
  /** Adversarial points (clean point where no attack succeeded), sample-major like the input; null with keepAdversarial false. */
  xAdv: Float32Array | null;
  plan: AttackPlan;
  seed: number;
  batchSize: number;
  seconds: number;
};

/** The attacks and hyper-parameters a profile and version run (autoattack.py __init__ + set_version). */
export function attackPlan(
  profile: AttackProfile,
  version: AutoAttackVersion,
  norm: Norm,
  eps: number,
  numClasses: number,
  custom?: readonly AttackName[],
  nClasses?: number,
): AttackPlan {
  const base = { norm, eps };
  if (profile === 'reference') {
    const attacks: AttackName[] =
      version === 'standard'
        ? ['apgd-ce', 'apgd-t', 'fab-t', 'square']
        : version === 'rand'
          ? ['apgd-ce', 'apgd-dlr']
          : [...(custom ?? [])];
    return withEarlyStop(
      {
        profile,
        version,
        attacks,
        // constructed with n_restarts=5; set_version('standard'|'rand') sets 1, 'custom' keeps 5
        apgd: {
          ...base,
          ...APGD_DEFAULTS,
          nRestarts: version === 'custom' ? 5 : 1,
          eotIter: version === 'rand' ? 20 : 1,
        },
        apgdT: { ...base, ...APGD_DEFAULTS, nTargetClasses: 9 },
        fabT: { ...base, ...FAB_DEFAULTS },
        square: { ...base, ...SQUARE_DEFAULTS, rescaleSchedule: false },
        earlyStop: EARLY_STOP_ON,
      },
      version === 'rand' ? EARLY_STOP_OFF_RAND : undefined,
    );
  }
  const targets = (nClasses ?? numClasses) - 1;
  const attacks: AttackName[] =
    version === 'standard'
      ? ['apgd-ce', 'apgd-t', 'fab-t', 'square']
      : version === 'rand'
        ? ['apgd-ce', 'apgd-dlr']
        : [...(custom ?? [])];
  return withEarlyStop(
    {
      profile,
      version,
      attacks,
      apgd: { ...base, ...APGD_DEFAULTS, nIter: 10, nRestarts: 1, eotIter: version === 'rand' ? 20 : 1 },
      apgdT: { ...base, ...APGD_DEFAULTS, nIter: 10, nTargetClasses: targets, sharedL2Step: true },
      fabT: { ...base, ...FAB_DEFAULTS, nIter: 10, nTargetClasses: targets },
      square: { ...base, ...SQUARE_DEFAULTS, rescaleSchedule: true },
      earlyStop: EARLY_STOP_ON,
    },
    version === 'rand' ? EARLY_STOP_OFF_RAND : undefined,
  );
}

const EARLY_STOP_ON = { enabled: true, reason: 'deterministic model: a point stops once it is fooled' };
const EARLY_STOP_OFF_RAND = {
  enabled: false,
  reason: "version 'rand' (gradients averaged over 20 EOT draws): every point runs every iteration",
};
const EARLY_STOP_OFF_CHECK = {
  enabled: false,
  reason: 'the randomness check found outputs that vary between calls: every point runs every iteration',
};

/** The plan with early stopping turned off for every attack when `off` is given. */
function withEarlyStop(plan: AttackPlan, off?: { enabled: boolean; reason: string }): AttackPlan {
  if (!off) return plan;
  return {
    ...plan,
    apgd: { ...plan.apgd, earlyStop: false },
    apgdT: { ...plan.apgdT, earlyStop: false },
    fabT: { ...plan.fabT, earlyStop: false },
    earlyStop: off,
  };
}

/** Thrown for configurations the attacks cannot run (too few classes, bad eps or data). */
export class AttackConfigError extends Error {
  override name = 'AttackConfigError';
}

async function checkedLogits(clf: Classifier, x: Float32Array, n: number): Promise<Float32Array> {
  const z = await clf.logits(x, n);
  if (z.length !== n * clf.numClasses) {
    throw new AttackConfigError(
      `model output has ${z.length} values for ${n} inputs; expected [${n}, ${clf.numClasses}] logits`,
    );
  }
  return z;
}

/**
 * The driver's acceptance of a returned point r of `xAdv` (clean point r of `x`, label y, logits z
 * of a fresh forward pass): broken only if every value is finite and in [0, 1], it lies within eps
 * (relative tolerance 1e-6), and the logits are finite with the largest on another class. `reason`
 * says why a misclassified-looking point is refused (absent when the point is simply correct).
 */
export function checkAdversarial(
  norm: Norm,
  eps: number,
  xAdv: Float32Array,
  x: Float32Array,
  r: number,
  d: number,
  z: Float32Array,
  k: number,
  y: number,
): { broken: true; distance: number } | { broken: false; reason?: string } {
  const c = predictedClass(z, r * k, k);
  if (c === y) return { broken: false };
  for (let j = r * d; j < (r + 1) * d; j++) {
    const v = xAdv[j] as number;
    if (!(v >= 0 && v <= 1))
      return { broken: false, reason: 'returned a point with values outside [0, 1] or not finite' };
  }
  if (c === -1) return { broken: false, reason: 'returned a point where the model gives non-finite logits' };
  const distance = diffNorm(norm, xAdv, r, x, r, d);
  if (!(distance <= eps * (1 + 1e-6) + 1e-6)) {
    return { broken: false, reason: `returned a point at distance ${distance} > eps = ${eps}` };
  }
  return { broken: true, distance };
}

/** Refuses an in-batch state that does not fit the stage and batch it names (AttackConfigError). */
function checkInBatch(resume: AutoAttackCheckpoint, plan: AttackPlan, bs: number, k: number): void {
  const ib = resume.inBatch as InBatchCheckpoint;
  if (resume.format !== 2) {
    throw new AttackConfigError(
      `a format-1 checkpoint cannot hold an in-batch state (format 2 added them); this one holds one of ${ib.attack}`,
    );
  }
  const attack = plan.attacks[resume.stageIndex];
  if ((ib.attack !== 'apgd-t' && ib.attack !== 'fab-t') || ib.attack !== attack) {
    throw new AttackConfigError(
      `the checkpoint holds an in-batch state of ${ib.attack} at stage ${resume.stageIndex}, which is ${attack ?? 'past the last stage'}`,
    );
  }
  const points = Math.min(bs, resume.stagePoints.length - resume.batchesDone * bs);
  const runs = targetRunCount(attack === 'apgd-t' ? plan.apgdT : plan.fabT, k);
  try {
    checkTargetRunsState(ib, points, runs, attack === 'apgd-t');
  } catch (e) {
    throw new AttackConfigError(
      `the checkpoint's in-batch state of ${attack} does not fit: ${(e as Error).message}`,
    );
  }
}

function runAttack(
  name: AttackName,
  plan: AttackPlan,
  clf: Classifier,
  x: Float32Array,
  y: Int32Array,
  n: number,
  ctx: AttackContext,
): Promise<PerturbResult> {
  switch (name) {
    case 'apgd-ce':
      return apgdPerturb(clf, x, y, n, 'ce', plan.apgd, ctx);
    case 'apgd-dlr':
      return apgdPerturb(clf, x, y, n, 'dlr', plan.apgd, ctx);
    case 'apgd-t':
      return apgdTargetedPerturb(clf, x, y, n, plan.apgdT, ctx);
    case 'fab-t':
      return fabTargetedPerturb(clf, x, y, n, plan.fabT, ctx);
    case 'square':
      return squarePerturb(clf, x, y, n, plan.square, ctx);
  }
}

/** checks.py: check_randomized, check_range_output, check_n_classes (warnings; impossible losses throw). */
async function sanityChecks(
  clf: Classifier,
  x: Float32Array,
  n: number,
  plan: AttackPlan,
  warn: (m: string) => void,
): Promise<{ randomized: boolean }> {
  const k = clf.numClasses;
  let randomized = false;
  const d = sampleSize(clf.inputShape);
  const m = Math.min(n, 250);
  const first = x.subarray(0, m * d);
  const outs: Float32Array[] = [];
  const repeats = plan.version === 'rand' ? 1 : 5;
  for (let r = 0; r < repeats; r++) outs.push(await checkedLogits(clf, first, m));
  const z = outs[0] as Float32Array;
  if (repeats > 1) {
    const normalised = outs.map((o) => {
      const out = new Float64Array(o.length);
      for (let s = 0; s < m; s++) {
        let ss = 0;
        for (let j = 0; j < k; j++) ss += (o[s * k + j] as number) ** 2;
        const nr = Math.sqrt(ss) + 1e-10;
        for (let j = 0; j < k; j++) out[s * k + j] = (o[s * k + j] as number) / nr;
      }
      return out;
    });
    let maxDiff = 0;
    let predsDiffer = false;
    for (let a = 0; a < repeats; a++) {
      for (let b = a + 1; b < repeats; b++) {
        const na = normalised[a] as Float64Array;
        const nb = normalised[b] as Float64Array;
        for (let s = 0; s < m; s++) {
          let ss = 0;
          for (let j = 0; j < k; j++) ss += ((na[s * k + j] as number) - (nb[s * k + j] as number)) ** 2;
          maxDiff = Math.max(maxDiff, Math.sqrt(ss));
          if (argmaxRow(outs[a] as Float32Array, s * k, k) !== argmaxRow(outs[b] as Float32Array, s * k, k)) {
            predsDiffer = true;
          }
        }
      }
    }
    if (predsDiffer || maxDiff > 1e-4) {
      randomized = true;
      warn('it seems to be a randomized defense! Please use version="rand".');
    }
  }
  let max = -Infinity;
  let min = Infinity;
  let sumsToOne = true;
  for (let s = 0; s < m; s++) {
    let sum = 0;
    for (let j = 0; j < k; j++) {
      const v = z[s * k + j] as number;
      max = Math.max(max, v);
      min = Math.min(min, v);
      sum += v;
    }
    if (Math.abs(sum - 1) >= 1e-5) sumsToOne = false;
  }
  if (max < 1 + 1e-5 && min > -1e-5 && sumsToOne) {
    warn('it seems that the output is a probability distribution, please be sure that the logits are used!');
  }
  const needsDlr = plan.attacks.includes('apgd-dlr') || plan.attacks.includes('apgd-t');
  if (needsDlr && k <= 2) {
    throw new AttackConfigError(
      `with only ${k} classes it is not possible to use the DLR loss (apgd-dlr, apgd-t)`,
    );
  }
  if (plan.attacks.includes('apgd-t') && k === 3) {
    throw new AttackConfigError(
      `with only ${k} classes it is not possible to use the targeted DLR loss (apgd-t)`,
    );
  }
  if (plan.attacks.includes('apgd-t') && plan.apgdT.nTargetClasses + 1 > k) {
    warn(
      `more target classes (${plan.apgdT.nTargetClasses}) than possible (${k - 1}) are used in APGD-T; using ${k - 1}`,
    );
  }
  if (plan.attacks.includes('fab-t') && plan.fabT.nTargetClasses + 1 > k) {
    warn(
      `more target classes (${plan.fabT.nTargetClasses}) than possible (${k - 1}) are used in FAB-T; using ${k - 1}`,
    );
  }
  return { randomized };
}

/**
 * Runs AutoAttack on n points x (sample-major, [0,1]) with labels y. Resolves to clean and robust
 * accuracy, accuracy after each attack, per-point flags, the largest perturbation and warnings.
 */
export async function runAutoAttack(
  clf: Classifier,
  x: Float32Array,
  y: Int32Array,
  opts: AutoAttackOptions,
): Promise<AutoAttackResult> {
  const t0 = performance.now();
  const d = sampleSize(clf.inputShape);
  const k = clf.numClasses;
  const n = y.length;
  if (x.length !== n * d) {
    throw new AttackConfigError(`inputs have ${x.length} values; expected ${n} x ${d}`);
  }
  if (!(Number.isFinite(opts.eps) && opts.eps >= 0)) throw new AttackConfigError(`invalid eps ${opts.eps}`);
  for (let s = 0; s < n; s++) {
    const label = y[s] as number;
    if (!(label >= 0 && label < k))
      throw new AttackConfigError(`label ${label} of point ${s} is outside 0..${k - 1}`);
  }
  const profile = opts.profile ?? 'reference';
  const version = opts.version ?? 'standard';
  if (version !== 'custom' && opts.attacks !== undefined) {
    const expected = attackPlan(profile, version, opts.norm, opts.eps, k).attacks;
    if (opts.attacks.join(',') !== expected.join(',')) {
      throw new AttackConfigError(
        `attacks are fixed by version '${version}' (${expected.join(',')}); use version 'custom' to choose them`,
      );
    }
  }
  if (version === 'custom' && (!opts.attacks || opts.attacks.length === 0)) {
    throw new AttackConfigError("version 'custom' needs a list of attacks");
  }
  let plan = attackPlan(profile, version, opts.norm, opts.eps, k, opts.attacks, opts.nClasses);
  const seed = opts.seed ?? 0;
  const bs = opts.batchSize ?? 250;
  if (!(Number.isInteger(bs) && bs > 0)) throw new AttackConfigError(`invalid batch size ${bs}`);
  const warnings: string[] = [];
  const warn = (m: string) => {
    if (!warnings.includes(m)) warnings.push(m);
  };
  const stageCount = plan.attacks.length;
  const sideBySide: SideBySide = { ...SIDE_BY_SIDE_DEFAULTS, ...opts.sideBySide };
  if (
    !(Number.isInteger(sideBySide.maxRuns) || sideBySide.maxRuns === Number.POSITIVE_INFINITY) ||
    sideBySide.maxRuns < 1 ||
    !(sideBySide.maxSamples >= 1) ||
    !(sideBySide.maxFloats >= 1)
  ) {
    throw new AttackConfigError(`invalid sideBySide ${JSON.stringify(opts.sideBySide)}`);
  }
  const emit = (e: ProgressEvent) => opts.onProgress?.(e);

  // the checks run on a resume too: they may change the plan (early stop off for randomised models)
  if (n > 0 && (await sanityChecks(clf, x, n, plan, warn)).randomized && plan.earlyStop.enabled) {
    plan = withEarlyStop(plan, EARLY_STOP_OFF_CHECK);
  }
  const resume = opts.resume;
  if (resume) {
    if (resume.format !== 1 && resume.format !== 2) {
      throw new AttackConfigError(
        `the checkpoint has format ${JSON.stringify(resume.format)}; this version resumes formats 1 and 2`,
      );
    }
    const same =
      resume.n === n &&
      resume.seed === seed &&
      resume.batchSize === bs &&
      resume.norm === opts.norm &&
      resume.eps === opts.eps &&
      resume.attacks.join(',') === plan.attacks.join(',');
    if (!same) {
      throw new AttackConfigError(
        `the checkpoint is of another run (n ${resume.n}, seed ${resume.seed}, batch ${resume.batchSize}, ${resume.norm} eps ${resume.eps}, ${resume.attacks.join(',')}); expected n ${n}, seed ${seed}, batch ${bs}, ${opts.norm} eps ${opts.eps}, ${plan.attacks.join(',')}`,
      );
    }
    if (opts.keepAdversarial !== false) {
      throw new AttackConfigError(
        'resuming from a checkpoint needs keepAdversarial: false (points are not saved)',
      );
    }
    if (
      resume.gradientOptimization !== undefined &&
      resume.gradientOptimization !== opts.gradientOptimization
    ) {
      throw new AttackConfigError(
        `the checkpoint's run used gradient graphs at optimisation level '${resume.gradientOptimization}', this classifier's are at ${opts.gradientOptimization === undefined ? 'an unstated level' : `'${opts.gradientOptimization}'`}: reopen the model with gradientOptimization '${resume.gradientOptimization}' to resume it`,
      );
    }
    if (resume.parameters !== undefined) {
      const diff = jsonDifferences(resume.parameters, planParameters(plan), '');
      if (diff.length > 0) {
        throw new AttackConfigError(
          `the checkpoint is of a run with other attack parameters (checkpoint / this run: ${diff.join('; ')})`,
        );
      }
    }
    if (resume.inBatch) checkInBatch(resume, plan, bs, k);
    for (const w of resume.warnings) warn(w);
  }
  const inBatchSeconds = opts.inBatchCheckpointSeconds ?? 10;
  if (!(inBatchSeconds >= 0)) {
    throw new AttackConfigError(`invalid inBatchCheckpointSeconds ${opts.inBatchCheckpointSeconds}`);
  }

  const robust = new Uint8Array(n);
  const norms = new Float64Array(n);
  const stages: StageResult[] = resume ? resume.stages.map((st) => ({ ...st })) : [];
  const secondsBefore = resume?.seconds ?? 0;
  // when the last checkpoint was handed over (the in-batch ones are throttled from it)
  let lastCheckpoint = performance.now();
  const parameters = planParameters(plan);
  const checkpoint = async (c: {
    stageIndex: number;
    stagePoints: readonly number[];
    batchesDone: number;
    stageForwards: number;
    stageGradients: number;
    stageSideBySide?: SideBySideStats;
    stageSeconds: number;
    inBatch?: InBatchCheckpoint;
  }) => {
    if (!opts.onCheckpoint) return;
    await opts.onCheckpoint({
      format: c.inBatch ? 2 : 1,
      n,
      seed,
      batchSize: bs,
      norm: opts.norm,
      eps: opts.eps,
      attacks: [...plan.attacks],
      ...(opts.gradientOptimization === undefined ? {} : { gradientOptimization: opts.gradientOptimization }),
      parameters: JSON.parse(JSON.stringify(parameters)) as PlanParameters,
      cleanFlags: Array.from(cleanFlagsOf, (v) => v === 1),
      robust: Array.from(robust),
      perturbationNorms: Array.from(norms),
      stages: stages.map((st) => ({ ...st })),
      ...c,
      ...(c.stageSideBySide ? { stageSideBySide: { ...c.stageSideBySide } } : {}),
      stagePoints: [...c.stagePoints],
      warnings: [...warnings],
      seconds: secondsBefore + (performance.now() - t0) / 1000,
    });
    lastCheckpoint = performance.now();
  };
  const cleanFlagsOf = new Uint8Array(n);

  if (resume) {
    robust.set(resume.robust);
    norms.set(resume.perturbationNorms);
    cleanFlagsOf.set(resume.cleanFlags.map((f) => (f ? 1 : 0)));
  }
  // clean pre-filter
  const tClean = performance.now();
  for (let start = 0; start < (resume ? 0 : n); start += bs) {
    const m = Math.min(bs, n - start);
    const z = await checkedLogits(clf, x.subarray(start * d, (start + m) * d), m);
    for (let r = 0; r < m; r++) {
      const c = predictedClass(z, r * k, k);
      if (c === -1)
        warn(`the model gives non-finite logits on clean point ${start + r}; counted as misclassified`);
      robust[start + r] = c === (y[start + r] as number) ? 1 : 0;
    }
    emit({
      attack: 'clean',
      stageIndex: -1,
      stageCount,
      pointsTotal: n,
      robustNow: n,
      fraction: (start + m) / n,
      stageSeconds: (performance.now() - tClean) / 1000,
    });
  }
  if (!resume) cleanFlagsOf.set(robust);
  const cleanFlags = Array.from(cleanFlagsOf, (v) => v === 1);
  const count = () => robust.reduce((a, b) => a + b, 0);
  const cleanAccuracy = n === 0 ? 0 : cleanFlagsOf.reduce((a, b) => a + b, 0) / n;
  const xAdv = opts.keepAdversarial === false ? null : Float32Array.from(x);
  const firstStage = resume ? resume.stageIndex : 0;
  if (!resume) {
    await checkpoint({
      stageIndex: 0,
      stagePoints: nonzero(robust),
      batchesDone: 0,
      stageForwards: 0,
      stageGradients: 0,
      stageSeconds: 0,
    });
  }

  for (let si = firstStage; si < plan.attacks.length; si++) {
    const attack = plan.attacks[si] as AttackName;
    const resumed = resume && si === resume.stageIndex;
    // a resumed stage attacks the points it attacked when it started (robust then), not those robust now
    const idx = resumed ? [...resume.stagePoints] : nonzero(robust);
    if (idx.length === 0) break;
    const tStage = performance.now() - (resumed ? resume.stageSeconds * 1000 : 0);
    const nBatches = Math.ceil(idx.length / bs);
    let forwards = resumed ? resume.stageForwards : 0;
    let gradients = resumed ? resume.stageGradients : 0;
    let sideStats: SideBySideStats | undefined =
      resumed && resume.stageSideBySide ? { ...resume.stageSideBySide } : undefined;
    for (let b = resumed ? resume.batchesDone : 0; b < nBatches; b++) {
      const batch = idx.slice(b * bs, (b + 1) * bs);
      const xb = gather(x, d, batch);
      const yb = gatherInt(y, batch);
      const inBatch = resumed && b === resume.batchesDone ? resume.inBatch : undefined;
      // the batch's points the driver has checked: at an in-batch checkpoint, those the runs had fooled
      const checked = new Uint8Array(batch.length);
      if (inBatch) for (const [r, a] of inBatch.acc.entries()) checked[r] = a === 0 ? 1 : 0;
      // a resumed batch reports no less than its checkpoint did (progress stays monotone)
      const floor = inBatch ? inBatch.fraction : 0;
      let shown = floor;
      const progress = (f: number) => {
        shown = Math.max(floor, Math.min(Math.max(f, 0), 1));
        emit({
          attack,
          stageIndex: si,
          stageCount,
          pointsTotal: idx.length,
          robustNow: count(),
          fraction: (b + shown) / nBatches,
          stageSeconds: (performance.now() - tStage) / 1000,
        });
      };
      // the driver's own check: a fresh forward pass on the returned points `rows` of the batch
      const accept = async (xa: Float32Array, rows: readonly number[]) => {
        if (rows.length === 0) return;
        const whole = rows.length === batch.length;
        const xs = whole ? xa : gather(xa, d, rows);
        const x0 = whole ? xb : gather(xb, d, rows);
        const z = await checkedLogits(clf, xs, rows.length);
        forwards += rows.length;
        rows.forEach((r, q) => {
          checked[r] = 1;
          const check = checkAdversarial(opts.norm, opts.eps, xs, x0, q, d, z, k, yb[r] as number);
          if (!check.broken) {
            if (check.reason) warn(`${attack} ${check.reason}; not counted`);
            return;
          }
          const s = batch[r] as number;
          robust[s] = 0;
          norms[s] = check.distance;
          if (xAdv) copySample(xAdv, s, xs, q, d);
        });
      };
      // APGD-T, FAB-T: at a target-group boundary (throttled), check the points fooled so far (their
      // rows are final) and save the batch's state
      const onTargetGroup = async (st: TargetRunsState, xa: Float32Array) => {
        const due = (performance.now() - lastCheckpoint) / 1000 >= inBatchSeconds;
        if (!due && opts.checkpointNow?.() !== true) return;
        const rows: number[] = [];
        st.acc.forEach((a, r) => {
          if (a === 0 && checked[r] === 0) rows.push(r);
        });
        await accept(xa, rows);
        await checkpoint({
          stageIndex: si,
          stagePoints: idx,
          batchesDone: b,
          stageForwards: forwards,
          stageGradients: gradients,
          ...(sideStats ? { stageSideBySide: sideStats } : {}),
          stageSeconds: (performance.now() - tStage) / 1000,
          inBatch: {
            attack: attack as InBatchCheckpoint['attack'],
            fraction: shown,
            runsDone: st.runsDone,
            acc: [...st.acc],
            ...(st.rng ? { rng: { s: [...st.rng.s], spare: st.rng.spare } } : {}),
            forwards: st.forwards,
            gradients: st.gradients,
            sideBySide: { ...st.sideBySide },
          },
        });
      };
      const targeted = attack === 'apgd-t' || attack === 'fab-t';
      progress(0);
      const res = await runAttack(attack, plan, clf, xb, yb, batch.length, {
        seed,
        onProgress: progress,
        warn,
        sideBySide,
        ...(opts.fabStepThreads === undefined ? {} : { fabStepThreads: opts.fabStepThreads }),
        ...(opts.rowShares === undefined ? {} : { rowShares: opts.rowShares }),
        ...(targeted && opts.onCheckpoint ? { onTargetGroup } : {}),
        ...(inBatch ? { resumeTargets: inBatch } : {}),
      });
      forwards += res.forwards;
      gradients += res.gradients;
      if (res.sideBySide) {
        const st = res.sideBySide;
        sideStats ??= { groups: 0, runs: 0, rewinds: 0, discarded: 0 };
        sideStats.groups += st.groups;
        sideStats.runs += st.runs;
        sideStats.rewinds += st.rewinds;
        sideStats.discarded += st.discarded;
      }
      // every returned point not checked at an in-batch checkpoint
      const rest: number[] = [];
      for (let r = 0; r < batch.length; r++) if (checked[r] === 0) rest.push(r);
      await accept(res.xAdv, rest);
      progress(1);
      if (b + 1 < nBatches) {
        await checkpoint({
          stageIndex: si,
          stagePoints: idx,
          batchesDone: b + 1,
          stageForwards: forwards,
          stageGradients: gradients,
          ...(sideStats ? { stageSideBySide: sideStats } : {}),
          stageSeconds: (performance.now() - tStage) / 1000,
        });
      }
    }
    stages.push({
      attack,
      robustAccuracy: count() / n,
      seconds: (performance.now() - tStage) / 1000,
      forwards,
      gradients,
      ...(sideStats ? { sideBySide: sideStats } : {}),
    });
    await checkpoint({
      stageIndex: si + 1,
      stagePoints: nonzero(robust),
      batchesDone: 0,
      stageForwards: 0,
      stageGradients: 0,
      stageSeconds: 0,
    });
  }

  // check_square_sr: Square lowering robust accuracy below the best of the others by > 0.2 pp
  const sq = stages.find((s) => s.attack === 'square');
  if (sq && stages.length + 1 > 2) {
    const others = [
      cleanAccuracy,
      ...stages.filter((s) => s.attack !== 'square').map((s) => s.robustAccuracy),
    ];
    const best = Math.min(...others);
    if (sq.robustAccuracy < best - 0.002) {
      warn(
        `Square Attack has decreased the robust accuracy of ${((best - sq.robustAccuracy) * 100).toFixed(2)} %. This might indicate that the robustness evaluation using AutoAttack is unreliable.`,
      );
    }
  }

  const maxPerturbation = norms.reduce((a, b) => Math.max(a, b), 0);
  return {
    n,
    cleanAccuracy,
    robustAccuracy: n === 0 ? 0 : count() / n,
    stages,
    robustFlags: Array.from(robust, (v) => v === 1),
    cleanFlags,
    maxPerturbation,
    perturbationNorms: Array.from(norms),
    warnings,
    xAdv,
    plan,
    seed,
    batchSize: bs,
    seconds: secondsBefore + (performance.now() - t0) / 1000,
  };
}
