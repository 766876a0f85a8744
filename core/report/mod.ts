/**
 * Reports: deterministic SVG/PNG plots of a results directory and an HTML index.
 *
 * @example
 * ```ts
 * import { reportCommand } from "./mod.ts";
 * Deno.exit(await reportCommand(["results/latest"]));
 * ```
 * @module
 */
export * from "./render.ts";
export * from "./plots.ts";
export * from "./write.ts";
