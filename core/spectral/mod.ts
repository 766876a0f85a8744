/**
 * The spectral toolkit: Hessian-vector products, Lanczos and power iteration
 * for the sharpness, Hutchinson trace, SLQ density, preconditioned sharpness,
 * gradient-noise traces, the update-Gram spectral edge, and the measurer the
 * training loop drives.
 *
 * @example
 * ```ts
 * import { lanczos, makeHvp } from "./mod.ts";
 * const op = makeHvp({ model, params, loss, x, y });
 * const { values } = lanczos(op.hvp, op.dim, { rng });
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
