/**
 * Symmetric test matrices with a known spectrum, A = Q diag(λ) Qᵀ with Q a
 * seeded random orthogonal matrix, exposed as matrix-vector products.
 *
 * @example
 * ```ts
 * import { knownSpectrum } from "./matrices.ts";
 * import { rngFor } from "../../core/rng.ts";
 * import { assertOk } from "../assert.ts";
 * const a = knownSpectrum(new Float64Array([3, 2, 1]), rngFor(0, "t", "data"));
 * const q = a.vectors[0];
 * const aq = a.matvec(q); // = 3·q
 * assertOk(aq.every((v, k) => Math.abs(v - 3 * q[k]) < 1e-12));
 * ```
 * @module
 */
import type { Rng } from "../../core/rng.ts";

/**
 * A seeded random orthogonal n×n matrix (rows of `q` are orthonormal), by Gram–Schmidt twice.
 *
 * @example
 * ```ts
 * import { rngFor } from "../../core/rng.ts";
 * import { assertOk } from "../assert.ts";
 * const q = randomOrthogonal(3, rngFor(0, "t", "data")); // 3 orthonormal rows
 * const dot = (u: Float64Array, v: Float64Array) => u.reduce((s, x, k) => s + x * v[k], 0);
 * for (let i = 0; i < 3; i++) {
 *   for (let j = 0; j < 3; j++) assertOk(Math.abs(dot(q[i], q[j]) - (i === j ? 1 : 0)) < 1e-12);
 * }
 * ```
 */
export function randomOrthogonal(n: number, rng: Rng): Float64Array[] {
  const rows: Float64Array[] = [];
  for (let i = 0; i < n; i++) {
    const v = rng.normals(n);
    for (let pass = 0; pass < 2; pass++) {
      for (const q of rows) {
        let c = 0;
        for (let k = 0; k < n; k++) c += q[k] * v[k];
        for (let k = 0; k < n; k++) v[k] -= c * q[k];
      }
    }
    let s = 0;
    for (let k = 0; k < n; k++) s += v[k] * v[k];
    s = Math.sqrt(s);
    for (let k = 0; k < n; k++) v[k] /= s;
    rows.push(v);
  }
  return rows;
}

/** A symmetric operator with the given eigenvalues. */
export interface KnownMatrix {
  /** Dimension. */
  n: number;
  /** The eigenvalues. */
  values: Float64Array;
  /** Unit eigenvectors (`vectors[j]` belongs to `values[j]`). */
  vectors: Float64Array[];
  /** v ↦ Av. */
  matvec(v: Float64Array): Float64Array;
  /** The dense matrix, row-major. */
  dense(): Float64Array;
}

/**
 * A = Σ_j λ_j q_j q_jᵀ with seeded random orthonormal q_j.
 *
 * @example
 * ```ts
 * import { rngFor } from "../../core/rng.ts";
 * import { assertClose } from "../assert.ts";
 * const a = knownSpectrum(new Float64Array([2, 1]), rngFor(0, "t", "data"));
 * const d = a.dense();
 * assertClose(d[0] + d[3], 3, 1e-12); // trace = λ1 + λ2
 * assertClose(d[0] * d[3] - d[1] * d[2], 2, 1e-12); // determinant = λ1·λ2
 * ```
 */
export function knownSpectrum(values: Float64Array, rng: Rng): KnownMatrix {
  const n = values.length;
  const vectors = randomOrthogonal(n, rng);
  return fromEigen(values, vectors);
}

/**
 * A = Σ_j λ_j q_j q_jᵀ for given orthonormal q_j.
 *
 * @example
 * ```ts
 * import { assertEquals } from "../assert.ts";
 * const a = fromEigen(new Float64Array([2]), [new Float64Array([1])]);
 * assertEquals(a.matvec(new Float64Array([3])), new Float64Array([6]));
 * assertEquals(a.dense(), new Float64Array([2]));
 * ```
 */
export function fromEigen(
  values: Float64Array,
  vectors: Float64Array[],
): KnownMatrix {
  const n = values.length;
  return {
    n,
    values,
    vectors,
    matvec(v: Float64Array): Float64Array {
      const out = new Float64Array(n);
      for (let j = 0; j < n; j++) {
        const q = vectors[j];
        let c = 0;
        for (let k = 0; k < n; k++) c += q[k] * v[k];
        c *= values[j];
        for (let k = 0; k < n; k++) out[k] += c * q[k];
      }
      return out;
    },
    dense(): Float64Array {
      const a = new Float64Array(n * n);
      for (let j = 0; j < n; j++) {
        const q = vectors[j];
        for (let r = 0; r < n; r++) {
          for (let c = 0; c < n; c++) a[r * n + c] += values[j] * q[r] * q[c];
        }
      }
      return a;
    },
  };
}
