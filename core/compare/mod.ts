/**
 * Compare two result sets: diff, Markdown, JSON and the gate's exit code.
 *
 * @example
 * ```ts
 * import { compareCommand } from "./mod.ts";
 * Deno.exit(await compareCommand(["git:main", "results/latest"]));
 * ```
 * @module
 */
export * from "./diff.ts";
export * from "./markdown.ts";
export * from "./command.ts";
