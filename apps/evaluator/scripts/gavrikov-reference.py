"""Reference numbers for issue 12's acceptance test, computed independently of AlignScope with scipy.

Gavrikov & Keuper (CVPR 2024) raw-data/benchmark.csv from the data bundle: Spearman correlation of
shape bias with PGD-40 robust accuracy at the low eps (0.5/255), pairwise-complete, and the partial
Spearman correlation given ImageNet top-1 (Pearson correlation of the rank residuals after regressing
each ranked variable on the ranked covariate, over the models with all three values; p from Student's
t with n - 3 degrees of freedom, as pingouin.partial_corr). Run with the Debian python:

    /usr/bin/python3 apps/evaluator/scripts/gavrikov-reference.py [<data dir>]

Its printed output is recorded as golden values in apps/evaluator/test/predict.test.ts.
"""
import csv
import math
import sys

import numpy as np
from scipy import stats

data = sys.argv[1] if len(sys.argv) > 1 else "../shared/data"
path = f"{data}/public-results/biases-vs-generalization/benchmark.csv"
rows = list(csv.DictReader(open(path, newline="")))


def col(name):
    return np.array([float(r[name]) if r[name] not in ("", "nan", "NaN") else math.nan for r in rows])


sb, low, top1 = col("shape-bias"), col("top1_acc/PGD-40/low"), col("top1_acc/imagenet")
ok = ~np.isnan(sb) & ~np.isnan(low)
rho, p = stats.spearmanr(sb[ok], low[ok])
print(f"spearman shape-bias vs PGD-40/low: n={ok.sum()} rho={rho!r} p={p!r}")

ok3 = ok & ~np.isnan(top1)
rx, ry, rz = (stats.rankdata(v[ok3]) for v in (sb, low, top1))
Z = np.column_stack([np.ones(ok3.sum()), rz])
res = lambda v: v - Z @ np.linalg.lstsq(Z, v, rcond=None)[0]
partial = stats.pearsonr(res(rx), res(ry))[0]
n3 = int(ok3.sum())
t = partial * math.sqrt((n3 - 3) / (1 - partial**2))
pp = 2 * stats.t.sf(abs(t), n3 - 3)
print(f"partial spearman given top1_acc/imagenet: n={n3} rho={partial!r} p={pp!r}")


# The cross-validated predictor of packages/analysis/src/predict.ts, re-implemented from its documented
# protocol (leave-one-out, so no fold randomness): per fold, features and target mapped to the mid-ECDF of
# the training models (missing feature -> 0.5), ridge with an unpenalised intercept minimising
# mean((t - b - Zw)^2) + lambda |w|^2; pooled held-out predictions scored by Spearman rho and pairwise
# ranking accuracy C / (C + D) over pairs untied on both.
def mid_ecdf(train, v):
    if math.isnan(v) or len(train) == 0:
        return 0.5
    s = np.sort(train)
    lo, up = np.searchsorted(s, v, "left"), np.searchsorted(s, v, "right")
    return (lo + (up - lo) / 2) / len(s)


def loo_predictor(features, target, lam=0.1):
    y = col(target)
    X = np.column_stack([col(f) for f in features])
    rows_ = np.where(~np.isnan(y))[0]
    held = []
    for i in rows_:
        tr = rows_[rows_ != i]
        Z = np.array([[mid_ecdf(X[tr, j][~np.isnan(X[tr, j])], X[r, j]) for j in range(X.shape[1])] for r in tr])
        t = np.array([mid_ecdf(y[tr], y[r]) for r in tr])
        zc, tc = Z - Z.mean(0), t - t.mean()
        w = np.linalg.solve(zc.T @ zc / len(tr) + lam * np.eye(X.shape[1]), zc.T @ tc / len(tr))
        b = t.mean() - Z.mean(0) @ w
        zi = np.array([mid_ecdf(X[tr, j][~np.isnan(X[tr, j])], X[i, j]) for j in range(X.shape[1])])
        held.append(b + zi @ w)
    held, truth = np.array(held), y[rows_]
    c = d = 0
    for a in range(len(held)):
        for b_ in range(a + 1, len(held)):
            s = np.sign(held[a] - held[b_]) * np.sign(truth[a] - truth[b_])
            c, d = c + (s > 0), d + (s < 0)
    return len(rows_), stats.spearmanr(held, truth)[0], c / (c + d)


for feats in (["shape-bias"], ["shape-bias", "top1_acc/imagenet"]):
    n, rho, acc = loo_predictor(feats, "top1_acc/PGD-40/low")
    print(f"loo predictor {feats} -> top1_acc/PGD-40/low: n={n} heldout_rho={rho!r} ranking_accuracy={acc!r}")
