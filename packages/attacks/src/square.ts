/**
 * Square Attack (Andriushchenko, Croce, Flammarion & Hein 2020, "Square Attack: a query-efficient
 * black-box adversarial attack via random search"), untargeted with the margin loss, as in
 * fra31/auto-attack autoattack/square.py (attack_single_run, p_selection, eta, perturb).
 * AutoAttack constructs it with resc_schedule=False; torchattacks keeps the default True.
 */
import { argmaxRow, margin } from './losses.ts';
import { Rng } from './rng.ts';
import { clamp01, copySample, gather, gatherInt, nonzero } from './tensor.ts';
import { type AttackContext, type Classifier, type Norm, type PerturbResult, sampleSize } from './types.ts';

export type SquareOptions = {
  norm: Norm;
  eps: number;
  nQueries: number;
  pInit: number;
  nRestarts: number;
  /** Rescale the p schedule to n_queries (it -> int(it / n_queries * 10000)). */
  rescaleSchedule: boolean;
};

export const SQUARE_DEFAULTS: Omit<SquareOptions, 'norm' | 'eps'> = {
  nQueries: 5000,
  pInit: 0.8,
  nRestarts: 1,
  rescaleSchedule: false,
};

/** The reference's p_selection: fraction of pixels changed at iteration `it`. */
export function squarePSelection(it: number, pInit: number, nQueries: number, rescale: boolean): number {
  const i = rescale ? Math.trunc((it / nQueries) * 10000) : it;
  if (10 < i && i <= 50) return pInit / 2;
  if (50 < i && i <= 200) return pInit / 4;
  if (200 < i && i <= 500) return pInit / 8;
  if (500 < i && i <= 1000) return pInit / 16;
  if (1000 < i && i <= 2000) return pInit / 32;
  if (2000 < i && i <= 4000) return pInit / 64;
  if (4000 < i && i <= 6000) return pInit / 128;
  if (6000 < i && i <= 8000) return pInit / 256;
  if (8000 < i) return pInit / 512;
  return pInit;
}

/** Python 3's round(): to nearest, ties to even. */
export function roundHalfEven(v: number): number {
  const f = Math.floor(v);
  const diff = v - f;
  if (diff > 0.5) return f + 1;
  if (diff < 0.5) return f;
  return f % 2 === 0 ? f : f + 1;
}

/** Side of the square window for p (Linf: max(round(sqrt(p*n_features/c)), 1), capped at min(h, w)). */
export function squareWindowLinf(p: number, c: number, h: number, w: number): number {
  const s = Math.max(roundHalfEven(Math.sqrt((p * c * h * w) / c)), 1);
  return Math.min(s, Math.min(h, w));
}

/** Side for the L2 attack: max(round(...), 3), made odd, then capped at min(h, w) (square.py since 2021). */
export function squareWindowL2(p: number, c: number, h: number, w: number): number {
  let s = Math.max(roundHalfEven(Math.sqrt((p * c * h * w) / c)), 3);
  if (s % 2 === 0) s += 1;
  return Math.min(s, Math.min(h, w));
}

/** Where one L2 Square step moves mass: from window 2 (zeroed) into window 1 (side s). */
export type SquareL2Windows = { s: number; vh: number; vw: number; vh2: number; vw2: number };

/**
 * One L2 Square update of one sample's perturbation `delta` = x_best - x ([c, h, w], in place), as
 * square.py's L2 branch: per channel, the window-1 content normalised plus eta(s) times the
 * channel's sign, rescaled to sqrt(max(eps^2 - ||delta||^2, 0) / c + ||delta_ch on both windows||^2)
 * (per-channel window norms); window 2 zeroed, window 1 set; then delta rescaled to L2 norm eps.
 */
export function squareL2Update(
  delta: Float64Array,
  shape: readonly [number, number, number],
  eps: number,
  win: SquareL2Windows,
  eta: Float64Array,
  signs: ArrayLike<number>,
): void {
  const [c, h, w] = shape;
  const { s, vh, vw, vh2, vw2 } = win;
  const hw = h * w;
  let normImage = 0;
  for (let j = 0; j < delta.length; j++) normImage += (delta[j] as number) ** 2;
  const free = Math.max(eps * eps - normImage, 0) / c;
  const inW = (i: number, j: number, a: number, b: number) => i >= a && i < a + s && j >= b && j < b + s;
  const newWin = new Float64Array(s * s);
  for (let ch = 0; ch < c; ch++) {
    const o = ch * hw;
    // norms_windows: this channel's delta on the union of both windows
    let nwin = 0;
    for (let i = 0; i < h; i++) {
      for (let j = 0; j < w; j++) {
        if (inW(i, j, vh, vw) || inW(i, j, vh2, vw2)) nwin += (delta[o + i * w + j] as number) ** 2;
      }
    }
    let nw1 = 0;
    for (let i = 0; i < s; i++)
      for (let j = 0; j < s; j++) nw1 += (delta[o + (vh + i) * w + vw + j] as number) ** 2;
    nw1 = Math.sqrt(nw1);
    let nn = 0;
    for (let i = 0; i < s; i++) {
      for (let j = 0; j < s; j++) {
        const v =
          (eta[i * s + j] as number) * (signs[ch] as number) +
          (delta[o + (vh + i) * w + vw + j] as number) / (1e-12 + nw1);
        newWin[i * s + j] = v;
        nn += v * v;
      }
    }
    const f = Math.sqrt(free + nwin) / (1e-12 + Math.sqrt(nn));
    for (let i = 0; i < s; i++) for (let j = 0; j < s; j++) delta[o + (vh2 + i) * w + vw2 + j] = 0;
    for (let i = 0; i < s; i++) {
      for (let j = 0; j < s; j++) delta[o + (vh + i) * w + vw + j] = (newWin[i * s + j] as number) * f;
    }
  }
  let nd = 0;
  for (let j = 0; j < delta.length; j++) nd += (delta[j] as number) ** 2;
  const g = eps / (Math.sqrt(nd) + 1e-12);
  for (let j = 0; j < delta.length; j++) delta[j] = (delta[j] as number) * g;
}

function marginRows(
  z: Float32Array,
  m: number,
  k: number,
  y: Int32Array,
  rows: ArrayLike<number>,
): Float64Array {
  const out = new Float64Array(m);
  for (let r = 0; r < m; r++) out[r] = margin(z, r * k, k, y[rows[r] as number] as number);
  return out;
}

/** Copies the [s, s] window at (vh, vw) of every channel of sample `from` of src into sample `to` of dst. */
function copyWindow(
  dst: Float32Array,
  to: number,
  src: Float32Array,
  from: number,
  d: number,
  [c, h, w]: readonly [number, number, number],
  { s, vh, vw }: { s: number; vh: number; vw: number },
): void {
  for (let ch = 0; ch < c; ch++) {
    for (let i = vh; i < vh + s; i++) {
      const o = ch * h * w + i * w + vw;
      dst.set(src.subarray(from * d + o, from * d + o + s), to * d + o);
    }
  }
}

/** The reference's eta_rectangles(x, y): nested rectangles with weights 1/(counter+1)^2, unit L2 norm. */
function etaRectangles(x: number, y: number): Float64Array {
  const delta = new Float64Array(x * y);
  const xc = Math.floor(x / 2) + 1;
  const yc = Math.floor(y / 2) + 1;
  let c0 = xc - 1;
  let c1 = yc - 1;
  for (let counter = 0; counter < Math.max(xc, yc); counter++) {
    const v = 1 / (counter + 1) ** 2;
    for (let i = Math.max(c0, 0); i < Math.min(c0 + 2 * counter + 1, x); i++) {
      for (let j = Math.max(0, c1); j < Math.min(c1 + 2 * counter + 1, y); j++)
        delta[i * y + j] = (delta[i * y + j] as number) + v;
    }
    c0 -= 1;
    c1 -= 1;
  }
  let ss = 0;
  for (const v of delta) ss += v * v;
  const nrm = Math.sqrt(ss);
  for (let i = 0; i < delta.length; i++) delta[i] = (delta[i] as number) / nrm;
  return delta;
}

/** The reference's eta(s): [s, s] window, + rectangles on the top half, - on the bottom, maybe transposed. */
export function squareEta(s: number, rng: Rng): Float64Array {
  const delta = new Float64Array(s * s);
  const h1 = Math.floor(s / 2);
  const top = etaRectangles(h1, s);
  const bottom = etaRectangles(s - h1, s);
  delta.set(top, 0);
  for (let i = 0; i < bottom.length; i++) delta[h1 * s + i] = -(bottom[i] as number);
  let ss = 0;
  for (const v of delta) ss += v * v;
  const nrm = Math.sqrt(ss);
  for (let i = 0; i < delta.length; i++) delta[i] = (delta[i] as number) / nrm;
  if (rng.uniform() > 0.5) {
    const t = new Float64Array(s * s);
    for (let i = 0; i < s; i++) for (let j = 0; j < s; j++) t[j * s + i] = delta[i * s + j] as number;
    return t;
  }
  return delta;
}

/** A Square run's state between two queries: every row's x_best, best margin and best loss. */
export type SquareState = { xBest: Float32Array; marginMin: Float64Array; lossMin: Float64Array };

/** What a span of a run's queries did: its forward samples, and the query it ended before. */
export type SquareSpanResult = { forwards: number; end: number };

/**
 * A classifier that can run a span of a Linf Square run on shares of the rows, each share on its own
 * thread following the same draws (OnnxClassifier with shares; `squareQueries` on each share), or
 * returns undefined where n rows would not be shared.
 */
export interface SquareRowSharing {
  squareShared(
    x: Float32Array,
    y: Int32Array,
    n: number,
    opts: SquareOptions,
    st: SquareState,
    draws: Int32Array,
    from: number,
    to: number,
    onIteration?: (i: number) => void,
  ): Promise<SquareSpanResult | undefined>;
}

/**
 * Queries a Linf run on shares of its rows makes between two meetings of the shares
 * (`squareSingleRun`): at each meeting the still-robust rows are dealt out evenly again, so rows
 * fooled in one share leave its thread idle for at most this many queries, and the threads meet 50
 * times in 5,000 queries instead of at every query.
 */
export const SQUARE_SHARE_SPAN = 100;

/**
 * A Linf run's random draws for its queries 0 .. count - 1, taken ahead from `rng` in the order the
 * run takes them (per query: vh, vw, then one sign per channel; 2 + c numbers). A Linf query's window
 * and signs are the same for every row (square.py draws them once per query), so given this table
 * the rows of a run are independent of each other.
 */
export function squareLinfDraws(
  rng: Rng,
  opts: SquareOptions,
  shape: readonly [number, number, number],
  count: number,
): Int32Array {
  const [c, h, w] = shape;
  const stride = 2 + c;
  const out = new Int32Array(count * stride);
  for (let it = 0; it < count; it++) {
    const p = squarePSelection(it, opts.pInit, opts.nQueries, opts.rescaleSchedule);
    const s = squareWindowLinf(p, c, h, w);
    const o = it * stride;
    out[o] = rng.int(0, h - s);
    out[o + 1] = rng.int(0, w - s);
    for (let ch = 0; ch < c; ch++) out[o + 2 + ch] = rng.sign();
  }
  return out;
}

/**
 * One Square run on n points; returns x_best (the init where nothing improved). A Linf run's draws
 * are taken ahead (`squareLinfDraws`; the Rng then continues after the queries the run made, as if
 * drawn one query at a time), and a classifier with `squareShared` runs its queries on shares of the
 * rows, spans of SQUARE_SHARE_SPAN queries at a time (`how.rowShares`, default true). The result
 * does not depend on it.
 */
export async function squareSingleRun(
  clf: Classifier,
  x: Float32Array,
  y: Int32Array,
  n: number,
  opts: SquareOptions,
  rng: Rng,
  onIteration?: (i: number) => void,
  how: { rowShares?: boolean } = {},
): Promise<{ xBest: Float32Array; forwards: number }> {
  const shape = clf.inputShape;
  if (shape.length !== 3) throw new Error(`Square needs [C, H, W] inputs, got [${shape.join(', ')}]`);
  const [c, h, w] = shape as [number, number, number];
  const d = c * h * w;
  const k = clf.numClasses;
  const { eps } = opts;
  const xBest = new Float32Array(n * d);
  let forwards = 0;

  if (opts.norm === 'Linf') {
    // vertical stripes: one sign per (sample, channel, column)
    for (let s = 0; s < n; s++) {
      for (let ch = 0; ch < c; ch++) {
        for (let col = 0; col < w; col++) {
          const sg = rng.sign();
          for (let row = 0; row < h; row++) {
            const o = s * d + ch * h * w + row * w + col;
            xBest[o] = clamp01((x[o] as number) + eps * sg);
          }
        }
      }
    }
  } else {
    // L2 init: a grid of eta(s) windows (s = h // 5) with random signs per (sample, channel)
    if (h < 5)
      throw new Error(`L2 Square needs inputs at least 5 pixels high (its init grid is h // 5), got ${h}`);
    const deltaInit = new Float64Array(n * d);
    const s = Math.floor(h / 5);
    const spInit = Math.floor((h - s * 5) / 2);
    let vh = spInit;
    for (let a = 0; a < Math.floor(h / s); a++) {
      let vw = spInit;
      for (let b = 0; b < Math.floor(w / s); b++) {
        const et = squareEta(s, rng);
        for (let q = 0; q < n; q++) {
          for (let ch = 0; ch < c; ch++) {
            const sg = rng.sign();
            for (let i = 0; i < s && vh + i < h; i++) {
              for (let j = 0; j < s && vw + j < w; j++) {
                const o = q * d + ch * h * w + (vh + i) * w + (vw + j);
                deltaInit[o] = (deltaInit[o] as number) + (et[i * s + j] as number) * sg;
              }
            }
          }
        }
        vw += s;
      }
      vh += s;
    }
    for (let q = 0; q < n; q++) {
      let ss = 0;
      for (let j = 0; j < d; j++) ss += (deltaInit[q * d + j] as number) ** 2;
      const f = eps / (Math.sqrt(ss) + 1e-12);
      for (let j = 0; j < d; j++)
        xBest[q * d + j] = clamp01((x[q * d + j] as number) + (deltaInit[q * d + j] as number) * f);
    }
  }
  const all = Array.from({ length: n }, (_, s) => s);
  const z0 = await clf.logits(xBest, n);
  forwards += n;
  const marginMin = marginRows(z0, n, k, y, all);
  const st: SquareState = { xBest, marginMin, lossMin: Float64Array.from(marginMin) };
  if (opts.norm === 'L2') {
    // an L2 query draws signs per still-robust row: the rows share one stream, drawn as they go
    const r = await squareQueries(clf, x, y, n, opts, st, rng, 0, opts.nQueries, onIteration);
    return { xBest, forwards: forwards + r.forwards };
  }
  const before = rng.state();
  const draws = squareLinfDraws(rng, opts, [c, h, w], opts.nQueries);
  const sharing =
    how.rowShares !== false ? (clf as Partial<SquareRowSharing>).squareShared?.bind(clf) : undefined;
  const stride = 2 + c;
  let end = 0;
  try {
    // spans of queries on the still-robust rows, dealt out to the shares anew for every span; where
    // they are too few to share (or nothing is shared), the rest of the run in one go: the rows only
    // become fewer
    for (let from = 0; from < opts.nQueries; ) {
      const rows = nonzero(Array.from(marginMin, (v) => v > 0));
      if (rows.length === 0) break;
      const m = rows.length;
      const xs = gather(x, d, rows);
      const ys = gatherInt(y, rows);
      const sub: SquareState = {
        xBest: gather(xBest, d, rows),
        marginMin: Float64Array.from(rows, (s) => marginMin[s] as number),
        lossMin: Float64Array.from(rows, (s) => st.lossMin[s] as number),
      };
      let to = Math.min(from + SQUARE_SHARE_SPAN, opts.nQueries);
      let r = sharing
        ? await sharing(xs, ys, m, opts, sub, draws.slice(from * stride, to * stride), from, to, onIteration)
        : undefined;
      // progress follows the main thread's share, whose rows may have run out before the span's end
      if (r) onIteration?.(r.end);
      else {
        to = opts.nQueries;
        r = await squareQueries(
          clf,
          xs,
          ys,
          m,
          opts,
          sub,
          draws.subarray(from * stride),
          from,
          to,
          onIteration,
        );
      }
      for (let i = 0; i < m; i++) {
        const s = rows[i] as number;
        copySample(xBest, s, sub.xBest, i, d);
        marginMin[s] = sub.marginMin[i] as number;
        st.lossMin[s] = sub.lossMin[i] as number;
      }
      forwards += r.forwards;
      end = r.end;
      if (end < to) break;
      from = to;
    }
  } finally {
    // the Rng goes on after the queries the run made (it ends early once every row is fooled)
    rng.restore(before);
    squareLinfDraws(rng, opts, [c, h, w], end);
  }
  return { xBest, forwards };
}

/**
 * Queries from .. to - 1 of a Square run on n points, from their state `st` (changed in place);
 * stops before a query when no row is left to fool. A Linf run takes each query's window and signs
 * from `draws` (squareLinfDraws' rows for queries from .. to - 1), an L2 run from `rng`. Rows are
 * independent given the draws, so a Linf span of some of a run's rows may run on its own (a share).
 */
export async function squareQueries(
  clf: Classifier,
  x: Float32Array,
  y: Int32Array,
  n: number,
  opts: SquareOptions,
  st: SquareState,
  draws: Int32Array | Rng,
  from: number,
  to: number,
  onIteration?: (i: number) => void,
): Promise<SquareSpanResult> {
  const [c, h, w] = clf.inputShape as [number, number, number];
  const d = c * h * w;
  const k = clf.numClasses;
  const { eps } = opts;
  const { xBest, marginMin, lossMin } = st;
  const rng = draws instanceof Rng ? draws : undefined;
  const table = draws instanceof Rng ? undefined : draws;
  if ((opts.norm === 'Linf') !== (table !== undefined))
    throw new Error('Square: a Linf run takes its draws from a table, an L2 run from its Rng');
  if (table && table.length < (to - from) * (2 + c))
    throw new Error(`Square: ${table.length} draws for queries ${from} .. ${to - 1} (${2 + c} each)`);
  let forwards = 0;

  // The per-query fixed cost is kept small (issue 15): the candidates of the still-robust rows live
  // in one buffer that holds x_best's rows between queries. A Linf query changes only its window,
  // in place; afterwards an accepted row's window goes to x_best and a rejected row's window is
  // restored from x_best, so no row is copied whole per query. The buffer is gathered again only
  // when the active set shrinks (a point fooled). The values are exactly those of building the
  // candidates from x_best every query (src/square.test.ts checks the bits).
  const xNew = new Float32Array(n * d);
  const mg = new Float64Array(n);
  const delta = new Float64Array(d);
  const sg = new Float64Array(c);
  const signs = new Float64Array(c);
  const rowSigns = new Float64Array(opts.norm === 'L2' ? n * c : 0);
  const shape3 = [c, h, w] as const;
  let idx = nonzero(Array.from(marginMin, (m) => m > 0));
  let filled = false;
  const hw = h * w;
  let it = from;
  for (; it < to; it++) {
    if (idx.length === 0) break;
    const m = idx.length;
    if (!filled) {
      for (let r = 0; r < m; r++) copySample(xNew, r, xBest, idx[r] as number, d);
      filled = true;
    }
    const p = squarePSelection(it, opts.pInit, opts.nQueries, opts.rescaleSchedule);
    // the Linf window (rows vh.., columns vw.., side s); the L2 update changes whole rows
    let win: { s: number; vh: number; vw: number } | null = null;
    if (table) {
      const s = squareWindowLinf(p, c, h, w);
      const o = (it - from) * (2 + c);
      const vh = table[o] as number;
      const vw = table[o + 1] as number;
      win = { s, vh, vw };
      for (let ch = 0; ch < c; ch++) signs[ch] = table[o + 2 + ch] as number;
      // only the window changes: x_new = clamp(clip(x_best + delta, x - eps, x + eps), 0, 1)
      for (let r = 0; r < m; r++) {
        const src = (idx[r] as number) * d;
        for (let ch = 0; ch < c; ch++) {
          const dv = 2 * eps * (signs[ch] as number);
          for (let i = vh; i < vh + s; i++) {
            for (let j = vw; j < vw + s; j++) {
              const off = ch * hw + i * w + j;
              const x0 = x[src + off] as number;
              const v = (xNew[r * d + off] as number) + dv;
              xNew[r * d + off] = clamp01(Math.min(Math.max(v, x0 - eps), x0 + eps));
            }
          }
        }
      }
    } else if (rng) {
      const s = squareWindowL2(p, c, h, w);
      const vh = rng.int(0, h - s);
      const vw = rng.int(0, w - s);
      const vh2 = rng.int(0, h - s);
      const vw2 = rng.int(0, w - s);
      const et = squareEta(s, rng);
      for (let q = 0; q < m * c; q++) rowSigns[q] = rng.sign();
      for (let r = 0; r < m; r++) {
        const src = (idx[r] as number) * d;
        // delta_curr = x_best - x
        for (let j = 0; j < d; j++) delta[j] = (xNew[r * d + j] as number) - (x[src + j] as number);
        for (let ch = 0; ch < c; ch++) sg[ch] = rowSigns[r * c + ch] as number;
        squareL2Update(delta, [c, h, w], eps, { s, vh, vw, vh2, vw2 }, et, sg);
        for (let j = 0; j < d; j++) xNew[r * d + j] = clamp01((x[src + j] as number) + (delta[j] as number));
      }
    }
    const z = await clf.logits(m === n ? xNew : xNew.subarray(0, m * d), m);
    forwards += m;
    for (let r = 0; r < m; r++) mg[r] = margin(z, r * k, k, y[idx[r] as number] as number);
    let shrink = false;
    for (let r = 0; r < m; r++) {
      const s = idx[r] as number;
      const l = mg[r] as number;
      let improved = l < (lossMin[s] as number);
      if (improved) lossMin[s] = l;
      if (l <= 0) improved = true;
      if (improved) {
        marginMin[s] = l;
        if (l <= 0) shrink = true;
      }
      // x_best takes an accepted candidate; a rejected candidate goes back to x_best
      if (improved) {
        if (win === null) copySample(xBest, s, xNew, r, d);
        else copyWindow(xBest, s, xNew, r, d, shape3, win);
      } else if (win === null) copySample(xNew, r, xBest, s, d);
      else copyWindow(xNew, r, xBest, s, d, shape3, win);
    }
    if (shrink) {
      idx = idx.filter((s) => (marginMin[s] as number) > 0);
      filled = false;
    }
    onIteration?.(it + 1);
  }
  return { forwards, end: it };
}

/**
 * Square perturb: attack the correctly classified points, keep those misclassified afterwards.
 * No in-batch checkpoints (unlike APGD-T and FAB-T): the state between two queries is every point's
 * current image (x_best) and margin, N x D floats that do not belong in a JSON checkpoint, so the
 * driver checkpoints Square only between batches.
 */
export async function squarePerturb(
  clf: Classifier,
  x: Float32Array,
  y: Int32Array,
  n: number,
  opts: SquareOptions,
  ctx: AttackContext,
): Promise<PerturbResult> {
  const d = sampleSize(clf.inputShape);
  const k = clf.numClasses;
  const clean = await clf.logits(x, n);
  let forwards = n;
  const acc = new Uint8Array(n);
  for (let s = 0; s < n; s++) acc[s] = argmaxRow(clean, s * k, k) === (y[s] as number) ? 1 : 0;
  const adv = Float32Array.from(x);
  const rng = new Rng(ctx.seed);
  for (let r = 0; r < opts.nRestarts; r++) {
    const idx = nonzero(acc);
    if (idx.length === 0) break;
    const ys = gatherInt(y, idx);
    const run = await squareSingleRun(
      clf,
      gather(x, d, idx),
      ys,
      idx.length,
      opts,
      rng,
      (i) => ctx.onProgress?.((r + i / opts.nQueries) / opts.nRestarts),
      { rowShares: ctx.rowShares !== false },
    );
    forwards += run.forwards;
    const z = await clf.logits(run.xBest, idx.length);
    forwards += idx.length;
    for (let t = 0; t < idx.length; t++) {
      if (argmaxRow(z, t * k, k) !== (ys[t] as number)) {
        const s = idx[t] as number;
        acc[s] = 0;
        copySample(adv, s, run.xBest, t, d);
      }
    }
  }
  return { xAdv: adv, forwards, gradients: 0 };
}
