/**
 * Benjamini-Hochberg (1995) adjusted p-values (q-values): q_(i) = min_{j >= i} min(1, p_(j) m / j) over the
 * m non-null p-values sorted ascending (scipy.stats.false_discovery_control(method='bh')). Nulls stay null
 * and do not count in m.
 */
export function benjaminiHochberg(pValues: (number | null)[]): (number | null)[] {
  const idx: number[] = [];
  for (let i = 0; i < pValues.length; i++) {
    const p = pValues[i];
    if (p === null || p === undefined || Number.isNaN(p)) continue;
    if (p < 0 || p > 1) throw new Error(`benjaminiHochberg: p-value at index ${i} is outside [0, 1] (${p})`);
    idx.push(i);
  }
  idx.sort((a, b) => (pValues[a] as number) - (pValues[b] as number));
  const m = idx.length;
  const q: (number | null)[] = pValues.map(() => null);
  let running = 1;
  for (let k = m - 1; k >= 0; k--) {
    const i = idx[k] as number;
    running = Math.min(running, ((pValues[i] as number) * m) / (k + 1));
    q[i] = running;
  }
  return q;
}
