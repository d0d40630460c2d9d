"""Reference numbers for @alignscope/neural's tests (run with Debian's /usr/bin/python3, which has
numpy/scipy/sklearn):

    /usr/bin/python3 packages/neural/scripts/golden.py > packages/neural/test/golden.json

Inputs are drawn here with numpy (seeded) and written into the JSON next to the outputs, so the tests
read the very same arrays. Outputs:
- sklearn.cross_decomposition.PLSRegression(n_components, scale=False) predictions (Brain-Score's `pls`),
  once with sklearn's defaults (tol=1e-06, max_iter=500) and once with its power iteration run to
  convergence (tol=1e-15, max_iter=100000), and the same model from an exact NIPALS (numpy SVD of X_k^T Y_k for each weight, instead of sklearn's
  power iteration stopped at tol 1e-6), to show how far sklearn's own iteration is from its limit;
- sklearn's error for more components than features;
- Brain-Score's CrossRegressedCorrelation on explicit splits: per split the median over neuroids of
  scipy.stats.pearsonr on the held-out stimuli (NaN neuroids skipped), mean and std/sqrt(k) over splits;
- sklearn RidgeCV(alphas=Brain-Score's ALPHA_LIST) chosen alpha and predictions;
- Brain-Score's RDM similarity (1 - np.corrcoef rows, scipy.stats.spearmanr of the upper triangles) and
  unbiased linear CKA (brainscore_vision/metrics/cka/metric.py, transcribed).
"""
import json
import sys
import warnings

import numpy as np
import scipy
import scipy.stats
import sklearn
from sklearn.cross_decomposition import PLSRegression
from sklearn.linear_model import RidgeCV


def exact_pls_predict(X, Y, Xt, k):
    xm, ym = X.mean(0), Y.mean(0)
    Xk, Yk = X - xm, Y - ym
    W, P, Q = [], [], []
    for _ in range(k):
        u, s, vt = np.linalg.svd(Xk.T @ Yk, full_matrices=False)
        w = u[:, 0]
        t = Xk @ w
        tt = t @ t
        p = Xk.T @ t / tt
        q = Yk.T @ t / tt
        Xk = Xk - np.outer(t, p)
        Yk = Yk - np.outer(t, q)
        W.append(w); P.append(p); Q.append(q)
    W, P, Q = np.array(W).T, np.array(P).T, np.array(Q).T
    coef = W @ np.linalg.pinv(P.T @ W) @ Q.T
    return (Xt - xm) @ coef + ym


def pls_case(rng, n_train, n_test, p, q, k, constant_column=None):
    X = rng.normal(size=(n_train + n_test, p))
    B = rng.normal(size=(p, q))
    Y = X @ B + 0.5 * rng.normal(size=(n_train + n_test, q))
    if constant_column is not None:
        Y[:, constant_column] = 3.25
    Xtr, Xte, Ytr = X[:n_train], X[n_train:], Y[:n_train]
    with warnings.catch_warnings():
        warnings.simplefilter('ignore')
        m = PLSRegression(n_components=k, scale=False).fit(Xtr, Ytr)
        tight = PLSRegression(n_components=k, scale=False, tol=1e-15, max_iter=100000).fit(Xtr, Ytr)
    return {
        'x': X.tolist(), 'y': Y.tolist(), 'nTrain': n_train, 'components': k,
        'sklearn': m.predict(Xte).tolist(),
        'sklearnTight': tight.predict(Xte).tolist(),
        'exact': exact_pls_predict(Xtr, Ytr, Xte, k).tolist(),
    }


def median_r(pred, target):
    rs = []
    for j in range(target.shape[1]):
        if np.all(target[:, j] == target[0, j]) or np.all(pred[:, j] == pred[0, j]):
            rs.append(np.nan)
            continue
        rs.append(scipy.stats.pearsonr(pred[:, j], target[:, j])[0])
    return float(np.nanmedian(rs))


def main():
    rng = np.random.default_rng(20261206)
    out = {'versions': {'python': sys.version.split()[0], 'numpy': np.__version__, 'scipy': scipy.__version__,
                        'sklearn': sklearn.__version__}}
    out['plsSmall'] = pls_case(rng, 40, 10, 15, 6, 3)
    out['plsWide'] = pls_case(rng, 20, 6, 60, 4, 5)
    out['plsConstant'] = pls_case(rng, 30, 8, 12, 4, 4, constant_column=2)
    try:
        PLSRegression(n_components=13, scale=False).fit(rng.normal(size=(30, 12)), rng.normal(size=(30, 2)))
        out['tooManyComponents'] = None
    except ValueError as e:
        out['tooManyComponents'] = str(e)

    # cross-validated PLS score on explicit splits
    n, p, q = 60, 30, 8
    X = rng.normal(size=(n, p))
    Y = X @ rng.normal(size=(p, q)) + 2.0 * rng.normal(size=(n, q))
    splits = []
    for _ in range(4):
        perm = rng.permutation(n)
        splits.append({'train': sorted(perm[6:].tolist()), 'test': sorted(perm[:6].tolist())})
    values = []
    for s in splits:
        m = PLSRegression(n_components=4, scale=False).fit(X[s['train']], Y[s['train']])
        values.append(median_r(m.predict(X[s['test']]), Y[s['test']]))
    values = np.array(values)
    tight = []
    for s in splits:
        m = PLSRegression(n_components=4, scale=False, tol=1e-15, max_iter=100000).fit(X[s['train']], Y[s['train']])
        tight.append(median_r(m.predict(X[s['test']]), Y[s['test']]))
    out['crossValidated'] = {'perSplitTight': tight, 'meanTight': float(np.mean(tight)),'x': X.tolist(), 'y': Y.tolist(), 'splits': splits, 'components': 4,
                             'perSplit': values.tolist(), 'mean': float(values.mean()),
                             'error': float(values.std() / np.sqrt(len(values)))}

    # RidgeCV with Brain-Score's ALPHA_LIST (gram mode: fewer samples than features)
    alphas = [*[0.01, 0.1, 0.5, 1.0], *np.linspace(1e1, 1e2, 4, endpoint=False),
              *np.linspace(1e2, 1e3, 18, endpoint=False), *np.linspace(1e3, 1e4, 18, endpoint=False),
              *np.linspace(1e4, 1e5, 18, endpoint=False), *np.linspace(1e5, 1e6, 18, endpoint=False),
              *np.linspace(1e6, 1e7, 19)]
    X = rng.normal(size=(36, 50)) * 3.0
    Y = X @ rng.normal(size=(50, 3)) * 0.2 + 5.0 * rng.normal(size=(36, 3)) + 1.0
    r = RidgeCV(alphas=alphas).fit(X[:30], Y[:30])
    out['ridge'] = {'x': X.tolist(), 'y': Y.tolist(), 'nTrain': 30, 'alpha': float(r.alpha_),
                    'prediction': r.predict(X[30:]).tolist(), 'alphas': [float(a) for a in alphas]}

    # RDM similarity and unbiased CKA
    A = rng.normal(size=(12, 20))
    B = A[:, :7] @ rng.normal(size=(7, 5)) + 0.8 * rng.normal(size=(12, 5))
    def triu(M):
        R = 1 - np.corrcoef(M)
        return R[np.triu_indices(M.shape[0], k=1)]
    rho = scipy.stats.spearmanr(triu(A), triu(B))[0]

    def uhsic(X, Y):
        n = X.shape[0]
        K, L = X @ X.T, Y @ Y.T
        np.fill_diagonal(K, 0.0); np.fill_diagonal(L, 0.0)
        K1, L1 = K.sum(1), L.sum(1)
        return (float((K * L).sum()) + K1.sum() * L1.sum() / ((n - 1) * (n - 2)) - 2 * float((K1 * L1).sum()) / (n - 2)) / (n * (n - 3))
    prod = uhsic(A, A) * uhsic(B, B)
    ucka = 0.0 if prod <= 0 else uhsic(A, B) / (np.sqrt(prod) + 1e-12)
    def centering(K):
        H = np.eye(K.shape[0]) - np.ones(K.shape) / K.shape[0]
        return H @ K @ H
    def lhsic(X, Y):
        return np.sum(centering(X @ X.T) * centering(Y @ Y.T))
    bcka = lhsic(A, B) / (np.sqrt(lhsic(A, A)) * np.sqrt(lhsic(B, B)))
    out['similarity'] = {'a': A.tolist(), 'b': B.tolist(), 'rdmSpearman': float(rho), 'unbiasedCka': float(ucka),
                         'biasedCka': float(bcka)}
    json.dump(out, sys.stdout)


if __name__ == '__main__':
    main()
