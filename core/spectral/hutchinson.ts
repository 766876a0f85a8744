/**
 * Hutchinson's trace estimator with Rademacher probes: for z with i.i.d. ±1
 * entries, E[zᵀAz] = Tr A. Reports the mean over m probes and its standard
 * error sd/√m (sample sd, ddof 1).
 *
 * @example
 * ```ts
 * import { hutchinsonTrace } from "./hutchinson.ts";
 * const d = new Float64Array([1, 2, 3]);
 * const r = hutchinsonTrace((v) => v.map((x, i) => d[i] * x), 3, 10, rngFor(0, "doc", "probe"));
 * // r.trace === 6 exactly for a diagonal matrix (zᵢ² = 1), r.standardError === 0
 * ```
 * @module
 */
import type { Rng } from "../rng.ts";
import type { MatVec } from "./lanczos.ts";
import { dot } from "./vector.ts";

/** What {@linkcode hutchinsonTrace} found. */
export interface TraceEstimate {
  /** Mean of the probe values zᵀAz. */
  trace: number;
  /** Standard error of the mean (NaN with a single probe). */
  standardError: number;
  /** The individual probe values. */
  samples: Float64Array;
  /** Matrix-vector products used (= probes). */
  matvecs: number;
}

/**
 * Estimates Tr A from `probes` Rademacher probes drawn from `rng`.
 *
 * @example
 * ```ts
 * const { trace, standardError } = hutchinsonTrace(hvp, dim, 10, rngFor(seed, runId, "probe:trace:100"));
 * ```
 */
export function hutchinsonTrace(
  matvec: MatVec,
  dim: number,
  probes: number,
  rng: Rng,
): TraceEstimate {
  if (!Number.isInteger(probes) || probes < 1) {
    throw new Error(`hutchinsonTrace: probes must be ≥ 1, got ${probes}`);
  }
  const samples = new Float64Array(probes);
  for (let p = 0; p < probes; p++) {
    const z = rng.rademacher(dim);
    samples[p] = dot(z, matvec(z));
  }
  let mean = 0;
  for (const s of samples) mean += s;
  mean /= probes;
  let ss = 0;
  for (const s of samples) ss += (s - mean) ** 2;
  const standardError = probes > 1 ? Math.sqrt(ss / (probes - 1) / probes) : NaN;
  return { trace: mean, standardError, samples, matvecs: probes };
}
