/**
 * Small numeric helpers for the theory checks: robust summaries, rank
 * correlation, interpolation, smoothing, least squares and a derivative-free
 * minimiser. Plain `number[]` in, plain numbers out; no allocation-heavy tricks.
 *
 * @example
 * ```ts
 * import { median, spearman } from "./stats.ts";
 * import { assertEquals } from "../../tests/assert.ts";
 * assertEquals(median([3, 1, 2]), 2);
 * assertEquals(spearman([1, 2, 3], [10, 20, 15]), 0.5);
 * ```
 * @module
 */

/**
 * Median (mean of the two middle values for even length); NaN for an empty array.
 *
 * @example
 * ```ts
 * import { median } from "./stats.ts";
 * import { assertEquals } from "../../tests/assert.ts";
 * assertEquals(median([4, 1, 3, 2]), 2.5);
 * ```
 */
export function median(xs: readonly number[]): number {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 === 1 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/**
 * Arithmetic mean; NaN for an empty array.
 *
 * @example
 * ```ts
 * import { mean } from "./stats.ts";
 * import { assertEquals } from "../../tests/assert.ts";
 * assertEquals(mean([1, 2, 6]), 3);
 * ```
 */
export function mean(xs: readonly number[]): number {
  if (xs.length === 0) return NaN;
  let s = 0;
  for (const x of xs) s += x;
  return s / xs.length;
}

/**
 * Standard deviation with `ddof` delta degrees of freedom (default 1, the
 * sample estimate); NaN when `length − ddof ≤ 0`.
 *
 * @example
 * ```ts
 * import { sd } from "./stats.ts";
 * import { assertEquals } from "../../tests/assert.ts";
 * assertEquals(sd([1, 3]), Math.SQRT2);
 * assertEquals(sd([1, 3], 0), 1);
 * ```
 */
export function sd(xs: readonly number[], ddof = 1): number {
  const n = xs.length;
  if (n - ddof <= 0) return NaN;
  const m = mean(xs);
  let s = 0;
  for (const x of xs) s += (x - m) * (x - m);
  return Math.sqrt(s / (n - ddof));
}

/**
 * Ranks 1..n, ties receiving the mean of the ranks they span.
 *
 * @example
 * ```ts
 * import { ranks } from "./stats.ts";
 * import { assertEquals } from "../../tests/assert.ts";
 * assertEquals(ranks([10, 20, 10]), [1.5, 3, 1.5]);
 * ```
 */
export function ranks(xs: readonly number[]): number[] {
  const idx = xs.map((_, i) => i).sort((a, b) => xs[a] - xs[b]);
  const r = new Array<number>(xs.length);
  let i = 0;
  while (i < idx.length) {
    let j = i;
    while (j + 1 < idx.length && xs[idx[j + 1]] === xs[idx[i]]) j++;
    const rank = (i + j) / 2 + 1;
    for (let k = i; k <= j; k++) r[idx[k]] = rank;
    i = j + 1;
  }
  return r;
}

/**
 * Pearson correlation; NaN when either series is constant or lengths differ.
 *
 * @example
 * ```ts
 * import { pearson } from "./stats.ts";
 * import { assertEquals } from "../../tests/assert.ts";
 * assertEquals(pearson([1, 2, 3], [2, 4, 6]), 1);
 * ```
 */
export function pearson(x: readonly number[], y: readonly number[]): number {
  const n = x.length;
  if (n !== y.length || n < 2) return NaN;
  const mx = mean(x), my = mean(y);
  let sxy = 0, sxx = 0, syy = 0;
  for (let i = 0; i < n; i++) {
    const a = x[i] - mx, b = y[i] - my;
    sxy += a * b;
    sxx += a * a;
    syy += b * b;
  }
  if (sxx === 0 || syy === 0) return NaN;
  return sxy / Math.sqrt(sxx * syy);
}

/**
 * Spearman rank correlation ρ (Pearson correlation of tie-averaged ranks).
 *
 * @example
 * ```ts
 * import { spearman } from "./stats.ts";
 * import { assertEquals } from "../../tests/assert.ts";
 * assertEquals(spearman([1, 2, 3, 4], [1, 4, 9, 16]), 1);
 * ```
 */
export function spearman(x: readonly number[], y: readonly number[]): number {
  return pearson(ranks(x), ranks(y));
}

/**
 * Linear interpolation of the points (xs, ys) at `at`; `xs` ascending.
 * Outside [xs[0], xs[n−1]] the result is NaN (no extrapolation). Repeated
 * abscissae take the last value.
 *
 * @example
 * ```ts
 * import { interpolate } from "./stats.ts";
 * import { assertEquals } from "../../tests/assert.ts";
 * assertEquals(interpolate([0, 1, 2], [0, 10, 30], 1.5), 20);
 * ```
 */
export function interpolate(
  xs: readonly number[],
  ys: readonly number[],
  at: number,
): number {
  const n = xs.length;
  if (n === 0 || !(at >= xs[0]) || !(at <= xs[n - 1])) return NaN;
  let lo = 0, hi = n - 1;
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if (xs[mid] <= at) lo = mid;
    else hi = mid;
  }
  if (xs[hi] === at) return ys[hi];
  if (xs[lo] === at || xs[hi] === xs[lo]) return ys[lo];
  const w = (at - xs[lo]) / (xs[hi] - xs[lo]);
  return ys[lo] + w * (ys[hi] - ys[lo]);
}

/**
 * Interpolates at every point of `grid` (see {@linkcode interpolate}).
 *
 * @example
 * ```ts
 * import { interpolateOnGrid } from "./stats.ts";
 * import { assertEquals } from "../../tests/assert.ts";
 * assertEquals(interpolateOnGrid([0, 1], [0, 2], [0.25, 0.5]), [0.5, 1]);
 * ```
 */
export function interpolateOnGrid(
  xs: readonly number[],
  ys: readonly number[],
  grid: readonly number[],
): number[] {
  return grid.map((g) => interpolate(xs, ys, g));
}

/**
 * Exponential moving average over irregular times: each new sample pulls the
 * average with weight `1 − 2^(−Δt/halfLife)`, starting from the first value
 * (no start-up bias). `halfLife ≤ 0` returns a copy.
 *
 * @example
 * ```ts
 * import { emaHalfLife } from "./stats.ts";
 * import { assertEquals } from "../../tests/assert.ts";
 * assertEquals(emaHalfLife([0, 1], [0, 1], 1), [0, 0.5]);
 * ```
 */
export function emaHalfLife(
  times: readonly number[],
  values: readonly number[],
  halfLife: number,
): number[] {
  const out = new Array<number>(values.length);
  if (values.length === 0) return out;
  out[0] = values[0];
  for (let i = 1; i < values.length; i++) {
    if (!(halfLife > 0)) {
      out[i] = values[i];
      continue;
    }
    const d = Math.pow(2, -(times[i] - times[i - 1]) / halfLife);
    out[i] = d * out[i - 1] + (1 - d) * values[i];
  }
  return out;
}

/** Result of a straight-line fit y ≈ intercept + slope·x. */
export interface LineFit {
  /** Slope. */
  slope: number;
  /** Intercept. */
  intercept: number;
  /** Coefficient of determination (1 when y is constant and fitted exactly). */
  r2: number;
}

/**
 * Ordinary least-squares straight line; NaN slope when x is constant.
 *
 * @example
 * ```ts
 * import { fitLine } from "./stats.ts";
 * import { assertEquals } from "../../tests/assert.ts";
 * assertEquals(fitLine([0, 1, 2], [1, 3, 5]).slope, 2);
 * ```
 */
export function fitLine(x: readonly number[], y: readonly number[]): LineFit {
  const mx = mean(x), my = mean(y);
  let sxy = 0, sxx = 0, syy = 0;
  for (let i = 0; i < x.length; i++) {
    sxy += (x[i] - mx) * (y[i] - my);
    sxx += (x[i] - mx) * (x[i] - mx);
    syy += (y[i] - my) * (y[i] - my);
  }
  const slope = sxx === 0 ? NaN : sxy / sxx;
  const intercept = my - slope * mx;
  const r2 = syy === 0 ? 1 : (slope * sxy) / syy;
  return { slope, intercept, r2 };
}

/**
 * Linear least squares: the coefficients β minimising ‖Xβ − y‖² (X given as
 * rows), solved through the normal equations with partial pivoting. Throws
 * when XᵀX is singular.
 *
 * @example
 * ```ts
 * import { leastSquares } from "./stats.ts";
 * import { assertEquals } from "../../tests/assert.ts";
 * assertEquals(leastSquares([[1, 0], [1, 1], [1, 2]], [1, 3, 5]), [1, 2]);
 * ```
 */
export function leastSquares(
  rows: readonly (readonly number[])[],
  y: readonly number[],
): number[] {
  const k = rows[0]?.length ?? 0;
  const a: number[][] = Array.from(
    { length: k },
    () => new Array<number>(k + 1).fill(0),
  );
  rows.forEach((r, n) => {
    for (let i = 0; i < k; i++) {
      for (let j = 0; j < k; j++) a[i][j] += r[i] * r[j];
      a[i][k] += r[i] * y[n];
    }
  });
  for (let c = 0; c < k; c++) {
    let p = c;
    for (let r = c + 1; r < k; r++) {
      if (Math.abs(a[r][c]) > Math.abs(a[p][c])) p = r;
    }
    if (a[p][c] === 0) {
      throw new Error("leastSquares: singular normal equations");
    }
    [a[c], a[p]] = [a[p], a[c]];
    for (let r = 0; r < k; r++) {
      if (r === c) continue;
      const f = a[r][c] / a[c][c];
      for (let j = c; j <= k; j++) a[r][j] -= f * a[c][j];
    }
  }
  return a.map((r, i) => r[k] / r[i]);
}

/** Options of {@linkcode nelderMead}. */
export interface NelderMeadOptions {
  /** Initial simplex edge per coordinate (default 0.1·max(|x0ᵢ|, 1)). */
  step?: number[];
  /** Largest number of iterations (default 4000). */
  maxIter?: number;
  /** Stop when the simplex's function values span less than this (default 1e-14). */
  fTol?: number;
  /** Stop when the simplex's coordinates span less than this (default 1e-12). */
  xTol?: number;
}

/**
 * Minimises `f` with the Nelder–Mead simplex method (standard coefficients
 * 1, 2, ½, ½). Non-finite values count as +∞.
 *
 * @example
 * ```ts
 * import { nelderMead } from "./stats.ts";
 * import { assertClose } from "../../tests/assert.ts";
 * const r = nelderMead(([a, b]) => (a - 1) ** 2 + (b + 2) ** 2, [0, 0]);
 * assertClose(r.x[0], 1, 1e-4);
 * assertClose(r.x[1], -2, 1e-4);
 * ```
 */
export function nelderMead(
  f: (x: number[]) => number,
  x0: readonly number[],
  options: NelderMeadOptions = {},
): { x: number[]; value: number; iterations: number } {
  const n = x0.length;
  const maxIter = options.maxIter ?? 4000;
  const fTol = options.fTol ?? 1e-14;
  const xTol = options.xTol ?? 1e-12;
  const val = (x: number[]) => {
    const v = f(x);
    return Number.isFinite(v) ? v : Infinity;
  };
  const simplex: number[][] = [x0.slice()];
  for (let i = 0; i < n; i++) {
    const x = x0.slice();
    x[i] += options.step?.[i] ?? 0.1 * Math.max(Math.abs(x0[i]), 1);
    simplex.push(x);
  }
  let fs = simplex.map(val);
  let it = 0;
  for (; it < maxIter; it++) {
    const order = fs.map((_, i) => i).sort((a, b) => fs[a] - fs[b]);
    const s = order.map((i) => simplex[i]);
    fs = order.map((i) => fs[i]);
    simplex.splice(0, simplex.length, ...s);
    let xSpan = 0;
    for (let i = 1; i <= n; i++) {
      for (let j = 0; j < n; j++) {
        xSpan = Math.max(xSpan, Math.abs(simplex[i][j] - simplex[0][j]));
      }
    }
    if (Math.abs(fs[n] - fs[0]) <= fTol && xSpan <= xTol) break;
    if (xSpan <= xTol * 1e-3) break;
    const c = new Array<number>(n).fill(0);
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < n; j++) c[j] += simplex[i][j] / n;
    }
    const at = (t: number) => c.map((cj, j) => cj + t * (simplex[n][j] - cj));
    const xr = at(-1), fr = val(xr);
    if (fr < fs[0]) {
      const xe = at(-2), fe = val(xe);
      if (fe < fr) [simplex[n], fs[n]] = [xe, fe];
      else [simplex[n], fs[n]] = [xr, fr];
    } else if (fr < fs[n - 1]) {
      [simplex[n], fs[n]] = [xr, fr];
    } else {
      const outside = fr < fs[n];
      const xc = at(outside ? -0.5 : 0.5), fc = val(xc);
      if (fc < (outside ? fr : fs[n])) {
        [simplex[n], fs[n]] = [xc, fc];
      } else {
        for (let i = 1; i <= n; i++) {
          simplex[i] = simplex[i].map((v, j) => simplex[0][j] + 0.5 * (v - simplex[0][j]));
          fs[i] = val(simplex[i]);
        }
      }
    }
  }
  let best = 0;
  for (let i = 1; i < fs.length; i++) if (fs[i] < fs[best]) best = i;
  return { x: simplex[best], value: fs[best], iterations: it };
}

/**
 * Golden-section search for a minimum of `f` on [lo, hi] (unimodal assumed).
 *
 * @example
 * ```ts
 * import { goldenSection } from "./stats.ts";
 * import { assertClose } from "../../tests/assert.ts";
 * assertClose(goldenSection((x) => (x - 0.3) ** 2, 0, 1), 0.3, 1e-6);
 * ```
 */
export function goldenSection(
  f: (x: number) => number,
  lo: number,
  hi: number,
  iters = 80,
): number {
  const g = (Math.sqrt(5) - 1) / 2;
  let a = lo, b = hi;
  let c = b - g * (b - a), d = a + g * (b - a);
  let fc = f(c), fd = f(d);
  for (let i = 0; i < iters; i++) {
    if (fc <= fd) {
      b = d;
      d = c;
      fd = fc;
      c = b - g * (b - a);
      fc = f(c);
    } else {
      a = c;
      c = d;
      fc = fd;
      d = a + g * (b - a);
      fd = f(d);
    }
  }
  return fc <= fd ? c : d;
}

/**
 * Huber loss ρ_δ(r) = r²/2 for |r| ≤ δ, else δ(|r| − δ/2).
 *
 * @example
 * ```ts
 * import { huber } from "./stats.ts";
 * import { assertEquals } from "../../tests/assert.ts";
 * assertEquals(huber(0.5, 1), 0.125);
 * assertEquals(huber(3, 1), 2.5);
 * ```
 */
export function huber(r: number, delta: number): number {
  const a = Math.abs(r);
  return a <= delta ? 0.5 * r * r : delta * (a - 0.5 * delta);
}
