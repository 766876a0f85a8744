/**
 * Dense symmetric eigensolvers in float64: cyclic Jacobi for small dense
 * matrices (Gram windows, test references) and implicit QL for symmetric
 * tridiagonal matrices (Lanczos).
 *
 * Both return eigenvalues in **descending** order with unit eigenvectors
 * aligned to them.
 *
 * @example
 * ```ts
 * import { symmetricEigen } from "./eigen.ts";
 * import { assertClose } from "../../tests/assert.ts";
 * const { values } = symmetricEigen(new Float64Array([2, 1, 1, 2]), 2);
 * assertClose(values[0], 3, 1e-12);
 * assertClose(values[1], 1, 1e-12);
 * ```
 * @module
 */

/** Eigenvalues (descending) and the matching unit eigenvectors. */
export interface EigenDecomposition {
  /** Eigenvalues, largest first. */
  values: Float64Array;
  /** `vectors[j]` is the unit eigenvector of `values[j]`. */
  vectors: Float64Array[];
}

function sortDescending(
  values: Float64Array,
  vectors: Float64Array[],
): EigenDecomposition {
  const order = Array.from(values.keys()).sort((a, b) => values[b] - values[a]);
  return {
    values: Float64Array.from(order, (i) => values[i]),
    vectors: order.map((i) => vectors[i]),
  };
}

/**
 * Eigen-decomposition of a dense symmetric n×n matrix (row-major) by cyclic
 * Jacobi rotations. O(n³) per sweep; meant for n up to a few hundred. The
 * input is symmetrised as (A + Aᵀ)/2 and not modified.
 *
 * @example
 * ```ts
 * import { assertClose } from "../../tests/assert.ts";
 * const { values, vectors } = symmetricEigen(new Float64Array([2, 1, 1, 2]), 2);
 * assertClose(values[0], 3, 1e-12);
 * assertClose(Math.abs(vectors[0][0]), Math.SQRT1_2, 1e-12); // ±[0.7071, 0.7071]
 * assertClose(vectors[0][0] * vectors[0][1], 0.5, 1e-12);
 * ```
 */
export function symmetricEigen(
  matrix: ArrayLike<number>,
  n: number,
): EigenDecomposition {
  if (matrix.length !== n * n) {
    throw new Error(
      `symmetricEigen: expected ${n}×${n} = ${n * n} entries, got ${matrix.length}`,
    );
  }
  const a = new Float64Array(n * n);
  let frob = 0;
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      const v = 0.5 * (matrix[i * n + j] + matrix[j * n + i]);
      if (!Number.isFinite(v)) {
        throw new Error(`symmetricEigen: non-finite entry at (${i}, ${j})`);
      }
      a[i * n + j] = v;
      frob += v * v;
    }
  }
  const v = new Float64Array(n * n);
  // Stryker disable next-line EqualityOperator: i <= n only adds a write of v[n² + n], past the end of the typed array (dropped)
  for (let i = 0; i < n; i++) v[i * n + i] = 1;
  const threshold = frob * 1e-32;
  for (let sweep = 0; sweep < 100; sweep++) {
    let off = 0;
    // Stryker disable next-line EqualityOperator: p <= n adds a pass with q from n + 1, which sums nothing
    for (let p = 0; p < n; p++) {
      for (let q = p + 1; q < n; q++) off += a[p * n + q] * a[p * n + q];
    }
    if (off <= threshold || off === 0) break;
    // Stryker disable next-line EqualityOperator,ArithmeticOperator: p <= n − 1 and p < n + 1 add passes with q from n, which rotate nothing
    for (let p = 0; p < n - 1; p++) {
      for (let q = p + 1; q < n; q++) {
        const apq = a[p * n + q];
        if (apq === 0) continue;
        const tau = (a[q * n + q] - a[p * n + p]) / (2 * apq);
        const t = (tau >= 0 ? 1 : -1) /
          (Math.abs(tau) + Math.sqrt(1 + tau * tau));
        const c = 1 / Math.sqrt(1 + t * t);
        const s = t * c;
        // A ← A J (columns p, q)
        // Stryker disable next-line EqualityOperator: k <= n only reads and writes a[n² + p], a[n² + q], past the end of the typed array (undefined, dropped)
        for (let k = 0; k < n; k++) {
          const akp = a[k * n + p];
          const akq = a[k * n + q];
          a[k * n + p] = c * akp - s * akq;
          a[k * n + q] = s * akp + c * akq;
        }
        // A ← Jᵀ A (rows p, q)
        for (let k = 0; k < n; k++) {
          const apk = a[p * n + k];
          const aqk = a[q * n + k];
          a[p * n + k] = c * apk - s * aqk;
          a[q * n + k] = s * apk + c * aqk;
        }
        a[p * n + q] = 0;
        a[q * n + p] = 0;
        // V ← V J
        for (let k = 0; k < n; k++) {
          const vkp = v[k * n + p];
          const vkq = v[k * n + q];
          v[k * n + p] = c * vkp - s * vkq;
          v[k * n + q] = s * vkp + c * vkq;
        }
      }
    }
  }
  const values = new Float64Array(n);
  const vectors: Float64Array[] = [];
  // Stryker disable next-line EqualityOperator: j <= n adds values[n] (dropped) and an (n+1)-th vector that sortDescending never picks (it orders values' n keys)
  for (let j = 0; j < n; j++) {
    values[j] = a[j * n + j];
    const vec = new Float64Array(n);
    // Stryker disable next-line EqualityOperator: k <= n only adds a write of vec[n], past the end of the typed array (dropped)
    for (let k = 0; k < n; k++) vec[k] = v[k * n + j];
    vectors.push(vec);
  }
  return sortDescending(values, vectors);
}

/**
 * Eigen-decomposition of the symmetric tridiagonal matrix with diagonal
 * `diag` (length m) and off-diagonal `offDiag` (length m − 1), by the
 * implicit QL method with Wilkinson-style shifts (EISPACK `tql2`, as in JAMA).
 *
 * @example
 * ```ts
 * import { assertClose } from "../../tests/assert.ts";
 * const { values } = tridiagonalEigen([2, 2], [1]);
 * assertClose(values[0], 3, 1e-12);
 * assertClose(values[1], 1, 1e-12);
 * ```
 */
export function tridiagonalEigen(
  diag: ArrayLike<number>,
  offDiag: ArrayLike<number>,
): EigenDecomposition {
  const n = diag.length;
  // Stryker disable next-line ConditionalExpression: with n = 0 the loops below do nothing and sortDescending returns the same empty result
  if (n === 0) return { values: new Float64Array(0), vectors: [] };
  if (offDiag.length < n - 1) {
    throw new Error(
      `tridiagonalEigen: need ${n - 1} off-diagonal entries, got ${offDiag.length}`,
    );
  }
  const d = Float64Array.from(diag);
  const e = new Float64Array(n);
  for (let i = 0; i < n - 1; i++) e[i] = offDiag[i];
  for (let i = 0; i < n; i++) {
    if (!Number.isFinite(d[i]) || !Number.isFinite(e[i])) {
      throw new Error(`tridiagonalEigen: non-finite entry at ${i}`);
    }
  }
  // z[k][i] = component k of eigenvector i
  const z: Float64Array[] = [];
  // Stryker disable next-line EqualityOperator: k <= n adds an (n+1)-th row of z that no loop reads (its row[n] = 1 is dropped)
  for (let k = 0; k < n; k++) {
    const row = new Float64Array(n);
    row[k] = 1;
    z.push(row);
  }
  const eps = 2 ** -52;
  let f = 0;
  let tst1 = 0;
  // Stryker disable next-line EqualityOperator: l <= n adds a pass at l = n that only makes tst1 NaN after its last use and writes d[n], e[n] (dropped)
  for (let l = 0; l < n; l++) {
    tst1 = Math.max(tst1, Math.abs(d[l]) + Math.abs(e[l]));
    let m = l;
    while (m < n - 1) {
      if (Math.abs(e[m]) <= eps * tst1) break;
      m++;
    }
    if (m > l) {
      let iter = 0;
      do {
        if (++iter > 60) {
          throw new Error("tridiagonalEigen: QL iteration did not converge");
        }
        let g = d[l];
        let p = (d[l + 1] - g) / (2 * e[l]);
        let r = Math.hypot(p, 1);
        if (p < 0) r = -r;
        d[l] = e[l] / (p + r);
        d[l + 1] = e[l] * (p + r);
        const dl1 = d[l + 1];
        let h = g - d[l];
        // Stryker disable next-line EqualityOperator: i <= n only adds a write of d[n], past the end of the typed array (dropped)
        for (let i = l + 2; i < n; i++) d[i] -= h;
        f += h;
        p = d[m];
        let c = 1;
        let c2 = c;
        let c3 = c;
        const el1 = e[l + 1];
        let s = 0;
        let s2 = 0;
        for (let i = m - 1; i >= l; i--) {
          c3 = c2;
          c2 = c;
          s2 = s;
          g = c * e[i];
          h = c * p;
          r = Math.hypot(p, e[i]);
          e[i + 1] = s * r;
          s = e[i] / r;
          c = p / r;
          p = c * d[i] - s * g;
          d[i + 1] = h + s * (c * g + s * d[i]);
          for (let k = 0; k < n; k++) {
            const zk = z[k];
            h = zk[i + 1];
            zk[i + 1] = s * zk[i] + c * h;
            zk[i] = c * zk[i] - s * h;
          }
        }
        p = (-s * s2 * c3 * el1 * e[l]) / dl1;
        e[l] = s * p;
        d[l] = c * p;
      } while (Math.abs(e[l]) > eps * tst1);
    }
    d[l] = d[l] + f;
    e[l] = 0;
  }
  const vectors: Float64Array[] = [];
  // Stryker disable next-line EqualityOperator: i <= n adds an (n+1)-th vector that sortDescending never picks
  for (let i = 0; i < n; i++) {
    const vec = new Float64Array(n);
    for (let k = 0; k < n; k++) vec[k] = z[k][i];
    vectors.push(vec);
  }
  return sortDescending(d, vectors);
}
