/**
 * Gradient-noise trace Tr Σ and its preconditioned version
 * Tr Σ′ = Tr(P^-1/2 Σ P^-1/2) = Σ_i Σ_ii / P_i.
 *
 * **Which covariance.** Σ is the *per-example* gradient covariance over the
 * training set, in the ddof-1 convention: Σ = (1/(N−1)) Σ_i (g_i − ḡ)(g_i − ḡ)ᵀ
 * with g_i the gradient of example i's loss. It is estimated from m ≥ 2
 * *disjoint* minibatches of size B drawn without replacement (a seeded, fixed
 * set of evaluation batches): with G_b the mean gradient of batch b and Ĉ the
 * sample covariance (ddof 1, Welford) of the G_b,
 *
 *     Tr Σ ≈ B · Tr Ĉ,
 *
 * which is unbiased for disjoint batches from a uniformly random permutation
 * (the finite-population factors cancel exactly). With B = 1 over all N
 * examples it is exactly the per-example sample covariance. The covariance of
 * the minibatch gradient itself (what SGD with batch size B feels) is
 * Tr Ĉ = `minibatchTrace`, ≈ Tr Σ/B·(N − B)/(N − 1).
 *
 * @example
 * ```ts
 * import { gradientNoise } from "./grad_noise.ts";
 * import { linearProblem } from "../../tests/reference/linear_problem.ts";
 * import { assertEquals } from "../../tests/assert.ts";
 * // per-example gradients at w = 0, y = 1: −[1, 0] and −[0, 2]; variances ½ and 2
 * const p = linearProblem([[1, 0], [0, 2]], [1, 1]);
 * const r = await gradientNoise({ ...p, batchSize: 1 });
 * assertEquals(r.trace, 2.5); // Tr Σ (per example)
 * p.dispose();
 * ```
 * @module
 */
import type * as tf from "@tensorflow/tfjs";
import { flatGradient, type LossSetup } from "./hvp.ts";

/**
 * Welford accumulator of the per-coordinate mean and sum of squared
 * deviations of a stream of vectors, enough for (weighted) covariance traces.
 *
 * @example
 * ```ts
 * import { assertEquals } from "../../tests/assert.ts";
 * const w = new WelfordTrace(2);
 * w.push(new Float64Array([1, 0]));
 * w.push(new Float64Array([3, 0]));
 * assertEquals(w.trace(), 2); // sample variance of [1, 3]
 * ```
 */
export class WelfordTrace {
  /** Number of vectors seen. */
  count = 0;
  /** Running mean. */
  readonly mean: Float64Array;
  /** Running Σ (x − mean)² per coordinate. */
  readonly m2: Float64Array;

  constructor(dim: number) {
    this.mean = new Float64Array(dim);
    this.m2 = new Float64Array(dim);
  }

  /** Adds one vector. */
  push(x: ArrayLike<number>): void {
    if (x.length !== this.mean.length) {
      throw new Error(
        `WelfordTrace: length ${x.length}, expected ${this.mean.length}`,
      );
    }
    this.count++;
    const n = this.count;
    // Stryker disable next-line EqualityOperator: i <= length only adds writes of mean[length] and m2[length], past the end of the typed arrays (dropped)
    for (let i = 0; i < x.length; i++) {
      const delta = x[i] - this.mean[i];
      this.mean[i] += delta / n;
      this.m2[i] += delta * (x[i] - this.mean[i]);
    }
  }

  /**
   * Trace of the sample covariance (ddof 1), optionally weighted per
   * coordinate: Σ_i w_i·Cov_ii. NaN with fewer than two vectors.
   */
  trace(weights?: ArrayLike<number>): number {
    if (this.count < 2) return NaN;
    let s = 0;
    if (weights) {
      for (let i = 0; i < this.m2.length; i++) s += weights[i] * this.m2[i];
    } else {
      for (let i = 0; i < this.m2.length; i++) s += this.m2[i];
    }
    return s / (this.count - 1);
  }
}

/** Options of {@linkcode gradientNoise}. */
export interface GradientNoiseOptions extends LossSetup {
  /**
   * Examples per evaluation batch (B). `x`/`y` hold the batches back to back:
   * batch b is rows [bB, (b+1)B); the number of batches is rows/B (≥ 2).
   */
  batchSize: number;
  /** Preconditioner diagonal P (flat, > 0) for Tr Σ′; omit for none. */
  preconditioner?: ArrayLike<number> | null;
}

/** What {@linkcode gradientNoise} found. */
export interface GradientNoise {
  /** Tr Σ, per-example covariance (ddof 1), = B·minibatchTrace. */
  trace: number;
  /** Tr(P^-1/2 Σ P^-1/2), or null without a preconditioner. */
  preconditionedTrace: number | null;
  /** Trace of the sample covariance of the minibatch-mean gradients. */
  minibatchTrace: number;
  /** The mean of the batch gradients (the gradient on all rows). */
  meanGradient: Float64Array;
  /** Number of batches m. */
  batches: number;
  /** Batch size B. */
  batchSize: number;
}

/**
 * Gradient-noise traces from fixed evaluation batches (see the module docs for
 * exactly which covariance is reported).
 *
 * @example
 * ```ts
 * import { linearProblem } from "../../tests/reference/linear_problem.ts";
 * import { assertEquals } from "../../tests/assert.ts";
 * const p = linearProblem([[1, 0], [0, 2]], [1, 1]);
 * const r = await gradientNoise({ ...p, batchSize: 1, preconditioner: [1, 4] });
 * // Tr Σ′ = Σᵢ Σᵢᵢ/Pᵢ = ½/1 + 2/4
 * assertEquals([r.trace, r.preconditionedTrace, r.batches], [2.5, 1, 2]);
 * p.dispose();
 * ```
 */
export async function gradientNoise(options: GradientNoiseOptions): Promise<GradientNoise> {
  const { model, params, loss, x, y, batchSize: B, preconditioner, chunkSize } = options;
  if (!Number.isInteger(B) || B < 1) {
    throw new Error(
      `gradientNoise: batchSize must be a positive integer, got ${B}`,
    );
  }
  const rows = x.shape[0];
  if (rows % B !== 0) {
    throw new Error(
      `gradientNoise: ${rows} rows are not a whole number of batches of ${B}`,
    );
  }
  const m = rows / B;
  if (m < 2) {
    throw new Error(`gradientNoise: need at least 2 batches, got ${m}`);
  }
  const dim = params.reduce((s: number, p: tf.Tensor) => s + p.size, 0);
  let weights: Float64Array | null = null;
  if (preconditioner) {
    if (preconditioner.length !== dim) {
      throw new Error(
        `gradientNoise: preconditioner has length ${preconditioner.length}, expected ${dim}`,
      );
    }
    weights = new Float64Array(dim);
    for (let i = 0; i < dim; i++) {
      const p = preconditioner[i];
      if (!(p > 0) || !Number.isFinite(p)) {
        throw new Error(`preconditioner entry ${i} must be positive, got ${p}`);
      }
      weights[i] = 1 / p;
    }
  }
  const acc = new WelfordTrace(dim);
  for (let b = 0; b < m; b++) {
    const xb = x.slice([b * B], [B]);
    const yb = y.slice([b * B], [B]);
    try {
      acc.push(
        (await flatGradient({ model, params, loss, x: xb, y: yb, chunkSize })).gradient,
      );
    } finally {
      xb.dispose();
      yb.dispose();
    }
  }
  const minibatchTrace = acc.trace();
  return {
    trace: B * minibatchTrace,
    preconditionedTrace: weights ? B * acc.trace(weights) : null,
    minibatchTrace,
    meanGradient: acc.mean,
    batches: m,
    batchSize: B,
  };
}
