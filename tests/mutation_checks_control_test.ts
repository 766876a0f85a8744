/**
 * Specification tests of spectral_lr_control at its thresholds, written
 * against the mutants StrykerJS found alive (`deno task mutation`). Targets
 * and sharpness values are dyadic, so every deviation |λ/target − 1| is exact.
 */
import { tableFromCsv } from "../core/results/table.ts";
import type { RunData } from "../core/checks/types.ts";
import { spectralLrControlCheck } from "../core/checks/spectral_lr_control.ts";
import { assertEquals } from "./assert.ts";

function csvRun(
  id: string,
  header: string,
  rows: (number | null)[][],
  info: Record<string, string> = {},
): RunData {
  const text = [header, ...rows.map((r) => r.map((v) => v === null ? "" : String(v)).join(","))]
    .join("\n");
  return { id, status: "ok", info, metrics: tableFromCsv(text, `${id}.csv`) };
}

/** Steps 0..8, target 4 written once at step 0, λ far off during the first quarter. */
const LAMBDA = [8, 8, 4.25, 3.75, 4.5, 4, 4.25, 4.125, 4];
function controlled(id: string, info: Record<string, string> = {}, lambda = LAMBDA): RunData {
  return csvRun(
    id,
    "step,target_sharpness,lambda_max",
    lambda.map((l, s) => [s, s === 0 ? 4 : null, l]),
    info,
  );
}

const evalCtl = (runs: RunData[], options = {}) =>
  spectralLrControlCheck.evaluate({ experiment: "c", runs }, options);

Deno.test("spectral_lr_control: settled deviations from t₀ + 0.25·span, median ≤ tolerance inclusive", () => {
  // from = 0 + 0.25·8 = 2: deviations at steps 2..8 = 1/16 1/16 1/8 0 1/16 1/32 0 → median 1/16
  const [o] = evalCtl([controlled("c/a")], { tolerance: 0.0625 });
  assertEquals(o, {
    run: "c/a",
    statistic: "median |lambda_max/target - 1| after settling",
    expected: "<= 0.0625",
    tolerance: "settle 0.25 of the measured span",
    value: 0.0625,
    verdict: "pass",
    detail:
      "median |lambda_max/target − 1| = 0.0625 (need ≤ 0.0625), no fixed-lr reference (median only), max 0.125, over steps 2–8 (n=7), target from target_sharpness",
  });
  assertEquals(evalCtl([controlled("c/a")], { tolerance: 0.0625 - 2 ** -20 })[0].verdict, "fail");
  // a fixed target option; settle 0.5 → from step 4
  const [f] = evalCtl([controlled("c/a")], { target: 4, settle: 0.5, tolerance: 0.0625 });
  assertEquals(
    f.detail,
    "median |lambda_max/target − 1| = 0.03125 (need ≤ 0.0625), no fixed-lr reference (median only), max 0.125, over steps 4–8 (n=5), target 4",
  );
  // minPoints: 7 settled points are enough for 7, not 8
  assertEquals(evalCtl([controlled("c/a")], { minPoints: 7 })[0].verdict, "fail");
  assertEquals(
    evalCtl([controlled("c/a")], { minPoints: 8 })[0].detail,
    "only 7 measurements after settling (need ≥ 8)",
  );
});

Deno.test("spectral_lr_control: the target is carried forward; rows before it or without λ are left out", () => {
  const run = csvRun("c/b", "step,target_sharpness,lambda_max", [
    [0, null, 100],
    [1, 4, 4],
    [2, null, 4.5],
    [3, 8, null],
    [4, null, 9],
    [null, 8, 9],
    [5, null, 8],
  ]);
  // known target from step 1: devs 0, 1/8, (step 3: no λ), 1/8, 0 over steps 1..5; from = 1 + 0 = 1
  const [o] = evalCtl([run], { settle: 0, tolerance: 0.125 });
  assertEquals(
    o.detail,
    "median |lambda_max/target − 1| = 0.0625 (need ≤ 0.125), no fixed-lr reference (median only), max 0.125, over steps 1–5 (n=4), target from target_sharpness",
  );
  const noTarget = csvRun("c/n", "step,target_sharpness,lambda_max", [[0, null, 1], [1, null, 2]]);
  assertEquals(
    evalCtl([noTarget])[0].detail,
    "no target: give option target or write a target_sharpness column",
  );
  const lateOnly = csvRun("c/l", "step,target_sharpness,lambda_max", [[0, null, 1], [1, 4, null]]);
  assertEquals(evalCtl([lateOnly])[0].detail, "no lambda_max measurement with a known target");
  assertEquals(
    evalCtl([csvRun("c/s", "epoch,lambda_max", [[0, 1]])], { target: 1 })[0].detail,
    "no step column",
  );
  assertEquals(
    evalCtl([csvRun("c/m", "step,loss", [[0, 1]])], { target: 1 })[0].detail,
    "no lambda_max column: sharpness was not measured",
  );
  const diverged = csvRun("c/d", "step,lambda_max,train_loss", [[0, 4, 1], [1, 4, Infinity]]);
  assertEquals(evalCtl([diverged], { target: 4 })[0].verdict, "fail");
});

Deno.test("spectral_lr_control: p90 ≤ p90Factor × the fixed-lr reference's p90, inclusive", () => {
  // the reference has the same deviations: p90 = 1/16 + 0.4·1/16 on both sides
  const runs = [
    controlled("c/ctl", { law: "spectral" }),
    controlled("c/ref", { law: "fixed", seed: "1" }),
  ];
  const options = { reference: { law: "fixed" }, p90Factor: 1, tolerance: 0.0625 };
  const o = evalCtl(runs, options);
  assertEquals(o.length, 1);
  assertEquals([o[0].run, o[0].verdict, o[0].expected], [
    "c/ctl",
    "pass",
    "<= 0.0625 and p90 <= 1x fixed-lr",
  ]);
  assertEquals(
    o[0].detail,
    "median |lambda_max/target − 1| = 0.0625 (need ≤ 0.0625), p90 0.0875 vs 1× fixed-lr p90 0.0875 = 0.0875 [c/ref: median 0.0625], max 0.125, over steps 2–8 (n=7), target from target_sharpness",
  );
  const tight = evalCtl(runs, { ...options, p90Factor: 1 - 2 ** -20 });
  assertEquals(tight[0].verdict, "fail");
  assertEquals(tight[0].detail.includes(" (exceeded) [c/ref: median 0.0625]"), true);
  // matching: numbers compare as numbers, booleans and strings as text; a missing key never matches
  assertEquals(
    evalCtl(runs, { ...options, reference: { law: "fixed", seed: 1 } }).map((r) => r.run),
    ["c/ctl"],
  );
  assertEquals(evalCtl(runs, { ...options, reference: { law: "fixed", seed: "01" } })[0].run, "*");
  const flagged = [controlled("c/ctl"), controlled("c/ref", { fixed: "true" })];
  assertEquals(evalCtl(flagged, { reference: { fixed: true } }).map((r) => r.run), ["c/ctl"]);
  const none = evalCtl(runs, { reference: { law: "other" } });
  assertEquals([none.length, none[0].run, none[0].verdict, none[0].detail], [
    1,
    "*",
    "skip",
    'no usable reference run matches {"law":"other"} (of 2 runs)',
  ]);
  // a reference with fewer settled points than minPoints is not usable
  assertEquals(evalCtl(runs, { ...options, minPoints: 8 })[0].run, "*");
  assertEquals(evalCtl(runs, { ...options, minPoints: 7 })[0].run, "c/ctl");
  // a diverged reference is not used
  const ref2 = csvRun(
    "c/r2",
    "step,target_sharpness,lambda_max,train_loss",
    LAMBDA.map((l, s) => [s, s === 0 ? 4 : null, l, s === 8 ? Infinity : 1]),
    { law: "fixed" },
  );
  assertEquals(evalCtl([runs[0], ref2], options)[0].run, "*");
  // a reference without target is skipped over, not used
  const noTgt = csvRun("c/x", "step,lambda_max", [[0, 1]], { law: "fixed" });
  assertEquals(evalCtl([runs[0], noTgt], options)[0].run, "*");
});

Deno.test("spectral_lr_control: `only` narrows the runs judged; malformed match options are refused", () => {
  const runs = [controlled("c/1", { seed: "1" }), controlled("c/2", { seed: "2" })];
  assertEquals(evalCtl(runs, { only: { seed: 2 } }).map((o) => o.run), ["c/2"]);
  assertEquals(evalCtl(runs).map((o) => o.run), ["c/1", "c/2"]);
  const bad = evalCtl(runs, { only: [1] });
  assertEquals([bad.length, bad[0].verdict], [1, "skip"]);
  assertEquals(bad[0].detail.includes("expected an object of runs.csv values, got [1]"), true);
  assertEquals(bad[0].statistic, "median |lambda_max/target - 1| after settling");
  assertEquals(evalCtl(runs, { only: null })[0].run, "*");
  const ok = (o: Record<string, unknown>) =>
    spectralLrControlCheck.optionsSchema!.safeParse(o).success;
  assertEquals([ok({ settle: 0 }), ok({ settle: 1 }), ok({ settle: -0.1 }), ok({ settle: 1.1 })], [
    true,
    true,
    false,
    false,
  ]);
  assertEquals(
    [ok({ reference: { law: "fixed", seed: 1, on: true } }), ok({ only: { law: "x" } })],
    [true, true],
  );
  assertEquals(ok({ only: { law: null } }), false);
  assertEquals([ok({ sharpness: "" }), ok({ minPoints: 1 }), ok({ minPoints: 0 })], [
    false,
    true,
    false,
  ]);
});

Deno.test("spectral_lr_control: null and non-object match options are refused with the option's message", () => {
  const runs = [controlled("c/1", { seed: "01" }), controlled("c/2", { seed: "2" })];
  for (const [bad, shown] of [[null, "null"], ["x", '"x"'], [3, "3"]] as const) {
    const o = evalCtl(runs, { only: bad });
    assertEquals([o.length, o[0].verdict], [1, "skip"]);
    assertEquals(o[0].detail, `option only: expected an object of runs.csv values, got ${shown}`);
  }
  // a number matches the runs.csv text as a number ("01" is 1)
  assertEquals(evalCtl(runs, { only: { seed: 1 } }).map((o) => o.run), ["c/1"]);
  assertEquals(evalCtl(runs, { only: { seed: "1" } }).length, 0);
});

Deno.test("spectral_lr_control: the settled window starts at x₀ + settle·(x_last − x₀); rows without a step are left out", () => {
  // steps 2..6 with target 4: from = 2 + 0.5·4 = 4
  const run = csvRun("c/s", "step,lambda_max", [[2, 8], [3, 8], [4, 4], [5, 4.5], [6, 4], [
    null,
    100,
  ]]);
  const [o] = evalCtl([run], { target: 4, settle: 0.5, minPoints: 1, tolerance: 1 });
  assertEquals(
    o.detail,
    "median |lambda_max/target − 1| = 0 (need ≤ 1), no fixed-lr reference (median only), max 0.125, over steps 4–6 (n=3), target 4",
  );
});
