import { describe, expect, it } from 'vitest';
import { shuffleSplits } from './splits.ts';

describe('shuffleSplits', () => {
  it('has sklearn ShuffleSplit sizes (floor(0.9 n) train), disjoint sides covering every item, fixed by the seed', () => {
    const splits = shuffleSplits({ n: 105 });
    expect(splits).toHaveLength(10);
    for (const s of splits) {
      expect(s.train).toHaveLength(94); // floor(0.9 * 105)
      expect(s.test).toHaveLength(11);
      expect(new Set([...s.train, ...s.test]).size).toBe(105);
    }
    expect(shuffleSplits({ n: 105 })).toEqual(splits);
    expect(shuffleSplits({ n: 105, seed: 2 })[0]?.test).not.toEqual(splits[0]?.test);
    expect(new Set(splits.map((s) => s.test.join(','))).size).toBe(10);
  });

  it('stratifies: every class gets floor or ceil of its share of the test items', () => {
    // 60 'a', 30 'b', 10 'c'; n_test = 10 -> exact shares 6, 3, 1
    const strata = [...Array(60).fill('a'), ...Array(30).fill('b'), ...Array(10).fill('c')];
    for (const s of shuffleSplits({ n: 100, strata })) {
      const count = (c: string) => s.test.filter((i) => strata[i] === c).length;
      expect([count('a'), count('b'), count('c')]).toEqual([6, 3, 1]);
    }
    // 7 items of 3 classes into 2 test items: the two largest remainders get one each
    const odd = ['a', 'a', 'a', 'b', 'b', 'c', 'c'];
    for (const s of shuffleSplits({ n: 7, trainSize: 0.7, strata: odd })) expect(s.test).toHaveLength(3);
  });

  it('refuses splits that leave a side empty or cannot hold every class', () => {
    expect(() => shuffleSplits({ n: 9, trainSize: 0.05 })).toThrow(
      'cannot split 9 stimuli with train size 0.05: a side would be empty',
    );
    expect(() => shuffleSplits({ n: 20, strata: Array.from({ length: 20 }, (_, i) => `c${i % 4}`) })).toThrow(
      'a stratified split of 20 stimuli into 18/2 cannot hold all 4 classes on each side',
    );
  });
});
