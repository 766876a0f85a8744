/** Config: overrides, sweep expansion into run ids, JSON Schema. */
import { assertEquals, assertMatch, assertOk, assertThrowsMsg } from "./assert.ts";
import { applyOverride, coerceValue, parseSetArg } from "../core/config/overrides.ts";
import { expandSweep } from "../core/config/sweep.ts";
import { resolveExperiment } from "../core/config/load.ts";
import { experimentJsonSchema } from "../core/config/json_schema.ts";
import { tinyExperiment } from "./cli_helpers.ts";

Deno.test("--set values are coerced: numbers, booleans, lists as JSON, anything else a string", () => {
  assertEquals(coerceValue("0.5"), 0.5);
  assertEquals(coerceValue("true"), true);
  assertEquals(coerceValue("[1,2]"), [1, 2]);
  assertEquals(coerceValue("relu"), "relu");
  assertEquals(parseSetArg("model.width=32"), { path: "model.width", value: 32 });
  const cfg: Record<string, unknown> = { a: { b: 1 } };
  applyOverride(cfg, "a.c.d", 2, "test");
  assertEquals(cfg, { a: { b: 1, c: { d: 2 } } });
});

Deno.test("profiles then --set are applied in that order before validation", () => {
  const raw = {
    ...tinyExperiment("p"),
    profiles: { quick: { "budget.steps": 7 }, full: { "budget.steps": 70 } },
  };
  assertEquals(resolveExperiment(raw, "p.json", { profile: "quick", sets: [] }).budget, {
    steps: 7,
  });
  assertEquals(resolveExperiment(raw, "p.json", { profile: "full", sets: [] }).budget, {
    steps: 70,
  });
  assertEquals(
    resolveExperiment(raw, "p.json", { profile: "quick", sets: ["budget.steps=9"] }).budget,
    { steps: 9 },
  );
});

Deno.test("expandSweep() makes one readable, stable run id per grid point with a config hash", () => {
  const raw = { ...tinyExperiment("grid"), sweep: { "model.width": [8, 16], seed: [1, 2, 3] } };
  const exp = resolveExperiment(raw, "grid.json", { profile: "quick", sets: [] });
  const runs = expandSweep(exp, "grid.json");
  assertEquals(runs.length, 6);
  assertEquals(runs[0].runId, "grid/width=8,seed=1");
  assertEquals(runs[5].runId, "grid/width=16,seed=3");
  assertMatch(runs[0].dirName, /^width=8,seed=1~[0-9a-f]{6}$/);
  assertEquals(runs[3].config.model!.kind === "mlp" && runs[3].config.model!.width, 16);
  assertEquals(runs[3].config.seed, 1);
  assertEquals(new Set(runs.map((r) => r.hash)).size, 6);
  // stable: same config → same hash
  assertEquals(expandSweep(exp, "grid.json").map((r) => r.hash), runs.map((r) => r.hash));
});

Deno.test("a sweep over a field path that does not exist is an error naming it", () => {
  const raw = { ...tinyExperiment("bad"), sweep: { "model.widht": [8] } };
  const exp = resolveExperiment(raw, "bad.json", { profile: "quick", sets: [] });
  assertThrowsMsg(() => expandSweep(exp, "bad.json"), /bad\.json: model\.widht: unknown field/);
});

Deno.test("the JSON Schema forbids unknown fields and knows the task kinds", () => {
  const s = experimentJsonSchema();
  assertEquals(s.additionalProperties, false);
  const text = JSON.stringify(s);
  for (
    const kind of [
      "modular",
      "powerlaw",
      "powerlaw-curve",
      "chebyshev",
      "synthetic-classification",
      "cifar5m",
    ]
  ) {
    assertOk(text.includes(`"${kind}"`), kind);
  }
});

Deno.test("--set sweep.<field path> replaces that sweep list (sweep keys contain dots)", () => {
  const raw = { ...tinyExperiment("s"), sweep: { "model.width": [8, 16], seed: [1] } };
  const exp = resolveExperiment(raw, "s.json", {
    profile: "quick",
    sets: ["sweep.model.width=[4]"],
  });
  assertEquals(exp.sweep, { "model.width": [4], seed: [1] });
});
