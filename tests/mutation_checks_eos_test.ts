/**
 * Specification tests of the edge-of-stability checks at their thresholds,
 * written against the mutants StrykerJS found alive (`deno task mutation`).
 * Runs use θ = 1 (a `two_over_lr` column of ones) or dyadic numbers, so every
 * ratio, median and boundary below is exact in floating point.
 */
import { tableFromCsv } from "../core/results/table.ts";
import type { RunData } from "../core/checks/types.ts";
import { edgeAnalysis, edgeOutcome, edgeRatios, eosCheck, GD_EDGE } from "../core/checks/eos.ts";
import { ADAM_EDGE, adaptiveEosCheck } from "../core/checks/adaptive_eos.ts";
import { progressiveSharpeningCheck } from "../core/checks/progressive_sharpening.ts";
import { assertEquals } from "./assert.ts";

/** A run from a header and rows of cells (null = empty cell). */
function csvRun(
  header: string,
  rows: (number | null)[][],
  info: Record<string, string> = {},
  id = "e/r",
): RunData {
  const text = [header, ...rows.map((r) => r.map((v) => v === null ? "" : String(v)).join(","))]
    .join("\n");
  return { id, status: "ok", info, metrics: tableFromCsv(text, `${id}.csv`) };
}

/** Steps 0..n−1 with θ = 1 and the given sharpness (λ/θ = λ) and loss. */
function unitRun(lambda: (number | null)[], loss?: (number | null)[]): RunData {
  return csvRun(
    loss ? "step,two_over_lr,lambda_max,train_loss" : "step,two_over_lr,lambda_max",
    lambda.map((l, s) => loss ? [s, 1, l, loss[s]] : [s, 1, l]),
  );
}

const evalEos = (r: RunData, options = {}) =>
  eosCheck.evaluate({ experiment: "e", runs: [r] }, options)[0];

Deno.test("edgeRatios fills θ from the nearest earlier row, else the nearest later one", () => {
  const gaps = csvRun("step,two_over_lr,lambda_max", [
    [0, 2, 1],
    [1, null, 1],
    [2, 4, 1],
    [3, null, 1],
  ]);
  const a = edgeRatios(gaps, GD_EDGE, {}, "lambda_max");
  assertEquals(a, {
    x: [0, 1, 2, 3],
    lambda: [1, 1, 1, 1],
    ratio: [0.5, 0.5, 0.25, 0.25],
    note: "θ from two_over_lr",
  });
  const leading = csvRun("step,two_over_lr,lambda_max", [[0, null, 1], [1, 4, 1], [2, 8, 1]]);
  assertEquals((edgeRatios(leading, GD_EDGE, {}, "lambda_max") as { ratio: number[] }).ratio, [
    0.25,
    0.25,
    0.125,
  ]);
});

Deno.test("edgeRatios keeps rows with both a step and a sharpness, and says why it cannot", () => {
  const holes = csvRun("step,two_over_lr,lambda_max", [[0, 1, 0.5], [1, 1, null], [null, 1, 0.7], [
    3,
    1,
    0.75,
  ]]);
  assertEquals(edgeRatios(holes, GD_EDGE, {}, "lambda_max"), {
    x: [0, 3],
    lambda: [0.5, 0.75],
    ratio: [0.5, 0.75],
    note: "θ from two_over_lr",
  });
  const none: RunData = { id: "r", status: "ok", info: {}, metrics: null };
  assertEquals(edgeRatios(none, GD_EDGE, {}, "lambda_max"), {
    reason: "no lambda_max column: sharpness was not measured",
  });
  const noStep = csvRun("epoch,two_over_lr,lambda_max", [[0, 1, 0.5]]);
  assertEquals(edgeRatios(noStep, GD_EDGE, {}, "lambda_max"), { reason: "no step column" });
  // η = 0 in runs.csv is no learning rate (θ = 2/η would be infinite)
  const zeroLr = csvRun("step,lambda_max", [[0, 0.5]], { lr: "0" });
  assertEquals(edgeRatios(zeroLr, GD_EDGE, {}, "lambda_max"), {
    reason: "no learning rate: need a two_over_lr or lr column, option lr, or lr in runs.csv",
  });
  const lr = csvRun("step,lambda_max", [[0, 0.5]], { lr: "0.5" });
  assertEquals(edgeRatios(lr, GD_EDGE, {}, "lambda_max"), {
    x: [0],
    lambda: [0.5],
    ratio: [0.125],
    note: "θ = 2/η, η = 0.5",
  });
});

Deno.test("edgeAnalysis: onset is the first λ/θ ≥ 0.95 (equality counts), settling from t₀ + 0.1·span", () => {
  // λ/θ: 0.5 0.75 0.9 0.95 then 1 for steps 4..13; t₀ = 3, tLast = 13, from = 3 + 0.1·10 = 4
  const lam = [0.5, 0.75, 0.9, 0.95, ...Array(10).fill(1)];
  const a = edgeAnalysis(unitRun(lam), GD_EDGE, {});
  assertEquals(a, {
    x: lam.map((_, s) => s),
    ratio: lam,
    r0: 0.5,
    startedAbove: false,
    t0: 3,
    settledFrom: 4,
    settled: Array(10).fill(1),
    bothParities: true,
    orbit: null,
    statistic: 1,
    note: "θ from two_over_lr",
  });
  // settle 0.2: from = 3 + 2 = 5 exactly, and step 5 is in the window
  const b = edgeAnalysis(unitRun(lam), GD_EDGE, { settle: 0.2 }) as { settledFrom: number };
  assertEquals(b.settledFrom, 5);
});

Deno.test("edgeAnalysis: no onset leaves the settled window empty; an onset at the first step is one", () => {
  const never = edgeAnalysis(unitRun([0.5, 0.75, 0.9]), GD_EDGE, {});
  assertEquals(never, {
    x: [0, 1, 2],
    ratio: [0.5, 0.75, 0.9],
    r0: 0.5,
    startedAbove: false,
    t0: null,
    settledFrom: null,
    settled: [],
    bothParities: false,
    orbit: null,
    statistic: NaN,
    note: "θ from two_over_lr",
  });
  const first = edgeAnalysis(unitRun([1, 1, 1]), GD_EDGE, { start: 1 }) as { t0: number };
  assertEquals([first.t0, (first as unknown as { startedAbove: boolean }).startedAbove], [
    0,
    false,
  ]);
  const onlyNullSteps = csvRun("step,two_over_lr,lambda_max", [[null, 1, 0.5]]);
  assertEquals(edgeAnalysis(onlyNullSteps, GD_EDGE, {}), { reason: "no lambda_max measurement" });
  assertEquals(edgeAnalysis(csvRun("epoch,lambda_max", [[0, 1]]), GD_EDGE, {}), {
    reason: "no step column",
  });
});

/** λ/θ = 0.5 at step 0, onset at step 1, then `tail` (step 2 onwards). */
function orbitLam(tail: number[]): number[] {
  return [0.5, 1, ...tail];
}

Deno.test("edgeAnalysis: a period-2 orbit needs a parity gap ≥ orbitGap and ≥ orbitContrast × the blind gap", () => {
  // settled (steps ≥ 1 + 0.1·10 = 2): even 1.125, odd 0.875 → gap 0.25, blind gap 0
  const tail = [1.125, 0.875, 1.125, 0.875, 1.125, 0.875, 1.125, 0.875, 1.125, 0.875];
  const loss = [1, 0.5, 0.25, 0.5, 0.25, 0.5, 0.25, 0.5, 0.25, 0.5, 0.25, 0.5];
  const a = edgeAnalysis(unitRun(orbitLam(tail), loss), GD_EDGE, { orbitGap: 0.25 });
  assertEquals((a as { orbit: unknown }).orbit, {
    even: 1.125,
    odd: 0.875,
    gap: 0.25,
    blindGap: 0,
    lossEven: 0.25,
    lossOdd: 0.5,
  });
  assertEquals((a as { statistic: number }).statistic, 1);
  // just above the gap: no orbit, plain median
  const b = edgeAnalysis(unitRun(orbitLam(tail), loss), GD_EDGE, { orbitGap: 0.25 + 2 ** -20 });
  assertEquals([(b as { orbit: unknown }).orbit, (b as { statistic: number }).statistic], [
    null,
    1,
  ]);
  // a blind gap: pairs (k = 0,1 | 2,3 | 4,5 | 6,7) alternate halves a, b.
  // settled 1.25 0.75 1.25 0.75 | 1.25 0.75 1.25 1.25 → even [1.25 ×4] = 1.25, odd [0.75 0.75 0.75 1.25] → 0.75
  // a = k 0,1,4,5 → mean 1; b = k 2,3,6,7 → mean 1.125; blind gap 0.125, parity gap 0.5 = 4 × 0.125
  const t2 = [1.25, 0.75, 1.25, 0.75, 1.25, 0.75, 1.25, 1.25];
  const c = edgeAnalysis(unitRun([0.5, 1, ...t2]), GD_EDGE, { orbitContrast: 4, settle: 0.1 });
  assertEquals((c as { settled: number[] }).settled, t2);
  assertEquals((c as { orbit: unknown }).orbit, {
    even: 1.25,
    odd: 0.75,
    gap: 0.5,
    blindGap: 0.125,
    lossEven: null,
    lossOdd: null,
  });
  const d = edgeAnalysis(unitRun([0.5, 1, ...t2]), GD_EDGE, { orbitContrast: 4 + 2 ** -20 });
  assertEquals((d as { orbit: unknown }).orbit, null);
});

Deno.test("edgeAnalysis: orbit losses are taken from the settled window on, by parity; one parity missing gives none", () => {
  const tail = [1.125, 0.875, 1.125, 0.875, 1.125, 0.875, 1.125, 0.875, 1.125, 0.875];
  // settled from step 2: losses before it (steps 0, 1) are left out; step 2 counts
  const loss = [9, 9, 0.25, 0.5, 0.25, 0.5, 0.25, 0.5, 0.25, 0.5, 0.25, 0.75];
  const a = edgeAnalysis(unitRun(orbitLam(tail), loss), GD_EDGE, {}) as {
    orbit: { lossEven: number; lossOdd: number };
  };
  assertEquals([a.orbit.lossEven, a.orbit.lossOdd], [0.25, 0.5]);
  const evenOnly = loss.map((v, s) => s % 2 === 0 ? v : null);
  const b = edgeAnalysis(unitRun(orbitLam(tail), evenOnly), GD_EDGE, {}) as {
    orbit: { lossEven: number | null; lossOdd: number | null };
  };
  assertEquals([b.orbit.lossEven, b.orbit.lossOdd], [null, null]);
  const oddOnly = loss.map((v, s) => s % 2 === 1 ? v : null);
  const c = edgeAnalysis(unitRun(orbitLam(tail), oddOnly), GD_EDGE, {}) as {
    orbit: { lossEven: number | null; lossOdd: number | null };
  };
  assertEquals([c.orbit.lossEven, c.orbit.lossOdd], [null, null]);
});

Deno.test("edgeAnalysis: two settled points of each parity are enough to look for an orbit, one is not", () => {
  // t₀ = 1, tLast = 5, settle 0: settled steps 1..5 → even 2, 4; odd 1, 3, 5
  const two = edgeAnalysis(unitRun([0.5, 1, 1, 1, 1, 1]), GD_EDGE, { settle: 0 }) as {
    bothParities: boolean;
  };
  assertEquals(two.bothParities, true);
  // settled steps 2..4: even 2, 4; odd 3 only
  const one = edgeAnalysis(unitRun([0.5, 0.5, 1, 1, 1]), GD_EDGE, { settle: 0 }) as {
    bothParities: boolean;
  };
  assertEquals(one.bothParities, false);
  // steps 2..5: even 2, 4; odd 3, 5
  const odd2 = edgeAnalysis(unitRun([0.5, 0.5, 1, 1, 1, 1]), GD_EDGE, { settle: 0 }) as {
    bothParities: boolean;
  };
  assertEquals(odd2.bothParities, true);
  const even1 = edgeAnalysis(unitRun([0.5, 0.5, 0.5, 1, 1, 1]), GD_EDGE, { settle: 0 }) as {
    bothParities: boolean;
  };
  assertEquals(even1.bothParities, false);
});

/** 0.5 → 1 at step 1, flat at `level` from step 2 to 20, loss falling 1/(1+s). */
function flatRun(level: number): RunData {
  const lam = [0.5, 1, ...Array(19).fill(level)];
  return unitRun(lam, lam.map((_, s) => 1 / (1 + s)));
}

Deno.test("eos: the band [0.90, 1.15] is inclusive at both ends (as a dyadic band option)", () => {
  assertEquals(evalEos(flatRun(0.875), { band: [0.875, 1.125] }).verdict, "pass");
  assertEquals(evalEos(flatRun(1.125), { band: [0.875, 1.125] }).verdict, "pass");
  assertEquals(evalEos(flatRun(0.875), { band: [0.875 + 2 ** -20, 1.125] }).verdict, "fail");
  assertEquals(evalEos(flatRun(1.125), { band: [0.875, 1.125 - 2 ** -20] }).verdict, "fail");
});

Deno.test("eos: the exact outcome of a flat run at the edge, and of one with too few settled points", () => {
  const o = evalEos(flatRun(1));
  assertEquals(o, {
    run: "e/r",
    statistic: "median lambda_max/(2/lr)",
    expected: "[0.90, 1.15]",
    tolerance:
      "start ≤ 0.8θ, onset 0.95θ, settle 0.1 of post-onset span, progress: median loss of the last 0.25 below that before t₀",
    value: 1,
    verdict: "pass",
    detail: o.detail,
  });
  assertEquals(
    o.detail,
    "median λ_max·η/2 = 1 over steps 3–20 (n=18), band [0.90, 1.15]; start 0.5, onset t₀ = 1; " +
      // whole run: median of 1/(1+s) over s ≤ 5 and over s ≥ 15; after t₀ = 1: s ≤ 5.75, s ≥ 15.25
      "median train_loss 0.2917 (first 0.25 of the run) → 0.05409 (last 0.25), " +
      "after t₀ 0.25 → 0.05263 (×0.211, not required); no period-2 orbit; θ from two_over_lr",
  );
  // minPoints = 18 settled points is enough, 19 is not
  assertEquals(evalEos(flatRun(1), { minPoints: 18 }).verdict, "pass");
  const few = evalEos(flatRun(1), { minPoints: 19 });
  assertEquals([few.verdict, few.value, few.detail], [
    "skip",
    null,
    "onset t₀ = 1 leaves 18 measurements after settling (need ≥ 19)",
  ]);
});

Deno.test("eos: progress against the losses before t₀ (two needed), a loss at t₀ not among them", () => {
  // onset at step 2; losses at steps 0, 1 are before t₀ (median 1.5), the one at t₀ (100) is not
  const lam = [0.5, 0.5, 1, ...Array(18).fill(1)];
  const loss = [1, 2, 100, ...Array(18).fill(1.25)];
  const o = evalEos(unitRun(lam, loss));
  assertEquals(o.verdict, "pass", o.detail);
  assertEquals(
    o.detail.split("; ")[2],
    "median train_loss 1.5 (before t₀, n=2) → 1.25 (last 0.25), after t₀ 1.25 → 1.25 (×1, not required)",
  );
  // with the onset at step 1 only one loss precedes it: the first quarter of the run is the reference
  const lam1 = [0.5, 1, ...Array(19).fill(1)];
  const loss1 = [2, 100, ...Array(19).fill(1.25)];
  const p = evalEos(unitRun(lam1, loss1));
  assertEquals(
    p.detail.split("; ")[2],
    "median train_loss 1.25 (first 0.25 of the run) → 1.25 (last 0.25) (no progress), after t₀ 1.25 → 1.25 (×1, not required)",
  );
  assertEquals(p.verdict, "fail");
});

Deno.test("eos: too few losses for windows is progress by default; no train_loss skips with the statistic", () => {
  const lam = [0.5, 1, 1, 1, 1, 1];
  const loss = [null, null, null, null, null, 0.5];
  const o = evalEos(unitRun(lam, loss), { settle: 0 });
  assertEquals(o.verdict, "pass");
  assertEquals(o.detail.split("; ")[2], "no divergence (too few losses for windows)");
  const none = evalEos(unitRun(lam), { settle: 0 });
  assertEquals([none.verdict, none.value, none.detail], [
    "skip",
    1,
    "no train_loss column: cannot check progress",
  ]);
  const empty = evalEos(unitRun(lam, lam.map(() => null)), { settle: 0 });
  assertEquals([empty.verdict, empty.detail], [
    "skip",
    "no train_loss column: cannot check progress",
  ]);
});

Deno.test("eos: skips a run without the column or steps, and names the reason", () => {
  assertEquals(
    evalEos(csvRun("step,lr", [[0, 0.5]])).detail,
    "no lambda_max column: sharpness was not measured",
  );
  const noStep = evalEos(csvRun("epoch,two_over_lr,lambda_max", [[0, 1, 0.5]]));
  assertEquals([noStep.verdict, noStep.detail], ["skip", "no step column"]);
  const none: RunData = { id: "r", status: "ok", info: {}, metrics: null };
  assertEquals(evalEos(none).verdict, "skip");
  // an invalid option becomes one skip outcome that still names the statistic
  const bad = eosCheck.evaluate({ experiment: "e", runs: [flatRun(1)] }, { band: [2, 1] });
  assertEquals([bad[0].run, bad[0].verdict, bad[0].statistic, bad[0].expected], [
    "*",
    "skip",
    "median lambda_max/(2/lr)",
    "[0.90, 1.15]",
  ]);
  const badA = adaptiveEosCheck.evaluate({ experiment: "e", runs: [flatRun(1)] }, { band: [2, 1] });
  assertEquals([badA[0].statistic, badA[0].expected], [
    "median precond_lambda_max/critical_sharpness",
    "[0.85, 1.15]",
  ]);
});

Deno.test("eos options: settle ∈ [0, 1], window ∈ (0, 0.5], a non-empty sharpness column", () => {
  const ok = (o: Record<string, unknown>) => eosCheck.optionsSchema!.safeParse(o).success;
  assertEquals(
    [ok({ settle: 0 }), ok({ settle: 1 }), ok({ settle: -0.01 }), ok({ settle: 1.01 })],
    [
      true,
      true,
      false,
      false,
    ],
  );
  assertEquals([ok({ window: 0.5 }), ok({ window: 0.51 })], [true, false]);
  assertEquals([ok({ sharpness: "l" }), ok({ sharpness: "" })], [true, false]);
  const okA = (o: Record<string, unknown>) => adaptiveEosCheck.optionsSchema!.safeParse(o).success;
  assertEquals([okA({ beta1: 0 }), okA({ beta1: 1 }), okA({ beta1: -0.1 }), okA({ beta1: 1.1 })], [
    true,
    true,
    false,
    false,
  ]);
  const okP = (o: Record<string, unknown>) =>
    progressiveSharpeningCheck.optionsSchema!.safeParse(o).success;
  assertEquals([okP({ beta1: 0 }), okP({ beta1: 1 }), okP({ beta1: -0.1 }), okP({ beta1: 1.1 })], [
    true,
    true,
    false,
    false,
  ]);
  assertEquals([okP({ window: 0.5 }), okP({ window: 0.6 }), okP({ sharpness: "" })], [
    true,
    false,
    false,
  ]);
  assertEquals(
    okP({ rho: 0.5, growth: 2, upTo: 0.4, minPoints: 3, adaptive: true, lr: 0.1 }),
    true,
  );
});

Deno.test("adaptive_eos: θ = (2+2β1)/((1−β1)η), β1 from the option or runs.csv, else 0.9 (assumed)", () => {
  const run = csvRun("step,lr,precond_lambda_max", [[0, 0.5, 1]], { beta1: "0.5" });
  assertEquals(edgeRatios(run, ADAM_EDGE, {}, "precond_lambda_max"), {
    x: [0],
    lambda: [1],
    ratio: [1 / 12],
    note: "θ = (2+2β1)/((1−β1)η) = 6/η with β1 = 0.5",
  });
  const assumed = csvRun("step,lr,precond_lambda_max", [[0, 0.5, 1]]);
  assertEquals(
    (edgeRatios(assumed, ADAM_EDGE, {}, "precond_lambda_max") as { note: string }).note,
    "θ = (2+2β1)/((1−β1)η) = 38/η with β1 = 0.9 (assumed)",
  );
  assertEquals(
    (edgeRatios(assumed, ADAM_EDGE, { beta1: 0 }, "precond_lambda_max") as { note: string }).note,
    "θ = (2+2β1)/((1−β1)η) = 2/η with β1 = 0",
  );
});

Deno.test("edgeOutcome: a run that never reaches the onset fails naming its maximum", () => {
  const o = edgeOutcome(unitRun([0.5, 0.875, 0.75], [1, 1, 1]), GD_EDGE, {});
  assertEquals([o.verdict, o.value, o.detail], [
    "fail",
    null,
    "lambda_max never reached 0.95θ (start 0.5, max λ_max·η/2 = 0.875 at step 1); θ from two_over_lr",
  ]);
});

// ---- progressive_sharpening at its thresholds ----

const evalPs = (r: RunData, options = {}) =>
  progressiveSharpeningCheck.evaluate({ experiment: "e", runs: [r] }, options)[0];

Deno.test("progressive_sharpening: the segment ends before the first λ/θ ≥ upTo (equality ends it)", () => {
  // λ/θ = 0.4375 + s/128: exactly 0.5 at s = 8, so the segment is steps 0..7
  const lam = Array.from({ length: 12 }, (_, s) => 0.4375 + s / 128);
  // (with the cut, growth < upTo/λ₀: it can only fail or be uninformative)
  const o = evalPs(unitRun(lam), { growth: 1.25 });
  assertEquals(o.tolerance, "segment: λ < 0.5θ; growth = median(last 0.1) / median(first)");
  assertEquals(o.expected, "rho >= 0.8 and growth >= 1.25x");
  assertEquals(o.statistic, "spearman rho(step, lambda_max) below 0.5 theta");
  assertEquals(
    o.detail,
    "ρ = 1 (need ≥ 0.8), growth 0.4375 → 0.4922 = 1.125x (need ≥ 1.25x) over steps < 8 (first λ/θ ≥ 0.5), n = 8, k = 1",
  );
  assertEquals([o.verdict, o.value], ["fail", 1]);
});

Deno.test("progressive_sharpening: growth and ρ thresholds are inclusive", () => {
  // 10 points 1, 1.25, …; k = 1: growth = λ_last / λ_first = 3.25 exactly
  const lam = Array.from({ length: 10 }, (_, s) => 0.0625 * (1 + s / 4));
  const at = evalPs(unitRun(lam), { growth: 3.25, rho: 1 });
  assertEquals(at.verdict, "pass", at.detail);
  assertEquals(evalPs(unitRun(lam), { growth: 3.25 + 2 ** -20 }).verdict, "fail");
  assertEquals(evalPs(unitRun(lam), { rho: 1 + 2 ** -20 }).verdict, "fail");
});

Deno.test("progressive_sharpening: a rise that reaches upTo only because it started within upTo/growth is skipped", () => {
  // r0 · growth = upTo exactly (0.25 · 2 = 0.5): uninformative
  const lam = Array.from({ length: 12 }, (_, s) => 0.25 * (1 + s / 8));
  const o = evalPs(unitRun(lam), { growth: 2 });
  assertEquals([o.verdict, o.value], ["skip", null]);
  assertEquals(
    o.detail,
    "uninformative: λ/θ reached 0.5 from λ₀/θ = 0.25 ≤ 0.5/2, so 2x growth is implied by the cut (steps < 8 (first λ/θ ≥ 0.5))",
  );
  // never reaching upTo is no cut: evaluated on the whole run
  const low = Array.from({ length: 8 }, (_, s) => 0.125 * (1 + s / 8));
  const p = evalPs(unitRun(low), { growth: 1.5 });
  assertEquals(
    p.detail,
    "ρ = 1 (need ≥ 0.8), growth 0.125 → 0.2344 = 1.875x (need ≥ 1.5x) over whole run (max λ/θ = 0.2344 < 0.5), n = 8, k = 1",
  );
  // a first point already at upTo (and 0.5 · 1.5 > 0.5): the segment is empty
  const q = evalPs(unitRun([0.5, 0.25, 0.3, 0.4, 0.45, 0.48]));
  assertEquals(
    q.detail,
    "only 0 measurements of lambda_max in steps < 0 (first λ/θ ≥ 0.5) (need ≥ 5)",
  );
});

Deno.test("progressive_sharpening: minPoints is the fewest points evaluated; a NaN tail is cut off", () => {
  const lam = [0.0625, 0.125, 0.1875, 0.25, 0.3125];
  assertEquals(evalPs(unitRun(lam), { minPoints: 5 }).verdict, "pass");
  assertEquals(evalPs(unitRun(lam), { minPoints: 6 }).verdict, "skip");
  const nanTail = unitRun([...lam, NaN, 0.01]);
  const o = evalPs(nanTail);
  assertEquals(
    o.detail,
    "ρ = 1 (need ≥ 0.8), growth 0.0625 → 0.3125 = 5x (need ≥ 1.5x) over whole run (max λ/θ = 0.3125 < 0.5), finite measurements before divergence, n = 5, k = 1",
  );
  // a first measurement that is not finite leaves nothing
  assertEquals(evalPs(unitRun([NaN, 0.1, 0.2])).detail.startsWith("only 0 measurements"), true);
});

Deno.test("progressive_sharpening: growth is undefined from a non-positive start; adaptive uses Adam's θ", () => {
  const lam = [0, 0.125, 0.1875, 0.25, 0.3125];
  const o = evalPs(unitRun(lam));
  assertEquals([o.verdict, o.value], ["fail", 1]);
  assertEquals(
    o.detail,
    "ρ = 1 (need ≥ 0.8), growth undefined (initial lambda_max 0 ≤ 0) (need ≥ 1.5x) over whole run (max λ/θ = 0.3125 < 0.5), n = 5, k = 1",
  );
  // θ = 8 from critical_sharpness: λ/θ = 0.375 … 0.5 at step 4
  const adam = csvRun("step,critical_sharpness,precond_lambda_max", [
    [0, 8, 3],
    [1, 8, 3.25],
    [2, 8, 3.5],
    [3, 8, 3.75],
    [4, 8, 4],
  ]);
  assertEquals(
    evalPs(adam, { adaptive: true }).detail,
    "only 4 measurements of precond_lambda_max in steps < 4 (first λ/θ ≥ 0.5) (need ≥ 5)",
  );
  assertEquals(evalPs(adam, { adaptive: false }).detail.startsWith("no lambda_max column"), true);
  const none: RunData = { id: "r", status: "ok", info: {}, metrics: null };
  assertEquals(evalPs(none).verdict, "skip");
});

Deno.test("edgeAnalysis: one settled point of a parity is no orbit, however large the gap", () => {
  // settled steps 2, 3, 4: even [1, 1], odd [0.5] — a gap of 0.5, but one odd point
  const a = edgeAnalysis(unitRun([0.5, 0.5, 1, 0.5, 1]), GD_EDGE, { settle: 0, orbitContrast: 1 });
  assertEquals([(a as { bothParities: boolean }).bothParities, (a as { orbit: unknown }).orbit], [
    false,
    null,
  ]);
  assertEquals((a as { statistic: number }).statistic, 1);
});

Deno.test("edgeRatios: θ two rows later is found going forward; a table without the column says so", () => {
  const later = csvRun("step,two_over_lr,lambda_max", [[0, null, 1], [1, null, 1], [2, 4, 1]]);
  assertEquals((edgeRatios(later, GD_EDGE, {}, "lambda_max") as { ratio: number[] }).ratio, [
    0.25,
    0.25,
    0.25,
  ]);
  assertEquals(edgeRatios(csvRun("step,lr", [[0, 0.5]]), GD_EDGE, {}, "lambda_max"), {
    reason: "no lambda_max column: sharpness was not measured",
  });
  // an onset at the first measurement is analysed like any other
  const first = edgeAnalysis(unitRun([1, 1, 1, 1, 1]), GD_EDGE, { start: 1, settle: 0 }) as {
    t0: number;
    settled: number[];
    statistic: number;
  };
  assertEquals([first.t0, first.settled, first.statistic], [0, [1, 1, 1, 1, 1], 1]);
});

Deno.test("edgeAnalysis: orbit losses start at the first settled step (inclusive), not before", () => {
  const tail = [1.125, 0.875, 1.125, 0.875, 1.125, 0.875, 1.125, 0.875, 1.125, 0.875];
  // settle 0.5: from = 1 + 0.5·10 = 6; the losses before step 6 (9s) are left out; step 6 counts
  const loss = [9, 9, 9, 9, 9, 9, 0.125, 0.5, 0.25, 0.5, 0.375, 0.5];
  const a = edgeAnalysis(unitRun(orbitLam(tail), loss), GD_EDGE, { settle: 0.5 }) as {
    settledFrom: number;
    orbit: { lossEven: number; lossOdd: number };
  };
  assertEquals([a.settledFrom, a.orbit.lossEven, a.orbit.lossOdd], [6, 0.25, 0.5]);
});

/** λ/θ 0.5 until `onset`, then 1, on steps 0..20; the loss only at the given steps. */
function sparseLossRun(onset: number, losses: Record<number, number>): RunData {
  const lam = Array.from({ length: 21 }, (_, s) => s < onset ? 0.5 : 1);
  return unitRun(lam, lam.map((_, s) => losses[s] ?? null));
}

Deno.test("eos progress: two losses in the last window and two before t₀ (or in the first window) are enough", () => {
  // t₀ = 9: losses before it at 0 and 8 (two); first quarter (s ≤ 5): one; last quarter (s ≥ 15): two
  const pre = evalEos(sparseLossRun(9, { 0: 4, 8: 2, 16: 1, 20: 1 }));
  assertEquals(pre.detail.split("; ")[2], "median train_loss 3 (before t₀, n=2) → 1 (last 0.25)");
  // one loss in the last quarter: too few for windows
  const one = evalEos(sparseLossRun(9, { 0: 4, 8: 2, 20: 1 }));
  assertEquals(one.detail.split("; ")[2], "no divergence (too few losses for windows)");
  // t₀ = 1: one loss before it; first quarter has two (0 and 5)
  const first = evalEos(sparseLossRun(1, { 0: 4, 5: 2, 16: 1, 20: 1 }));
  assertEquals(
    first.detail.split("; ")[2],
    "median train_loss 3 (first 0.25 of the run) → 1 (last 0.25)",
  );
  const few = evalEos(sparseLossRun(1, { 0: 4, 16: 1, 20: 1 }));
  assertEquals(few.detail.split("; ")[2], "no divergence (too few losses for windows)");
});

Deno.test("eos progress: the post-onset trend needs two losses in each of its windows", () => {
  // t₀ = 1: post-onset losses at 1, 2 (first window, s ≤ 5.75) and 19, 20 (last, s ≥ 15.25)
  const both = evalEos(sparseLossRun(1, { 0: 8, 1: 4, 2: 4, 19: 1, 20: 1 }));
  assertEquals(both.detail.split("; ")[2].endsWith(", after t₀ 4 → 1 (×0.25, not required)"), true);
  const oneFirst = evalEos(sparseLossRun(1, { 0: 8, 1: 4, 18: 1, 19: 1, 20: 1 }));
  assertEquals(oneFirst.detail.split("; ")[2].includes("after t₀"), false);
  const oneLast = evalEos(sparseLossRun(1, { 0: 8, 1: 4, 2: 4, 3: 4, 20: 1 }));
  assertEquals(oneLast.detail.split("; ")[2].includes("after t₀"), false);
  // no loss at or after t₀: no trend, and no crash
  const none = evalEos(sparseLossRun(9, { 0: 4, 4: 2, 6: 1, 8: 1 }));
  assertEquals(none.verdict, "pass");
  assertEquals(
    none.detail.split("; ")[2],
    "median train_loss 1.5 (before t₀, n=4) → 1 (last 0.25)",
  );
});

Deno.test("eos: an orbit without losses on one parity prints no orbit losses", () => {
  const tail = [1.125, 0.875, 1.125, 0.875, 1.125, 0.875, 1.125, 0.875, 1.125, 0.875];
  const loss = [1, 0.5, 0.25, 0.5, 0.25, 0.5, 0.25, 0.5, 0.25, 0.5, 0.25, 0.5].map((v, s) =>
    s % 2 === 0 ? v : null
  );
  const o = evalEos(unitRun(orbitLam(tail), loss));
  assertEquals(
    o.detail.split("; ")[3],
    "period-2 orbit: λ_max·η/2 1.125 at even steps, 0.875 at odd (parity-blind gap 0)",
  );
});

Deno.test("progressive_sharpening: growth 1 with λ₀ = upTo is uninformative (the cut at the first point counts)", () => {
  const q = evalPs(unitRun([0.5, 0.25, 0.3, 0.4, 0.45, 0.48]), { growth: 1 });
  assertEquals(q.verdict, "skip");
  assertEquals(q.detail.startsWith("uninformative: λ/θ reached 0.5 from λ₀/θ = 0.5 ≤ 0.5/1"), true);
});
