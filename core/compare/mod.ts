/**
 * Compare two result sets: diff, Markdown, JSON and the gate's exit code.
 *
 * @example
 * ```ts
 * import { compareSuites, exitCodeOf, renderMarkdown } from "./mod.ts";
 * import { loadSuite } from "../results/load.ts";
 * const c = compareSuites(await loadSuite("results/baseline"), await loadSuite("results/latest"));
 * console.log(renderMarkdown(c));
 * Deno.exit(exitCodeOf(c));
 * ```
 * @module
 */
export * from "./diff.ts";
export * from "./markdown.ts";
