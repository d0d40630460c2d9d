/**
 * PLS regression (PLS2, "regression" deflation, no scaling) as Brain-Score fits it:
 * sklearn.cross_decomposition.PLSRegression(n_components=25, scale=False), centred X and Y.
 *
 * Formulation: the kernel form of NIPALS on the n x n Gram matrix (Lindgren, Geladi & Wold 1993; Rännar,
 * Lindgren, Geladi & Wold 1994, "A PLS kernel algorithm for data sets with many variables and fewer
 * objects"), which gives the same model as sklearn's NIPALS because every NIPALS quantity is a function of
 * X only through X X^T:
 * - the k-th X weight w_k is the dominant left singular vector of X_k^T Y, where X_k = Q_k X and
 *   Q_k = I - T T^T projects out the earlier (unit-norm) scores. So w_k ∝ X^T u_k with u_k = Q_k Y c_k and
 *   c_k the dominant eigenvector of M_k = Y^T Q_k K Q_k Y (q x q), K = X X^T centred;
 * - the score is t_k ∝ X_k w_k = Q_k K u_k (normalised to unit length here; sklearn's t differs by a
 *   scale, which cancels in the coefficients);
 * - sklearn's coefficients W (P^T W)^-1 Q^T become, for test rows X*, Ŷ* = K* U (T^T K U)^-1 T^T Y + ȳ
 *   with K* = (X* - x̄)(X - x̄)^T, because W = X^T U, P = X^T T and Q^T = T^T Y.
 * M_k is updated from Y^T K Y and the products T^T Y, T^T K Y, T^T K T, so a component costs two n x n
 * matrix-vector products and an eigenvector of the small q x q matrix M_k.
 * sklearn finds c_k by the NIPALS power iteration to a tolerance of 1e-6 (max 500 iterations); here a
 * Lanczos iteration on M_k runs to a relative residual of 1e-12, so this is the limit sklearn's iteration
 * converges to.
 */
import { EigenvalueDecomposition, Matrix as MlMatrix, solve } from 'ml-matrix';
import { type Matrix, matrix } from './matrix.ts';

export const PLS_DEFAULTS = {
  /** Brain-Score's `pls_regression`: n_components=25, scale=False. */
  components: 25,
} as const;

/** Lanczos on M_k: stop when the Ritz residual is below this fraction of the Ritz value. */
const LANCZOS_TOL = 1e-12;
const LANCZOS_MAX_STEPS = 200;

export type PlsDiagnostics = {
  /** Lanczos steps used for each component's Y weights. */
  iterations: number[];
  /** Components whose Lanczos iteration hit the step limit before the residual tolerance. */
  unconverged: number[];
  /** Set when the Y residual vanished before all components were found: the number of components used. */
  stoppedAt?: number;
};

/** The train rows' Gram matrix, centred: H K H with H = I - 11^T/n. */
function centredTrainGram(g: Float64Array, n: number, train: ArrayLike<number>): Float64Array {
  const m = train.length;
  const k = new Float64Array(m * m);
  for (let a = 0; a < m; a++) {
    const ga = (train[a] as number) * n;
    for (let b = 0; b < m; b++) k[a * m + b] = g[ga + (train[b] as number)] as number;
  }
  const rowMean = new Float64Array(m);
  let total = 0;
  for (let a = 0; a < m; a++) {
    let s = 0;
    for (let b = 0; b < m; b++) s += k[a * m + b] as number;
    rowMean[a] = s / m;
    total += s;
  }
  const grand = total / (m * m);
  for (let a = 0; a < m; a++) {
    for (let b = 0; b < m; b++) {
      k[a * m + b] = (k[a * m + b] as number) - (rowMean[a] as number) - (rowMean[b] as number) + grand;
    }
  }
  return k;
}

/** K* centred by the train means: (X* - x̄)(X_train - x̄)^T, from the full Gram. */
function centredCrossGram(
  g: Float64Array,
  n: number,
  train: ArrayLike<number>,
  test: ArrayLike<number>,
): Float64Array {
  const m = train.length;
  const t = test.length;
  const out = new Float64Array(t * m);
  // column means of the train Gram (= its row means, symmetric) and the grand mean
  const colMean = new Float64Array(m);
  let grand = 0;
  for (let b = 0; b < m; b++) {
    const gb = (train[b] as number) * n;
    let s = 0;
    for (let a = 0; a < m; a++) s += g[gb + (train[a] as number)] as number;
    colMean[b] = s / m;
    grand += s;
  }
  grand /= m * m;
  for (let i = 0; i < t; i++) {
    const gi = (test[i] as number) * n;
    let s = 0;
    for (let b = 0; b < m; b++) s += g[gi + (train[b] as number)] as number;
    const rowMean = s / m;
    for (let b = 0; b < m; b++) {
      out[i * m + b] = (g[gi + (train[b] as number)] as number) - rowMean - (colMean[b] as number) + grand;
    }
  }
  return out;
}

function symMatVec(k: Float64Array, m: number, v: Float64Array, out: Float64Array): void {
  for (let a = 0; a < m; a++) {
    let s = 0;
    const row = a * m;
    for (let b = 0; b < m; b++) s += (k[row + b] as number) * (v[b] as number);
    out[a] = s;
  }
}

function norm2(v: Float64Array): number {
  let s = 0;
  for (let i = 0; i < v.length; i++) s += (v[i] as number) * (v[i] as number);
  return Math.sqrt(s);
}

/**
 * Dominant eigenvector of the symmetric positive semi-definite q x q matrix `mk`: Lanczos with full
 * reorthogonalisation from `start`, extended until the Ritz residual |beta_j s_j| is below 1e-12 of the
 * Ritz value (or the Krylov space is invariant). This is the vector NIPALS' power iteration converges to.
 */
function dominantEigenvector(
  mk: Float64Array,
  q: number,
  start: Float64Array,
): { v: Float64Array; iterations: number; converged: boolean } {
  if (q === 1) return { v: Float64Array.of(1), iterations: 0, converged: true };
  const basis: Float64Array[] = [];
  const alpha: number[] = [];
  const beta: number[] = [];
  let v = Float64Array.from(start);
  const n0 = norm2(v);
  for (let i = 0; i < q; i++) v[i] = (v[i] as number) / n0;
  const w = new Float64Array(q);
  const maxSteps = Math.min(q, LANCZOS_MAX_STEPS);
  let ritz = new Float64Array(0);
  for (let j = 0; j < maxSteps; j++) {
    basis.push(v);
    symMatVec(mk, q, v, w);
    let a = 0;
    for (let i = 0; i < q; i++) a += (w[i] as number) * (v[i] as number);
    alpha.push(a);
    // full reorthogonalisation, twice (Gram-Schmidt "twice is enough")
    for (let pass = 0; pass < 2; pass++) {
      for (const b of basis) {
        let d = 0;
        for (let i = 0; i < q; i++) d += (w[i] as number) * (b[i] as number);
        for (let i = 0; i < q; i++) w[i] = (w[i] as number) - d * (b[i] as number);
      }
    }
    const bj = norm2(w);
    if (bj > 1e-300 && (j + 1) % 4 !== 0 && j + 1 < maxSteps) {
      beta.push(bj);
      v = new Float64Array(q);
      for (let i = 0; i < q; i++) v[i] = (w[i] as number) / bj;
      continue;
    }
    // Ritz pair of the tridiagonal T_j (every 4 steps, at an invariant subspace and at the last step)
    const size = j + 1;
    const t = new MlMatrix(size, size);
    for (let i = 0; i < size; i++) {
      t.set(i, i, alpha[i] as number);
      if (i + 1 < size) {
        t.set(i, i + 1, beta[i] as number);
        t.set(i + 1, i, beta[i] as number);
      }
    }
    const evd = new EigenvalueDecomposition(t, { assumeSymmetric: true });
    const values = evd.realEigenvalues;
    let top = 0;
    for (let i = 1; i < size; i++) if ((values[i] as number) > (values[top] as number)) top = i;
    const s = evd.eigenvectorMatrix.getColumn(top);
    ritz = new Float64Array(q);
    for (let k = 0; k < size; k++) {
      const sk = s[k] as number;
      const bk = basis[k] as Float64Array;
      for (let i = 0; i < q; i++) ritz[i] = (ritz[i] as number) + sk * (bk[i] as number);
    }
    const theta = values[top] as number;
    const residual = Math.abs(bj * (s[size - 1] as number));
    if (bj <= 1e-14 * Math.abs(theta) || residual <= LANCZOS_TOL * Math.abs(theta)) {
      const rn = norm2(ritz);
      for (let i = 0; i < q; i++) ritz[i] = (ritz[i] as number) / rn;
      return { v: ritz, iterations: size, converged: true };
    }
    beta.push(bj);
    v = new Float64Array(q);
    for (let i = 0; i < q; i++) v[i] = (w[i] as number) / bj;
  }
  const rn = norm2(ritz);
  for (let i = 0; i < q; i++) ritz[i] = (ritz[i] as number) / rn;
  return { v: ritz, iterations: maxSteps, converged: maxSteps === q };
}

/** K_c Y_c for the train rows (m x q), from the uncentred Gram; see plsPredictFromGram. */
function trainGramTimesY(input: PlsGramInput, ymean: Float64Array): Float64Array {
  const { gram: g, size: n, y, train } = input;
  const m = train.length;
  const q = y.cols;
  const ksy = new Float64Array(m * q); // K_s Y_s
  const ks1 = new Float64Array(m); // K_s 1
  for (let a = 0; a < m; a++) {
    const ga = (train[a] as number) * n;
    let s = 0;
    for (let b = 0; b < m; b++) s += g[ga + (train[b] as number)] as number;
    ks1[a] = s;
  }
  if (input.gy) {
    const gy = input.gy;
    // rows of neither train nor test (a caller's subset) also contribute to G Y: subtract every non-train row
    const inTrain = new Uint8Array(n);
    for (let a = 0; a < m; a++) inTrain[train[a] as number] = 1;
    const others: number[] = [];
    for (let i = 0; i < n; i++) if (!inTrain[i]) others.push(i);
    for (let a = 0; a < m; a++) {
      const ia = train[a] as number;
      const out = a * q;
      for (let j = 0; j < q; j++) ksy[out + j] = gy[ia * q + j] as number;
      for (const o of others) {
        const kao = g[ia * n + o] as number;
        const yo = o * q;
        for (let j = 0; j < q; j++)
          ksy[out + j] = (ksy[out + j] as number) - kao * (y.data[yo + j] as number);
      }
    }
  } else {
    for (let a = 0; a < m; a++) {
      const ga = (train[a] as number) * n;
      const out = a * q;
      for (let b = 0; b < m; b++) {
        const kab = g[ga + (train[b] as number)] as number;
        const yb = (train[b] as number) * q;
        for (let j = 0; j < q; j++)
          ksy[out + j] = (ksy[out + j] as number) + kab * (y.data[yb + j] as number);
      }
    }
  }
  // K_s Yc, then H (subtract column means over the train rows)
  for (let a = 0; a < m; a++) {
    for (let j = 0; j < q; j++)
      ksy[a * q + j] = (ksy[a * q + j] as number) - (ks1[a] as number) * (ymean[j] as number);
  }
  for (let j = 0; j < q; j++) {
    let s = 0;
    for (let a = 0; a < m; a++) s += ksy[a * q + j] as number;
    s /= m;
    for (let a = 0; a < m; a++) ksy[a * q + j] = (ksy[a * q + j] as number) - s;
  }
  return ksy;
}

/** G Y (N x q) for `gram` G (N x N) and `y` (N x q), to share between splits (see PlsGramInput.gy). */
export function gramTimes(gram: Float64Array, size: number, y: Matrix): Float64Array {
  const q = y.cols;
  const out = new Float64Array(size * q);
  for (let i = 0; i < size; i++) {
    const gi = i * size;
    const oi = i * q;
    for (let k = 0; k < size; k++) {
      const v = gram[gi + k] as number;
      const yk = k * q;
      for (let j = 0; j < q; j++) out[oi + j] = (out[oi + j] as number) + v * (y.data[yk + j] as number);
    }
  }
  return out;
}

export type PlsGramInput = {
  /** The Gram matrix X X^T of all N rows (N x N, row-major), uncentred. */
  gram: Float64Array;
  /** N, the number of rows of the Gram matrix. */
  size: number;
  /** The number of features p (to check components <= p, as sklearn does). */
  features: number;
  /** Targets of all N rows (N x q). */
  y: Matrix;
  train: ArrayLike<number>;
  test: ArrayLike<number>;
  components?: number;
  /** G Y (N x q), from gramTimes, when several splits share one Gram: saves an m x m x q product per split. */
  gy?: Float64Array;
};

/** Fits PLS on the `train` rows and predicts the `test` rows (|test| x q). */
export function plsPredictFromGram(input: PlsGramInput): { prediction: Matrix; diagnostics: PlsDiagnostics } {
  const { gram: g, size: n, y, train, test } = input;
  const components = input.components ?? PLS_DEFAULTS.components;
  const m = train.length;
  const q = y.cols;
  if (!Number.isInteger(components) || components < 1) {
    throw new Error(`PLS needs a positive integer number of components, got ${components}`);
  }
  if (components > input.features) {
    throw new Error(
      `PLS with ${components} components needs at least ${components} features, got ${input.features}`,
    );
  }
  // Centred X has rank at most m - 1: a further component would be a zero score.
  if (components > m - 1) {
    throw new Error(
      `PLS with ${components} components needs at least ${components + 1} training samples, got ${m}`,
    );
  }
  const k = centredTrainGram(g, n, train);
  // centred train targets
  const ymean = new Float64Array(q);
  for (let a = 0; a < m; a++) {
    const r = (train[a] as number) * q;
    for (let j = 0; j < q; j++) ymean[j] = (ymean[j] as number) + (y.data[r + j] as number);
  }
  for (let j = 0; j < q; j++) ymean[j] = (ymean[j] as number) / m;
  const yc = new Float64Array(m * q);
  for (let a = 0; a < m; a++) {
    const r = (train[a] as number) * q;
    for (let j = 0; j < q; j++) yc[a * q + j] = (y.data[r + j] as number) - (ymean[j] as number);
  }
  // A = Kc Yc = H K_s Yc (m x q); K_s Yc = K_s Y_s - (K_s 1) ȳ^T, and K_s Y_s is (G Y)[train] minus the
  // test rows' contributions when G Y is given (one N x N x q product shared by all splits).
  const ky = trainGramTimesY(input, ymean);
  const yky = new Float64Array(q * q);
  for (let a = 0; a < m; a++) {
    for (let i = 0; i < q; i++) {
      const yi = yc[a * q + i] as number;
      if (yi === 0) continue;
      for (let j = 0; j < q; j++)
        yky[i * q + j] = (yky[i * q + j] as number) + yi * (ky[a * q + j] as number);
    }
  }
  const ts: Float64Array[] = []; // unit scores t_k (m)
  const us: Float64Array[] = []; // u_k = Q_k Yc c_k (m)
  const kus: Float64Array[] = []; // K u_k (m)
  const bRows: Float64Array[] = []; // t_k^T Yc (q)
  const cRows: Float64Array[] = []; // t_k^T K Yc (q)
  const ktRows: Float64Array[] = []; // K t_k (m), for D = T^T K T
  const diagnostics: PlsDiagnostics = { iterations: [], unconverged: [] };
  const mk = new Float64Array(q * q);
  const kt = new Float64Array(m);
  let maxDiag = 0;
  for (let a = 0; a < m; a++) maxDiag = Math.max(maxDiag, k[a * m + a] as number);
  const scoreScale = Math.sqrt(maxDiag) || 1;
  let yScale = 0;
  for (let i = 0; i < m * q; i++) yScale = Math.max(yScale, Math.abs(yc[i] as number));
  const yres = Float64Array.from(yc); // Q_k Yc, the Y residual
  for (let comp = 0; comp < components; comp++) {
    // M_k = Yc'KYc - C'B - B'C + B'DB, with B = T'Yc, C = T'KYc, D = T'KT
    mk.set(yky);
    const r = ts.length;
    const d = new Float64Array(r * r);
    for (let a = 0; a < r; a++) {
      const ta = ts[a] as Float64Array;
      for (let b = 0; b < r; b++) {
        const ktb = ktRows[b] as Float64Array;
        let s = 0;
        for (let i = 0; i < m; i++) s += (ta[i] as number) * (ktb[i] as number);
        d[a * r + b] = s;
      }
    }
    for (let a = 0; a < r; a++) {
      const ba = bRows[a] as Float64Array;
      const ca = cRows[a] as Float64Array;
      // db = sum_b D[a,b] B[b,:]
      const db = new Float64Array(q);
      for (let b = 0; b < r; b++) {
        const dab = d[a * r + b] as number;
        const bb = bRows[b] as Float64Array;
        for (let j = 0; j < q; j++) db[j] = (db[j] as number) + dab * (bb[j] as number);
      }
      for (let i = 0; i < q; i++) {
        const bai = ba[i] as number;
        const cai = ca[i] as number;
        for (let j = 0; j < q; j++) {
          mk[i * q + j] =
            (mk[i * q + j] as number) -
            cai * (ba[j] as number) -
            bai * (ca[j] as number) +
            bai * (db[j] as number);
        }
      }
    }
    // sklearn stops when the Y residual is zero ("Y residual is constant at iteration k"; it tests
    // |Y_k| < 10 eps per column): the remaining components would be zero, so the model keeps the ones found.
    // Here the residual Q Yc = Yc - T B is compared with the scale of Yc.
    let residual = 0;
    for (let i = 0; i < m * q; i++) residual = Math.max(residual, Math.abs(yres[i] as number));
    if (!(residual > 1e-12 * yScale)) {
      diagnostics.stoppedAt = comp;
      break;
    }
    // sklearn starts NIPALS from the first Y column that is not all zero; start there too.
    const start = new Float64Array(q);
    for (let j = 0; j < q; j++) {
      if ((mk[j * q + j] as number) > 0) {
        start[j] = 1;
        break;
      }
    }
    const eig = dominantEigenvector(mk, q, start);
    diagnostics.iterations.push(eig.iterations);
    if (!eig.converged) diagnostics.unconverged.push(comp);
    // u = Q (Yc c) = Yc c - T (B c)
    const u = new Float64Array(m);
    for (let a = 0; a < m; a++) {
      let s = 0;
      for (let j = 0; j < q; j++) s += (yc[a * q + j] as number) * (eig.v[j] as number);
      u[a] = s;
    }
    for (let b = 0; b < r; b++) {
      const bb = bRows[b] as Float64Array;
      let s = 0;
      for (let j = 0; j < q; j++) s += (bb[j] as number) * (eig.v[j] as number);
      const tb = ts[b] as Float64Array;
      for (let a = 0; a < m; a++) u[a] = (u[a] as number) - s * (tb[a] as number);
    }
    // t = Q K u, normalised
    const ku = new Float64Array(m);
    symMatVec(k, m, u, ku);
    const t = Float64Array.from(ku);
    for (let b = 0; b < r; b++) {
      const tb = ts[b] as Float64Array;
      let s = 0;
      for (let a = 0; a < m; a++) s += (tb[a] as number) * (t[a] as number);
      for (let a = 0; a < m; a++) t[a] = (t[a] as number) - s * (tb[a] as number);
    }
    const tn = norm2(t);
    if (!(tn > 1e-12 * scoreScale)) {
      throw new Error(
        `PLS component ${comp + 1} of ${components} has a zero score: the centred features or targets have rank ${comp}; use fewer components`,
      );
    }
    for (let a = 0; a < m; a++) t[a] = (t[a] as number) / tn;
    symMatVec(k, m, t, kt);
    const bRow = new Float64Array(q);
    const cRow = new Float64Array(q);
    for (let a = 0; a < m; a++) {
      const ta = t[a] as number;
      for (let j = 0; j < q; j++) {
        bRow[j] = (bRow[j] as number) + ta * (yc[a * q + j] as number);
        cRow[j] = (cRow[j] as number) + ta * (ky[a * q + j] as number);
      }
    }
    for (let a = 0; a < m; a++) {
      const ta = t[a] as number;
      for (let j = 0; j < q; j++) yres[a * q + j] = (yres[a * q + j] as number) - ta * (bRow[j] as number);
    }
    ts.push(t);
    us.push(u);
    kus.push(ku);
    bRows.push(bRow);
    cRows.push(cRow);
    ktRows.push(Float64Array.from(kt));
  }
  // Z = (T'KU)^-1 (T'Yc), V = U Z (m x q)
  const c = ts.length;
  const tku = new MlMatrix(c, c);
  for (let a = 0; a < c; a++) {
    const ta = ts[a] as Float64Array;
    for (let b = 0; b < c; b++) {
      const kub = kus[b] as Float64Array;
      let s = 0;
      for (let i = 0; i < m; i++) s += (ta[i] as number) * (kub[i] as number);
      tku.set(a, b, s);
    }
  }
  const z = c === 0 ? new MlMatrix(0, q) : solve(tku, new MlMatrix(bRows.map((row) => Array.from(row))));
  const v = new Float64Array(m * q);
  for (let a = 0; a < m; a++) {
    for (let b = 0; b < c; b++) {
      const uba = (us[b] as Float64Array)[a] as number;
      for (let j = 0; j < q; j++) v[a * q + j] = (v[a * q + j] as number) + uba * z.get(b, j);
    }
  }
  const ks = centredCrossGram(g, n, train, test);
  const nt = test.length;
  const pred = new Float64Array(nt * q);
  for (let i = 0; i < nt; i++) {
    for (let a = 0; a < m; a++) {
      const kia = ks[i * m + a] as number;
      for (let j = 0; j < q; j++)
        pred[i * q + j] = (pred[i * q + j] as number) + kia * (v[a * q + j] as number);
    }
    for (let j = 0; j < q; j++) pred[i * q + j] = (pred[i * q + j] as number) + (ymean[j] as number);
  }
  return { prediction: matrix(nt, q, pred), diagnostics };
}
