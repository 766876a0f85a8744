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
 * import { rngFor } from "../rng.ts";
 * import { assertClose } from "../../tests/assert.ts";
 * // H = diag(2, 8), P = diag(1, 16): P⁻¹H = diag(2, 0.5)
 * const h = (v: Float64Array) => new Float64Array([2 * v[0], 8 * v[1]]);
 * const r = await preconditionedSharpness(h, [1, 16], { tol: 1e-10, rng: rngFor(0, "doc", "probe") });
 * assertClose(r.values[0], 2, 1e-10);
 * ```
 * @module
 */
import { lanczos, type LanczosOptions, type LanczosResult, type MatVec } from "./lanczos.ts";

/**
 * The operator u ↦ P^-1/2 H P^-1/2 u for a positive diagonal P.
 *
 * @example
 * ```ts
 * import { assertEquals } from "../../tests/assert.ts";
 * const a = preconditionedOperator((v) => v.slice(), new Float64Array([4, 1]));
 * assertEquals(Array.from(await a(new Float64Array([1, 1]))), [0.25, 1]);
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
  return async (u: Float64Array) => {
    if (u.length !== d.length) {
      throw new Error(
        `preconditioned operator: vector length ${u.length}, expected ${d.length}`,
      );
    }
    const w = new Float64Array(u.length);
    // Stryker disable next-line EqualityOperator: i <= length only adds a write past the end of a typed array, which is dropped
    for (let i = 0; i < w.length; i++) w[i] = d[i] * u[i];
    const hw = await matvec(w);
    const out = new Float64Array(u.length);
    // Stryker disable next-line EqualityOperator: i <= length only adds a write past the end of a typed array, which is dropped
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
 * import { makeHvp } from "./hvp.ts";
 * import { rngFor } from "../rng.ts";
 * import { linearProblem } from "../../tests/reference/linear_problem.ts";
 * import { assertClose } from "../../tests/assert.ts";
 * const p = linearProblem([[1, 0], [0, 2]]); // H = diag(0.5, 2)
 * const op = makeHvp(p);
 * const r = await preconditionedSharpness(op.hvp, [0.25, 4], { rng: rngFor(0, "doc", "probe") });
 * assertClose(r.values[0], 2, 1e-6); // P⁻¹H = diag(2, 0.5)
 * p.dispose();
 * ```
 */
export function preconditionedSharpness(
  matvec: MatVec,
  pDiag: ArrayLike<number>,
  options: LanczosOptions = {},
): Promise<LanczosResult> {
  return lanczos(preconditionedOperator(matvec, pDiag), pDiag.length, options);
}
