/**
 * Hutchinson's trace estimator with Rademacher probes: for z with i.i.d. ±1
 * entries, E[zᵀAz] = Tr A. Reports the mean over m probes and its standard
 * error sd/√m (sample sd, ddof 1).
 *
 * @example
 * ```ts
 * import { hutchinsonTrace } from "./hutchinson.ts";
 * import { rngFor } from "../rng.ts";
 * import { assertEquals } from "../../tests/assert.ts";
 * const d = new Float64Array([1, 2, 3]);
 * const r = await hutchinsonTrace((v) => v.map((x, i) => d[i] * x), 3, 10, rngFor(0, "doc", "probe"));
 * // exact for a diagonal matrix (zᵢ² = 1)
 * assertEquals([r.trace, r.standardError, r.matvecs], [6, 0, 10]);
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
 * import { rngFor } from "../rng.ts";
 * import { assertOk } from "../../tests/assert.ts";
 * // A = [[2, 1], [1, 2]]: zᵀAz = 4 ± 2, Tr A = 4
 * const a = (v: Float64Array) => new Float64Array([2 * v[0] + v[1], v[0] + 2 * v[1]]);
 * const { trace, standardError } = await hutchinsonTrace(a, 2, 100, rngFor(1, "doc", "probe"));
 * assertOk(Math.abs(trace - 4) <= 3 * standardError);
 * ```
 */
export async function hutchinsonTrace(
  matvec: MatVec,
  dim: number,
  probes: number,
  rng: Rng,
): Promise<TraceEstimate> {
  if (!Number.isInteger(probes) || probes < 1) {
    throw new Error(`hutchinsonTrace: probes must be ≥ 1, got ${probes}`);
  }
  const samples = new Float64Array(probes);
  for (let p = 0; p < probes; p++) {
    const z = rng.rademacher(dim);
    samples[p] = dot(z, await matvec(z));
  }
  let mean = 0;
  for (const s of samples) mean += s;
  mean /= probes;
  let ss = 0;
  for (const s of samples) ss += (s - mean) ** 2;
  // Stryker disable next-line ConditionalExpression,EqualityOperator: true and >= 1 differ only at one probe, where ss = 0 and 0/0 is NaN anyway (false is killed)
  const standardError = probes > 1 ? Math.sqrt(ss / (probes - 1) / probes) : NaN;
  return { trace: mean, standardError, samples, matvecs: probes };
}
