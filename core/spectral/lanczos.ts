/**
 * Lanczos with full reorthogonalisation for the top-k **algebraic**
 * eigenvalues of a symmetric operator given as a matrix-vector product
 * (e.g. a Hessian-vector product), in float64.
 *
 * Every new Lanczos vector is re-orthogonalised twice against all previous
 * ones (classical Gram–Schmidt, "twice is enough"), so the Ritz values carry
 * no spurious copies and the Ritz residual ‖Ay − θy‖ = β_m·|s_m| is reliable.
 *
 * @example
 * ```ts
 * import { lanczos } from "./lanczos.ts";
 * import { rngFor } from "../rng.ts";
 * import { assertClose } from "../../tests/assert.ts";
 * const diag = new Float64Array([5, 3, 1, -2]);
 * const res = await lanczos((v) => v.map((x, i) => diag[i] * x), 4, {
 *   k: 2, tol: 1e-10, rng: rngFor(0, "doc", "probe"),
 * });
 * assertClose(res.values[0], 5, 1e-10);
 * assertClose(res.values[1], 3, 1e-10);
 * ```
 * @module
 */
import type { Rng } from "../rng.ts";
import { tridiagonalEigen } from "./eigen.ts";
import { dot, normalized } from "./vector.ts";

/**
 * A symmetric linear operator as a matrix-vector product, synchronous or
 * asynchronous (a Hessian-vector product reads the device back with
 * `await`). The routines await it either way, so a plain function gives the
 * same bits as before.
 */
export type MatVec = (v: Float64Array) => Float64Array | Promise<Float64Array>;

/** Options of {@linkcode lanczos}. */
export interface LanczosOptions {
  /** How many of the largest algebraic eigenvalues to return (1 ≤ k ≤ 40). Default 1. */
  k?: number;
  /** Maximum number of Lanczos iterations (= matvecs). Default min(dim, 100). */
  maxIter?: number;
  /**
   * Stop when every top-k Ritz pair has residual ‖Ay − θy‖ ≤ tol·scale, with
   * scale = max(|θ|, 1e-3·max|Ritz value|). Default 1e-3.
   */
  tol?: number;
  /** Start vector (e.g. the previous measurement's top Ritz vector); normalised here. */
  start?: Float64Array;
  /**
   * Random stream for the start vector when `start` is absent, and for the
   * random admixture added to a warm start (see `warmNoise`).
   */
  rng?: Rng;
  /**
   * Weight of a random unit vector added to a warm start before normalising
   * (needs `rng`; default 0.01, 0 disables). Guards against a warm start that
   * is (numerically) an exact eigenvector — the Krylov space would then be
   * invariant and the run would end with one Ritz value — and keeps every
   * eigendirection represented if a new eigenvalue has overtaken the old top.
   * On a slowly drifting 300×300 test matrix (tol 1e-3) warm starts took
   * 1.4, 2 and 3.3 matvecs per measurement with weights 0, 0.01 and 0.1,
   * against 7 for a cold start.
   */
  warmNoise?: number;
  /**
   * Do not accept convergence before this many iterations (default 1). A warm
   * start converges to the *previous* top direction within a few iterations
   * and the residual test then passes even when another eigenvalue has grown
   * past it; a floor on the Krylov dimension gives the random admixture time
   * to surface it (seen on eos_chebyshev: λ_max 7.5 reported while 8.2 was the
   * top, until a jump at step 1060).
   */
  minIter?: number;
}

/** What {@linkcode lanczos} found. */
export interface LanczosResult {
  /** Top-k Ritz values, largest first (fewer if the Krylov space was exhausted). */
  values: number[];
  /** Unit Ritz vectors matching `values`. */
  vectors: Float64Array[];
  /** Ritz residuals ‖Ay − θy‖ matching `values`. */
  residuals: number[];
  /** Matrix-vector products used. */
  matvecs: number;
  /** True when the residual test was met (or the Krylov space became invariant). */
  converged: boolean;
  /** Tridiagonal diagonal α (length = iterations). */
  alpha: Float64Array;
  /** Tridiagonal off-diagonal β (length = iterations − 1). */
  beta: Float64Array;
}

function startVector(dim: number, options: LanczosOptions): Float64Array {
  const { start, rng } = options;
  if (start) {
    if (start.length !== dim) {
      throw new Error(
        `lanczos: start vector has length ${start.length}, expected ${dim}`,
      );
    }
    const warmNoise = options.warmNoise ?? 0.01;
    const q = normalized(start);
    if (rng && warmNoise > 0) {
      const r = normalized(rng.normals(dim));
      // Stryker disable next-line EqualityOperator: i <= dim only adds a write past the end of a typed array, which is dropped
      for (let i = 0; i < dim; i++) q[i] += warmNoise * r[i];
      return normalized(q);
    }
    return q;
  }
  if (!rng) {
    throw new Error(
      "lanczos: give a start vector or an rng (no hidden randomness)",
    );
  }
  return normalized(rng.normals(dim));
}

/** Orthogonalises w against the basis, twice (DGKS); returns w. */
function reorthogonalise(w: Float64Array, basis: Float64Array[]): Float64Array {
  for (let pass = 0; pass < 2; pass++) {
    for (const q of basis) {
      const c = dot(q, w);
      // Stryker disable next-line EqualityOperator: i <= length only adds a write past the end of a typed array, which is dropped
      for (let i = 0; i < w.length; i++) w[i] -= c * q[i];
    }
  }
  return w;
}

/**
 * The Lanczos tridiagonalisation itself: runs up to `steps` iterations from
 * the unit vector `q0`, with full reorthogonalisation. `shouldStop(α, β, βnext)`
 * is consulted after each iteration. Returns the basis and the tridiagonal.
 *
 * @example
 * ```ts
 * import { assertEquals } from "../../tests/assert.ts";
 * const run = await lanczosTridiagonal((v) => v.slice(), new Float64Array([1, 0]), 2);
 * // the start vector spans an invariant subspace of the identity: one step, α = [1]
 * assertEquals([Array.from(run.alpha), run.invariant, run.matvecs], [[1], true, 1]);
 * ```
 */
export async function lanczosTridiagonal(
  matvec: MatVec,
  q0: Float64Array,
  steps: number,
  shouldStop?: (
    alpha: Float64Array,
    beta: Float64Array,
    betaNext: number,
  ) => boolean,
): Promise<{
  basis: Float64Array[];
  alpha: Float64Array;
  beta: Float64Array;
  betaNext: number;
  matvecs: number;
  invariant: boolean;
}> {
  const dim = q0.length;
  const basis: Float64Array[] = [Float64Array.from(q0)];
  const alpha: number[] = [];
  const beta: number[] = [];
  let matvecs = 0;
  let betaNext = 0;
  let invariant = false;
  let scale = 0;
  for (let j = 0; j < steps; j++) {
    const q = basis[j];
    const w = Float64Array.from(await matvec(q));
    matvecs++;
    if (w.length !== dim) {
      throw new Error(
        `lanczos: matvec returned length ${w.length}, expected ${dim}`,
      );
    }
    const a = dot(q, w);
    if (!Number.isFinite(a)) {
      throw new Error("lanczos: matvec produced a non-finite value");
    }
    alpha.push(a);
    reorthogonalise(w, basis);
    const b = Math.sqrt(dot(w, w));
    betaNext = b;
    scale = Math.max(
      scale,
      Math.abs(a),
      b,
      beta.length ? beta[beta.length - 1] : 0,
    );
    const stop = shouldStop?.(Float64Array.from(alpha), Float64Array.from(beta), b) ??
      false;
    if (b <= 1e-12 * scale || basis.length >= dim) {
      invariant = true;
      break;
    }
    if (stop || j === steps - 1) break;
    beta.push(b);
    // Stryker disable next-line EqualityOperator: i <= dim only adds a write past the end of a typed array, which is dropped
    for (let i = 0; i < dim; i++) w[i] /= b;
    basis.push(w);
  }
  basis.length = alpha.length;
  return {
    basis,
    alpha: Float64Array.from(alpha),
    beta: Float64Array.from(beta),
    betaNext,
    matvecs,
    invariant,
  };
}

/**
 * Top-k largest algebraic eigenvalues of a symmetric operator by Lanczos with
 * full reorthogonalisation. Stops as soon as all top-k Ritz residuals meet
 * `tol` (relative), or after `maxIter` matvecs.
 *
 * @example
 * ```ts
 * import { rngFor } from "../rng.ts";
 * import { assertClose } from "../../tests/assert.ts";
 * const d = new Float64Array([4, 1, -9]);
 * const r = await lanczos((v) => v.map((x, i) => d[i] * x), 3, { rng: rngFor(1, "doc", "probe") });
 * assertClose(r.values[0], 4, 1e-10); // largest algebraic, although |−9| is larger
 * ```
 */
export async function lanczos(
  matvec: MatVec,
  dim: number,
  options: LanczosOptions = {},
): Promise<LanczosResult> {
  const k = options.k ?? 1;
  if (!Number.isInteger(k) || k < 1 || k > 40) {
    throw new Error(`lanczos: k must be an integer in [1, 40], got ${k}`);
  }
  const maxIter = Math.min(options.maxIter ?? 100, dim);
  if (!Number.isInteger(maxIter) || maxIter < 1) {
    throw new Error(`lanczos: maxIter must be ≥ 1, got ${maxIter}`);
  }
  const tol = options.tol ?? 1e-3;
  if (!(tol > 0)) throw new Error(`lanczos: tol must be positive, got ${tol}`);
  const q0 = startVector(dim, options);

  // Stryker disable next-line BooleanLiteral: the residual test sets it at every Lanczos step (maxIter ≥ 1)
  let converged = false;
  const residualOk = (
    alpha: Float64Array,
    beta: Float64Array,
    betaNext: number,
  ): boolean => {
    if (alpha.length < Math.max(k, options.minIter ?? 1)) return false;
    const { values, vectors } = tridiagonalEigen(alpha, beta);
    const m = alpha.length;
    const top = Math.max(...Array.from(values, Math.abs));
    for (let i = 0; i < k; i++) {
      const scale = Math.max(Math.abs(values[i]), 1e-3 * top);
      if (betaNext * Math.abs(vectors[i][m - 1]) > tol * scale) return false;
    }
    return true;
  };
  const run = await lanczosTridiagonal(matvec, q0, maxIter, (a, b, bn) => {
    converged = residualOk(a, b, bn);
    return converged;
  });
  if (run.invariant) converged = true;

  const m = run.alpha.length;
  const { values, vectors } = tridiagonalEigen(run.alpha, run.beta);
  const count = Math.min(k, m);
  const outValues: number[] = [];
  const outVectors: Float64Array[] = [];
  const residuals: number[] = [];
  for (let i = 0; i < count; i++) {
    const s = vectors[i];
    const y = new Float64Array(dim);
    for (let l = 0; l < m; l++) {
      const c = s[l];
      const q = run.basis[l];
      // Stryker disable next-line AssignmentOperator,EqualityOperator: −y is the same unit Ritz vector (its sign is arbitrary); t <= dim only adds a write past the end of the typed array (dropped)
      for (let t = 0; t < dim; t++) y[t] += c * q[t];
    }
    outValues.push(values[i]);
    outVectors.push(y);
    residuals.push(run.betaNext * Math.abs(s[m - 1]));
  }
  return {
    values: outValues,
    vectors: outVectors,
    residuals,
    matvecs: run.matvecs,
    converged,
    alpha: run.alpha,
    beta: run.beta,
  };
}
