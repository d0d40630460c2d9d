"""Reference values for packages/analysis tests, computed with scipy (independent of the TypeScript code).

Run: python3 packages/analysis/scripts/golden.py   (scipy 1.17.1, numpy; printed numbers are pasted into
src/*.test.ts with a comment naming this script.)
"""
import json
import numpy as np
from scipy import stats

A_X = [0.62, 0.11, 0.85, 0.33, 0.47, 0.95, 0.28, 0.71, 0.05, 0.56]
A_Y = [0.41, 0.20, 0.77, 0.52, 0.38, 0.88, 0.15, 0.60, 0.12, 0.69]
T_X = [1, 2, 2, 3, 3, 3, 4, 5, 5, 6, 7, 8]
T_Y = [2, 1, 3, 3, 5, 4, 4, 6, 6, 5, 8, 7]
# n = 40 without ties (values are exact 3-decimal literals), weak relation.
rng = np.random.default_rng(7)
L_X = [round(float(v), 3) for v in rng.permutation(np.arange(1, 41)) / 41]
L_Y = [round(x * 0.4 + float(e), 3) for x, e in zip(L_X, rng.normal(0, 0.3, 40))]
Z = [round(float(v), 3) for v in rng.uniform(0, 1, 40)]
# n = 40, sorted with one adjacent swap: exact Kendall p (min(dis, tot - dis) <= 1) although n > 33.
S_X = list(range(40))
S_Y = list(range(40)); S_Y[10], S_Y[11] = S_Y[11], S_Y[10]
P = [0.01, 0.04, 0.03, 0.005, 0.2, 0.5, 0.041, 0.9]

def row(x, y):
    s = stats.spearmanr(x, y); p = stats.pearsonr(x, y); k = stats.kendalltau(x, y)
    lr = stats.linregress(x, y)
    r2 = lr.rvalue ** 2; n = len(x); f = r2 / (1 - r2) * (n - 2)
    return dict(spearman=[s.statistic, s.pvalue], pearson=[p.statistic, p.pvalue],
                kendall=[k.statistic, k.pvalue], slope=lr.slope, intercept=lr.intercept, r2=r2, f=f,
                f_p=stats.f.sf(f, 1, n - 2))

def partial_spearman(x, y, z):
    rx, ry, rz = (stats.rankdata(v) for v in (x, y, z))
    Zm = np.column_stack([np.ones(len(rz)), rz])
    res = lambda v: v - Zm @ np.linalg.lstsq(Zm, v, rcond=None)[0]
    r = stats.pearsonr(res(rx), res(ry)).statistic
    n = len(x); df = n - 3
    t = r * np.sqrt(df / (1 - r * r))
    return [r, 2 * stats.t.sf(abs(t), df)]

out = dict(
    L_X=L_X, L_Y=L_Y, Z=Z,
    A=row(A_X, A_Y), T=row(T_X, T_Y), L=row(L_X, L_Y),
    S_kendall=list(stats.kendalltau(S_X, S_Y)),
    kendall_exact_n10_asym=stats.kendalltau(A_X, A_Y, method='asymptotic').pvalue,
    bh=list(stats.false_discovery_control(P, method='bh')),
    partial_L=partial_spearman(L_X, L_Y, Z),
    boot_L_spearman=list(stats.bootstrap((L_X, L_Y), lambda a, b: stats.spearmanr(a, b).statistic, paired=True,
        vectorized=False, n_resamples=4000, method='percentile', random_state=1).confidence_interval),
    boot_L_pearson=list(stats.bootstrap((L_X, L_Y), lambda a, b: stats.pearsonr(a, b).statistic, paired=True,
        vectorized=False, n_resamples=4000, method='percentile', random_state=1).confidence_interval),
)
print(json.dumps(out, indent=1, default=float))

# --- predictRobustness reference (leave-one-out; an independent numpy implementation of the protocol
# documented in src/predict.ts: mid-ECDF rank transform fitted on the training fold, 0.5 for missing
# features, ridge minimising mean((y - b - Xw)^2) + lam |w|^2).
P_Y = [0.10, 0.35, 0.22, 0.50, 0.05, 0.41, 0.30, 0.18, 0.60, 0.27, 0.45, 0.12]
P_F1 = [0.2, 0.5, 0.35, 0.7, 0.1, 0.55, 0.3, 0.4, 0.9, 0.45, None, 0.15]
P_F2 = [0.9, 0.4, 0.6, 0.3, 0.8, 0.5, 0.55, 0.5, 0.1, 0.7, 0.2, None]

def mid_ecdf(train, v):
    train = np.array([t for t in train if t is not None], dtype=float)
    if v is None or len(train) == 0:
        return 0.5
    return (np.sum(train < v) + np.sum(train == v) / 2) / len(train)

def fit(idx, lam):
    feats = [P_F1, P_F2]
    Zm = np.array([[mid_ecdf([f[j] for j in idx], f[i]) for f in feats] for i in idx])
    t = np.array([mid_ecdf([P_Y[j] for j in idx], P_Y[i]) for i in idx])
    zc = Zm - Zm.mean(0); tc = t - t.mean()
    w = np.linalg.solve(zc.T @ zc / len(idx) + lam * np.eye(2), zc.T @ tc / len(idx))
    b = t.mean() - Zm.mean(0) @ w
    pred = lambda i: b + np.array([mid_ecdf([f[j] for j in idx], f[i]) for f in feats]) @ w
    return w, b, pred

n = len(P_Y)
held = []
for i in range(n):
    _, _, pred = fit([j for j in range(n) if j != i], 0.1)
    held.append(float(pred(i)))
w_all, b_all, _ = fit(list(range(n)), 0.1)
print(json.dumps(dict(predict_loo=dict(held=held, spearman=stats.spearmanr(held, P_Y).statistic,
    weights=list(w_all), intercept=float(b_all))), indent=1, default=float))
