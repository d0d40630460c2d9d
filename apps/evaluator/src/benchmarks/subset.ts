/**
 * `--limit n`: a stratified, seeded subset of a benchmark's images or stimuli. Data sets in the
 * bundle are sorted by class (CIFAR-10's test folders, the cue-conflict categories), so the first n
 * files would score a few classes only. Instead each stratum (class label or category) gets a share
 * of n proportional to its size — largest remainders first, ties broken in a seeded random order (so
 * with one image per class, as in the ImageNet samples, the classes themselves are drawn) — and its items are drawn by a Fisher–Yates shuffle from the seeded xoshiro128** generator of
 * @alignscope/analysis (stream `limit`). The subset keeps the data set's order. The same
 * (items, n, seed) always gives the same subset; the seed is recorded with the run.
 */
import { createRng } from '@alignscope/analysis';

/** What a limited run records about its subset. */
export type SubsetInfo = { limit: number; seed: number; strata: number; drawn: number; of: number };

export function stratifiedSubset<T>(
  items: readonly T[],
  n: number,
  seed: number,
  stratum: (item: T) => string,
): T[] {
  if (n >= items.length) return [...items];
  const groups = new Map<string, number[]>();
  items.forEach((it, i) => {
    const k = stratum(it);
    const g = groups.get(k);
    if (g) g.push(i);
    else groups.set(k, [i]);
  });
  const keys = [...groups.keys()].sort();
  // Proportional quotas (Hamilton's largest-remainder method).
  const exact = keys.map((k) => ((groups.get(k) as number[]).length * n) / items.length);
  const quota = exact.map(Math.floor);
  let left = n - quota.reduce((s, q) => s + q, 0);
  const rng = createRng(seed, 'limit');
  const tie = keys.map(() => rng.nextUint32());
  const rest = (j: number) => (exact[j] as number) - (quota[j] as number);
  const order = keys
    .map((_, j) => j)
    .sort((a, b) => rest(b) - rest(a) || (tie[a] as number) - (tie[b] as number));
  for (const j of order) {
    if (left === 0) break;
    quota[j] = (quota[j] as number) + 1;
    left--;
  }
  const chosen: number[] = [];
  keys.forEach((k, j) => {
    const g = [...(groups.get(k) as number[])];
    const q = quota[j] as number;
    // Partial Fisher–Yates: the first q positions become a uniform sample without replacement.
    for (let i = 0; i < q; i++) {
      const r = i + rng.nextInt(g.length - i);
      [g[i], g[r]] = [g[r] as number, g[i] as number];
    }
    chosen.push(...g.slice(0, q));
  });
  return chosen.sort((a, b) => a - b).map((i) => items[i] as T);
}
