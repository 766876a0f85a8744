/**
 * `pairOver`: runs that differ only on the named sweep axes share their random
 * streams (initialisation, batch order, probes), so a schedule and its
 * constant-LR reference are a paired comparison.
 */
import { assertEquals, assertMatch, assertNotEquals } from "./assert.ts";
import { runCli, tempDir, tinyExperiment, writeExperiment } from "./cli_helpers.ts";
import { planSuite } from "../core/train/suite.ts";

const dir = tempDir("phasebench-paired-");

function experiment(name: string, pairOver?: string[]) {
  return writeExperiment(dir, {
    ...tinyExperiment(name),
    optimizer: { kind: "sgd", lr: 0.2, batchSize: 16 },
    sweep: { "schedule.kind": ["constant", "linear"], seed: [1, 2] },
    ...(pairOver ? { pairOver } : {}),
  });
}

function firstRows(out: string, name: string): Record<string, string[]> {
  const rows: Record<string, string[]> = {};
  for (const e of Deno.readDirSync(`${out}/${name}`)) {
    if (!e.isDirectory) continue;
    const lines = Deno.readTextFileSync(`${out}/${name}/${e.name}/metrics.csv`).trim().split("\n");
    rows[e.name.split("~")[0]] = lines.slice(1, 3); // steps 0 and 5
  }
  return rows;
}

Deno.test("pairOver: a schedule and its constant reference share init and batches; seeds still differ", async () => {
  const f = experiment("paired", ["schedule.kind"]);
  const plans = (await planSuite([f], "quick", [], false)).plans;
  assertEquals(plans.map((p) => p.streamId), [
    "paired/seed=1",
    "paired/seed=2",
    "paired/seed=1",
    "paired/seed=2",
  ]);
  const out = `${dir}/paired_out`;
  assertEquals(
    (await runCli(["run", f, "--out", out, "--quiet", "--backend", "cpu", "--jobs", "1"])).code,
    0,
  );
  const r = firstRows(out, "paired");
  // step 0 (θ₀ before any update): identical within a seed, different across seeds
  assertEquals(r["kind=constant,seed=1"][0], r["kind=linear,seed=1"][0]);
  assertNotEquals(r["kind=constant,seed=1"][0], r["kind=constant,seed=2"][0]);
  // without pairOver every run draws its own init
  const g = experiment("unpaired");
  const out2 = `${dir}/unpaired_out`;
  assertEquals(
    (await runCli(["run", g, "--out", out2, "--quiet", "--backend", "cpu", "--jobs", "1"])).code,
    0,
  );
  const u = firstRows(out2, "unpaired");
  assertNotEquals(u["kind=constant,seed=1"][0], u["kind=linear,seed=1"][0]);
});

Deno.test("pairOver must name swept paths", async () => {
  const f = experiment("bad_pair", ["schedule.kindd"]);
  const r = await runCli(["run", f, "--out", `${dir}/bad`, "--quiet"]);
  assertEquals(r.code, 2);
  assertMatch(
    r.err,
    /pairOver\[0\]: expected a swept path \(schedule\.kind, seed\), got "schedule\.kindd"/,
  );
});
