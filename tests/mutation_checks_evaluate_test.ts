/**
 * Exact-value tests of check evaluation (where-matching, option problems,
 * outcomes and the gate) and of the terminal summary, written against the
 * mutants StrykerJS found alive (`deno task mutation`).
 */
import { tableFromCsv } from "../core/results/table.ts";
import type { CheckRow, RunData } from "../core/checks/types.ts";
import { failsGate, outcomeOf } from "../core/checks/types.ts";
import {
  checkOptionsProblem,
  evaluateExperimentChecks,
  knownOptionKeys,
  matchesWhere,
} from "../core/checks/evaluate.ts";
import { checks, getCheck } from "../core/checks/registry.ts";
import type { Check } from "../core/checks/types.ts";
import { z } from "zod";
import { renderCheckSummary } from "../core/checks/summary.ts";
import { assertEquals } from "./assert.ts";

Deno.test("outcomeOf and failsGate: every expectation × verdict", () => {
  assertEquals(
    [outcomeOf("holds", "pass"), outcomeOf("holds", "fail"), outcomeOf("holds", "skip")],
    ["met", "not met", "skipped"],
  );
  assertEquals(
    [outcomeOf("fails", "pass"), outcomeOf("fails", "fail"), outcomeOf("fails", "skip", true)],
    ["not met", "met", "no data"],
  );
  assertEquals([outcomeOf("report", "pass"), outcomeOf("report", "skip", true)], [
    "report",
    "report",
  ]);
  assertEquals(
    (["met", "not met", "skipped", "no data", "report"] as const).map((o) =>
      failsGate({ outcome: o })
    ),
    [false, true, true, false, false],
  );
});

Deno.test("matchesWhere: numbers compare as numbers (blank is no number), the rest as text", () => {
  const info = { lr: "0.10", name: "a", flag: "true", blank: " " };
  assertEquals(matchesWhere(info, undefined), true);
  assertEquals(matchesWhere(info, {}), true);
  assertEquals(matchesWhere(info, { lr: 0.1 }), true);
  assertEquals(matchesWhere(info, { lr: 0.2 }), false);
  assertEquals(matchesWhere(info, { lr: "0.1" }), false);
  assertEquals(matchesWhere(info, { name: "a", flag: true }), true);
  assertEquals(matchesWhere(info, { name: "a", flag: false }), false);
  assertEquals(matchesWhere(info, { missing: "a" }), false);
  assertEquals(matchesWhere(info, { blank: 0 }), false);
  assertEquals(matchesWhere({ z: "" }, { z: 0 }), false);
  assertEquals(matchesWhere(info, { name: "a", lr: 0.2 }), false);
});

Deno.test("checkOptionsProblem and knownOptionKeys name the option and the known keys", () => {
  const grok = getCheck("grokking")!;
  assertEquals(knownOptionKeys(grok), ["trainAcc", "testAcc", "maxTestAtFit", "ratio"]);
  assertEquals(checkOptionsProblem(grok, { ratio: 2 }), null);
  assertEquals(
    checkOptionsProblem(grok, { ratoi: 2 }),
    'unknown option "ratoi" (known: trainAcc, testAcc, maxTestAtFit, ratio)',
  );
  assertEquals(
    checkOptionsProblem(grok, { a: 1, b: 2 }),
    'unknown option "a" (known: trainAcc, testAcc, maxTestAtFit, ratio); unknown option "b" (known: trainAcc, testAcc, maxTestAtFit, ratio)',
  );
  assertEquals(checkOptionsProblem(grok, { ratio: "x" })!.startsWith("option ratio: "), true);
  const noShape = { ...grok, optionsSchema: grok.optionsSchema.optional() };
  assertEquals(knownOptionKeys(noShape as typeof grok), []);
});

function run(id: string, info: Record<string, string>, status: RunData["status"] = "ok"): RunData {
  return {
    id,
    status,
    info,
    metrics: tableFromCsv("step,train_acc,test_acc\n0,0.5,0\n10,1,0.1\n40,1,1\n", `${id}.csv`),
  };
}

Deno.test("evaluateExperimentChecks: rows for unknown checks, no runs, bad options, thrown errors and outcomes", () => {
  const runs = [run("g/a", { wd: "1" }), run("g/b", { wd: "2" })];
  const rows = evaluateExperimentChecks("g", [
    { name: "nope", expect: "holds" },
    { name: "grokking", expect: "holds", where: { wd: 3 } },
    { name: "grokking", expect: "fails", options: { bogus: 1 } },
    { name: "grokking", expect: "holds", where: { wd: 2 } },
    { name: "grokking", expect: "report" },
  ], runs);
  const skip = (check: string, expect: CheckRow["expect"], detail: string): CheckRow => ({
    experiment: "g",
    check,
    expect,
    run: "*",
    statistic: "",
    value: null,
    expected: "",
    tolerance: "",
    verdict: "skip",
    outcome: expect === "report" ? "report" : "skipped",
    detail,
  });
  assertEquals(rows[0].detail.startsWith('unknown check "nope" (known: '), true);
  assertEquals(rows[0], skip("nope", "holds", rows[0].detail));
  assertEquals(rows[1], skip("grokking", "holds", 'no run matches where {"wd":3} (of 2 runs)'));
  assertEquals(rows[2], skip("grokking", "fails", rows[2].detail));
  assertEquals(rows[2].detail.startsWith('options: unknown option "bogus"'), true);
  assertEquals(rows.slice(3).map((r) => [r.run, r.expect, r.verdict, r.outcome]), [
    ["g/b", "holds", "pass", "met"],
    ["g/a", "report", "pass", "report"],
    ["g/b", "report", "pass", "report"],
  ]);
  assertEquals(rows[3].experiment, "g");
  assertEquals(
    evaluateExperimentChecks("g", [{ name: "grokking", expect: "holds" }], [])[0].detail,
    "no runs",
  );
  // every selected run skipped for absent data: no data, which does not gate
  const absent = [run("g/a", {}, "skipped"), run("g/b", {}, "skipped")].map((r) => ({
    ...r,
    metrics: null,
  }));
  const nd = evaluateExperimentChecks("g", [{ name: "grokking", expect: "holds" }], absent);
  assertEquals(nd.map((r) => r.outcome), ["no data", "no data"]);
  const mixed = [absent[0], { ...run("g/c", {}), metrics: null }];
  assertEquals(
    evaluateExperimentChecks("g", [{ name: "grokking", expect: "holds" }], mixed).map((r) =>
      r.outcome
    ),
    [
      "skipped",
      "skipped",
    ],
  );
});

function row(outcome: CheckRow["outcome"], o: Partial<CheckRow> = {}): CheckRow {
  return {
    experiment: "e",
    check: "c",
    expect: "holds",
    run: "e/r1",
    statistic: "s",
    value: 1.5,
    expected: "",
    tolerance: "",
    verdict: "pass",
    outcome,
    detail: "d",
    ...o,
  };
}

Deno.test("renderCheckSummary: one aligned line per row, the tally, and a note when lines are cut", () => {
  assertEquals(renderCheckSummary([]), "no checks");
  const out = renderCheckSummary([
    row("met"),
    row("not met", { run: "*", verdict: "fail", value: null, check: "longer" }),
    row("skipped", { verdict: "skip", value: 12345 }),
    row("no data", { verdict: "skip", value: 0.0001234 }),
    row("report", { expect: "report", value: Infinity }),
  ]);
  assertEquals(out.split("\n"), [
    "ok    e:c       r1  expect holds   pass  s=1.500     d",
    "FAIL  e:longer      expect holds   fail  s=-         d",
    "SKIP  e:c       r1  expect holds   skip  s=1.235e+4  d",
    "n/a   e:c       r1  expect holds   skip  s=1.234e-4  d",
    "info  e:c       r1  expect report  pass  s=Infinity  d",
    "checks: 1 met, 1 not met, 1 skipped (gating: fails the gate), 1 without data, 1 report",
  ]);
  const small = renderCheckSummary([row("met", { value: 0 }), row("met", { value: -0.001 })]);
  assertEquals(small.split("\n").slice(0, 2), [
    "ok    e:c  r1  expect holds  pass  s=0.000      d",
    "ok    e:c  r1  expect holds  pass  s=-0.001000  d",
  ]);
  const long = renderCheckSummary([row("met", { detail: "x".repeat(50) })], 40);
  assertEquals(long.split("\n"), [
    "ok    e:c  r1  expect holds  pass  s=1.…",
    "checks: 1 met, 0 not met, 0 skipped (gating: fails the gate), 0 without data, 0 report",
    "(1 line(s) cut to 40 characters: the full detail is in checks.csv and --json)",
  ]);
  const exact = "ok    e:c  r1  expect holds  pass  s=1.500  d";
  assertEquals(renderCheckSummary([row("met")], exact.length).split("\n")[0], exact);
  assertEquals(
    renderCheckSummary([row("met")], exact.length - 1).split("\n")[0].endsWith("…"),
    true,
  );
  assertEquals(renderCheckSummary([row("met", { value: 1e4 })]).includes("s=1.000e+4"), true);
  assertEquals(renderCheckSummary([row("met", { value: 1e-3 })]).includes("s=0.001000"), true);
});

Deno.test("matchesWhere: a numeric value never matches a missing key", () => {
  assertEquals(matchesWhere({}, { lr: 0.1 }), false);
  assertEquals(matchesWhere({ wd: "1" }, { lr: 0 }), false);
});

Deno.test("evaluateExperimentChecks: a check that throws gives one skip row with the error", () => {
  checks.__throws = {
    name: "__throws",
    description: "throws",
    optionsSchema: z.strictObject({}),
    evaluate: () => {
      throw new Error("boom");
    },
  } as unknown as Check;
  try {
    const rows = evaluateExperimentChecks("g", [
      { name: "__throws", expect: "holds" },
      { name: "grokking", expect: "holds" },
    ], [run("g/a", {})]);
    assertEquals(rows.map((r) => [r.check, r.verdict, r.outcome]), [
      ["__throws", "skip", "skipped"],
      ["grokking", "pass", "met"],
    ]);
    assertEquals(rows[0].detail, "check error: boom");
  } finally {
    delete checks.__throws;
  }
});

Deno.test("renderCheckSummary: the experiment part of a run id is dropped, whatever its length", () => {
  const out = renderCheckSummary([row("met", { run: "exp/lr=0.1/seed=0" })]);
  assertEquals(out.split("\n")[0], "ok    e:c  lr=0.1/seed=0  expect holds  pass  s=1.500  d");
});
