/**
 * Whole APGD and FAB-T runs, and spans of Linf Square's queries, on shares of their rows (issue
 * 15): an OnnxClassifier with shares runs the first share's rows on the main thread and each other
 * share's rows in a worker, each a complete run (Square: a span of 100 queries, following the
 * run's draws) with its own onnxruntime session and steps, meeting only at the run's (span's) end.
 * The rows of such a run are independent and a row's model outputs do not depend on its batch
 * (checked at open), so the result must be the one-batch run's, bit for bit: points, norms or
 * losses, flags and counters. The expected values come from the same run on a classifier without
 * shares (`shards: 1`); the property under test is the equality, on rows that an attack fools and
 * rows it does not, split unevenly.
 */
import { readFileSync } from 'node:fs';
import { Worker } from 'node:worker_threads';
import { needsDataBundle } from '@alignscope/config/testing';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { cifarImages, type Images, modelPath } from '../bench/data.ts';
import { APGD_DEFAULTS, apgdSingleRun, apgdTargetedPerturb } from './apgd.ts';
import { FAB_DEFAULTS, fabTargetedPerturb, fabTargetedSingleRun } from './fab.ts';
import { argmaxRows } from './losses.ts';
import { OnnxClassifier } from './onnx.ts';
import { Rng } from './rng.ts';
import { SQUARE_DEFAULTS, SQUARE_SHARE_SPAN, squarePerturb, squareSingleRun } from './square.ts';
import type { LossName, Norm } from './types.ts';

const MODEL = 'cifar10_resnet20';
const bundle = needsDataBundle(
  [`models/${MODEL}.onnx`, 'cifar10/classes.txt'],
  'attack runs on shares of their rows',
);
const d = 3 * 32 * 32;
const bytes = (a: Float32Array | Float64Array | Uint8Array) =>
  Buffer.from(a.buffer, a.byteOffset, a.byteLength);

describe.skipIf(bundle.missing)('APGD, FAB-T, Square on shares of their rows (CIFAR ResNet-20)', () => {
  let imgs: Images;
  let one: OnnxClassifier;
  let sharded: OnnxClassifier;
  // 7 rows: shares of 4 and 3 on two threads
  const n = 7;
  let target: Int32Array;
  /** The requests of whole runs the shard workers were sent. */
  const runRequests = (post: { mock: { calls: unknown[][] } }) =>
    post.mock.calls
      .map((c) => c[0] as { kind?: string; n?: number })
      .filter((r) => r?.kind === 'apgd' || r?.kind === 'fabTargeted' || r?.kind === 'square')
      .map((r) => `${r.kind} ${r.n}`);
  beforeAll(async () => {
    imgs = await cifarImages(1);
    const opts = {
      inputShape: [3, 32, 32],
      numClasses: 10,
      batchSize: 32,
      gradientOptimization: 'all',
      intraOpNumThreads: 2,
    } as const;
    one = await OnnxClassifier.open(readFileSync(modelPath(MODEL)), { ...opts, shards: 1 });
    sharded = await OnnxClassifier.open(readFileSync(modelPath(MODEL)), { ...opts, shards: 'auto' });
    // the first n test images the model classifies correctly (the attacks' runs get only such points)
    const pred = argmaxRows(await one.logits(imgs.x, imgs.y.length), imgs.y.length, 10);
    const keep = Array.from(imgs.y.keys())
      .filter((i) => pred[i] === imgs.y[i])
      .slice(0, n);
    expect(keep.length).toBe(n);
    imgs = {
      ...imgs,
      x: Float32Array.from(keep.flatMap((i) => Array.from(imgs.x.subarray(i * d, (i + 1) * d)))),
      y: Int32Array.from(keep, (i) => imgs.y[i] as number),
    };
    target = Int32Array.from({ length: n }, (_, i) => ((imgs.y[i] as number) + 1 + (i % 3)) % 10);
  });
  afterAll(async () => {
    await one?.release();
    await sharded?.release();
  });

  it('has two shares to run on', () => {
    expect(sharded.sharding.shards).toBe(2);
    expect(one.sharding.shards).toBe(1);
  });

  for (const norm of ['Linf', 'L2'] as Norm[]) {
    it(`FAB-T (${norm}): the shares' run gives the one-batch run's points, norms and counters`, async () => {
      const opts = { ...FAB_DEFAULTS, norm, eps: norm === 'Linf' ? 1 / 255 : 0.1, nIter: 10 };
      const x = imgs.x.subarray(0, n * d);
      const y = imgs.y.subarray(0, n);
      const a = await fabTargetedSingleRun(one, x, y, target, n, opts);
      const post = vi.spyOn(Worker.prototype, 'postMessage');
      const before = { ...sharded.timings };
      const b = await sharded.fabTargetedShared(x, y, target, n, opts);
      // the second share went to the worker as one whole run of its 3 rows
      expect(runRequests(post)).toEqual(['fabTargeted 3']);
      post.mockRestore();
      expect(b).toBeDefined();
      if (!b) return;
      expect(bytes(b.adv).equals(bytes(a.adv))).toBe(true);
      expect(Array.from(b.res2)).toEqual(Array.from(a.res2));
      expect([b.forwards, b.gradients]).toEqual([a.forwards, a.gradients]);
      // a meaningful case: some rows found an adversarial point within the iterations, and the shares'
      // onnxruntime work is counted on the sharing classifier
      expect(Array.from(a.res2).some((r) => r < 1e10)).toBe(true);
      expect(sharded.timings.gradientSamples - before.gradientSamples).toBe(b.gradients);
      expect(sharded.timings.forwardSamples - before.forwardSamples).toBe(b.forwards);
    });
  }

  const cases: { loss: LossName; norm: Norm; eps: number }[] = [
    { loss: 'ce', norm: 'Linf', eps: 0.25 / 255 },
    { loss: 'dlr-targeted', norm: 'Linf', eps: 1 / 255 },
    { loss: 'dlr-targeted', norm: 'L2', eps: 0.1 },
  ];
  for (const c of cases) {
    it(`APGD (${c.loss}, ${c.norm}): the shares' run gives the one-batch run's flags, points, losses, counters and RNG`, async () => {
      const opts = { ...APGD_DEFAULTS, norm: c.norm, eps: c.eps, nIter: 20 };
      const x = imgs.x.subarray(0, n * d);
      const y = imgs.y.subarray(0, n);
      const t = c.loss === 'dlr-targeted' ? target : undefined;
      const rngA = new Rng(5);
      const a = await apgdSingleRun(one, x, y, n, c.loss, opts, rngA, t);
      const spy = vi.spyOn(sharded, 'apgdShared');
      const post = vi.spyOn(Worker.prototype, 'postMessage');
      const rngB = new Rng(5);
      const b = await apgdSingleRun(sharded, x, y, n, c.loss, opts, rngB, t);
      expect(spy).toHaveBeenCalledTimes(1);
      await expect(spy.mock.results[0]?.value).resolves.toBeDefined();
      expect(runRequests(post)).toEqual(['apgd 3']);
      spy.mockRestore();
      post.mockRestore();
      expect(Array.from(b.acc)).toEqual(Array.from(a.acc));
      expect(bytes(b.xBestAdv).equals(bytes(a.xBestAdv))).toBe(true);
      expect(bytes(b.lossBest).equals(bytes(a.lossBest))).toBe(true);
      expect([b.forwards, b.gradients, b.zeroGrad]).toEqual([a.forwards, a.gradients, a.zeroGrad]);
      expect(b.rngAfter).toEqual(a.rngAfter);
      expect(rngB.state()).toEqual(rngA.state());
      // fooled and robust rows both
      expect(Array.from(a.acc)).toContain(0);
      expect(Array.from(a.acc)).toContain(1);
    });
  }

  it('APGD-T and FAB-T give the same points and counters with row shares as with every call shared', async () => {
    const x = imgs.x.subarray(0, n * d);
    const y = imgs.y.subarray(0, n);
    const apgdOpts = {
      ...APGD_DEFAULTS,
      norm: 'Linf' as const,
      eps: 0.5 / 255,
      nIter: 10,
      nTargetClasses: 2,
    };
    const fabOpts = { ...FAB_DEFAULTS, norm: 'Linf' as const, eps: 0.5 / 255, nIter: 5, nTargetClasses: 2 };
    for (const attack of ['apgd-t', 'fab-t'] as const) {
      const runs = [];
      for (const rowShares of [false, true]) {
        const post = vi.spyOn(Worker.prototype, 'postMessage');
        const ctx = { seed: 3, rowShares };
        const r =
          attack === 'apgd-t'
            ? await apgdTargetedPerturb(sharded, x, y, n, apgdOpts, ctx)
            : await fabTargetedPerturb(sharded, x, y, n, fabOpts, ctx);
        runs.push({ r, requests: runRequests(post) });
        post.mockRestore();
      }
      const [off, on] = runs as [(typeof runs)[0], (typeof runs)[0]];
      // without row shares no whole run went to a worker; with them at least the first target run's
      // (a later one may have too few points left to split)
      expect(off.requests).toEqual([]);
      expect(on.requests.length).toBeGreaterThan(0);
      expect(on.requests[0]).toBe(`${attack === 'apgd-t' ? 'apgd' : 'fabTargeted'} 3`);
      expect(bytes(on.r.xAdv).equals(bytes(off.r.xAdv))).toBe(true);
      expect([on.r.forwards, on.r.gradients]).toEqual([off.r.forwards, off.r.gradients]);
    }
  });

  // at 1/255 some of the 7 points are fooled within the 300 queries and others not; at 8/255 all are,
  // and the run ends early, inside a span (the Rng then goes on after the queries made)
  for (const eps of [1 / 255, 8 / 255]) {
    it(`Square (Linf ${eps * 255}/255): spans on the shares give the one-batch run's points, counters and RNG`, async () => {
      const nQueries = 3 * SQUARE_SHARE_SPAN;
      const opts = { ...SQUARE_DEFAULTS, norm: 'Linf' as const, eps, nQueries };
      const x = imgs.x.subarray(0, n * d);
      const y = imgs.y.subarray(0, n);
      const rngA = new Rng(2);
      const a = await squareSingleRun(one, x, y, n, opts, rngA);
      const post = vi.spyOn(Worker.prototype, 'postMessage');
      const before = { ...sharded.timings };
      const rngB = new Rng(2);
      const b = await squareSingleRun(sharded, x, y, n, opts, rngB);
      const requests = runRequests(post);
      post.mockRestore();
      // spans went to the worker: at 1/255 the first span's 7 rows as 4 + 3 (at 8/255 the init
      // already fools some), later spans' rows (fewer once some are fooled) dealt out anew
      expect(requests.length).toBeGreaterThan(0);
      if (eps < 2 / 255) expect(requests[0]).toBe('square 3');
      expect(bytes(b.xBest).equals(bytes(a.xBest))).toBe(true);
      expect(b.forwards).toBe(a.forwards);
      expect(rngB.state()).toEqual(rngA.state());
      expect(sharded.timings.forwardSamples - before.forwardSamples).toBe(b.forwards);
      const pred = argmaxRows(await one.logits(a.xBest, n), n, 10);
      const fooled = Array.from(pred, (p, i) => p !== y[i]);
      if (eps < 2 / 255) {
        expect(requests.length).toBeGreaterThan(1);
        expect(fooled).toContain(true);
        expect(fooled).toContain(false);
      } else {
        expect(fooled).not.toContain(false);
        expect(a.forwards).toBeLessThan(n + n * nQueries);
        // an Rng that made every query would be elsewhere
        const full = new Rng(2);
        await squareSingleRun(one, x, y, n, { ...opts, eps: 1e-9 }, full);
        expect(rngA.state()).not.toEqual(full.state());
      }
    });
  }

  it('Square perturb gives the same points and counters with row shares as with every call shared', async () => {
    const opts = {
      ...SQUARE_DEFAULTS,
      norm: 'Linf' as const,
      eps: 1 / 255,
      nQueries: 2 * SQUARE_SHARE_SPAN,
    };
    const x = imgs.x.subarray(0, n * d);
    const y = imgs.y.subarray(0, n);
    const runs = [];
    for (const rowShares of [false, true]) {
      const post = vi.spyOn(Worker.prototype, 'postMessage');
      const r = await squarePerturb(sharded, x, y, n, opts, { seed: 4, rowShares });
      runs.push({ r, requests: runRequests(post) });
      post.mockRestore();
    }
    const [off, on] = runs as [(typeof runs)[0], (typeof runs)[0]];
    expect(off.requests).toEqual([]);
    expect(on.requests[0]).toBe('square 3');
    expect(bytes(on.r.xAdv).equals(bytes(off.r.xAdv))).toBe(true);
    expect(on.r.forwards).toBe(off.r.forwards);
  });

  it('does not split a run of fewer rows than two shares need, several runs side by side, or when asked not to', async () => {
    const opts = { ...APGD_DEFAULTS, norm: 'Linf' as const, eps: 1 / 255, nIter: 2 };
    const x = imgs.x.subarray(0, 4 * d);
    const y = imgs.y.subarray(0, 4);
    // 3 rows: one share would get a single row
    expect(await sharded.apgdShared(x, y, 3, 'ce', opts, x.slice(0, 3 * d))).toBeUndefined();
    expect(
      await sharded.fabTargetedShared(x, y, target, 3, {
        ...FAB_DEFAULTS,
        norm: 'Linf',
        eps: 1 / 255,
        nIter: 2,
      }),
    ).toBeUndefined();
    expect(await one.apgdShared(x, y, 4, 'ce', opts, x.slice())).toBeUndefined();
    const spy = vi.spyOn(sharded, 'apgdShared');
    // two runs of 2 rows side by side (segment 2) and a run with row shares switched off
    await apgdSingleRun(sharded, x, y, 4, 'ce', opts, new Rng(1), undefined, undefined, { segment: 2 });
    await apgdSingleRun(sharded, x, y, 4, 'ce', opts, new Rng(1), undefined, undefined, {
      rowShares: false,
    });
    expect(spy).not.toHaveBeenCalled();
    spy.mockRestore();
  });
});
