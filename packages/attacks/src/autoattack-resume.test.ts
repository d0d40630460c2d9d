import { describe, expect, it } from 'vitest';
import { type AutoAttackCheckpoint, type AutoAttackResult, runAutoAttack } from './autoattack.ts';
import { argmaxRows } from './losses.ts';
import { Rng } from './rng.ts';
import { centredLinearModel } from './testing-models.ts';

// Checkpoint and resume (issue 18): a run resumed from any of its checkpoints ends with exactly the
// flags, perturbation norms and accuracies of the uninterrupted run. The expected values are those of
// the uninterrupted run of the same code (the property under test is the equality), and the number of
// checkpoints is rebuilt from the stage sizes the run reports, not from the driver's loop.
const model = centredLinearModel(4, [3, 4, 4], 5);
const n = 40;
const bs = 8;
const rng = new Rng(9);
const x = new Float32Array(n * model.inputSize);
for (let i = 0; i < x.length; i++) x[i] = 0.3 + 0.4 * rng.uniform();
const options = {
  norm: 'Linf' as const,
  eps: 0.008,
  version: 'custom' as const,
  attacks: ['apgd-ce', 'apgd-t', 'square'] as const,
  seed: 4,
  batchSize: bs,
  keepAdversarial: false,
};

async function labels(): Promise<Int32Array> {
  const y = argmaxRows(await model.logits(x, n), n, model.numClasses);
  // a few wrong labels, so the clean pre-filter removes points too
  for (const s of [3, 17, 29]) y[s] = ((y[s] as number) + 1) % model.numClasses;
  return y;
}

const comparable = (r: AutoAttackResult) => ({
  robustFlags: r.robustFlags,
  cleanFlags: r.cleanFlags,
  perturbationNorms: r.perturbationNorms,
  robustAccuracy: r.robustAccuracy,
  cleanAccuracy: r.cleanAccuracy,
  stages: r.stages.map((s) => ({ ...s, seconds: 0 })),
  warnings: r.warnings,
});

describe('AutoAttack checkpoints', () => {
  it('resuming from every checkpoint gives the uninterrupted result', async () => {
    const y = await labels();
    const saved: AutoAttackCheckpoint[] = [];
    const full = await runAutoAttack(model, x, y, {
      ...options,
      attacks: [...options.attacks],
      onCheckpoint: (c) => {
        saved.push(JSON.parse(JSON.stringify(c)) as AutoAttackCheckpoint);
      },
    });
    // every stage must attack something and leave something robust, or the test proves little
    expect(full.stages.map((s) => s.attack)).toEqual(['apgd-ce', 'apgd-t', 'square']);
    expect(full.cleanAccuracy).toBeCloseTo(37 / 40, 12);
    expect(full.robustAccuracy).toBeGreaterThan(0);
    expect(full.robustAccuracy).toBeLessThan(full.cleanAccuracy);
    // one checkpoint after the clean pass, one after every batch but a stage's last, one per stage end
    let robustBefore = full.cleanAccuracy * n;
    let expected = 1;
    for (const s of full.stages) {
      expected += Math.ceil(Math.round(robustBefore) / bs) - 1 + 1;
      robustBefore = s.robustAccuracy * n;
    }
    expect(saved.length).toBe(expected);
    expect(saved.length).toBeGreaterThan(6);

    for (const c of saved) {
      const resumed = await runAutoAttack(model, x, y, {
        ...options,
        attacks: [...options.attacks],
        resume: c,
      });
      expect(comparable(resumed), `resumed at stage ${c.stageIndex} batch ${c.batchesDone}`).toEqual(
        comparable(full),
      );
    }
  }, 120_000);

  it('a failing checkpoint write stops the run with its error', async () => {
    const y = await labels();
    let calls = 0;
    await expect(
      runAutoAttack(model, x, y, {
        ...options,
        attacks: [...options.attacks],
        onCheckpoint: () => {
          calls++;
          if (calls === 3) throw new Error('claim lost');
        },
      }),
    ).rejects.toThrow('claim lost');
    expect(calls).toBe(3);
  });

  it("records the gradient graphs' level and resumes only at that level", async () => {
    const y = await labels();
    const saved: AutoAttackCheckpoint[] = [];
    const full = await runAutoAttack(model, x, y, {
      ...options,
      attacks: [...options.attacks],
      gradientOptimization: 'all',
      onCheckpoint: (c) => {
        saved.push(JSON.parse(JSON.stringify(c)) as AutoAttackCheckpoint);
      },
    });
    expect(saved.every((c) => c.gradientOptimization === 'all')).toBe(true);
    const mid = saved[Math.floor(saved.length / 2)] as AutoAttackCheckpoint;
    const resumed = await runAutoAttack(model, x, y, {
      ...options,
      attacks: [...options.attacks],
      gradientOptimization: 'all',
      resume: mid,
    });
    expect(comparable(resumed)).toEqual(comparable(full));
    await expect(
      runAutoAttack(model, x, y, {
        ...options,
        attacks: [...options.attacks],
        gradientOptimization: 'extended',
        resume: mid,
      }),
    ).rejects.toThrow(
      "the checkpoint's run used gradient graphs at optimisation level 'all', this classifier's are at 'extended': reopen the model with gradientOptimization 'all' to resume it",
    );
    await expect(
      runAutoAttack(model, x, y, { ...options, attacks: [...options.attacks], resume: mid }),
    ).rejects.toThrow("this classifier's are at an unstated level");
    // a checkpoint without the field (before it was recorded) resumes at any level
    const { gradientOptimization: _, ...older } = mid;
    const fromOlder = await runAutoAttack(model, x, y, {
      ...options,
      attacks: [...options.attacks],
      gradientOptimization: 'extended',
      resume: older,
    });
    expect(comparable(fromOlder)).toEqual(comparable(full));
  });

  it('refuses a checkpoint of another run, naming the difference', async () => {
    const y = await labels();
    let first: AutoAttackCheckpoint | undefined;
    await runAutoAttack(model, x, y, {
      ...options,
      attacks: ['apgd-ce'],
      onCheckpoint: (c) => {
        first ??= c;
      },
    });
    await expect(
      runAutoAttack(model, x, y, { ...options, attacks: ['apgd-ce'], seed: 5, resume: first }),
    ).rejects.toThrow(/checkpoint is of another run \(n 40, seed 4, .*expected n 40, seed 5/);
    await expect(
      runAutoAttack(model, x, y, { ...options, attacks: ['apgd-ce'], keepAdversarial: true, resume: first }),
    ).rejects.toThrow('resuming from a checkpoint needs keepAdversarial: false');
  });
});
