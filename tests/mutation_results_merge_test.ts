/**
 * A shard directory that does not exist is refused by name, never skipped
 * (issue 21: this mutation of core/results/merge.ts survived the suite).
 */
import { assertRejectsMsg } from "./assert.ts";
import { writeFakeSuite } from "./compare_fixture.ts";
import { mergeShards } from "../core/results/merge.ts";

Deno.test("mergeShards() refuses a shard directory that does not exist, naming it", async () => {
  const root = await Deno.makeTempDir({ prefix: "phasebench_merge_missing_" });
  try {
    await writeFakeSuite(`${root}/s0`, { checks: false });
    await assertRejectsMsg(
      () => mergeShards([`${root}/s0`, `${root}/lost`], `${root}/merged`),
      new RegExp(`${root}/lost\\b`),
    );
    await assertRejectsMsg(
      () => mergeShards([`${root}/lost`, `${root}/s0`], `${root}/merged`),
      new RegExp(`${root}/lost\\b`),
    );
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});
