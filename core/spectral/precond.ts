/**
 * Preconditioned sharpness for Adam-type optimizers. The update is
 * θ ← θ − η P⁻¹ m̂ with P = diag(√v̂ + ε) (bias-corrected, exactly as the
 * optimizer applies it), so the relevant curvature is λ_max(P⁻¹H), which
 * equals λ_max of the symmetric matrix P^-1/2 H P^-1/2 (same spectrum). This
 * module builds that symmetric operator and runs Lanczos on it.
 *
 * @example
 * ```ts
 * import { preconditionedSharpness } from "./precond.ts";
 * const r = preconditionedSharpness(op.hvp, pDiag, { tol: 1e-3, rng });
 * r.values[0]; // λ_max(P^-1/2 H P^-1/2)
 * ```
 * @module
 */
import { lanczos, type LanczosOptions, type LanczosResult, type MatVec } from "./lanczos.ts";

/**
 * The operator u ↦ P^-1/2 H P^-1/2 u for a positive diagonal P.
 *
 * @example
 * ```ts
 * const a = preconditionedOperator((v) => v.slice(), new Float64Array([4, 1]));
 * a(new Float64Array([1, 1])); // [0.25, 1]
 * ```
 */
export function preconditionedOperator(
  matvec: MatVec,
  pDiag: ArrayLike<number>,
): MatVec {
  const d = new Float64Array(pDiag.length);
  for (let i = 0; i < d.length; i++) {
    const p = pDiag[i];
    if (!(p > 0) || !Number.isFinite(p)) {
      throw new Error(
        `preconditioner entry ${i} must be positive and finite, got ${p}`,
      );
    }
    d[i] = 1 / Math.sqrt(p);
  }
  return (u: Float64Array) => {
    if (u.length !== d.length) {
      throw new Error(
        `preconditioned operator: vector length ${u.length}, expected ${d.length}`,
      );
    }
    const w = new Float64Array(u.length);
    for (let i = 0; i < w.length; i++) w[i] = d[i] * u[i];
    const hw = matvec(w);
    const out = new Float64Array(u.length);
    for (let i = 0; i < out.length; i++) out[i] = d[i] * hw[i];
    return out;
  };
}

/**
 * Top-k eigenvalues of P^-1/2 H P^-1/2 (= those of P⁻¹H) by Lanczos, where
 * `pDiag` is the flat diagonal of P = √v̂ + ε in the model's parameter order.
 *
 * @example
 * ```ts
 * const r = preconditionedSharpness(op.hvp, pDiag, { k: 1, tol: 1e-3, rng });
 * ```
 */
export function preconditionedSharpness(
  matvec: MatVec,
  pDiag: ArrayLike<number>,
  options: LanczosOptions = {},
): LanczosResult {
  return lanczos(preconditionedOperator(matvec, pDiag), pDiag.length, options);
}
