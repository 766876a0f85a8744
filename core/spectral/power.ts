/**
 * Power iteration, PyHessian-style: v ← Av/‖Av‖, Rayleigh quotient λ = vᵀAv,
 * stop when |λ − λ_prev| ≤ tol·|λ_prev| (default tol 1e-3, ≤ 100 iterations).
 *
 * Power iteration converges to the eigenvalue of largest **magnitude**. The
 * harness reports the largest **algebraic** eigenvalue, so when the dominant
 * eigenvalue μ comes out negative a second power iteration runs on the shifted
 * operator A − μI (whose spectrum is ≥ 0 and whose dominant eigenvalue is
 * λ_max − μ) and λ_max = ν + μ is reported. `dominant` always holds μ.
 *
 * @example
 * ```ts
 * import { powerIteration } from "./power.ts";
 * import { rngFor } from "../rng.ts";
 * import { assertClose } from "../../tests/assert.ts";
 * const d = new Float64Array([3, 1, -5]);
 * const r = await powerIteration((v) => v.map((x, i) => d[i] * x), 3, {
 *   tol: 1e-10, maxIter: 1000, rng: rngFor(0, "doc", "probe"),
 * });
 * assertClose(r.dominant, -5, 1e-6);
 * assertClose(r.value, 3, 1e-6); // the largest algebraic eigenvalue
 * ```
 * @module
 */
import type { Rng } from "../rng.ts";
import type { MatVec } from "./lanczos.ts";
import { dot, norm, normalized } from "./vector.ts";

/** Options of {@linkcode powerIteration}. */
export interface PowerOptions {
  /** Relative change of the eigenvalue estimate at which to stop; default 1e-3. */
  tol?: number;
  /** Maximum iterations per run; default 100. */
  maxIter?: number;
  /** Start vector (normalised here). */
  start?: Float64Array;
  /** Random stream for the start vector when `start` is absent. */
  rng?: Rng;
}

/** What {@linkcode powerIteration} found. */
export interface PowerResult {
  /** Largest algebraic eigenvalue estimate. */
  value: number;
  /** Its unit eigenvector estimate. */
  vector: Float64Array;
  /** Residual ‖Av − λv‖ of (value, vector). */
  residual: number;
  /** Eigenvalue of largest magnitude found by the first run. */
  dominant: number;
  /** Matrix-vector products used (both runs). */
  matvecs: number;
  /** True when every run met the tolerance. */
  converged: boolean;
}

async function run(
  matvec: MatVec,
  v0: Float64Array,
  tol: number,
  maxIter: number,
): Promise<{
  value: number;
  vector: Float64Array;
  av: Float64Array;
  matvecs: number;
  converged: boolean;
}> {
  let v = v0;
  let prev = NaN;
  for (let it = 1;; it++) {
    const av = Float64Array.from(await matvec(v));
    const value = dot(v, av);
    if (!Number.isFinite(value)) {
      throw new Error("powerIteration: matvec produced a non-finite value");
    }
    const n = norm(av);
    const done = n === 0 ||
      (it > 1 && Math.abs(value - prev) <= tol * Math.abs(prev));
    if (done || it === maxIter) {
      return { value, vector: v, av, matvecs: it, converged: done };
    }
    prev = value;
    v = av.map((x) => x / n);
  }
}

/**
 * Largest algebraic eigenvalue of a symmetric operator by power iteration
 * (with a shifted second run when the dominant eigenvalue is negative).
 *
 * @example
 * ```ts
 * import { rngFor } from "../rng.ts";
 * import { assertClose } from "../../tests/assert.ts";
 * const r = await powerIteration((v) => v.map((x) => 2 * x), 4, { rng: rngFor(0, "doc", "probe") });
 * assertClose(r.value, 2, 1e-12);
 * ```
 */
export async function powerIteration(
  matvec: MatVec,
  dim: number,
  options: PowerOptions = {},
): Promise<PowerResult> {
  const tol = options.tol ?? 1e-3;
  const maxIter = options.maxIter ?? 100;
  if (!(tol > 0)) {
    throw new Error(`powerIteration: tol must be positive, got ${tol}`);
  }
  if (!Number.isInteger(maxIter) || maxIter < 1) {
    throw new Error(`powerIteration: maxIter must be ≥ 1, got ${maxIter}`);
  }
  let v0: Float64Array;
  if (options.start) {
    if (options.start.length !== dim) {
      throw new Error(
        `powerIteration: start has length ${options.start.length}, expected ${dim}`,
      );
    }
    v0 = normalized(options.start);
  } else if (options.rng) {
    v0 = normalized(options.rng.normals(dim));
  } else {
    throw new Error(
      "powerIteration: give a start vector or an rng (no hidden randomness)",
    );
  }
  const first = await run(matvec, v0, tol, maxIter);
  let { matvecs, converged } = first;
  let best = first;
  let shift = 0;
  if (first.value < 0) {
    shift = first.value;
    const shifted: MatVec = async (v) => {
      const av = Float64Array.from(await matvec(v));
      // Stryker disable next-line EqualityOperator: i <= length only adds a write past the end of a typed array, which is dropped
      for (let i = 0; i < av.length; i++) av[i] -= shift * v[i];
      return av;
    };
    const start = options.rng ? normalized(options.rng.normals(dim)) : v0;
    best = await run(shifted, start, tol, maxIter);
    matvecs += best.matvecs;
    converged &&= best.converged;
  }
  const value = best.value + shift;
  const vector = best.vector;
  // best.av = (A − shift·I)·vector, so A·vector − value·vector = best.av − best.value·vector
  const residualVec = Float64Array.from(best.av);
  // Stryker disable next-line EqualityOperator: i <= dim only adds a write past the end of a typed array, which is dropped
  for (let i = 0; i < dim; i++) residualVec[i] -= best.value * vector[i];
  return {
    value,
    vector,
    residual: norm(residualVec),
    dominant: first.value,
    matvecs,
    converged,
  };
}
