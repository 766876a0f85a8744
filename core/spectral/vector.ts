/**
 * Float64 vector helpers for the spectral routines (dot products, norms,
 * in-place axpy). Kept tiny and allocation-free where it matters.
 *
 * @example
 * ```ts
 * import { dot, norm } from "./vector.ts";
 * import { assertEquals } from "../../tests/assert.ts";
 * assertEquals(dot(new Float64Array([1, 2]), new Float64Array([3, 4])), 11);
 * assertEquals(norm(new Float64Array([3, 4])), 5);
 * ```
 * @module
 */

/** A dense float vector (the spectral routines read either precision). */
export type Vec = Float64Array | Float32Array;

/**
 * Dot product Σ aᵢbᵢ, accumulated in float64.
 *
 * @example
 * ```ts
 * import { assertEquals } from "../../tests/assert.ts";
 * assertEquals(dot(new Float64Array([1, 2]), new Float64Array([3, 4])), 11);
 * ```
 */
export function dot(a: Vec, b: Vec): number {
  if (a.length !== b.length) {
    throw new Error(`dot: length mismatch ${a.length} vs ${b.length}`);
  }
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
}

/**
 * Euclidean norm ‖a‖.
 *
 * @example
 * ```ts
 * import { assertEquals } from "../../tests/assert.ts";
 * assertEquals(norm(new Float64Array([3, 4])), 5);
 * ```
 */
export function norm(a: Vec): number {
  return Math.sqrt(dot(a, a));
}

/**
 * In place: y ← y + alpha·x. Returns y.
 *
 * @example
 * ```ts
 * import { assertEquals } from "../../tests/assert.ts";
 * const y = new Float64Array([1, 1]);
 * axpy(2, new Float64Array([1, 2]), y);
 * assertEquals(Array.from(y), [3, 5]);
 * ```
 */
export function axpy(alpha: number, x: Vec, y: Float64Array): Float64Array {
  if (x.length !== y.length) {
    throw new Error(`axpy: length mismatch ${x.length} vs ${y.length}`);
  }
  // Stryker disable next-line EqualityOperator: i <= length only adds a write past the end of a typed array, which is dropped
  for (let i = 0; i < y.length; i++) y[i] += alpha * x[i];
  return y;
}

/**
 * A new vector alpha·x (float64).
 *
 * @example
 * ```ts
 * import { assertEquals } from "../../tests/assert.ts";
 * assertEquals(Array.from(scaled(2, new Float64Array([1, 2]))), [2, 4]);
 * ```
 */
export function scaled(alpha: number, x: Vec): Float64Array {
  const out = new Float64Array(x.length);
  // Stryker disable next-line EqualityOperator: i <= length only adds a write past the end of a typed array, which is dropped
  for (let i = 0; i < x.length; i++) out[i] = alpha * x[i];
  return out;
}

/**
 * x/‖x‖ as a new float64 vector; throws on a zero or non-finite vector.
 *
 * @example
 * ```ts
 * import { assertClose } from "../../tests/assert.ts";
 * const u = normalized(new Float64Array([3, 4]));
 * assertClose(u[0], 0.6, 1e-15);
 * assertClose(u[1], 0.8, 1e-15);
 * ```
 */
export function normalized(x: Vec): Float64Array {
  const n = norm(x);
  if (!(n > 0) || !Number.isFinite(n)) {
    throw new Error(`cannot normalise a vector of norm ${n}`);
  }
  return scaled(1 / n, x);
}
