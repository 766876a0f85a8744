import { assertEquals, assertMatch, assertOk } from "./assert.ts";
import { captureIO, editFile, writeFakeSuite } from "./compare_fixture.ts";
import { mergeShards } from "../core/results/merge.ts";
import { mergeCommand } from "../core/commands/merge.ts";
import { compareCommand } from "../core/commands/compare.ts";
import { dirSource } from "../core/results/load.ts";

// Shard 0 holds lr=0.2 and the seed=0 runs; shard 1 the rest (every experiment is split or whole).
const shardOf = (i: number) => (id: string) => (/lr=0\.2|seed=0/.test(id) ? 0 : 1) === i;

async function shards(
  root: string,
  backends: [string, string] = ["wasm", "wasm"],
): Promise<void> {
  await writeFakeSuite(`${root}/full`, { checks: false });
  await writeFakeSuite(`${root}/s0`, {
    runFilter: shardOf(0),
    checks: false,
    backend: backends[0],
  });
  await writeFakeSuite(`${root}/s1`, {
    runFilter: shardOf(1),
    checks: false,
    backend: backends[1],
  });
}

Deno.test("mergeShards() of two shards reproduces the unsharded result set file for file", async () => {
  const root = await Deno.makeTempDir({ prefix: "phasebench_merge_" });
  await shards(root);
  const full = await dirSource(`${root}/full`).list();
  const s0 = await dirSource(`${root}/s0`).list();
  assertOk(
    s0.length > 3 && s0.length < full.length,
    "the shard holds a strict subset",
  );
  const summary = await mergeShards(
    [`${root}/s0`, `${root}/s1`],
    `${root}/merged`,
  );
  assertEquals(summary.runs, 9);
  assertEquals(summary.experiments, ["collapse_toy", "eos_toy", "grok_toy"]);
  const merged = await dirSource(`${root}/merged`).list();
  assertEquals(merged, full);
  for (const f of full) {
    if (f === "manifest.json") continue; // the merged suite manifest lists the shards
    assertEquals(
      await Deno.readTextFile(`${root}/merged/${f}`),
      await Deno.readTextFile(`${root}/full/${f}`),
      f,
    );
  }
  const manifest = JSON.parse(
    await Deno.readTextFile(`${root}/merged/manifest.json`),
  );
  assertEquals(manifest.shards.map((s: { dir: string }) => s.dir), [
    "s0",
    "s1",
  ]);
  assertEquals(manifest.suite, "quick");
  const io = captureIO();
  assertEquals(await compareCommand([`${root}/full`, `${root}/merged`], io), 0);
  assertMatch(io.stdout[0], /^\*\*byte-identical\*\*/);
  assertOk(!(await Deno.readDir(root)[Symbol.asyncIterator]().next()).done);
  for await (const e of Deno.readDir(root)) {
    assertOk(!e.name.includes(".tmp"), `left over ${e.name}`);
  }
  await Deno.remove(root, { recursive: true });
});

Deno.test("mergeShards() refuses overlapping shards, naming the run and both shards", async () => {
  const root = await Deno.makeTempDir({ prefix: "phasebench_merge_" });
  await shards(root);
  const io = captureIO();
  assertEquals(
    await mergeCommand(
      [`${root}/s0`, `${root}/full`, "--out", `${root}/m`],
      io,
    ),
    2,
  );
  assertMatch(
    io.stderr.join("\n"),
    /overlapping shards: run \S+ is in both .*s0 and .*full/,
  );
  await Deno.stat(`${root}/m`).then(
    () => assertOk(false, "no output on refusal"),
    () => {},
  );
  await Deno.remove(root, { recursive: true });
});

Deno.test("mergeShards() refuses shards with different experiment.json or backends", async () => {
  const root = await Deno.makeTempDir({ prefix: "phasebench_merge_" });
  await shards(root);
  await editFile(`${root}/s1/eos_toy/experiment.json`, `"gd"`, `"sgd"`);
  let io = captureIO();
  assertEquals(
    await mergeCommand([`${root}/s0`, `${root}/s1`, "--out", `${root}/m`], io),
    2,
  );
  assertMatch(
    io.stderr.join("\n"),
    /inconsistent shards: eos_toy\/experiment\.json differs between .*s0 and .*s1/,
  );

  await Deno.remove(root, { recursive: true });
  await Deno.mkdir(root);
  await shards(root, ["wasm", "cpu"]);
  io = captureIO();
  assertEquals(
    await mergeCommand([`${root}/s0`, `${root}/s1`, "--out", `${root}/m`], io),
    2,
  );
  assertMatch(io.stderr.join("\n"), /different backends: wasm .*, cpu /);
  await Deno.remove(root, { recursive: true });
});

Deno.test("mergeCommand() refuses a non-empty output unless --force, and reports bad usage", async () => {
  const root = await Deno.makeTempDir({ prefix: "phasebench_merge_" });
  await shards(root);
  let io = captureIO();
  assertEquals(
    await mergeCommand(
      [`${root}/s0`, `${root}/s1`, "--out", `${root}/full`],
      io,
    ),
    2,
  );
  assertMatch(io.stderr.join("\n"), /exists and is not empty \(use --force/);
  io = captureIO();
  assertEquals(
    await mergeCommand([
      `${root}/s0`,
      `${root}/s1`,
      "--out",
      `${root}/full`,
      "--force",
    ], io),
    0,
  );
  assertMatch(
    io.stdout.join("\n"),
    /merged 2 shard\(s\): 9 run\(s\) in 3 experiment\(s\)/,
  );
  io = captureIO();
  assertEquals(await mergeCommand([`${root}/s0`], io), 2);
  assertMatch(io.stderr.join("\n"), /usage: deno task merge DIR… \[--out DIR\]/);
  await editFile(
    `${root}/s1/grok_toy/runs.csv`,
    /\n[^\n]*\n$/,
    "\ngrok_toy/base,x\n",
  );
  io = captureIO();
  assertEquals(
    await mergeCommand([`${root}/s0`, `${root}/s1`, "--out", `${root}/m2`], io),
    2,
  );
  assertMatch(
    io.stderr.join("\n"),
    /s1\/grok_toy\/runs\.csv:2: expected \d+ cells/,
  );
  await Deno.remove(root, { recursive: true });
});
