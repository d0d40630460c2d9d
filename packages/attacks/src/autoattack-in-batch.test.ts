/**
 * Checkpoints inside APGD-T's and FAB-T's batches (issue 12): a run stopped at an in-batch
 * checkpoint (onCheckpoint rejects after its k-th; k = the first, a middle and the last) has saved
 * what the uninterrupted run saved there, and a run resumed from any in-batch checkpoint ends with
 * exactly the uninterrupted run's flags, norms, per-stage robust accuracy, forward/gradient counts
 * and side-by-side counters, every checkpoint it saves after the resume is the uninterrupted run's,
 * and its progress goes on from the checkpoint's. The expected values are those of the uninterrupted run of the same
 * code (the property under test is the equality); each case asserts that it is informative (several
 * in-batch checkpoints per attack, points fooled before some of them, for APGD-T with runs side by
 * side a cut group), and one test shows that the RNG state in the checkpoint is needed.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { apgdTargetedPerturb } from './apgd.ts';
import {
  type AttackProfile,
  type AutoAttackCheckpoint,
  type AutoAttackOptions,
  type AutoAttackResult,
  attackPlan,
  type ProgressEvent,
  runAutoAttack,
} from './autoattack.ts';
import { fabTargetedPerturb } from './fab.ts';
import { Rng } from './rng.ts';
import { SIDE_BY_SIDE_DEFAULTS, type SideBySide } from './side-by-side.ts';
import { rankedMlp, rankedMlpPoints } from './testing-models.ts';
import type { Classifier, Norm, TargetRunsState } from './types.ts';

// the model and points of side-by-side.test.ts: points fall to target ranks after the second
const model = rankedMlp(10, [3, 4, 4], 24, 3);
const d = 48;
const n = 24;
const { x, y } = await rankedMlpPoints(model, n);

// 27 inputs (odd): an L2 random start of an odd number of points leaves a cached normal in the RNG
const odd = rankedMlp(10, [3, 3, 3], 24, 3);
const { x: xOdd, y: yOdd } = await rankedMlpPoints(odd, n);

const SEQUENTIAL: Partial<SideBySide> = { maxRuns: 1 };
const GROUPED: Partial<SideBySide> = { maxRuns: 3, maxSamples: 24 };
const EPS: Record<Norm, number> = { Linf: 0.02, L2: 0.12 };

const copy = <T>(v: T): T => JSON.parse(JSON.stringify(v)) as T;
/** A checkpoint without its wall-clock fields. */
const timeless = (c: AutoAttackCheckpoint) => ({
  ...c,
  seconds: 0,
  stageSeconds: 0,
  stages: c.stages.map((s) => ({ ...s, seconds: 0 })),
});
const comparable = (r: AutoAttackResult) => ({
  robustFlags: r.robustFlags,
  cleanFlags: r.cleanFlags,
  perturbationNorms: r.perturbationNorms,
  robustAccuracy: r.robustAccuracy,
  stages: r.stages.map((s) => ({ ...s, seconds: 0 })),
  warnings: r.warnings,
});
/** (stage, fraction) never decreases. */
const expectMonotone = (events: readonly ProgressEvent[], what: string) => {
  for (let i = 1; i < events.length; i++) {
    const a = events[i - 1] as ProgressEvent;
    const b = events[i] as ProgressEvent;
    const ok = b.stageIndex > a.stageIndex || (b.stageIndex === a.stageIndex && b.fraction >= a.fraction);
    expect(ok, `${what}: progress ${JSON.stringify(a)} then ${JSON.stringify(b)}`).toBe(true);
  }
};

function options(profile: AttackProfile, norm: Norm, sideBySide: Partial<SideBySide>): AutoAttackOptions {
  return {
    norm,
    eps: EPS[norm],
    version: 'custom',
    attacks: ['apgd-t', 'fab-t'],
    profile,
    seed: 5,
    batchSize: 16,
    keepAdversarial: false,
    sideBySide,
    inBatchCheckpointSeconds: 0,
  };
}

class Stop extends Error {}

/** The run stopped after its k-th in-batch checkpoint: the checkpoint saved and the progress seen. */
async function interrupted(o: AutoAttackOptions, k: number) {
  let seen = 0;
  let saved: AutoAttackCheckpoint | undefined;
  const events: ProgressEvent[] = [];
  await expect(
    runAutoAttack(model, x, y, {
      ...o,
      onProgress: (e) => events.push(e),
      onCheckpoint: (c) => {
        saved = copy(c);
        if (c.inBatch && ++seen === k) throw new Stop(`stopped at in-batch checkpoint ${k}`);
      },
    }),
  ).rejects.toThrow(Stop);
  return { saved: saved as AutoAttackCheckpoint, events };
}

async function recorded(o: AutoAttackOptions) {
  const saved: AutoAttackCheckpoint[] = [];
  const events: ProgressEvent[] = [];
  const r = await runAutoAttack(model, x, y, {
    ...o,
    onProgress: (e) => events.push(e),
    onCheckpoint: (c) => {
      saved.push(copy(c));
    },
  });
  return { r, saved, events };
}

describe('AutoAttack checkpoints inside APGD-T and FAB-T batches', () => {
  // Whichever of APGD-T and FAB-T runs first fools the points here (the other then fools none), so
  // the cheap torchattacks profile (10 iterations) runs both orders; the reference (100) APGD-T first.
  type Order = ['apgd-t', 'fab-t'] | ['fab-t', 'apgd-t'];
  const cases: { profile: AttackProfile; norm: Norm; sb: Partial<SideBySide>; attacks: Order }[] = [];
  for (const profile of ['reference', 'torchattacks'] as const) {
    for (const norm of ['Linf', 'L2'] as const) {
      for (const sb of [SEQUENTIAL, GROUPED]) {
        cases.push({ profile, norm, sb, attacks: ['apgd-t', 'fab-t'] });
        if (profile === 'torchattacks') cases.push({ profile, norm, sb, attacks: ['fab-t', 'apgd-t'] });
      }
    }
  }
  for (const { profile, norm, sb, attacks } of cases) {
    const name = `${profile}, ${norm}, ${attacks.join(' then ')}, runs ${sb === GROUPED ? 'side by side' : 'one after another'}`;
    it(`${name}: stopped at in-batch checkpoints and resumed from every one, the same result`, async () => {
      // the reference's 100 iterations in one batch of 24 (fewer resumes); torchattacks in batches of 16
      const bs = profile === 'reference' ? 24 : 16;
      const o = { ...options(profile, norm, sb), attacks: [...attacks], batchSize: bs };
      const full = await recorded(o);
      // the in-batch checks do not change the result: a run without checkpoints is the same
      const plain = await runAutoAttack(model, x, y, { ...o, inBatchCheckpointSeconds: undefined });
      expect(comparable(full.r)).toEqual(comparable(plain));
      expectMonotone(full.events, 'uninterrupted');

      const inBatch = full.saved.filter((c) => c.inBatch);
      const of = (a: string) => inBatch.filter((c) => c.inBatch?.attack === a);
      // informative: both attacks checkpoint inside their batches, the first one also after it had
      // fooled points of the batch (checked early by the driver); points are fooled and some stay robust
      expect(of(attacks[0]).length).toBeGreaterThanOrEqual(3);
      expect(of(attacks[1]).length).toBeGreaterThanOrEqual(2);
      expect(of(attacks[0]).some((c) => c.inBatch?.acc.includes(0))).toBe(true);
      expect(full.r.stages[0]?.robustAccuracy).toBeLessThan(full.r.cleanAccuracy);
      expect(full.r.robustAccuracy).toBeGreaterThan(0);
      // side by side: a group was cut by a fooled point (APGD-T: the RNG rewound)
      if (sb === GROUPED) expect(full.r.stages[0]?.sideBySide?.rewinds).toBeGreaterThan(0);
      // small: no images, a few numbers per point
      for (const c of inBatch) expect(JSON.stringify(c).length).toBeLessThan(100 * n + 2000);

      // stopped at the first, a middle and the last in-batch checkpoint, the run saved what the
      // uninterrupted run saved there, and its progress goes on from there after the resume
      const K = inBatch.length;
      for (const k of new Set([1, Math.ceil(K / 2), K])) {
        const stop = await interrupted(o, k);
        const at = `stopped at k = ${k}`;
        expect(timeless(stop.saved), at).toEqual(timeless(inBatch[k - 1] as AutoAttackCheckpoint));
        const resumed = await recorded({ ...o, resume: stop.saved });
        expect(comparable(resumed.r), at).toEqual(comparable(full.r));
        expectMonotone([...stop.events, ...resumed.events], at);
      }
      // resumed from every in-batch checkpoint: the uninterrupted result, every checkpoint saved
      // after the resume is the uninterrupted run's (counters included), and progress starts no lower
      for (const [i, c] of full.saved.entries()) {
        const ib = c.inBatch;
        if (!ib) continue;
        const at = `${ib.attack} batch ${c.batchesDone}, ${ib.runsDone} runs done`;
        const resumed = await recorded({ ...o, resume: copy(c) });
        expect(comparable(resumed.r), at).toEqual(comparable(full.r));
        expect(resumed.saved.map(timeless), at).toEqual(full.saved.slice(i + 1).map(timeless));
        const first = resumed.events[0] as ProgressEvent;
        expect(first.stageIndex).toBe(c.stageIndex);
        expect(first.fraction).toBe((c.batchesDone + ib.fraction) / Math.ceil(c.stagePoints.length / bs));
        expectMonotone(resumed.events, at);
      }
    }, 60_000);
  }

  it('the RNG state in the checkpoint matters: a freshly seeded RNG at the resume changes the result', async () => {
    // what a checkpoint without the RNG state would resume with: the batch's seeded RNG
    const o = options('torchattacks', 'L2', SEQUENTIAL);
    const full = await recorded(o);
    const differs: number[] = [];
    for (const c of full.saved.filter((s) => s.inBatch?.attack === 'apgd-t')) {
      const ib = c.inBatch as NonNullable<AutoAttackCheckpoint['inBatch']>;
      const fresh = { ...c, inBatch: { ...ib, rng: new Rng(o.seed as number).state() } };
      const r = await runAutoAttack(model, x, y, { ...o, resume: copy(fresh) });
      if (JSON.stringify(comparable(r)) !== JSON.stringify(comparable(full.r))) differs.push(ib.runsDone);
    }
    expect(differs.length).toBeGreaterThan(0);
  });

  it('a format-1 checkpoint (between batches) still resumes; bad ones are refused, saying why', async () => {
    const o = options('torchattacks', 'Linf', GROUPED);
    const full = await recorded(o);
    const between = full.saved.filter((c) => !c.inBatch);
    expect(between.length).toBeGreaterThanOrEqual(4);
    // written as format 1 where it has the content of format 1 (a worker of before issue 12 resumes
    // those), as format 2 only with an in-batch state
    expect(full.saved.length).toBeGreaterThan(between.length);
    for (const c of full.saved) expect(c.format, JSON.stringify(c.inBatch)).toBe(c.inBatch ? 2 : 1);
    for (const c of between) {
      const old = { ...copy(c), format: 1 as const };
      const r = await runAutoAttack(model, x, y, { ...o, resume: old });
      expect(comparable(r)).toEqual(comparable(full.r));
    }
    const c = full.saved.find((s) => s.inBatch?.attack === 'apgd-t') as AutoAttackCheckpoint;
    const ib = c.inBatch as NonNullable<AutoAttackCheckpoint['inBatch']>;
    const refused = (resume: unknown) =>
      expect(runAutoAttack(model, x, y, { ...o, resume: resume as AutoAttackCheckpoint })).rejects;
    await refused({ ...c, format: 3 }).toThrow(
      'the checkpoint has format 3; this version resumes formats 1 and 2',
    );
    await refused({ ...c, format: 1 }).toThrow(
      'a format-1 checkpoint cannot hold an in-batch state (format 2 added them); this one holds one of apgd-t',
    );
    await refused({ ...c, stageIndex: 1 }).toThrow(
      'holds an in-batch state of apgd-t at stage 1, which is fab-t',
    );
    await refused({ ...c, inBatch: { ...ib, acc: ib.acc.slice(1) } }).toThrow(
      `the checkpoint's in-batch state of apgd-t does not fit: the target-runs state holds ${ib.acc.length - 1} points; this batch has ${ib.acc.length}`,
    );
    await refused({ ...c, inBatch: { ...ib, runsDone: 10 } }).toThrow(
      'the target-runs state has 10 runs done; this attack runs 9',
    );
    const { rng: _, ...noRng } = ib;
    await refused({ ...c, inBatch: noRng }).toThrow(
      'the target-runs state has no RNG state (APGD-T draws random starts)',
    );
    await refused({ ...c, seed: 6 }).toThrow(/the checkpoint is of another run/);
  });

  it("records the plan's parameters and refuses a resume under another plan, naming what differs", async () => {
    const o = options('torchattacks', 'Linf', GROUPED);
    const full = await recorded(o);
    const c = full.saved.find((s) => s.inBatch?.attack === 'apgd-t') as AutoAttackCheckpoint;
    const between = full.saved.find((s) => !s.inBatch && s.stageIndex === 1) as AutoAttackCheckpoint;
    // torchattacks: 10 iterations, n_classes - 1 = 9 targets (attackPlan; torchattacks autoattack.py)
    expect(c.parameters?.profile).toBe('torchattacks');
    expect(c.parameters?.apgdT?.nIter).toBe(10);
    expect(c.parameters?.fabT?.nTargetClasses).toBe(9);
    expect(c.parameters?.apgd).toBeUndefined(); // APGD-CE is not in the list
    const refused = (resume: AutoAttackCheckpoint, other: Partial<AutoAttackOptions>) =>
      expect(runAutoAttack(model, x, y, { ...o, ...other, resume: copy(resume) })).rejects;
    // another plan with the same attack list, n, seed, batch, norm and eps
    await refused(c, { nClasses: 6 }).toThrow(
      'the checkpoint is of a run with other attack parameters (checkpoint / this run: apgdT.nTargetClasses 9 / 5; fabT.nTargetClasses 9 / 5)',
    );
    await refused(between, { profile: 'reference' }).toThrow(
      /apgdT\.nIter 10 \/ 100; .*profile "torchattacks" \/ "reference"/,
    );
    // a checkpoint without the field (before it was recorded) resumes as before
    for (const s of [c, between]) {
      const { parameters: _, ...old } = copy(s);
      const r = await runAutoAttack(model, x, y, { ...o, resume: old });
      expect(comparable(r)).toEqual(comparable(full.r));
    }
  });
});

describe('APGD-T and FAB-T resumed from a target-group state', () => {
  // The attacks alone: the points no run had fooled when the state was taken end with the
  // uninterrupted run's adversarial rows bit for bit, the counters and every later group state are
  // the uninterrupted ones (a point that stays robust returns its clean row, so the later states'
  // RNG is what shows a wrong random start there).
  // A second model on 27 inputs (odd): L2 random starts of an odd number of points then leave a
  // cached Box-Muller normal (`spare`) in the RNG state, which the resume must restore too.
  const cases = [
    ...(['apgd-t', 'fab-t'] as const).flatMap((attack) =>
      (['Linf', 'L2'] as const).map((norm) => ({
        attack,
        norm,
        clf: model,
        xs: x,
        ys: y,
        dd: d,
        spare: false,
      })),
    ),
    { attack: 'apgd-t' as const, norm: 'L2' as const, clf: odd, xs: xOdd, ys: yOdd, dd: 27, spare: true },
  ];
  for (const { attack, norm, clf, xs, ys, dd, spare } of cases) {
    it(`${attack}, ${norm}, torchattacks, runs side by side, ${dd} inputs`, async () => {
      const bytesOf = (a: Float32Array, s: number) =>
        Buffer.from(a.buffer, a.byteOffset + s * dd * 4, dd * 4);
      const plan = attackPlan('torchattacks', 'standard', norm, EPS[norm], clf.numClasses);
      const run = (ctx: Parameters<typeof apgdTargetedPerturb>[5]) =>
        attack === 'apgd-t'
          ? apgdTargetedPerturb(clf, xs, ys, n, { ...plan.apgdT, nIter: 20 }, ctx)
          : fabTargetedPerturb(clf, xs, ys, n, { ...plan.fabT, nIter: 20 }, ctx);
      const base = { seed: 7, sideBySide: { ...SIDE_BY_SIDE_DEFAULTS, ...GROUPED } };
      const states: TargetRunsState[] = [];
      const full = await run({ ...base, onTargetGroup: (st) => void states.push(copy(st)) });
      expect(states.length).toBeGreaterThanOrEqual(3);
      expect(states.some((st) => st.acc.includes(0))).toBe(true);
      if (spare) expect(states.some((st) => st.rng?.spare !== undefined)).toBe(true);
      for (const [i, st] of states.entries()) {
        const later: TargetRunsState[] = [];
        const r = await run({ ...base, resumeTargets: st, onTargetGroup: (g) => void later.push(copy(g)) });
        // the states after the resume (RNG included) are the uninterrupted run's
        expect(later).toEqual(states.slice(i + 1));
        expect(r.forwards).toBe(full.forwards);
        expect(r.gradients).toBe(full.gradients);
        expect(r.sideBySide).toEqual(full.sideBySide);
        for (let s = 0; s < n; s++) {
          if (st.acc[s] === 0) continue;
          expect(
            bytesOf(r.xAdv, s).equals(bytesOf(full.xAdv, s)),
            `point ${s}, ${st.runsDone} runs done`,
          ).toBe(true);
        }
      }
    });
  }
});

describe('in-batch checkpoints are throttled', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('at most one per inBatchCheckpointSeconds of attack time, at group boundaries; the others always', async () => {
    // a clock that advances 0.5 s per gradient call of the model: a group of torchattacks' 10
    // iterations takes 5.5 s or less
    vi.useFakeTimers({ toFake: ['performance'] });
    const slow: Classifier = {
      inputShape: model.inputShape,
      numClasses: model.numClasses,
      logits: (xs, m) => model.logits(xs, m),
      lossGrad: (xs, m, loss, ys, t) => {
        vi.advanceTimersByTime(500);
        return model.lossGrad(xs, m, loss, ys, t);
      },
    };
    const o = {
      ...options('torchattacks', 'Linf', SEQUENTIAL),
      attacks: ['apgd-ce' as const, 'apgd-t' as const, 'fab-t' as const],
    };
    const run = async (every: number) => {
      const saved: { c: AutoAttackCheckpoint; at: number }[] = [];
      const r = await runAutoAttack(slow, x, y, {
        ...o,
        inBatchCheckpointSeconds: every,
        onCheckpoint: (c) => {
          saved.push({ c: copy(c), at: performance.now() });
        },
      });
      return { r, saved };
    };
    const all = await run(0);
    const throttled = await run(10);
    expect(comparable(throttled.r)).toEqual(comparable(all.r));
    const key = (c: AutoAttackCheckpoint) => `${c.stageIndex}/${c.batchesDone}/${c.inBatch?.runsDone ?? '-'}`;
    const inAll = all.saved.filter((s) => s.c.inBatch);
    const inThrottled = throttled.saved.filter((s) => s.c.inBatch);
    // fewer, but some; each at a boundary the unthrottled run checkpointed at
    expect(inThrottled.length).toBeGreaterThan(0);
    expect(inThrottled.length).toBeLessThan(inAll.length);
    const boundaries = new Set(inAll.map((s) => key(s.c)));
    for (const s of inThrottled) expect(boundaries.has(key(s.c))).toBe(true);
    // each in-batch checkpoint comes at least 10 s after the checkpoint before it
    throttled.saved.forEach((s, i) => {
      if (i > 0 && s.c.inBatch)
        expect(s.at - (throttled.saved[i - 1]?.at as number)).toBeGreaterThanOrEqual(10_000);
    });
    // and the others are all there: after the clean pass, between batches and at every stage end
    expect(throttled.saved.filter((s) => !s.c.inBatch).map((s) => key(s.c))).toEqual(
      all.saved.filter((s) => !s.c.inBatch).map((s) => key(s.c)),
    );
    expect(new Set(throttled.saved.map((s) => s.c.stageIndex))).toEqual(new Set([0, 1, 2, 3]));
  });

  it('a stop asked through checkpointNow takes the checkpoint at the next group boundary', async () => {
    // a throttle no run reaches: without checkpointNow no in-batch checkpoint is ever taken
    const o = { ...options('torchattacks', 'Linf', SEQUENTIAL), inBatchCheckpointSeconds: 1e9 };
    const all = await recorded({ ...o, inBatchCheckpointSeconds: 0 });
    const firstInBatch = all.saved.find((c) => c.inBatch) as AutoAttackCheckpoint;
    expect(firstInBatch.inBatch?.attack).toBe('apgd-t');
    expect(firstInBatch.batchesDone).toBe(0);
    const unasked = await recorded(o);
    expect(unasked.saved.filter((c) => c.inBatch)).toEqual([]);
    // the stop is asked during APGD-T's first group of its first batch (what the evaluator's
    // checkpointNow, `signal.aborted`, reports after a SIGTERM); the caller stops at the next checkpoint
    let stop = false;
    let saved: AutoAttackCheckpoint | undefined;
    await expect(
      runAutoAttack(model, x, y, {
        ...o,
        checkpointNow: () => stop,
        onProgress: (e) => {
          if (e.attack === 'apgd-t' && e.fraction > 0) stop = true;
        },
        onCheckpoint: (c) => {
          saved = copy(c);
          if (stop) throw new Stop('stopped');
        },
      }),
    ).rejects.toThrow(Stop);
    // the first group boundary of the unthrottled run, not the end of the batch
    expect(timeless(saved as AutoAttackCheckpoint)).toEqual(timeless(firstInBatch));
  });
});
