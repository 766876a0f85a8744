/**
 * Synthetic power laws (SPEC §6.2).
 *
 * 1. `powerlaw-curve`: analytic loss curves L(t, p) = L0 + A t^-μ + B p^-ν,
 *    their compute-optimal horizon t*(p) and the exact normalised curve, with
 *    optional seeded, time-correlated multiplicative noise.
 * 2. `powerlaw`: the supercollapse regression task of Qiu et al. (2025,
 *    App. A): x ~ U[−½, ½]^d, y = Σ_i w_i √2 cos(2π k_iᵀx + b_i).
 *
 * @example
 * ```ts
 * import { optimalHorizon, powerlawLoss } from "./powerlaw.ts";
 * import { assertClose, assertEquals } from "../tests/assert.ts";
 * const law = { L0: 0.1, A: 1, mu: 0.5, B: 1, nu: 0.52 };
 * const t = optimalHorizon(law, 1e6); // ∝ p^(ν/μ)
 * assertClose(optimalHorizon(law, 2e6) / t, 2 ** (0.52 / 0.5), 1e-12);
 * assertEquals(powerlawLoss(law, t, 1e6) > law.L0, true);
 * ```
 * @module
 */
import { rngFor } from "../core/rng.ts";
import type { PowerlawCurveTask, PowerlawTask } from "../core/config/task_schema.ts";
import type { Split, TaskData } from "./types.ts";

// ---------------------------------------------------------------------------
// 1. Analytic curves

/** The constants of L(t, p) = L0 + A t^-μ + B p^-ν. */
export interface PowerLaw {
  /** Irreducible loss. */
  L0: number;
  /** Time coefficient. */
  A: number;
  /** Time exponent μ. */
  mu: number;
  /** Size coefficient. */
  B: number;
  /** Size exponent ν. */
  nu: number;
}

/**
 * L(t, p) = L0 + A t^-μ + B p^-ν, noise-free.
 *
 * @example
 * ```ts
 * import { powerlawLoss } from "./powerlaw.ts";
 * import { assertEquals } from "../tests/assert.ts";
 * assertEquals(powerlawLoss({ L0: 0, A: 1, mu: 1, B: 1, nu: 1 }, 2, 4), 0.5 + 0.25); // A·t^−μ + B·p^−ν
 * ```
 */
export function powerlawLoss(law: PowerLaw, t: number, p: number): number {
  return law.L0 + law.A * t ** -law.mu + law.B * p ** -law.nu;
}

/**
 * The horizon exponent γ = ν/μ: t*(p) ∝ p^γ, c*(p) = 6 p t*(p) ∝ p^(1+γ).
 *
 * @example
 * ```ts
 * import { horizonExponent } from "./powerlaw.ts";
 * import { assertEquals } from "../tests/assert.ts";
 * assertEquals(horizonExponent({ L0: 0, A: 1, mu: 0.5, B: 1, nu: 0.52 }), 1.04);
 * ```
 */
export function horizonExponent(law: PowerLaw): number {
  return law.nu / law.mu;
}

/**
 * The compute-optimal horizon t*(p) = (μA / (νB))^(1/μ) · p^(ν/μ).
 *
 * Derivation. At fixed compute c = 6tp, write p = c/(6t), so
 * L(t) = L0 + A t^-μ + B (6t/c)^ν. Then
 * dL/dt = −μA t^(−μ−1) + νB (6/c)^ν t^(ν−1) = 0
 * ⇔ μA t^-μ = νB (6t/c)^ν = νB p^-ν,
 * i.e. A t*^-μ = (ν/μ) B p^-ν — SPEC §6.2's "t*^-μ = (ν/μ) p^-ν" is the case
 * A = B = 1. The second derivative is positive (both terms are convex in
 * ln t and the stationary point is unique), so this is the minimum. Solving:
 * t* = (μA/(νB))^(1/μ) p^(ν/μ), so t* ∝ p^γ with γ = ν/μ.
 *
 * @example
 * ```ts
 * import { optimalHorizon } from "./powerlaw.ts";
 * import { assertEquals } from "../tests/assert.ts";
 * assertEquals(optimalHorizon({ L0: 0, A: 1, mu: 1, B: 1, nu: 1 }, 100), 100);
 * ```
 */
export function optimalHorizon(law: PowerLaw, p: number): number {
  return ((law.mu * law.A) / (law.nu * law.B)) ** (1 / law.mu) *
    p ** (law.nu / law.mu);
}

/**
 * The compute-optimal compute for size p: c*(p) = 6 p t*(p).
 *
 * @example
 * ```ts
 * import { optimalCompute } from "./powerlaw.ts";
 * import { assertEquals } from "../tests/assert.ts";
 * assertEquals(optimalCompute({ L0: 0, A: 1, mu: 1, B: 1, nu: 1 }, 100), 60000);
 * ```
 */
export function optimalCompute(law: PowerLaw, p: number): number {
  return 6 * p * optimalHorizon(law, p);
}

/**
 * The exact normalised curve at the compute-optimal horizon,
 * ℓ(x) = [L(x t*, p) − L0] / [L(t*, p) − L0] = (r x^-μ + 1)/(r + 1), r = ν/μ,
 * the same for every p (using A t*^-μ = r B p^-ν from {@linkcode optimalHorizon}).
 *
 * @example
 * ```ts
 * import { normalisedCurve } from "./powerlaw.ts";
 * import { assertEquals } from "../tests/assert.ts";
 * assertEquals(normalisedCurve(1, 0.5, 0.52), 1);
 * ```
 */
export function normalisedCurve(x: number, mu: number, nu: number): number {
  const r = nu / mu;
  return (r * x ** -mu + 1) / (r + 1);
}

/**
 * The measurement steps of a curve with `points` points in [1, steps]:
 * `log` — round(steps^(k/(points−1))), k = 0..points−1; `linear` —
 * round(k·steps/points), k = 1..points; `mixed` — the union of ⌈points/2⌉
 * log-spaced and ⌊points/2⌋ evenly spaced steps (like the evaluation steps of
 * Qiu et al.'s code: early times resolved on a log axis, late times evenly,
 * which keeps linear interpolation accurate near the horizon). Duplicates are
 * dropped, so there may be fewer than `points`; the last is always `steps`.
 *
 * @example
 * ```ts
 * import { curveSteps } from "./powerlaw.ts";
 * import { assertEquals } from "../tests/assert.ts";
 * assertEquals(curveSteps(100, 3, "log"), [1, 10, 100]);
 * ```
 */
export function curveSteps(
  steps: number,
  points: number,
  spacing: "log" | "linear" | "mixed",
): number[] {
  if (!Number.isInteger(steps) || steps < 1) {
    throw new RangeError(`steps: expected an integer ≥ 1, got ${steps}`);
  }
  if (!Number.isInteger(points) || points < 2) {
    throw new RangeError(`task.points: expected an integer ≥ 2, got ${points}`);
  }
  if (spacing === "mixed") {
    const both = new Set([
      ...curveSteps(steps, Math.max(2, Math.ceil(points / 2)), "log"),
      ...curveSteps(steps, Math.max(2, Math.floor(points / 2)), "linear"),
    ]);
    return [...both].sort((a, b) => a - b);
  }
  const out: number[] = [];
  for (
    let k = spacing === "log" ? 0 : 1;
    k <= (spacing === "log" ? points - 1 : points);
    k++
  ) {
    const t = spacing === "log"
      ? Math.round(steps ** (k / (points - 1)))
      : Math.round((k * steps) / points);
    if (t >= 1 && (out.length === 0 || t > out[out.length - 1])) out.push(t);
  }
  if (out[out.length - 1] !== steps) out.push(steps);
  return out;
}

/** A generated curve: one entry per measurement point. */
export interface PowerlawCurveData {
  /** Step t. */
  step: number[];
  /** Compute c = 6·t·p. */
  compute: number[];
  /** Loss (noisy when the task has noise). */
  loss: number[];
}

/**
 * Generates a curve L(t, p) at {@linkcode curveSteps} points up to `steps`.
 *
 * Noise model (when `cfg.noise` is set): loss_k = L(t_k)·exp(σ ε_k − σ²/2),
 * so E[loss_k] = L(t_k) exactly, with ε a stationary Gaussian
 * Ornstein–Uhlenbeck process in ln t of unit variance and correlation
 * corr(ε(t), ε(t′)) = exp(−|ln t − ln t′| / ℓ), ℓ = `noise.correlation`
 * (ℓ = 0: independent draws). Sampled exactly at the points:
 * ε_0 ~ N(0, 1), ε_k = a ε_{k−1} + √(1 − a²) η_k, a = exp(−Δln t / ℓ).
 * The stream is `rngFor(seed, runId, "noise")`, so each run gets its own
 * reproducible fluctuations.
 *
 * @example
 * ```ts
 * import { powerlawCurve } from "./powerlaw.ts";
 * import { assertEquals } from "../tests/assert.ts";
 * const c = powerlawCurve(
 *   { kind: "powerlaw-curve", L0: 0.1, A: 1, mu: 0.5, B: 1, nu: 0.5, params: 1e4, points: 50, spacing: "log" },
 *   { steps: 1000, seed: 0, runId: "curve/base" },
 * );
 * assertEquals(c.step.at(-1), 1000);
 * ```
 */
export function powerlawCurve(
  cfg: PowerlawCurveTask,
  opts: { steps: number; seed: number; runId: string },
): PowerlawCurveData {
  const ts = curveSteps(opts.steps, cfg.points, cfg.spacing);
  const n = ts.length;
  const step = ts.slice();
  const compute = new Array<number>(n);
  const loss = new Array<number>(n);
  const noise = cfg.noise;
  const rng = noise && noise.sigma > 0 ? rngFor(opts.seed, opts.runId, "noise") : null;
  let eps = 0;
  for (let k = 0; k < n; k++) {
    const t = ts[k];
    compute[k] = 6 * t * cfg.params;
    let value = powerlawLoss(cfg, t, cfg.params);
    if (rng && noise) {
      if (k === 0) eps = rng.normal();
      else {
        const a = noise.correlation > 0
          ? Math.exp(-(Math.log(t) - Math.log(ts[k - 1])) / noise.correlation)
          : 0;
        eps = a * eps + Math.sqrt(1 - a * a) * rng.normal();
      }
      value *= Math.exp(noise.sigma * eps - (noise.sigma * noise.sigma) / 2);
    }
    loss[k] = value;
  }
  return { step, compute, loss };
}

// ---------------------------------------------------------------------------
// 2. The cosine-feature regression task

const STREAM = "task:powerlaw";

/**
 * The target function's features. Raw form (as drawn): radii s_i, integer
 * frequencies k_i, weights w_i (‖w‖ = 1), phases b_i ∈ {0, π/2}. Merged form
 * used for evaluation: features with the same ±k combine exactly into
 * y(x) = constant + Σ_m [cos_m cos(2π k_mᵀx) + sin_m sin(2π k_mᵀx)],
 * with each k_m's first nonzero component positive.
 */
export interface CosineFeatures {
  /** Number of features M. */
  count: number;
  /** Input dimension d. */
  dim: number;
  /** Radii s_i = (1 − u_i)^(−1/2) before rounding, length M. */
  radius: Float64Array;
  /** k_i = round(s_i v_i), M × d row-major. */
  k: Int32Array;
  /** Weights, unit norm, length M. */
  w: Float64Array;
  /** Phases b_i ∈ {0, π/2}, length M. */
  phase: Float64Array;
  /** Distinct canonical frequencies, modes × d row-major. */
  modeK: Int32Array;
  /** Cosine coefficient of each mode. */
  modeCos: Float64Array;
  /** Sine coefficient of each mode. */
  modeSin: Float64Array;
  /** The k = 0 contribution Σ_{k_i = 0} w_i √2 cos(b_i). */
  constant: number;
}

/**
 * Draws the features from `rngFor(seed, "task:powerlaw", "data")`: per
 * feature u ~ U[0, 1), s = (1 − u)^(−1/2) (so P(s > r) = r^-2, r ≥ 1), v a
 * uniformly random unit vector (normalised Gaussian), k = round(s v), and
 * b = 0 or π/2 with probability ½; then w ~ N(0, 1)^M normalised to unit norm.
 *
 * @example
 * ```ts
 * import { cosineFeatures } from "./powerlaw.ts";
 * import { assertEquals } from "../tests/assert.ts";
 * const f = cosineFeatures(100, 8, 0);
 * assertEquals(f.k.length, 800);
 * ```
 */
export function cosineFeatures(
  count: number,
  dim: number,
  seed: number,
): CosineFeatures {
  if (!Number.isInteger(count) || count < 1) {
    throw new RangeError(
      `task.features: expected an integer ≥ 1, got ${count}`,
    );
  }
  if (!Number.isInteger(dim) || dim < 1) {
    throw new RangeError(`task.inputDim: expected an integer ≥ 1, got ${dim}`);
  }
  const rng = rngFor(seed, STREAM, "data");
  const radius = new Float64Array(count);
  const k = new Int32Array(count * dim);
  const phase = new Float64Array(count);
  for (let i = 0; i < count; i++) {
    const s = (1 - rng.float()) ** -0.5;
    radius[i] = s;
    const v = rng.normals(dim);
    let norm = 0;
    for (const t of v) norm += t * t;
    norm = Math.sqrt(norm);
    for (let j = 0; j < dim; j++) {
      k[i * dim + j] = Math.round((s * v[j]) / norm);
    }
    phase[i] = rng.float() < 0.5 ? 0 : Math.PI / 2;
  }
  const w = rng.normals(count);
  let wNorm = 0;
  for (const t of w) wNorm += t * t;
  wNorm = Math.sqrt(wNorm);
  for (let i = 0; i < count; i++) w[i] /= wNorm;

  // merge features sharing ±k: cos(θ + π/2) = −sin θ; flipping k flips sin θ
  const index = new Map<string, number>();
  const modeK: number[] = [];
  const modeCos: number[] = [];
  const modeSin: number[] = [];
  let constant = 0;
  const row = new Int32Array(dim);
  for (let i = 0; i < count; i++) {
    let sign = 0;
    for (let j = 0; j < dim && sign === 0; j++) {
      sign = Math.sign(k[i * dim + j]);
    }
    const amp = w[i] * Math.SQRT2;
    if (sign === 0) {
      if (phase[i] === 0) constant += amp; // cos(π/2) = 0 exactly
      continue;
    }
    for (let j = 0; j < dim; j++) row[j] = sign * k[i * dim + j];
    const key = row.join(",");
    let m = index.get(key);
    if (m === undefined) {
      m = modeCos.length;
      index.set(key, m);
      modeK.push(...row);
      modeCos.push(0);
      modeSin.push(0);
    }
    if (phase[i] === 0) modeCos[m] += amp;
    else modeSin[m] -= sign * amp;
  }
  return {
    count,
    dim,
    radius,
    k,
    w,
    phase,
    modeK: Int32Array.from(modeK),
    modeCos: Float64Array.from(modeCos),
    modeSin: Float64Array.from(modeSin),
    constant,
  };
}

/** Largest |k_j| served from the per-example trig table; larger ones use Math.cos/sin directly. */
const TABLE_MAX = 512;

/**
 * Evaluates the target y(x) for n inputs (n × d row-major), in float64 from
 * the given input values, returned as float32.
 *
 * Cost: per example, a table of cos/sin(2π m x_j) for 0 ≤ m ≤ max|k_j| (one
 * trig pair per table entry), then each mode's e^{2πi kᵀx} as the product of
 * its nonzero components' table entries — far fewer trig calls than one per
 * feature. Modes with a component above 512 fall back to direct cos/sin.
 *
 * @example
 * ```ts
 * import { cosineFeatures, cosineTarget } from "./powerlaw.ts";
 * import { assertEquals } from "../tests/assert.ts";
 * const f = cosineFeatures(10, 2, 0);
 * assertEquals(cosineTarget(f, new Float32Array([0.1, -0.2]), 1).length, 1);
 * ```
 */
export function cosineTarget(
  f: CosineFeatures,
  x: ArrayLike<number>,
  n: number,
): Float32Array {
  const { dim, modeK, modeCos, modeSin } = f;
  const modes = modeCos.length;
  // sparse form of the table modes (slot into the trig table, sign of k_j);
  // the rest are evaluated directly
  const kMax = new Int32Array(dim);
  const tableModes: number[] = [];
  const directModes: number[] = [];
  for (let m = 0; m < modes; m++) {
    let big = false;
    for (let j = 0; j < dim; j++) {
      if (Math.abs(modeK[m * dim + j]) > TABLE_MAX) big = true;
    }
    (big ? directModes : tableModes).push(m);
    if (!big) {
      for (let j = 0; j < dim; j++) {
        kMax[j] = Math.max(kMax[j], Math.abs(modeK[m * dim + j]));
      }
    }
  }
  const tableOffset = new Int32Array(dim + 1);
  for (let j = 0; j < dim; j++) {
    tableOffset[j + 1] = tableOffset[j] + kMax[j] + 1;
  }
  const start = new Int32Array(tableModes.length + 1);
  const slots: number[] = [];
  const signs: number[] = [];
  const coefCos = new Float64Array(tableModes.length);
  const coefSin = new Float64Array(tableModes.length);
  tableModes.forEach((m, t) => {
    for (let j = 0; j < dim; j++) {
      const kk = modeK[m * dim + j];
      if (kk === 0) continue;
      slots.push(tableOffset[j] + Math.abs(kk));
      signs.push(Math.sign(kk));
    }
    start[t + 1] = slots.length;
    coefCos[t] = modeCos[m];
    coefSin[t] = modeSin[m];
  });
  const slot = Int32Array.from(slots);
  const sign = Float64Array.from(signs);
  const cosTable = new Float64Array(tableOffset[dim]);
  const sinTable = new Float64Array(tableOffset[dim]);
  const out = new Float32Array(n);
  const twoPi = 2 * Math.PI;
  const xi = new Float64Array(dim);
  for (let e = 0; e < n; e++) {
    for (let j = 0; j < dim; j++) {
      xi[j] = x[e * dim + j];
      for (let m = 0; m <= kMax[j]; m++) {
        cosTable[tableOffset[j] + m] = Math.cos(twoPi * m * xi[j]);
        sinTable[tableOffset[j] + m] = Math.sin(twoPi * m * xi[j]);
      }
    }
    let y = f.constant;
    for (let t = 0; t < coefCos.length; t++) {
      let re = 1;
      let im = 0;
      for (let q = start[t]; q < start[t + 1]; q++) {
        const c = cosTable[slot[q]];
        const s = sign[q] * sinTable[slot[q]];
        const r2 = re * c - im * s;
        im = re * s + im * c;
        re = r2;
      }
      y += coefCos[t] * re + coefSin[t] * im;
    }
    for (const m of directModes) {
      let dot = 0;
      for (let j = 0; j < dim; j++) dot += modeK[m * dim + j] * xi[j];
      y += modeCos[m] * Math.cos(twoPi * dot) +
        modeSin[m] * Math.sin(twoPi * dot);
    }
    out[e] = y;
  }
  return out;
}

function sampleSplit(
  f: CosineFeatures,
  n: number,
  seed: number,
  runId: string,
  purpose: string,
): Split {
  const rng = rngFor(seed, runId, purpose);
  const x = new Float32Array(n * f.dim);
  for (let i = 0; i < x.length; i++) x[i] = rng.float() - 0.5;
  return { x, y: cosineTarget(f, x, n), n, xShape: [f.dim], yShape: [1] };
}

/**
 * The online `powerlaw` task. The features, the fixed test set
 * (`testSize`) and a fixed train-eval sample (`batchSize`, for full-batch
 * measurements) depend on `task.seed` only; `batch(step, size)` draws fresh
 * inputs from `rngFor(ctx.seed, ctx.runId, "batch:" + step)`.
 *
 * @example
 * ```ts
 * import { powerlawTask } from "./powerlaw.ts";
 * import { assertEquals } from "../tests/assert.ts";
 * const d = powerlawTask(
 *   { kind: "powerlaw", features: 100, inputDim: 8, batchSize: 16, testSize: 32, seed: 0 },
 *   { seed: 1, runId: "pl/base" },
 * );
 * assertEquals(d.batch!(0, 16).n, 16);
 * ```
 */
export function powerlawTask(
  cfg: PowerlawTask,
  ctx: { seed: number; runId: string },
): TaskData {
  const f = cosineFeatures(cfg.features, cfg.inputDim, cfg.seed);
  return {
    kind: "powerlaw",
    inputDim: cfg.inputDim,
    outputDim: 1,
    classification: false,
    train: sampleSplit(f, cfg.batchSize, cfg.seed, STREAM, "train"),
    test: sampleSplit(f, cfg.testSize, cfg.seed, STREAM, "test"),
    batch: (step: number, size: number) => {
      if (!Number.isInteger(step) || step < 0) {
        throw new RangeError(
          `batch step: expected an integer ≥ 0, got ${step}`,
        );
      }
      return sampleSplit(f, size, ctx.seed, ctx.runId, `batch:${step}`);
    },
  };
}
