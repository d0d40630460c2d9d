import { describe, expect, it } from 'vitest';
import {
  CIFAR10_TO_HUMAN16,
  cohensKappa,
  cueConflictCategories,
  decideCategory,
  errorConsistency,
  human16Mapping,
  imageKey,
  parseTrials,
  shapeBias,
  softmax,
  stimulusName,
  type Trial,
  TrialParseError,
} from '../src/index.ts';

describe('parseTrials', () => {
  const header = 'subj,session,trial,rt,object_response,category,condition,imagename';
  it('reads LF and CRLF files, NaN rt, and the Session spelling', () => {
    const lf = `${header}\nsubject-01,1,1,1.13,bird,bird,0,0001_s5n_s01_0_bird_00_bird3-bird2.png\n`;
    const crlf = `${header.replace('session', 'Session')}\r\nresnet50,1,1,NaN,bottle,airplane,NaN,airplane1-bicycle2.png\r\n\r\n`;
    expect(parseTrials(lf)).toEqual([
      {
        subj: 'subject-01',
        session: '1',
        trial: 1,
        rt: 1.13,
        objectResponse: 'bird',
        category: 'bird',
        condition: '0',
        imagename: '0001_s5n_s01_0_bird_00_bird3-bird2.png',
      },
    ]);
    const [t] = parseTrials(crlf, 'x.csv');
    expect(t?.rt).toBeNull();
    expect(t?.imagename).toBe('airplane1-bicycle2.png'); // no trailing \r
    expect(t?.condition).toBe('NaN');
  });

  it('names the file and line of bad input', () => {
    expect(() => parseTrials('a,b,c\n1,2,3', 'f.csv')).toThrow(
      /f\.csv: not a trial CSV: missing column\(s\) subj/,
    );
    expect(() => parseTrials(`${header}\ns,1,1,NaN,cat,cat,0`, 'f.csv')).toThrow(
      /f\.csv:2: expected 8 fields/,
    );
    expect(() => parseTrials(`${header}\ns,1,x,NaN,cat,cat,0,a.png`, 'f.csv')).toThrow(
      'f.csv:2: trial "x" is not an integer',
    );
    expect(() => parseTrials(`${header}\n`, 'f.csv')).toThrow('f.csv: no trials');
    expect(() => parseTrials(`${header}\ns,1,1,NaN,cat,"cat,0,a.png`, 'f.csv')).toThrow(
      /^f\.csv: malformed CSV: Quote Not Closed/,
    );
    const e = (() => {
      try {
        parseTrials(`${header}\ns,1,1,NaN,cat,cat,0,a.png\ns,1,2,NaN,,cat,0,b.png`, 'f.csv');
      } catch (err) {
        return err;
      }
    })();
    expect(e).toBeInstanceOf(TrialParseError);
    expect(e).toMatchObject({ file: 'f.csv', line: 3, problem: 'empty objectResponse' });
  });

  // Issue 17 item 5: the parser used to split on every comma, so a quoted field broke the row.
  it('reads RFC 4180 quoted fields (commas and doubled quotes inside a field)', () => {
    const text = `${header}\nsubject-01,1,1,0.5,cat,cat,"0,5","img, ""a"".png"\n`;
    expect(parseTrials(text, 'q.csv')).toEqual([
      {
        subj: 'subject-01',
        session: '1',
        trial: 1,
        rt: 0.5,
        objectResponse: 'cat',
        category: 'cat',
        condition: '0,5',
        imagename: 'img, "a".png',
      },
    ]);
  });
});

describe('image names', () => {
  it('finds the stimulus and the cue-conflict categories', () => {
    expect(stimulusName('0002_s5n_s01_0_bird_00_bird2-clock3.png')).toBe('bird2-clock3.png');
    expect(cueConflictCategories('0002_s5n_s01_0_bird_00_bird2-clock3.png')).toEqual({
      shape: 'bird',
      texture: 'clock',
    });
    expect(cueConflictCategories('cat7-elephant1.png')).toEqual({ shape: 'cat', texture: 'elephant' });
    expect(() => cueConflictCategories('airplane1.png')).toThrow(/not a cue-conflict image name/);
    expect(imageKey('0001_cop_s01_c30_knife_10_n03041632_7380.png', 'contrast')).toBe(
      'c30_knife_10_n03041632_7380.png',
    );
    expect(imageKey('0001_cop_dnn_c30_knife_10_n03041632_7380.png', 'contrast')).toBe(
      'c30_knife_10_n03041632_7380.png',
    );
    expect(imageKey('0001_edg_s02_0_cat_00_cat3.png', 'edge')).toBe('cat3.png');
  });
});

describe('shapeBias', () => {
  it('counts shape and texture hits over true conflicts (hand-worked)', () => {
    const r = shapeBias([
      { imagename: 'cat1-dog2.png', decision: 'cat' }, // shape
      { imagename: 'cat2-dog3.png', decision: 'dog' }, // texture
      { imagename: 'cat3-clock1.png', decision: 'cat' }, // shape
      { imagename: 'cat4-clock2.png', decision: 'bird' }, // neither
      { imagename: 'dog1-dog2.png', decision: 'dog' }, // same category: excluded
    ]);
    expect(r).toEqual({
      shapeBias: 2 / 3,
      shapeMatch: 2 / 4,
      textureMatch: 1 / 4,
      nConflict: 4,
      nShape: 2,
      nTexture: 1,
      nOther: 1,
      nExcluded: 1,
    });
  });

  it('restricts to images whose shape and texture are both in a category subset', () => {
    const r = shapeBias(
      [
        { imagename: 'cat1-dog2.png', decision: 'dog' },
        { imagename: 'cat1-clock2.png', decision: 'cat' }, // clock not in the set
      ],
      { categories: CIFAR10_TO_HUMAN16.categories },
    );
    expect([r.nShape, r.nTexture, r.nExcluded, r.shapeBias]).toEqual([0, 1, 1, 0]);
  });

  it('is NaN without shape or texture hits', () => {
    expect(shapeBias([{ imagename: 'cat1-dog2.png', decision: 'oven' }]).shapeBias).toBeNaN();
  });
});

describe('cohensKappa', () => {
  it('matches a hand-worked case', () => {
    // p1 = 2/4, p2 = 1/4; c_exp = .5*.25 + .5*.75 = .5; c_obs = 3/4; kappa = (.75-.5)/(1-.5) = .5
    const r = cohensKappa([true, true, false, false], [true, false, false, false]);
    expect(r.expected).toBeCloseTo(0.5, 12);
    expect(r.observed).toBeCloseTo(0.75, 12);
    expect(r.kappa).toBeCloseTo(0.5, 12);
  });
  it('is 1 for identical correctness, even when c_exp = 1 (model-vs-human convention)', () => {
    expect(cohensKappa([true, true], [true, true]).kappa).toBe(1);
    expect(cohensKappa([true, false], [true, false]).kappa).toBe(1);
  });
  it('agrees with the 2x2-table form of Cohen (1960) on random vectors', () => {
    let seed = 7;
    const rnd = () => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    const a = Array.from({ length: 500 }, () => rnd() < 0.6);
    const b = a.map((x) => (rnd() < 0.7 ? x : !x));
    let n11 = 0;
    let n10 = 0;
    let n01 = 0;
    let n00 = 0;
    a.forEach((x, i) => {
      if (x && b[i]) n11++;
      else if (x) n10++;
      else if (b[i]) n01++;
      else n00++;
    });
    const n = a.length;
    const po = (n11 + n00) / n;
    const pe = ((n11 + n10) * (n11 + n01) + (n01 + n00) * (n10 + n00)) / n ** 2;
    expect(cohensKappa(a, b).kappa).toBeCloseTo((po - pe) / (1 - pe), 12);
  });
});

describe('errorConsistency', () => {
  // brain-score/vision brainscore_vision/metrics/error_consistency/test.py (_make_data, test_score):
  // subject A as the model against subjects A, B, C gives 0.2, and A against itself 1.
  const responses = {
    A: ['dog', 'cat', 'chair', 'cat', 'dog', 'dog', 'dog', 'dog', 'chair'],
    B: ['cat', 'cat', 'chair', 'cat', 'dog', 'cat', 'chair', 'cat', 'cat'],
    C: ['dog', 'cat', 'chair', 'dog', 'cat', 'chair', 'dog', 'cat', 'chair'],
  };
  const truth = ['dog', 'cat', 'chair'];
  const trials = (subj: keyof typeof responses): Trial[] =>
    responses[subj].map((r, i) => ({
      subj,
      session: '1',
      trial: i + 1,
      rt: null,
      objectResponse: r,
      category: truth[i % 3] as string,
      condition: String(Math.floor(i / 3) + 1),
      imagename: `img${i}.png`,
    }));

  it("reproduces Brain-Score's metric test (0.2) under its convention", () => {
    const r = errorConsistency(trials('A'), [trials('A'), trials('B'), trials('C')], {
      dataset: 'test',
      convention: 'brain-score',
    });
    expect(r.raw).toBeCloseTo(0.2, 10);
    expect(r.perSubject.find((s) => s.subject === 'A')?.kappa).toBe(1);
    expect(r.conditions).toEqual(['1', '2', '3']);
    expect(r.ceiled).toBeCloseTo(r.raw / r.ceiling, 12);
  });

  it('gives the hand-worked value under the model-vs-human convention', () => {
    // Correct trials per condition (truth dog,cat,chair): A TTT|FFF|TFT, B FTT|FFF|FTF, C TTT|TTT|TTT.
    // model-vs-human kappa (1 when c_obs = 1): A-A 1,1,1; A-B 0, 1, -0.8; A-C 1, 0, 0.
    // Subject means 1, 0.2/3, 1/3; raw = (1 + 0.0666.. + 0.333..) / 3 = 0.4666..
    // (Brain-Score instead gets NaN where c_exp = 1 and skips it: A 1, B -0.4, C 0 -> 0.2.)
    const r = errorConsistency(trials('A'), [trials('A'), trials('B'), trials('C')], { dataset: 'test' });
    expect(r.perSubject.map((s) => s.kappa)).toEqual([
      1,
      expect.closeTo(0.2 / 3, 12),
      expect.closeTo(1 / 3, 12),
    ]);
    expect(r.raw).toBeCloseTo(1.4 / 3, 12);
  });

  it('matches images, not trial order, and rejects mismatched image sets', () => {
    const humans = [trials('B'), trials('C')];
    const shuffled = [...trials('A')].reverse();
    const a = errorConsistency(trials('A'), humans, { dataset: 'test' });
    const b = errorConsistency(shuffled, humans, { dataset: 'test' });
    expect(b.raw).toBeCloseTo(a.raw, 12);
    expect(() => errorConsistency(trials('A').slice(1), humans, { dataset: 'test' })).toThrow(
      /no trial on image img0/,
    );
    expect(() => errorConsistency(trials('A'), [trials('B')], { dataset: 'test' })).toThrow(
      /at least two human subjects/,
    );
  });
});

describe('category mapping', () => {
  it('takes the mean softmax probability per category (model-vs-human rule)', () => {
    const mapping = human16Mapping({
      categories: ['a', 'b'],
      indices: { a: [0], b: [1, 2] },
    });
    // Class 0 has the largest logit, but b's two classes: mean(p1, p2) vs p0.
    const logits = new Float32Array(1000).fill(-100);
    logits[0] = 2;
    logits[1] = 1.9;
    logits[2] = 1.9;
    const p = softmax(logits);
    const d = decideCategory(logits, { ...mapping, numClasses: 1000 });
    expect(d.scores[0]).toBeCloseTo(p[0] as number, 12);
    expect(d.scores[1]).toBeCloseTo(((p[1] as number) + (p[2] as number)) / 2, 12);
    expect(d.category).toBe('a');
  });
  it('takes the highest mapped logit for CIFAR-10 (deer, frog, horse ignored)', () => {
    const logits = [0, 1, 0, 0, 9, 0, 9, 9, 2, 0];
    expect(decideCategory(logits, CIFAR10_TO_HUMAN16).category).toBe('boat');
    expect(() => decideCategory([1, 2], CIFAR10_TO_HUMAN16)).toThrow(/expected 10 outputs/);
  });
});
