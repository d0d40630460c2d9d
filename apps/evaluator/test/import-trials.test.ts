/**
 * trials: the model-vs-human decisions of the data bundle scored against its human trials.
 * References: top-1 from model-vs-human's own `performances/<model>.csv` (an independent record of the
 * same decisions); shape bias and error consistency worked out with a short Python (stdlib csv)
 * script over the same files, quoted below.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { requireDataDir } from '@alignscope/config';
import { listScores } from '@alignscope/db/queries';
import { createTestDb, type TestDb } from '@alignscope/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runImport } from '../src/importers/index.ts';
import { trials } from '../src/importers/trials.ts';

const data = requireDataDir();
const mvh = path.join(data, 'decisions/model-vs-human');

let t: TestDb;
beforeAll(async () => {
  t = await createTestDb();
});
afterAll(async () => {
  await t?.close();
});

describe('trials', () => {
  it('scores the 9 models x 17 data sets; top-1 equals model-vs-human performances', async () => {
    const s = await runImport(t.db, trials, mvh);
    expect(s.problems).toEqual([]);
    // 9 models x 17 data sets (performances/ is not trial data).
    expect(s.files).toHaveLength(153);
    expect(s.models_created).toBe(9);
    // Per file: error consistency + top-1; cue-conflict adds shape bias and shape match.
    expect(s.scores_created).toBe(153 * 2 + 9 * 2);

    let checked = 0;
    for (const f of ['resnet50', 'bagnet33', 'swag_vit_b16_in1k']) {
      const rows = readFileSync(path.join(mvh, 'performances', `${f}.csv`), 'utf8')
        .trim()
        .split(/\r?\n/)
        .slice(1);
      for (const line of rows) {
        const [subj, dataset, metric, perf] = line.split(',');
        if (metric !== 'accuracy (top-1)') continue;
        const id = `Geirhos2021${(dataset as string).replace(/-/g, '')}-top1`;
        const [sc] = await listScores(t.db, { model: subj, benchmark: id });
        expect(sc?.rawValue, `${subj} ${dataset}`).toBeCloseTo(Number(perf), 12);
        checked++;
      }
    }
    expect(checked).toBe(3 * 17);

    // resnet50 cue-conflict: 169 shape and 620 texture decisions among the 1,200 true-conflict images.
    const [sb] = await listScores(t.db, {
      model: 'resnet50',
      benchmark: 'Hermann2020cueconflict-shape_bias',
    });
    expect(sb?.rawValue).toBeCloseTo(169 / 789, 14);
    // Reference: apps/evaluator/scripts/reference-behavior.py (Python csv module, model-vs-human's
    // kappa definition), run on the bundle; its output is recorded in the script's header.
    // resnet50 edge vs the 10 human subjects (Brain-Score convention: abs of the mean kappa):
    // raw 0.03625908550737976, ceiling (mean human-human kappa) 0.3184364338405932.
    const [ec] = await listScores(t.db, {
      model: 'resnet50',
      benchmark: 'Geirhos2021edge-error_consistency',
    });
    expect(ec?.rawValue).toBeCloseTo(0.03625908550737976, 12);
    expect(ec?.ceiling).toBeCloseTo(0.3184364338405932, 12);
    expect(ec?.ceiledValue).toBeCloseTo(0.03625908550737976 / 0.3184364338405932, 12);

    const again = await runImport(t.db, trials, path.join(mvh, 'edge'));
    expect(again).toMatchObject({ scores_created: 0, scores_updated: 0, scores_unchanged: 18 });
  });

  it('reads a texture-vs-shape CNN file as cue-conflict', async () => {
    const f = path.join(
      data,
      'decisions/texture-vs-shape/style-transfer-512-nomask-experiment-trained-CNNs/style-transfer-512-nomask-experiment_vgg16_session-1.csv',
    );
    const s = await runImport(t.db, trials, f);
    expect(s.files[0]?.status).toBe('imported');
    expect(s.files[0]?.details.dataset).toBe('cue-conflict');
    expect(
      await listScores(t.db, { model: 'vgg16', benchmark: 'Hermann2020cueconflict-shape_bias' }),
    ).toHaveLength(1);
  });
});
