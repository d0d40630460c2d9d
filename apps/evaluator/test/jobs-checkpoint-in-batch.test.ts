/**
 * Issue 12: a format-2 checkpoint taken inside an APGD-T batch (target runs done, which points are
 * fooled, the RNG state as uint32 words and Box-Muller's spare normal, counters) is stored in the
 * job row as a worker stores it (`saveCheckpoint`, jsonb), read back as a resumed attempt reads it
 * (`getJob`), and the run resumed from it (what benchmarks/autoattack.ts passes as `resume`) ends
 * with the uninterrupted run's flags, norms and per-stage accuracies and counters. The expected
 * values are those of the uninterrupted run (the property under test is the equality); a pure
 * TypeScript MLP stands in for the ONNX model (no data bundle needed).
 */
import {
  type AutoAttackCheckpoint,
  type AutoAttackOptions,
  type AutoAttackResult,
  runAutoAttack,
} from '@alignscope/attacks';
import { rankedMlp, rankedMlpPoints } from '@alignscope/attacks/testing';
import {
  claimJob,
  createEvaluationRequestWithJobs,
  getJob,
  saveCheckpoint,
  upsertModel,
} from '@alignscope/db/queries';
import { createTestDb, type TestDb } from '@alignscope/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

let t: TestDb;
beforeAll(async () => {
  t = await createTestDb();
}, 60_000);
afterAll(async () => {
  await t.close();
});

const comparable = (r: AutoAttackResult) => ({
  robustFlags: r.robustFlags,
  perturbationNorms: r.perturbationNorms,
  stages: r.stages.map((s) => ({ ...s, seconds: 0 })),
});

describe('an in-batch AutoAttack checkpoint in the job row', () => {
  it('survives jsonb and resumes to the uninterrupted result', async () => {
    // 10 classes on 27 inputs, later classes with larger output weights (points fall to later target
    // ranks); 27 is odd, so an L2 random start of an odd number of points leaves a spare normal
    const clf = rankedMlp(10, [3, 3, 3], 24, 3);
    const n = 24;
    const { x, y } = await rankedMlpPoints(clf, n);
    const o: AutoAttackOptions = {
      norm: 'L2',
      eps: 0.12,
      version: 'custom',
      attacks: ['apgd-t', 'fab-t'],
      profile: 'torchattacks',
      seed: 5,
      batchSize: 16,
      keepAdversarial: false,
      inBatchCheckpointSeconds: 0,
    };
    const saved: AutoAttackCheckpoint[] = [];
    const full = await runAutoAttack(clf, x, y, { ...o, onCheckpoint: (c) => void saved.push(c) });
    // an APGD-T checkpoint after the batch's runs had fooled points, with a spare normal cached (L2
    // random starts draw normals in pairs), so that every field of the RNG state is exercised
    const c = saved.find(
      (s) =>
        s.inBatch?.attack === 'apgd-t' && s.inBatch.acc.includes(0) && s.inBatch.rng?.spare !== undefined,
    );
    if (!c) throw new Error('no APGD-T in-batch checkpoint with fooled points and a spare normal');
    expect(c.format).toBe(2);

    const { model: row } = await upsertModel(t.db, {
      identifier: 'in-batch-mlp',
      displayName: 'in-batch-mlp',
    });
    const { jobs } = await createEvaluationRequestWithJobs(t.db, {
      modelId: row.id,
      apiKeyId: null,
      benchmarks: ['cifar10.AutoAttack-L2-0.5'],
    });
    const jobId = jobs[0]?.job.id as number;
    const claimed = await claimJob(t.db, { jobId, worker: 'test', staleSeconds: 60 });
    if (!claimed) throw new Error('job not claimed');
    await saveCheckpoint(t.db, { jobId, claim: claimed.claim, checkpoint: c });
    const stored = (await getJob(t.db, jobId))?.checkpoint as AutoAttackCheckpoint;
    expect(stored).toEqual(JSON.parse(JSON.stringify(c)));
    expect(stored.inBatch?.rng).toEqual(c.inBatch?.rng);

    const resumed = await runAutoAttack(clf, x, y, { ...o, resume: stored });
    expect(comparable(resumed)).toEqual(comparable(full));
    expect(full.robustAccuracy).toBeGreaterThan(0);
    expect(full.robustAccuracy).toBeLessThan(full.cleanAccuracy);
  });
});
