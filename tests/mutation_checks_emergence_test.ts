/**
 * Specification tests of the emergence check's jump analysis at its
 * thresholds, written against the mutants StrykerJS found alive
 * (`deno task mutation`). Jumps are hand-made step functions, so every
 * crossing time is computed by hand below.
 */
import { tableFromCsv } from "../core/results/table.ts";
import type { RunData } from "../core/checks/types.ts";
import {
  analyseEmergence,
  emergenceCheck,
  subtaskIndices,
  subtaskJump,
} from "../core/checks/emergence.ts";
import {
  changeScore,
  edgeAtEmergenceCheck,
  edgeChangeTest,
} from "../core/checks/edge_at_emergence.ts";
import { assertEquals } from "./assert.ts";

const r9 = (v: number | null) => v === null ? null : Math.round(v * 1e9) / 1e9;
const O = { chance: 0.5, learnedAcc: 0.95, tail: 5 };

Deno.test("subtaskJump: crossings of 10/50/90% of the jump, interpolated on the rising segment", () => {
  // 0.5 until step 2, 1 from step 3: the levels 0.55, 0.75, 0.95 are crossed at 2.1, 2.5, 2.9
  const j = subtaskJump(1, [0, 1, 2, 3, 4, 5, 6, 7], [0.5, 0.5, 0.5, 1, 1, 1, 1, 1], O);
  assertEquals([j.task, j.final, j.learned], [1, 1, true]);
  assertEquals([j.t10, j.t50, j.t90, j.width].map(r9), [2.1, 2.5, 2.9, 0.8]);
  assertEquals(r9(j.ratio), r9(0.8 / 2.5));
  // two-step rise 0.5 → 0.75 → 1: L10 and L50 on the first segment, L90 on the second
  const k = subtaskJump(2, [0, 10, 20, 30, 40, 50, 60, 70], [0.5, 0.5, 0.75, 1, 1, 1, 1, 1], O);
  assertEquals([k.t10, k.t50, k.t90].map(r9), [12, 20, 28]);
  // the lowest point before the 90% crossing counts, not a dip after it
  const dip = subtaskJump(3, [0, 1, 2, 3, 4, 5, 6, 7, 8], [0.5, 1, 0.5, 1, 1, 1, 1, 1, 1], O);
  assertEquals([dip.t10, dip.t50, dip.t90].map(r9), [0.1, 0.5, 0.9]);
});

Deno.test("subtaskJump: learned at exactly learnedAcc; the final accuracy is the median of the tail", () => {
  const y = [0.5, 0.5, 0.5, 0.95, 0.95, 0.95, 0.95, 0.95];
  const j = subtaskJump(1, [0, 1, 2, 3, 4, 5, 6, 7], y, O);
  assertEquals([j.final, j.learned], [0.95, true]);
  const not = subtaskJump(1, [0, 1, 2, 3, 4, 5, 6, 7], y, { ...O, learnedAcc: 0.96 });
  assertEquals(not, {
    task: 1,
    final: 0.95,
    learned: false,
    t10: null,
    t50: null,
    t90: null,
    width: null,
    ratio: null,
  });
  // tail 5 of [0.5, 0.5, 0.5, 1, 1]: median 0.5; tail 3 of [.., 0.5, 1, 1]: 1; tail 0 counts as 1
  const x = [0, 1, 2, 3, 4], z = [0.5, 0.5, 0.5, 1, 1];
  assertEquals(subtaskJump(1, x, z, { ...O, tail: 5 }).final, 0.5);
  assertEquals(subtaskJump(1, x, z, { ...O, tail: 3 }).final, 1);
  assertEquals(subtaskJump(1, x, [0.5, 0.5, 0.5, 0.5, 1], { ...O, tail: 0 }).final, 1);
  assertEquals(subtaskJump(1, x, [0.5, 0.5, 0.5, 1, 0.5], { ...O, tail: 0 }).final, 0.5);
  assertEquals(subtaskJump(4, [], [], O), {
    task: 4,
    final: NaN,
    learned: false,
    t10: null,
    t50: null,
    t90: null,
    width: null,
    ratio: null,
  });
});

Deno.test("subtaskJump: above 90% from the start, or without a point below a level, times are x₀", () => {
  const j = subtaskJump(1, [5, 6, 7, 8, 9], [1, 1, 1, 1, 1], O);
  assertEquals([j.t10, j.t50, j.t90, j.width, j.ratio], [5, 5, 5, 0, 0]);
  // from 0.8 (above L50 = 0.75) to 1: only L10 and L50 are never below → x₀; L90 crossed at 1.75
  const k = subtaskJump(1, [1, 2, 3, 4, 5, 6], [0.8, 0.8, 1, 1, 1, 1], O);
  assertEquals([k.t10, k.t50, r9(k.t90)], [1, 1, 2.75]);
  // a rise at step 0 from chance: t50 = 0 gives an infinite ratio
  const z = subtaskJump(1, [0, 1, 2, 3, 4, 5], [0.75, 1, 1, 1, 1, 1], O);
  assertEquals([z.t50, z.ratio], [0, Infinity]);
  // a flat segment at a level: the crossing is at its far end
  const flat = subtaskJump(1, [0, 1, 2, 3, 4, 5, 6], [0.5, 0.55, 0.55, 1, 1, 1, 1], O);
  assertEquals(r9(flat.t10), 2);
});

Deno.test("subtaskIndices: numbered columns of a prefix (regex characters literal), sorted", () => {
  const t = tableFromCsv(
    "step,acc_task_10,acc_task_2,acc_task_x,acc.task_3,accXtask_4,a.c_1\n0,1,1,1,1,1,1\n",
    "m.csv",
  );
  assertEquals(subtaskIndices(t, "acc_task_"), [2, 10]);
  assertEquals(subtaskIndices(t, "acc.task_"), [3]);
  assertEquals(subtaskIndices(t, "a.c_"), [1]);
  assertEquals(subtaskIndices(t, "task_"), []);
});

/** A multitask table: `rows` of [step, acc_task_1.., loss_task_1.., test_loss]. */
function table(header: string, rows: number[][]) {
  return tableFromCsv([header, ...rows.map((r) => r.join(","))].join("\n"), "m.csv");
}

Deno.test("analyseEmergence: learned subtasks, median ratio, ρ of onsets, sum-of-steps loss R²", () => {
  const steps = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9];
  const acc = (at: number) => steps.map((s) => s < at ? 0.5 : 1);
  const loss = (at: number) => steps.map((s) => s < at ? 1 : 0);
  const a1 = acc(3), a2 = acc(5), a3 = steps.map(() => 0.5);
  const l1 = loss(3), l2 = loss(5), l3 = steps.map(() => 0.75);
  const mean = steps.map((_, i) => (l1[i] + l2[i] + l3[i]) / 3);
  const t = table(
    "step,acc_task_1,acc_task_2,acc_task_3,loss_task_1,loss_task_2,loss_task_3,test_loss",
    steps.map((s, i) => [s, a1[i], a2[i], a3[i], l1[i], l2[i], l3[i], mean[i]]),
  );
  const a = analyseEmergence(t, {})!;
  assertEquals(a.jumps.map((j) => j.learned), [true, true, false]);
  assertEquals(a.learned.map((j) => j.task), [1, 2]);
  assertEquals(a.learned.map((j) => r9(j.t50)), [2.5, 4.5]);
  assertEquals(r9(a.medianRatio), r9((0.8 / 2.5 + 0.8 / 4.5) / 2));
  assertEquals(a.rho, 1);
  // the loss is exactly the mean of the per-task steps: R² = 1
  assertEquals(a.lossFitR2, 1);
  // prefixes are options
  const renamed = table("step,p1,q1,test_loss", steps.map((s, i) => [s, a1[i], l1[i], l1[i]]));
  const b = analyseEmergence(renamed, { accPrefix: "p", lossPrefix: "q" })!;
  assertEquals([b.learned.length, b.rho, b.lossFitR2], [1, null, 1]);
  assertEquals(analyseEmergence(renamed, {}), null);
  // without per-task loss columns, or with fewer than 3 test losses, there is no fit
  const noLoss = table("step,acc_task_1,test_loss", steps.map((s, i) => [s, a1[i], l1[i]]));
  assertEquals(analyseEmergence(noLoss, {})!.lossFitR2, null);
  const short = table("step,acc_task_1,loss_task_1,test_loss", [[0, 0.5, 1, 1], [1, 1, 0, 0]]);
  assertEquals(analyseEmergence(short, {})!.lossFitR2, null);
  // a constant test loss has no variance to explain
  const flat = table(
    "step,acc_task_1,loss_task_1,test_loss",
    steps.map((s, i) => [s, a1[i], l1[i], 0.5]),
  );
  assertEquals(analyseEmergence(flat, {})!.lossFitR2, null);
});

Deno.test("analyseEmergence: the loss fit uses the median loss before t10 and after t90", () => {
  const steps = [0, 1, 2, 3, 4, 5, 6, 7];
  const acc = steps.map((s) => s < 4 ? 0.5 : 1);
  // before t10 = 3.1: losses 3, 1, 2, 4 → median 2.5; after t90 = 3.9: 0, 0.5, 1, 0 → 0.25
  const loss = [3, 1, 2, 4, 0, 0.5, 1, 0];
  const fit = steps.map((s) => s < 3.5 ? 2.5 : 0.25);
  const testLoss = fit.map((v, i) => v + (i % 2 ? 0.125 : -0.125));
  const t = table(
    "step,acc_task_1,loss_task_1,test_loss",
    steps.map((s, i) => [s, acc[i], loss[i], testLoss[i]]),
  );
  const a = analyseEmergence(t, {})!;
  const avg = testLoss.reduce((x, y) => x + y) / testLoss.length;
  const ssTot = testLoss.reduce((x, v) => x + (v - avg) ** 2, 0);
  assertEquals(r9(a.lossFitR2), r9(1 - (8 * 0.125 ** 2) / ssTot));
  // a subtask never learned contributes its median loss
  const un = table(
    "step,acc_task_1,loss_task_1,test_loss",
    steps.map((s, i) => [s, 0.5, loss[i], testLoss[i]]),
  );
  const u = analyseEmergence(un, {})!;
  const med = 1; // median of 3 1 2 4 0 0.5 1 0
  const ssRes = testLoss.reduce((x, v) => x + (v - med) ** 2, 0);
  assertEquals(r9(u.lossFitR2), r9(1 - ssRes / ssTot));
});

const evalEm = (r: RunData, options = {}) =>
  emergenceCheck.evaluate({ experiment: "e", runs: [r] }, options)[0];

function emRun(ats: (number | null)[], widths?: number[]): RunData {
  const steps = Array.from({ length: 20 }, (_, s) => s * 10);
  const cols = ats.map((at, k) =>
    steps.map((s) => {
      if (at === null) return 0.5;
      const w = widths?.[k] ?? 0;
      if (s < at) return 0.5;
      if (s >= at + w) return 1;
      return 0.5 + 0.5 * (s - at) / w;
    })
  );
  const header = ["step", ...ats.map((_, k) => `acc_task_${k + 1}`)].join(",");
  return {
    id: "e/r",
    status: "ok",
    info: {},
    metrics: table(header, steps.map((s, i) => [s, ...cols.map((c) => c[i])])),
  };
}

Deno.test("emergence: frame and detail, all criteria met", () => {
  const o = evalEm(emRun([20, 40, 60, 80]));
  assertEquals(o.statistic, "median (t90-t10)/t50 over learned subtasks");
  assertEquals(o.expected, "<= 0.25");
  assertEquals(
    o.tolerance,
    "learned: final acc >= 0.95; >= 3 learned; Spearman rho(rank, onset) >= 0.8 when >= 4 learned; criteria: abrupt+learned+order",
  );
  assertEquals(o.verdict, "pass");
  // jumps between steps at − 10 and at: t10 = at − 9, t50 = at − 5, t90 = at − 1 → r = 8/t50,
  // median of 8/15, 8/35, 8/55, 8/75 = (8/35 + 8/55)/2 = 0.187
  assertEquals(
    o.detail,
    "4/4 learned; median r = 0.187; rho = 1; loss sum-of-steps R2 = n/a; [1: t50 15 w 8 r 0.53, 2: t50 35 w 8 r 0.23, 3: t50 55 w 8 r 0.15, 4: t50 75 w 8 r 0.11]",
  );
  const order = evalEm(emRun([20, 40, 60, 80]), { criteria: ["order"] });
  assertEquals([order.statistic, order.expected, order.value], [
    "Spearman rho(frequency rank, onset t50) over learned subtasks",
    ">= 0.8",
    1,
  ]);
  assertEquals(
    order.tolerance,
    "learned: final acc >= 0.95; Spearman rho(rank, onset) >= 0.8 when >= 4 learned; criteria: order",
  );
});

Deno.test("emergence: each criterion at its threshold", () => {
  const run = emRun([20, 40, 60, 80]);
  const r = analyseEmergence(run.metrics!, {})!.medianRatio!;
  assertEquals(evalEm(run, { maxWidthRatio: r }).verdict, "pass");
  const wide = evalEm(run, { maxWidthRatio: r * (1 - 1e-12) });
  assertEquals([
    wide.verdict,
    wide.detail.endsWith("(median relative width 0.187 > 0.187 (gradual))"),
  ], [
    "fail",
    true,
  ]);
  assertEquals(evalEm(run, { minLearned: 4 }).verdict, "pass");
  assertEquals(evalEm(run, { minLearned: 5 }).detail.endsWith("(4 learned < 5)"), true);
  // onsets out of order: ρ = 0.8 exactly for ranks 1..4 vs onsets 1, 3, 2, 4 → 1 − 6·2/(4·15) = 0.8
  const shuffled = emRun([20, 60, 40, 80]);
  assertEquals(analyseEmergence(shuffled.metrics!, {})!.rho, 0.8);
  assertEquals(evalEm(shuffled, { minRho: 0.8 }).verdict, "pass");
  assertEquals(
    evalEm(shuffled, { minRho: 0.8 + 1e-9 }).detail.endsWith("(rho(rank, onset) 0.8 < 0.8)"),
    true,
  );
  // fewer than orderMinCount learned: the order is not judged
  assertEquals(evalEm(shuffled, { minRho: 0.9, orderMinCount: 5 }).verdict, "pass");
  assertEquals(evalEm(shuffled, { minRho: 0.9, orderMinCount: 4 }).verdict, "fail");
  // nothing learned
  const none = evalEm(emRun([null, null, null]));
  assertEquals([none.verdict, none.value], ["fail", null]);
  assertEquals(
    none.detail,
    "0/3 learned; median r = n/a; rho = n/a; loss sum-of-steps R2 = n/a; [1: not learned (0.5), 2: not learned (0.5), 3: not learned (0.5)] (no subtask learned, so no jump to measure; 0 learned < 3)",
  );
  assertEquals(evalEm(emRun([null]), { criteria: ["order"] }).verdict, "pass");
  assertEquals(evalEm(emRun([null]), { criteria: ["learned"], minLearned: 1 }).verdict, "fail");
  const noTasks: RunData = { id: "r", status: "ok", info: {}, metrics: table("step,x", [[0, 1]]) };
  assertEquals(evalEm(noTasks).detail, "no acc_task_<i> columns: not a multitask run");
  assertEquals(evalEm({ id: "r", status: "ok", info: {}, metrics: null }).verdict, "skip");
  assertEquals(evalEm({ ...run, status: "diverged" }).verdict, "fail");
});

Deno.test("emergence options are strict and bounded", () => {
  const ok = (o: Record<string, unknown>) => emergenceCheck.optionsSchema!.safeParse(o).success;
  assertEquals([ok({ chance: 0 }), ok({ chance: 1 }), ok({ chance: -0.1 }), ok({ chance: 1.1 })], [
    true,
    true,
    false,
    false,
  ]);
  assertEquals([
    ok({ learnedAcc: 1.1 }),
    ok({ learnedAcc: -0.1 }),
    ok({ tail: 0 }),
    ok({ tail: 1 }),
  ], [false, false, false, true]);
  assertEquals([ok({ minRho: -1 }), ok({ minRho: 1 }), ok({ minRho: -1.1 }), ok({ minRho: 1.1 })], [
    true,
    true,
    false,
    false,
  ]);
  assertEquals([
    ok({ minLearned: 0 }),
    ok({ orderMinCount: 1 }),
    ok({ orderMinCount: 2 }),
    ok({ criteria: [] }),
  ], [false, false, true, false]);
  assertEquals([
    ok({ criteria: ["abrupt", "order"] }),
    ok({ accPrefix: "" }),
    ok({ lossPrefix: "" }),
    ok({ maxWidthRatio: 1 }),
  ], [true, false, false, true]);
});

// ---- edge_at_emergence ----

Deno.test("changeScore: |Δ median ln y| over [c − h, c) and (c, c + h], positive values, minPoints each side", () => {
  const x = [0, 1, 2, 3, 4, 5, 6, 7, 8];
  const y = [9, 1, 1, 1, 5, Math.E, Math.E, Math.E, 9];
  // c = 4, h = 3: before 1, 2, 3 (ln 1 = 0); after 5, 6, 7 (ln e = 1); 0, 4 and 8 are out
  assertEquals(changeScore(x, y, 4, 3, 3), 1);
  assertEquals(changeScore(x, y, 4, 3, 4), null);
  const withZero = [9, 0, 1, 1, 5, Math.E, -1, Math.E, 9];
  assertEquals(changeScore(x, withZero, 4, 3, 2), 1);
  assertEquals(changeScore(x, withZero, 4, 3, 3), null);
  assertEquals(changeScore(x, y.map((v) => 1 / v), 4, 3, 3), 1);
});

/** Subtask 1 jumps at step 50 (t50 = 49.5); the edge column is 1 before step 50 and e after. */
function edgeRun(edge: (s: number) => number): RunData {
  const rows: number[][] = [];
  for (let s = 0; s <= 100; s++) rows.push([s, s < 50 ? 0.5 : 1, edge(s)]);
  return {
    id: "e/edge",
    status: "ok",
    info: {},
    metrics: table("step,acc_task_1,gram_s2_s3", rows),
  };
}

const evalEdge = (r: RunData, options = {}) =>
  edgeAtEmergenceCheck.evaluate({ experiment: "e", runs: [r] }, options)[0];

Deno.test("edge_at_emergence: a jump only at the onset gives p = 1/(1 + permutations), inclusive at alpha", () => {
  const run = edgeRun((s) => s < 50 ? 1 : Math.E);
  const o = evalEdge(run, { window: 5, permutations: 19, alpha: 0.05 });
  // centres with ≥ 3 points on both sides and more than 5 steps from 49.5: 3..44 and 55..97
  assertEquals(o, {
    run: "e/edge",
    statistic: "mean |Δ median ln gram_s2_s3| at onsets / null median",
    expected: "permutation p <= 0.05",
    tolerance: "half-window 5 steps, 19 permutations",
    value: Infinity,
    verdict: "pass",
    detail: "onsets [49.5]: mean change 1 vs null median 0 (85 centres away from onsets), p = 0.05",
  });
  assertEquals(evalEdge(run, { window: 5, permutations: 19, alpha: 0.049 }).verdict, "fail");
  const t = edgeChangeTest(
    [...Array(101).keys()],
    [...Array(101).keys()].map((s) => s < 50 ? 1 : Math.E),
    [49.5],
    {
      window: 5,
      minPoints: 3,
      permutations: 19,
      seedKey: "k",
    },
  )!;
  assertEquals([t.observed, t.nullMedian, t.p, t.onsets, t.candidates], [1, 0, 0.05, [49.5], 85]);
});

Deno.test("edge_at_emergence: a flat edge ties every permutation (p = 1); too little data skips", () => {
  const flat = evalEdge(edgeRun(() => 2), { window: 5, permutations: 9 });
  assertEquals([flat.verdict, flat.detail], [
    "fail",
    "onsets [49.5]: mean change 0 vs null median 0 (85 centres away from onsets), p = 1",
  ]);
  // a ratio against a non-zero null median: the edge steps by ln 2 every 10 steps, by 1 at the onset
  const stairs = evalEdge(edgeRun((s) => 2 ** Math.floor(s / 10) * (s < 50 ? 1 : Math.E)), {
    window: 5,
    permutations: 9,
  });
  assertEquals(stairs.value! > 1, true);
  const sparse = edgeRun((s) => s % 10 === 0 ? 1 : NaN);
  assertEquals(
    evalEdge(sparse, { window: 5 }).detail,
    "too few measurements around the onsets or away from them to compare",
  );
  assertEquals(
    edgeChangeTest([0, 1, 2, 3, 4, 5, 6], [1, 1, 1, 1, 2, 2, 2], [3.5], {
      window: 3,
      minPoints: 3,
      permutations: 5,
      seedKey: "k",
    }),
    null,
  );
  const noCol: RunData = {
    id: "r",
    status: "ok",
    info: {},
    metrics: table("step,acc_task_1", [[0, 1]]),
  };
  assertEquals(evalEdge(noCol).detail, "no gram_s2_s3 column: measure.updateGram is off");
  const noTask: RunData = {
    id: "r",
    status: "ok",
    info: {},
    metrics: table("step,gram_s2_s3", [[0, 1]]),
  };
  assertEquals(evalEdge(noTask).detail, "no acc_task_<i> columns");
  const unlearned: RunData = {
    id: "r",
    status: "ok",
    info: {},
    metrics: table("step,acc_task_1,gram_s2_s3", [[0, 0.5, 1], [1, 0.5, 1]]),
  };
  assertEquals(evalEdge(unlearned).detail, "no subtask learned: no onset to test");
  assertEquals(evalEdge({ ...unlearned, status: "diverged" }).verdict, "fail");
  const other = evalEdge(edgeRun(() => 1), { column: "lambda_max" });
  assertEquals([other.detail, other.statistic], [
    "no lambda_max column: measure.updateGram is off",
    "mean |Δ median ln lambda_max| at onsets / null median",
  ]);
  const ok = (o: Record<string, unknown>) =>
    edgeAtEmergenceCheck.optionsSchema!.safeParse(o).success;
  assertEquals([
    ok({ alpha: 0 }),
    ok({ alpha: 1 }),
    ok({ alpha: 0.5 }),
    ok({ minPoints: 0 }),
    ok({ permutations: 0 }),
  ], [
    false,
    false,
    true,
    false,
    false,
  ]);
  assertEquals([
    ok({ chance: 1.1 }),
    ok({ learnedAcc: -0.1 }),
    ok({ tail: 0 }),
    ok({ column: "" }),
    ok({ chance: 0, learnedAcc: 1, tail: 1 }),
  ], [
    false,
    false,
    false,
    false,
    true,
  ]);
});

Deno.test("edge_at_emergence: the value is observed/null median (∞ when the null median is 0); centres within the window are excluded", () => {
  const flat = evalEdge(edgeRun(() => 2), { window: 5, permutations: 9 });
  assertEquals(flat.value, Infinity);
  const stairs = (s: number) => 2 ** Math.floor(s / 10) * (s < 50 ? 1 : Math.E);
  const xs = [...Array(101).keys()];
  const t = edgeChangeTest(xs, xs.map(stairs), [49.5], {
    window: 5,
    minPoints: 3,
    permutations: 9,
    seedKey: "e/edge",
  })!;
  assertEquals(t.nullMedian > 0, true);
  assertEquals(
    evalEdge(edgeRun(stairs), { window: 5, permutations: 9 }).value,
    t.observed / t.nullMedian,
  );
  // an onset at step 50: centres 45 and 55 (exactly one window away) are excluded too
  const one = edgeChangeTest(xs, xs.map((s) => s < 50 ? 1 : Math.E), [50], {
    window: 5,
    minPoints: 3,
    permutations: 3,
    seedKey: "k",
  })!;
  assertEquals(one.candidates, (44 - 3 + 1) + (97 - 56 + 1));
  // two onsets: centres near either are excluded
  const two = edgeChangeTest(xs, xs.map((s) => s < 50 ? 1 : Math.E), [30, 70], {
    window: 5,
    minPoints: 3,
    permutations: 3,
    seedKey: "k",
  })!;
  assertEquals(two.candidates, (24 - 3 + 1) + (64 - 36 + 1) + (97 - 76 + 1));
  // a zero before the centre is not a positive measurement
  const y = [9, 0, 1, 1, 5, Math.E, Math.E, Math.E, 9];
  assertEquals(changeScore([0, 1, 2, 3, 4, 5, 6, 7, 8], y, 4, 3, 3), null);
  const ok = (o: Record<string, unknown>) =>
    edgeAtEmergenceCheck.optionsSchema!.safeParse(o).success;
  assertEquals([
    ok({ chance: 0.5 }),
    ok({ learnedAcc: 0.5 }),
    ok({ accPrefix: "a" }),
    ok({ lossPrefix: "l" }),
  ], [
    true,
    true,
    true,
    true,
  ]);
});
