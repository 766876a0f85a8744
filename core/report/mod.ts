/**
 * Reports: deterministic SVG/PNG plots of a results directory and an HTML index.
 *
 * @example
 * ```ts
 * import { writeReport } from "./mod.ts";
 * import { writeFakeSuite } from "../../tests/compare_fixture.ts";
 * import { assertOk } from "../../tests/assert.ts";
 * const dir = await Deno.makeTempDir();
 * await writeFakeSuite(dir, { runFilter: (id) => id.startsWith("grok_toy/") });
 * const files = await writeReport(dir, { png: false });
 * assertOk(files.at(-1)!.endsWith("/report/index.html"));
 * await Deno.remove(dir, { recursive: true });
 * ```
 * @module
 */
export * from "./render.ts";
export * from "./plots.ts";
export * from "./write.ts";
