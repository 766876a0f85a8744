/**
 * Stochastic Lanczos quadrature (SLQ) for the spectral density of a symmetric
 * operator: for each probe v (Rademacher, normalised), m Lanczos steps give
 * T_m = S diag(θ) Sᵀ; the quadrature nodes are the Ritz values θ_i and the
 * weights the squared first components S_{1i}² (they sum to 1 per probe).
 * Weights are averaged over probes (divided by the number of probes) so the
 * whole set sums to 1, and Σ w θ^k estimates the normalised moment
 * (1/n)·Tr A^k (exactly vᵀA^kv per probe for k < 2m).
 *
 * @example
 * ```ts
 * import { broadenedDensity, slqDensity } from "./slq.ts";
 * import { rngFor } from "../rng.ts";
 * import { assertClose } from "../../tests/assert.ts";
 * const diag = Float64Array.from({ length: 50 }, (_, i) => i / 10); // spectrum in [0, 4.9]
 * const a = (v: Float64Array) => v.map((x, i) => diag[i] * x);
 * const { nodes, weights } = await slqDensity(a, 50, { iters: 30, rng: rngFor(0, "doc", "probe") });
 * const grid = Float64Array.from({ length: 200 }, (_, i) => -2 + i * 0.05);
 * const density = broadenedDensity(nodes, weights, grid, 0.1);
 * assertClose(density.reduce((s, r) => s + r * 0.05, 0), 1, 1e-3); // integrates to 1
 * ```
 * @module
 */
import type { Rng } from "../rng.ts";
import { tridiagonalEigen } from "./eigen.ts";
import { lanczosTridiagonal, type MatVec } from "./lanczos.ts";

/** Options of {@linkcode slqDensity}. */
export interface SlqOptions {
  /** Lanczos steps per probe; default 30. */
  iters?: number;
  /** Number of probes; default 1. */
  probes?: number;
  /** Random stream for the probes. */
  rng: Rng;
}

/** Quadrature nodes and weights of a spectral density. */
export interface SpectralDensity {
  /** Ritz values of all probes, concatenated. */
  nodes: Float64Array;
  /** Matching weights; they sum to 1. */
  weights: Float64Array;
  /** Matrix-vector products used. */
  matvecs: number;
}

/**
 * Spectral density by stochastic Lanczos quadrature.
 *
 * @example
 * ```ts
 * import { rngFor } from "../rng.ts";
 * import { assertClose, assertEquals } from "../../tests/assert.ts";
 * const d = await slqDensity((v) => v.map((x) => 3 * x), 4, { probes: 2, rng: rngFor(0, "doc", "probe") });
 * // A = 3I: every probe is an eigenvector, one node 3 of weight ½ per probe
 * assertEquals([Array.from(d.nodes), Array.from(d.weights), d.matvecs], [[3, 3], [0.5, 0.5], 2]);
 * ```
 */
export async function slqDensity(
  matvec: MatVec,
  dim: number,
  options: SlqOptions,
): Promise<SpectralDensity> {
  const iters = Math.min(options.iters ?? 30, dim);
  const probes = options.probes ?? 1;
  if (!Number.isInteger(iters) || iters < 1) {
    throw new Error(`slqDensity: iters must be ≥ 1, got ${iters}`);
  }
  if (!Number.isInteger(probes) || probes < 1) {
    throw new Error(`slqDensity: probes must be ≥ 1, got ${probes}`);
  }
  const nodes: number[] = [];
  const weights: number[] = [];
  let matvecs = 0;
  for (let p = 0; p < probes; p++) {
    const v = options.rng.rademacher(dim);
    const scale = 1 / Math.sqrt(dim);
    // Stryker disable next-line EqualityOperator: i <= dim only adds a write past the end of a typed array, which is dropped
    for (let i = 0; i < dim; i++) v[i] *= scale;
    const run = await lanczosTridiagonal(matvec, v, iters);
    matvecs += run.matvecs;
    const { values, vectors } = tridiagonalEigen(run.alpha, run.beta);
    for (let i = 0; i < values.length; i++) {
      nodes.push(values[i]);
      weights.push(vectors[i][0] ** 2 / probes);
    }
  }
  return {
    nodes: Float64Array.from(nodes),
    weights: Float64Array.from(weights),
    matvecs,
  };
}

/**
 * The Gaussian-broadened density ρ(t) = Σ_i w_i·N(t; θ_i, σ²) on a grid.
 *
 * @example
 * ```ts
 * import { assertClose } from "../../tests/assert.ts";
 * assertClose(broadenedDensity([0], [1], [0], 1)[0], 1 / Math.sqrt(2 * Math.PI), 1e-15);
 * ```
 */
export function broadenedDensity(
  nodes: ArrayLike<number>,
  weights: ArrayLike<number>,
  grid: ArrayLike<number>,
  sigma: number,
): Float64Array {
  if (!(sigma > 0)) {
    throw new Error(`broadenedDensity: sigma must be positive, got ${sigma}`);
  }
  if (nodes.length !== weights.length) {
    throw new Error("broadenedDensity: nodes and weights differ in length");
  }
  const out = new Float64Array(grid.length);
  const c = 1 / (sigma * Math.sqrt(2 * Math.PI));
  // Stryker disable next-line EqualityOperator: g <= length only adds a write of out[length], past the end of the typed array (dropped)
  for (let g = 0; g < grid.length; g++) {
    let s = 0;
    for (let i = 0; i < nodes.length; i++) {
      s += weights[i] * Math.exp(-0.5 * ((grid[g] - nodes[i]) / sigma) ** 2);
    }
    out[g] = c * s;
  }
  return out;
}
