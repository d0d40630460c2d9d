/**
 * Issue 17 item 12: `--limit n` draws a stratified, seeded subset. Expected counts are worked out by
 * hand from Hamilton's largest-remainder apportionment.
 */
import { describe, expect, it } from 'vitest';
import { stratifiedSubset } from '../src/benchmarks/subset.ts';

/** A class-sorted data set like CIFAR-10's test folders: `perClass` items of each class in turn. */
const sorted = (classes: string[], perClass: number) =>
  classes.flatMap((c) => Array.from({ length: perClass }, (_, i) => ({ label: c, i })));
const count = (items: { label: string }[]) =>
  Object.fromEntries(
    [...new Set(items.map((x) => x.label))].sort().map((l) => [l, items.filter((x) => x.label === l).length]),
  );

describe('stratifiedSubset', () => {
  const classes = ['airplane', 'automobile', 'bird', 'cat', 'deer', 'dog', 'frog', 'horse', 'ship', 'truck'];
  const data = sorted(classes, 1000);

  it('spreads n over every class in proportion (the first n files were two classes only)', () => {
    const s = stratifiedSubset(data, 2000, 0, (x) => x.label);
    expect(s).toHaveLength(2000);
    // 2000 * 1000 / 10000 = 200 per class exactly.
    expect(count(s)).toEqual(Object.fromEntries(classes.map((c) => [c, 200])));
    // Not the first files of each class: the draw is random within a class.
    expect(s.filter((x) => x.label === 'cat').map((x) => x.i)).not.toEqual(
      Array.from({ length: 200 }, (_, i) => i),
    );
  });

  it('apportions by largest remainder', () => {
    // Sizes 5, 3, 2 (n 10), subset 5: exact shares 2.5, 1.5, 1.0 -> floors 2, 1, 1 (4), one seat
    // left for a remainder of 0.5 (a or b, by the seeded tie-break): a 3/b 1 or a 2/b 2, c 1.
    const items = [...sorted(['a'], 5), ...sorted(['b'], 3), ...sorted(['c'], 2)];
    for (const seed of [0, 1, 2, 3]) {
      const c = count(stratifiedSubset(items, 5, seed, (x) => x.label));
      expect(c.c).toBe(1);
      expect([
        [3, 1],
        [2, 2],
      ]).toContainEqual([c.a, c.b]);
    }
    // Sizes 6, 3, 1, subset 5: shares 3.0, 1.5, 0.5 -> floors 3, 1, 0, remainders 0, 0.5, 0.5:
    // one seat to b or c.
    const skew = [...sorted(['a'], 6), ...sorted(['b'], 3), ...sorted(['c'], 1)];
    const c = count(stratifiedSubset(skew, 5, 0, (x) => x.label));
    expect(c.a).toBe(3);
    expect((c.b ?? 0) + (c.c ?? 0)).toBe(2);
  });

  it('is reproducible for a seed, different across seeds, and keeps the data set order', () => {
    const a = stratifiedSubset(data, 50, 7, (x) => x.label);
    expect(stratifiedSubset(data, 50, 7, (x) => x.label)).toEqual(a);
    expect(stratifiedSubset(data, 50, 8, (x) => x.label)).not.toEqual(a);
    const pos = a.map((x) => classes.indexOf(x.label) * 1000 + x.i);
    expect(pos).toEqual([...pos].sort((p, q) => p - q));
  });

  it('draws classes at random when each has one item (the ImageNet samples)', () => {
    const one = sorted(
      Array.from({ length: 1000 }, (_, k) => String(k)),
      1,
    );
    const s = stratifiedSubset(one, 40, 0, (x) => x.label);
    expect(new Set(s.map((x) => x.label)).size).toBe(40);
    expect(s.map((x) => x.label)).not.toEqual(Array.from({ length: 40 }, (_, k) => String(k)));
  });

  it('returns everything when n is at least the size', () => {
    expect(stratifiedSubset(data.slice(0, 3), 5, 0, (x) => x.label)).toEqual(data.slice(0, 3));
  });
});
