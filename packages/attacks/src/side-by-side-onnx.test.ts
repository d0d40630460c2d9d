/**
 * APGD-T's and FAB-T's target runs side by side on a bundled ONNX model give the sequential
 * results bit for bit (issue 15): CIFAR ResNet-20 at Linf 0.5/255 and L2 0.05, its FGSM-trained
 * at8 variant at Linf 8/255, on the first CIFAR-10 test image of each class, both profiles (the
 * reference profile's 100 iterations cut to 20 to keep this file at seconds). The expected values
 * are those of the sequential path (`maxRuns: 1`); the property under test is the equality. The
 * gradient graphs run at the level OnnxClassifier's check picks ('all' on these models), where
 * per-sample results do not depend on the batch (src/onnx.test.ts).
 */
import { readFileSync } from 'node:fs';
import { needsDataBundle } from '@alignscope/config/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cifarImages, type Images, modelPath } from '../bench/data.ts';
import { apgdTargetedPerturb } from './apgd.ts';
import { type AttackProfile, attackPlan } from './autoattack.ts';
import { fabTargetedPerturb } from './fab.ts';
import { argmaxRows } from './losses.ts';
import { OnnxClassifier } from './onnx.ts';
import { SIDE_BY_SIDE_DEFAULTS, type SideBySideStats } from './side-by-side.ts';
import { gather } from './tensor.ts';
import type { Norm, PerturbResult } from './types.ts';

const MODELS = ['cifar10_resnet20', 'cifar10_resnet20_at8'];
const bundle = needsDataBundle(
  [...MODELS.map((m) => `models/${m}.onnx`), 'cifar10/classes.txt'],
  'side-by-side target runs on ONNX models',
);

const bytes = (a: Float32Array) => Buffer.from(a.buffer, a.byteOffset, a.byteLength);

describe.skipIf(bundle.missing)(
  'target runs side by side on ONNX ResNet-20 equal the sequential runs',
  () => {
    let imgs: Images;
    const models = new Map<string, OnnxClassifier>();
    beforeAll(async () => {
      imgs = await cifarImages(1);
      for (const m of MODELS) {
        models.set(
          m,
          await OnnxClassifier.open(readFileSync(modelPath(m)), {
            inputShape: [3, 32, 32],
            numClasses: 10,
            batchSize: 32,
          }),
        );
      }
    }, 120_000);
    afterAll(async () => {
      for (const m of models.values()) await m.release();
    });

    // L2 only with torchattacks (its APGD-T L2 step is the run's first sample's), to keep the file short
    const cases: { model: string; norm: Norm; eps: number; label: string; profiles: AttackProfile[] }[] = [
      {
        model: 'cifar10_resnet20',
        norm: 'Linf',
        eps: 0.5 / 255,
        label: 'Linf 0.5/255',
        profiles: ['torchattacks', 'reference'],
      },
      { model: 'cifar10_resnet20', norm: 'L2', eps: 0.05, label: 'L2 0.05', profiles: ['torchattacks'] },
      {
        model: 'cifar10_resnet20_at8',
        norm: 'Linf',
        eps: 8 / 255,
        label: 'Linf 8/255',
        profiles: ['torchattacks', 'reference'],
      },
    ];
    for (const c of cases) {
      for (const profile of c.profiles) {
        it(`${c.model}, ${c.label}, ${profile}`, { timeout: 300_000 }, async () => {
          const clf = models.get(c.model) as OnnxClassifier;
          expect(clf.gradientOptimization.level).toBe('all');
          // the clean-correct points only (the attacks' own pre-filter would do the same)
          const n = imgs.y.length;
          const pred = argmaxRows(await clf.logits(imgs.x, n), n, 10);
          const keep = [...pred.keys()].filter((s) => pred[s] === imgs.y[s]);
          const d = 3 * 32 * 32;
          const x = gather(imgs.x, d, keep);
          const y = Int32Array.from(keep, (s) => imgs.y[s] as number);
          const plan = attackPlan(profile, 'standard', c.norm, c.eps, 10);
          const nIter = profile === 'reference' ? 20 : plan.apgdT.nIter;
          const run = async (maxRuns: number) => {
            // a budget larger than the default, so that the test's 7-9 points are grouped at all
            const ctx = { seed: 0, sideBySide: { ...SIDE_BY_SIDE_DEFAULTS, maxRuns, maxSamples: 64 } };
            const a = await apgdTargetedPerturb(clf, x, y, keep.length, { ...plan.apgdT, nIter }, ctx);
            const f = await fabTargetedPerturb(clf, x, y, keep.length, { ...plan.fabT, nIter }, ctx);
            return { a, f };
          };
          const seq = await run(1);
          const grp = await run(Number.POSITIVE_INFINITY);
          const flags = async (r: PerturbResult) =>
            Array.from(argmaxRows(await clf.logits(r.xAdv, keep.length), keep.length, 10), (p, i) =>
              p === y[i] ? 1 : 0,
            ).join('');
          for (const k of ['a', 'f'] as const) {
            expect(bytes(grp[k].xAdv).equals(bytes(seq[k].xAdv)), k).toBe(true);
            expect(await flags(grp[k])).toBe(await flags(seq[k]));
            const st = grp[k].sideBySide as SideBySideStats;
            expect(st.groups).toBeLessThan(st.runs);
            // a point fell to a run that was not its group's last: the group was cut (APGD-T: RNG rewound)
            expect(st.rewinds, k).toBeGreaterThan(0);
          }
          // informative: some points fooled, and APGD-T's sequential path ran one run per group
          expect(await flags(seq.a)).toMatch(/0/);
          expect(seq.a.sideBySide?.groups).toBe(seq.a.sideBySide?.runs);
        });
      }
    }
  },
);
