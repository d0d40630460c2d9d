"""Reference Clopper-Pearson 95 % intervals for packages/analysis/src/interval.test.ts, from scipy's beta
quantile (independent of the TypeScript code): low = beta.ppf(0.025, k, n - k + 1), high =
beta.ppf(0.975, k + 1, n - k), with 0 / 1 at k = 0 / k = n.

Run: /usr/bin/python3 packages/analysis/scripts/clopper_pearson.py   (scipy 1.10+)
"""
from scipy import stats

for k, n in [(4, 100), (0, 10), (10, 10), (37, 100), (1, 1280)]:
    lo = 0.0 if k == 0 else stats.beta.ppf(0.025, k, n - k + 1)
    hi = 1.0 if k == n else stats.beta.ppf(0.975, k + 1, n - k)
    print(k, n, repr(float(lo)), repr(float(hi)))
