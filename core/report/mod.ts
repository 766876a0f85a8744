/**
 * Reports: deterministic SVG/PNG plots of a results directory and an HTML index.
 *
 * @example
 * ```ts
 * import { writeReport } from "./mod.ts";
 * await writeReport("results/latest");
 * ```
 * @module
 */
export * from "./render.ts";
export * from "./plots.ts";
export * from "./write.ts";
