/**
 * Standard competition ranking ("1, 2, 2, 4"): a value's rank is 1 + the number of values strictly better.
 * Chosen because it is what leaderboards (Brain-Score's included) show: tied models share a rank and the
 * next rank still says how many models are ahead. Null and NaN values are not ranked (null rank).
 * Descending (higher is better) by default.
 */
export function rankWithTies(
  values: (number | null)[],
  opts: { descending?: boolean } = {},
): (number | null)[] {
  const descending = opts.descending ?? true;
  const idx: number[] = [];
  values.forEach((v, i) => {
    if (v !== null && v !== undefined && !Number.isNaN(v)) idx.push(i);
  });
  const sign = descending ? -1 : 1;
  idx.sort((a, b) => sign * ((values[a] as number) - (values[b] as number)));
  const ranks: (number | null)[] = values.map(() => null);
  for (let k = 0; k < idx.length; k++) {
    const i = idx[k] as number;
    const prev = k > 0 ? (idx[k - 1] as number) : -1;
    ranks[i] = prev >= 0 && values[prev] === values[i] ? (ranks[prev] as number) : k + 1;
  }
  return ranks;
}
