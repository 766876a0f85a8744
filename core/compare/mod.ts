/**
 * Compare two result sets: diff, Markdown, JSON and the gate's exit code.
 *
 * @example
 * ```ts
 * import { compareSuites, exitCodeOf, renderMarkdown } from "./mod.ts";
 * import { loadSuite } from "../results/load.ts";
 * import { writeFakeSuite } from "../../tests/compare_fixture.ts";
 * import { assertEquals, assertMatch } from "../../tests/assert.ts";
 * const dir = await Deno.makeTempDir();
 * await writeFakeSuite(`${dir}/baseline`);
 * await writeFakeSuite(`${dir}/latest`);
 * const c = compareSuites(await loadSuite(`${dir}/baseline`), await loadSuite(`${dir}/latest`));
 * assertMatch(renderMarkdown(c), /Result: OK/);
 * assertEquals(exitCodeOf(c), 0);
 * await Deno.remove(dir, { recursive: true });
 * ```
 * @module
 */
export * from "./diff.ts";
export * from "./markdown.ts";
