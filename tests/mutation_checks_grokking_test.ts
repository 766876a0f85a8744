/**
 * Specification tests of grokking and edge_precedes_grokking at their
 * thresholds, written against the mutants StrykerJS found alive
 * (`deno task mutation`). Accuracies are small hand-made tables, so t_fit,
 * t_gen and every ratio are exact.
 */
import { tableFromCsv } from "../core/results/table.ts";
import type { RunData } from "../core/checks/types.ts";
import { grokkingCheck, grokTimes } from "../core/checks/grokking.ts";
import {
  EDGE_FACTOR,
  edgeFalls,
  edgePrecedesGrokkingCheck,
  smoothedAt,
} from "../core/checks/edge_precedes_grokking.ts";
import { assertEquals } from "./assert.ts";

function csvRun(header: string, rows: (number | null)[][], id = "g/r"): RunData {
  const text = [header, ...rows.map((r) => r.map((v) => v === null ? "" : String(v)).join(","))]
    .join("\n");
  return { id, status: "ok", info: {}, metrics: tableFromCsv(text, `${id}.csv`) };
}

/** Accuracies at the given steps. */
function accRun(rows: [number, number, number][]): RunData {
  return csvRun("step,train_acc,test_acc", rows);
}

const evalGrok = (r: RunData, options = {}) =>
  grokkingCheck.evaluate({ experiment: "g", runs: [r] }, options)[0];

Deno.test("grokking: t_gen/t_fit = 3 exactly passes (≥), and the frame names every threshold", () => {
  const o = evalGrok(
    accRun([[0, 0.5, 0], [10, 0.99, 0.5], [20, 1, 0.6], [30, 1, 0.95], [40, 1, 1]]),
  );
  assertEquals(o, {
    run: "g/r",
    statistic: "t_gen/t_fit",
    expected: ">= 3",
    tolerance: "train_acc >= 0.99, test_acc >= 0.95, test_acc at t_fit <= 0.5",
    value: 3,
    verdict: "pass",
    detail: "t_fit = 10, t_gen = 30, t_gen/t_fit = 3, test acc at t_fit = 0.5",
  });
  // one step earlier: 2.9 < 3
  const early = evalGrok(accRun([[0, 0.5, 0], [10, 0.99, 0.5], [29, 1, 0.95]]));
  assertEquals([early.verdict, early.detail], [
    "fail",
    "t_fit = 10, t_gen = 29, t_gen/t_fit = 2.9, test acc at t_fit = 0.5 (t_gen/t_fit 2.9 < 3)",
  ]);
});

Deno.test("grokking: test accuracy at t_fit just above maxTestAtFit fails; both reasons are listed", () => {
  const o = evalGrok(accRun([[0, 0.5, 0], [10, 1, 0.5625], [20, 1, 1]]), { maxTestAtFit: 0.5 });
  assertEquals([o.verdict, o.value], ["fail", 2]);
  assertEquals(
    o.detail,
    "t_fit = 10, t_gen = 20, t_gen/t_fit = 2, test acc at t_fit = 0.5625 (t_gen/t_fit 2 < 3; test acc at t_fit 0.5625 > 0.5)",
  );
  const ok = evalGrok(accRun([[0, 0.5, 0], [10, 1, 0.5625], [40, 1, 1]]), { maxTestAtFit: 0.5625 });
  assertEquals(ok.verdict, "pass");
  const o2 = evalGrok(accRun([[0, 0.5, 0], [10, 1, 0.5625], [40, 1, 1]]));
  assertEquals(
    o2.detail,
    "t_fit = 10, t_gen = 40, t_gen/t_fit = 4, test acc at t_fit = 0.5625 (test acc at t_fit 0.5625 > 0.5)",
  );
});

Deno.test("grokking: fitted at step 0 gives an infinite ratio; options move the accuracy thresholds", () => {
  const o = evalGrok(accRun([[0, 1, 0], [10, 1, 1]]));
  assertEquals([o.verdict, o.value], ["pass", Infinity]);
  const t = evalGrok(accRun([[0, 0.5, 0], [10, 0.75, 0.25], [40, 0.75, 0.5]]), {
    trainAcc: 0.75,
    testAcc: 0.5,
    maxTestAtFit: 0.25,
  });
  assertEquals([t.verdict, t.value, t.tolerance], [
    "pass",
    4,
    "train_acc >= 0.75, test_acc >= 0.5, test_acc at t_fit <= 0.25",
  ]);
});

Deno.test("grokTimes: thresholds are reached with equality; the first largest test accuracy and the last step", () => {
  const run = csvRun("step,train_acc,test_acc", [
    [0, 0.5, 0.25],
    [10, 0.99, 0.5],
    [20, 0.99, 0.75],
    [30, 1, 0.75],
    [40, 1, null],
  ]);
  assertEquals(grokTimes(run, {}), {
    tFit: 10,
    tGen: null,
    testAtFit: 0.5,
    maxTest: { value: 0.75, step: 20 },
    maxTrain: 1,
    lastStep: 40,
  });
  const testLonger = csvRun("step,train_acc,test_acc", [[0, 0.5, 0.5], [10, null, 0.96], [
    20,
    null,
    0.5,
  ]]);
  assertEquals(grokTimes(testLonger, {}), {
    tFit: null,
    tGen: 10,
    testAtFit: null,
    maxTest: { value: 0.96, step: 10 },
    maxTrain: 0.5,
    lastStep: 20,
  });
  assertEquals(grokTimes(csvRun("step,train_acc", [[0, 1]]), {}), {
    reason: "no test_acc column: accuracy was not measured",
  });
  assertEquals(grokTimes({ id: "r", status: "ok", info: {}, metrics: null }, {}), {
    reason: "no train_acc column: accuracy was not measured",
  });
});

Deno.test("grokking: the failure details name the thresholds, maxima and steps", () => {
  const noFit = evalGrok(accRun([[0, 0.5, 0], [10, 0.875, 0.25]]));
  assertEquals([noFit.verdict, noFit.value, noFit.detail], [
    "fail",
    null,
    "train accuracy never reached 0.99 (max 0.875) within 10 steps",
  ]);
  const noGen = evalGrok(accRun([[0, 0.5, 0], [10, 1, 0.25], [20, 1, 0.75], [30, 1, 0.5]]));
  assertEquals([noGen.verdict, noGen.value, noGen.detail], [
    "fail",
    null,
    "no grokking: test accuracy never reached 0.95 (max 0.75 at step 20) within 30 steps; t_fit = 10",
  ]);
  const skip = evalGrok(csvRun("step,train_acc", [[0, 1]]));
  assertEquals([skip.verdict, skip.detail], [
    "skip",
    "no test_acc column: accuracy was not measured",
  ]);
  const bad = grokkingCheck.evaluate({ experiment: "g", runs: [accRun([[0, 1, 1]])] }, {
    ratio: "x",
  });
  assertEquals([bad.length, bad[0].run, bad[0].verdict], [1, "*", "skip"]);
  const ok = (o: Record<string, unknown>) => grokkingCheck.optionsSchema!.safeParse(o).success;
  assertEquals(
    [ok({ trainAcc: 0 }), ok({ trainAcc: 1 }), ok({ trainAcc: -0.1 }), ok({ trainAcc: 1.1 })],
    [true, true, false, false],
  );
  assertEquals([ok({ testAcc: 1.1 }), ok({ testAcc: -0.1 }), ok({ maxTestAtFit: 1.1 })], [
    false,
    false,
    false,
  ]);
  assertEquals([ok({ maxTestAtFit: -0.1 }), ok({ ratio: 0 }), ok({ ratio: 2 })], [
    false,
    false,
    true,
  ]);
});

// ---- edge_precedes_grokking ----

Deno.test("smoothedAt: geometric median of the positive finite values within ±span/2 (ends included)", () => {
  const s = { x: [0, 50, 100, 150, 151, 200], y: [4, 4, 1, 16, 1e9, -1] };
  // at 100, span 100: steps 50..150 → 4, 1, 16 → exp(median(log)) = 4
  const a = smoothedAt(s, 100, 100, 3) as { value: number; n: number };
  assertEquals(a.n, 3);
  assertEquals(Math.abs(a.value - 4) < 1e-12, true);
  // at 150: steps 100..200 → 1, 16, 1e9 (the −1 at 200 is not positive) → 16
  const b = smoothedAt(s, 150, 100, 3) as { value: number; n: number };
  assertEquals([b.n, Math.abs(b.value - 16) < 1e-9], [3, true]);
  assertEquals(smoothedAt(s, 200, 100, 3), {
    reason: "only 2 positive measurements within 50 steps of step 200 (need ≥ 3)",
  });
  assertEquals("reason" in smoothedAt(s, 200, 100, 2), false);
  const inf = { x: [0, 1, 2], y: [1, Infinity, 1] };
  assertEquals(smoothedAt(inf, 1, 2, 3), {
    reason: "only 2 positive measurements within 1 steps of step 1 (need ≥ 3)",
  });
  assertEquals((smoothedAt(inf, 1, 2) as { reason: string }).reason.endsWith("(need ≥ 3)"), true);
});

Deno.test("smoothedAt: a series measured more sparsely than the span allows says which cadence would do", () => {
  // λ_max every 1,000 steps (grokking_transformer's full profile) around t_gen − 2L = 8,100
  const every1000 = { x: [0, 1000, 2000, 3000], y: [1, 2, 3, 4] };
  assertEquals(smoothedAt(every1000, 8100, 100, 3), {
    reason: "only 0 positive measurements within 50 steps of step 8100 (need ≥ 3): measured " +
      "every 1000 steps, and 3 within 50 steps of a step need one every ≤ 50",
  });
  // every 51 steps is just too sparse for 3 within ±50; every 50 is not, whatever is missing
  assertEquals(
    (smoothedAt({ x: [0, 51, 102], y: [1, 1, 1] }, 500, 100, 3) as { reason: string }).reason
      .endsWith("need one every ≤ 50"),
    true,
  );
  assertEquals(smoothedAt({ x: [0, 50, 100], y: [1, -1, 1] }, 50, 100, 3), {
    reason: "only 2 positive measurements within 50 steps of step 50 (need ≥ 3)",
  });
  // the median step, not the largest gap: one late point does not make a dense series sparse
  assertEquals(smoothedAt({ x: [0, 10, 20, 30, 5000], y: [1, 1, 1, 1, 1] }, 5000, 100, 3), {
    reason: "only 1 positive measurements within 50 steps of step 5000 (need ≥ 3)",
  });
  // a single measurement has no cadence; minPoints 4 over span 90 needs one every ≤ 30
  assertEquals(smoothedAt({ x: [7], y: [1] }, 500, 100, 3), {
    reason: "only 0 positive measurements within 50 steps of step 500 (need ≥ 3)",
  });
  assertEquals(
    (smoothedAt({ x: [0, 31, 62], y: [1, 1, 1] }, 31, 90, 4) as { reason: string }).reason
      .endsWith("need one every ≤ 30"),
    true,
  );
});

Deno.test("edgeFalls: S at end − 2L, end − L, end; falls and their excess", () => {
  const s = { x: [0, 100, 200], y: [8, 4, 1] };
  const f = edgeFalls(s, 200, 100, 0, 1) as unknown as Record<string, number>;
  assertEquals([f.fallBase, f.fallGen, f.excess].map((v) => Math.round(v * 1e9) / 1e9), [2, 4, 2]);
  assertEquals([f.s0, f.s1, f.s2].map((v) => Math.round(v * 1e9) / 1e9), [8, 4, 1]);
  assertEquals(edgeFalls(s, 300, 100, 0, 1), {
    reason: "only 0 positive measurements within 0 steps of step 300 (need ≥ 1)",
  });
  assertEquals(EDGE_FACTOR, 2);
});

/**
 * Grokking at t_gen (fitted at `tFit`), the column sampled every step:
 * `level(s)` gives it.
 */
function edgeRun(tFit: number, tGen: number, end: number, level: (s: number) => number): RunData {
  const rows: number[][] = [];
  for (let s = 0; s <= end; s++) {
    rows.push([s, s >= tFit ? 1 : 0.5, s >= tGen ? 1 : 0.1, level(s)]);
  }
  return csvRun("step,train_acc,test_acc,gram_s2_s3", rows);
}

const evalEdge = (r: RunData, options = {}) =>
  edgePrecedesGrokkingCheck.evaluate({ experiment: "g", runs: [r] }, options)[0];

Deno.test("edge_precedes_grokking: excess exactly at the factor passes, just above it fails", () => {
  // plateau 8 → 4 over [t_gen − 2L, t_gen − L], 4 → 1 over [t_gen − L, t_gen]: excess 2
  const lvl = (s: number) => s <= 200 ? 8 : s <= 300 ? 4 : 1;
  const run = edgeRun(50, 400, 600, lvl);
  const f = edgeFalls(
    {
      x: Array.from({ length: 601 }, (_, s) => s),
      y: Array.from({ length: 601 }, (_, s) => lvl(s)),
    },
    400,
    100,
    20,
    3,
  ) as { excess: number };
  const at = evalEdge(run, { window: 100, smooth: 20, factor: f.excess });
  assertEquals([at.verdict, at.value], ["pass", f.excess]);
  assertEquals(
    evalEdge(run, { window: 100, smooth: 20, factor: f.excess * (1 + 1e-12) }).verdict,
    "fail",
  );
  const o = evalEdge(run, { window: 100, smooth: 20 });
  assertEquals(
    o.statistic,
    "gram_s2_s3 excess collapse E = F[t_gen-L, t_gen] / F[t_gen-2L, t_gen-L]",
  );
  assertEquals(o.expected, ">= 2");
  assertEquals(
    o.tolerance,
    "L = 100 steps, running median over 20 steps, plateau t_gen-2L >= t_fit",
  );
  assertEquals(
    o.detail,
    "gram_s2_s3 falls 4x over [300, 400] (4 -> 1) vs 2x over [200, 300] (8 -> 4): excess 2; t_fit = 50, t_gen = 400; need excess ≥ 2",
  );
});

Deno.test("edge_precedes_grokking: a plateau of exactly 2L is enough; one step shorter is none", () => {
  const lvl = (s: number) => s <= 200 ? 8 : s <= 300 ? 4 : 1;
  // t_gen − 2L = 200 = t_fit: the baseline window starts at t_fit
  const exact = evalEdge(edgeRun(200, 400, 600, lvl), { window: 100, smooth: 20 });
  assertEquals(exact.verdict, "pass", exact.detail);
  const short = evalEdge(edgeRun(201, 400, 600, lvl), { window: 100, smooth: 20 });
  assertEquals([short.verdict, short.value !== null], ["fail", true]);
  assertEquals(
    short.detail,
    "no memorisation plateau to collapse in: t_gen - t_fit = 199 steps < 2L = 200 (the baseline window starts before t_fit); " +
      "gram_s2_s3 falls 4x over [300, 400] (4 -> 1) vs 2x over [200, 300] (8 -> 4): excess 2; t_fit = 201, t_gen = 400",
  );
});

Deno.test("edge_precedes_grokking: windows without measurements fail without a plateau, skip with one", () => {
  // measured from step 150 only: S(t_gen − 2L = 100) has no points
  const rows: (number | null)[][] = [];
  for (let s = 0; s <= 600; s++) {
    rows.push([s, s >= 50 ? 1 : 0.5, s >= 300 ? 1 : 0.1, s >= 150 ? 1 : null]);
  }
  const run = csvRun("step,train_acc,test_acc,gram_s2_s3", rows);
  const o = evalEdge(run, { window: 100, smooth: 20 });
  assertEquals([o.verdict, o.value, o.detail], [
    "skip",
    null,
    "only 0 positive measurements within 10 steps of step 100 (need ≥ 3)",
  ]);
  const noPlateau = evalEdge(run, { window: 200, smooth: 20 });
  assertEquals([noPlateau.verdict, noPlateau.detail], [
    "fail",
    "no memorisation plateau to collapse in: t_gen - t_fit = 250 steps < 2L = 400 (t_fit = 50, t_gen = 300); " +
    "only 0 positive measurements within 10 steps of step -100 (need ≥ 3)",
  ]);
  // minPoints: 21 points within ±10 steps is enough at 21, not at 22
  const lvl = (s: number) => s <= 200 ? 8 : s <= 300 ? 4 : 1;
  assertEquals(
    evalEdge(edgeRun(50, 400, 600, lvl), { window: 100, smooth: 20, minPoints: 21 }).verdict,
    "pass",
  );
  assertEquals(
    evalEdge(edgeRun(50, 400, 600, lvl), { window: 100, smooth: 20, minPoints: 22 }).verdict,
    "skip",
  );
});

Deno.test("edge_precedes_grokking: a run that never groks fails, with the statistic at `at` or before the end", () => {
  const lvl = (s: number) => s <= 200 ? 8 : s <= 300 ? 4 : 1;
  const rows: number[][] = [];
  for (let s = 0; s <= 600; s++) rows.push([s, s >= 50 ? 1 : 0.5, 0.25, lvl(s)]);
  const never = csvRun("step,train_acc,test_acc,gram_s2_s3", rows);
  const at = evalEdge(never, { window: 100, smooth: 20, at: 400 });
  assertEquals([at.verdict, at.value !== null && Math.abs(at.value - 2) < 1e-9], ["fail", true]);
  assertEquals(
    at.detail,
    "no grokking: test accuracy never reached the generalisation threshold (max 0.25); over the same windows ending at step 400: " +
      "gram_s2_s3 falls 4x over [300, 400] (4 -> 1) vs 2x over [200, 300] (8 -> 4): excess 2",
  );
  // without `at`: the windows end half a smoothing span before the last step (600 − 10)
  const end = evalEdge(never, { window: 100, smooth: 20 });
  assertEquals(
    end.detail.startsWith(
      "no grokking: test accuracy never reached the generalisation threshold (max 0.25); over the same windows ending at step 590: ",
    ),
    true,
  );
  assertEquals(
    evalEdge(never, { window: 400, smooth: 20 }).detail.includes(
      "statistic not computable over the windows ending at step 590: only 0 positive measurements within 10 steps of step -210",
    ),
    true,
  );
  assertEquals(evalEdge(never, { window: 400, smooth: 20 }).value, null);
  const noFit = csvRun(
    "step,train_acc,test_acc,gram_s2_s3",
    rows.map(([s, , , g]) => [s, 0.5, 0.25, g]),
  );
  assertEquals(
    evalEdge(noFit, { window: 100, smooth: 20 }).detail.startsWith(
      "no grokking: train accuracy never reached the fit threshold; ",
    ),
    true,
  );
  // generalising before fitting is no grokking either
  const early = csvRun(
    "step,train_acc,test_acc,gram_s2_s3",
    rows.map(([s, , , g]) => [s, s >= 300 ? 1 : 0.5, s >= 100 ? 1 : 0.1, g]),
  );
  assertEquals(
    evalEdge(early, { window: 100, smooth: 20 }).detail.startsWith(
      "no grokking: t_gen = 100 is not after t_fit = 300; ",
    ),
    true,
  );
  const same = csvRun(
    "step,train_acc,test_acc,gram_s2_s3",
    rows.map(([s, , , g]) => [s, s >= 300 ? 1 : 0.5, s >= 300 ? 1 : 0.1, g]),
  );
  assertEquals(
    evalEdge(same, { window: 100, smooth: 20 }).detail.startsWith(
      "no grokking: t_gen = 300 is not after t_fit = 300; ",
    ),
    true,
  );
});

Deno.test("edge_precedes_grokking: metric and column options, a missing column, a diverged run", () => {
  const lvl = (s: number) => s <= 200 ? 8 : s <= 300 ? 4 : 1;
  const run = edgeRun(50, 400, 600, lvl);
  const hess = evalEdge(run, { metric: "hessian" });
  assertEquals([hess.verdict, hess.detail], ["skip", "no lambda_max column: not measured"]);
  assertEquals(hess.statistic.startsWith("lambda_max excess collapse"), true);
  assertEquals(evalEdge(run, { column: "gram_s2_s3", window: 100, smooth: 20 }).verdict, "pass");
  const bad = edgePrecedesGrokkingCheck.evaluate({ experiment: "g", runs: [run] }, { metric: "x" });
  assertEquals([
    bad.length,
    bad[0].verdict,
    bad[0].detail.includes('expected "gram" or "hessian", got "x"'),
  ], [
    1,
    "skip",
    true,
  ]);
  const diverged: RunData = { ...run, status: "diverged", info: { reason: "nan" } };
  assertEquals(evalEdge(diverged).detail, "run diverged (nan)");
  const noAcc = evalEdge(csvRun("step,gram_s2_s3", [[0, 1]]));
  assertEquals([noAcc.verdict, noAcc.detail], [
    "skip",
    "no train_acc column: accuracy was not measured",
  ]);
  const ok = (o: Record<string, unknown>) =>
    edgePrecedesGrokkingCheck.optionsSchema!.safeParse(o).success;
  assertEquals([ok({ metric: "hessian" }), ok({ metric: "gram" }), ok({ column: "g" })], [
    true,
    true,
    true,
  ]);
  assertEquals([ok({ minPoints: 1 }), ok({ minPoints: 0 }), ok({ at: 0 }), ok({ at: -1 })], [
    true,
    false,
    true,
    false,
  ]);
  assertEquals([
    ok({ column: "" }),
    ok({ trainAcc: 1.1 }),
    ok({ testAcc: -0.1 }),
    ok({ trainAcc: 0, testAcc: 1 }),
  ], [
    false,
    false,
    false,
    true,
  ]);
});

Deno.test("grokTimes/grokking: generalised at the first measurement; fitted and generalised at step 0", () => {
  const first = grokTimes(accRun([[0, 0.5, 0.96], [10, 1, 1]]), {}) as {
    tGen: number;
    tFit: number;
  };
  assertEquals([first.tGen, first.tFit], [0, 10]);
  const both = evalGrok(accRun([[0, 1, 1], [10, 1, 1]]));
  // t_gen/t_fit = 0/0 is taken as ∞ (fitted at once); test acc 1 at t_fit is no memorisation
  assertEquals([both.value, both.verdict], [Infinity, "fail"]);
});

Deno.test("smoothedAt: zero values are not positive; trainAcc/testAcc options accept values inside [0, 1]", () => {
  assertEquals(smoothedAt({ x: [0, 1, 2], y: [0, 1, 1] }, 1, 2, 3), {
    reason: "only 2 positive measurements within 1 steps of step 1 (need ≥ 3)",
  });
  const ok = (o: Record<string, unknown>) =>
    edgePrecedesGrokkingCheck.optionsSchema!.safeParse(o).success;
  assertEquals([ok({ trainAcc: 0.5 }), ok({ testAcc: 0.5 })], [true, true]);
});

Deno.test("edge_precedes_grokking: test accuracy that generalises without fitting is no grokking", () => {
  const rows: number[][] = [];
  for (let s = 0; s <= 600; s++) rows.push([s, 0.5, s >= 300 ? 1 : 0.1, s <= 200 ? 8 : 4]);
  const o = evalEdge(csvRun("step,train_acc,test_acc,gram_s2_s3", rows), {
    window: 100,
    smooth: 20,
  });
  assertEquals(o.verdict, "fail");
  assertEquals(
    o.detail.startsWith("no grokking: train accuracy never reached the fit threshold; "),
    true,
  );
});

Deno.test("edge_precedes_grokking: with missing windows a plateau of exactly 2L skips (not a failure)", () => {
  // t_fit = 100, t_gen = 300, L = 100: t_gen − 2L = t_fit; nothing measured before step 150
  const rows: (number | null)[][] = [];
  for (let s = 0; s <= 600; s++) {
    rows.push([s, s >= 100 ? 1 : 0.5, s >= 300 ? 1 : 0.1, s >= 150 ? 1 : null]);
  }
  const o = evalEdge(csvRun("step,train_acc,test_acc,gram_s2_s3", rows), {
    window: 100,
    smooth: 20,
  });
  assertEquals([o.verdict, o.detail], [
    "skip",
    "only 0 positive measurements within 10 steps of step 100 (need ≥ 3)",
  ]);
});
