import { Table } from "../core/results/table.ts";
import type { RunData } from "../core/checks/types.ts";
import { evaluateExperimentChecks, matchesWhere } from "../core/checks/evaluate.ts";
import { checkNames, checks, getCheck } from "../core/checks/registry.ts";
import { assertEquals, assertMatch, assertOk } from "./assert.ts";

/** Grokking-style run: fits at step 10; generalises at `gen` (or never). */
function run(
  id: string,
  info: Record<string, string>,
  gen: number | null,
): RunData {
  const step = [0, 10, 20, 40, 80], train = [0.1, 1, 1, 1, 1];
  const test = step.map((s) => (gen !== null && s >= gen ? 0.99 : 0.05));
  return {
    id,
    status: "ok",
    info,
    metrics: new Table(`${id}.csv`, ["step", "train_acc", "test_acc"], {
      step,
      train_acc: train,
      test_acc: test,
    }, 5),
  };
}

const runs = [
  run("g/wd=1,lr=0.001", { wd: "1", lr: "0.0010", fast: "false" }, 80),
  run("g/wd=0,lr=0.001", { wd: "0", lr: "0.001", fast: "false" }, null),
  run("g/wd=1,lr=0.01", { wd: "1", lr: "0.01", fast: "true" }, 20),
];

Deno.test("matchesWhere() compares numbers numerically and the rest as strings", () => {
  assertOk(matchesWhere({ lr: "0.0010" }, { lr: 0.001 }));
  assertOk(!matchesWhere({ lr: "0.0011" }, { lr: 0.001 }));
  assertOk(!matchesWhere({ lr: "" }, { lr: 0 }));
  assertOk(matchesWhere({ fast: "true" }, { fast: true }));
  assertOk(matchesWhere({ opt: "adam" }, { opt: "adam" }));
  assertOk(!matchesWhere({}, { opt: "adam" }), "a missing key never matches");
  assertOk(matchesWhere({ a: "1" }, undefined));
});

Deno.test("evaluateExperimentChecks() filters by where and fills expect/outcome", () => {
  const rows = evaluateExperimentChecks("g", [
    { name: "grokking", expect: "holds", where: { wd: 1, lr: 0.001 } },
    { name: "grokking", expect: "fails", where: { wd: 0 } },
    { name: "grokking", expect: "fails", where: { fast: true } },
    { name: "grokking", expect: "report", where: { wd: 0 } },
  ], runs);
  assertEquals(rows.map((r) => [r.run, r.verdict, r.outcome]), [
    ["g/wd=1,lr=0.001", "pass", "met"],
    ["g/wd=0,lr=0.001", "fail", "met"],
    ["g/wd=1,lr=0.01", "fail", "met"],
    ["g/wd=0,lr=0.001", "fail", "report"],
  ]);
  for (const r of rows) {
    assertEquals(r.experiment, "g");
    assertEquals(r.check, "grokking");
    assertEquals(r.statistic, "t_gen/t_fit");
  }
  assertEquals(rows[0].expect, "holds");
  assertEquals(rows[1].expect, "fails");
});

Deno.test("evaluateExperimentChecks() marks a negative control that holds as not met", () => {
  const rows = evaluateExperimentChecks("g", [
    { name: "grokking", expect: "fails", where: { wd: 1, lr: 0.001 } },
    { name: "grokking", expect: "holds", where: { wd: 0 } },
  ], runs);
  assertEquals(rows.map((r) => r.outcome), ["not met", "not met"]);
});

Deno.test("evaluateExperimentChecks() skips unknown checks and empty selections with reasons", () => {
  const rows = evaluateExperimentChecks("g", [
    { name: "grokkking", expect: "holds" },
    { name: "grokking", expect: "holds", where: { wd: 5 } },
    { name: "eos", expect: "holds", options: { band: "wide" } },
  ], runs);
  assertEquals(rows.map((r) => [r.verdict, r.outcome]), [
    ["skip", "skipped"],
    ["skip", "skipped"],
    ["skip", "skipped"],
  ]);
  assertMatch(
    rows[0].detail,
    /unknown check "grokkking" \(known: eos, adaptive_eos/,
  );
  assertMatch(rows[1].detail, /no run matches where \{"wd":5\} \(of 3 runs\)/);
  assertMatch(rows[2].detail, /^options: option band: /);
});

Deno.test("the registry holds every SPEC §7 check under its name", () => {
  assertEquals(checkNames(), [
    "eos",
    "adaptive_eos",
    "progressive_sharpening",
    "grokking",
    "edge_precedes_grokking",
    "grokking_time_scaling",
    "grokking_phase",
    "spectral_lr_control",
    "collapse",
    "supercollapse",
    "fit_l0",
    "compute_optimal_horizon",
    "schedule_noise_model",
    "collapse_variance_scaling",
    "emergence",
    "edge_at_emergence",
  ]);
  for (const n of checkNames()) {
    assertEquals(getCheck(n)?.name, n);
    assertOk(checks[n].description.length > 10);
  }
  assertEquals(getCheck("toString"), undefined);
});
