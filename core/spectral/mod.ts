/**
 * The spectral toolkit: Hessian-vector products, Lanczos and power iteration
 * for the sharpness, Hutchinson trace, SLQ density, preconditioned sharpness,
 * gradient-noise traces, the update-Gram spectral edge, and the measurer the
 * training loop drives.
 *
 * @example
 * ```ts
 * import { lanczos, makeHvp } from "./mod.ts";
 * import { rngFor } from "../rng.ts";
 * import { linearProblem } from "../../tests/reference/linear_problem.ts";
 * import { assertClose } from "../../tests/assert.ts";
 * const { model, params, loss, x, y, dispose } = linearProblem([[1, 0], [0, 2]]);
 * const op = makeHvp({ model, params, loss, x, y }); // H = XᵀX/n = diag(0.5, 2)
 * const { values } = await lanczos(op.hvp, op.dim, { rng: rngFor(0, "doc", "probe") });
 * assertClose(values[0], 2, 1e-6);
 * dispose();
 * ```
 * @module
 */
export * from "./eigen.ts";
export * from "./grad_noise.ts";
export * from "./gram_edge.ts";
export * from "./hutchinson.ts";
export * from "./hvp.ts";
export * from "./lanczos.ts";
export * from "./measure.ts";
export * from "./power.ts";
export * from "./precond.ts";
export * from "./slq.ts";
export * from "./vector.ts";
