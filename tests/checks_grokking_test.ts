import { Table } from "../core/results/table.ts";
import type { RunData, RunStatus } from "../core/checks/types.ts";
import { grokkingCheck, grokTimes } from "../core/checks/grokking.ts";
import { edgePrecedesGrokkingCheck } from "../core/checks/edge_precedes_grokking.ts";
import { spectralLrControlCheck } from "../core/checks/spectral_lr_control.ts";
import { assertClose, assertEquals, assertMatch } from "./assert.ts";

function runOf(
  id: string,
  cols: Record<string, (number | null)[]>,
  status: RunStatus = "ok",
): RunData {
  const names = Object.keys(cols);
  return {
    id,
    status,
    info: {},
    metrics: new Table(`${id}.csv`, names, cols, cols[names[0]].length),
  };
}

/** Sigmoid rise from 0 to 1 centred at `at` with width `w`. */
const rise = (s: number, at: number, w: number) => 1 / (1 + Math.exp(-(s - at) / w));

/**
 * Accuracies evaluated every 10 steps to `end`: train fits around `fitAt`,
 * test generalises around `genAt` (never, if null). Optional g23 profile.
 */
function grokRun(
  fitAt: number,
  genAt: number | null,
  end = 2000,
  g23?: (s: number) => number,
) {
  const step: number[] = [],
    train: number[] = [],
    test: number[] = [],
    g: number[] = [];
  for (let s = 0; s <= end; s += 10) {
    step.push(s);
    train.push(rise(s, fitAt, 5));
    test.push(
      genAt === null ? 0.02 + 0.1 * rise(s, fitAt, 50) : rise(s, genAt, 20),
    );
    if (g23) g.push(g23(s));
  }
  const cols: Record<string, (number | null)[]> = {
    step,
    train_acc: train,
    test_acc: test,
  };
  if (g23) cols.gram_g23 = g;
  return cols;
}

const evalGrok = (r: RunData) => grokkingCheck.evaluate({ experiment: "g", runs: [r] }, {})[0];

Deno.test("grokking passes on delayed generalisation and reports t_fit, t_gen", () => {
  const o = evalGrok(runOf("g/wd", grokRun(100, 800)));
  assertEquals(o.verdict, "pass", o.detail);
  // train ≥ 0.99 at 100 + 5·ln(99) ≈ 123 → 130; test ≥ 0.95 at 800 + 20·ln(19) ≈ 859 → 860
  assertMatch(o.detail, /t_fit = 130, t_gen = 860/);
  assertClose(o.value!, 860 / 130, 1e-12);
});

Deno.test("grokking fails when train and test accuracy rise together", () => {
  const o = evalGrok(runOf("g/easy", grokRun(100, 110)));
  assertEquals(o.verdict, "fail");
  assertMatch(o.detail, /t_gen\/t_fit .* < 3/);
});

Deno.test("grokking fails with a reason when the test accuracy never reaches 0.95", () => {
  const o = evalGrok(runOf("g/nowd", grokRun(100, null)));
  assertEquals(o.verdict, "fail");
  assertEquals(o.value, null);
  assertMatch(
    o.detail,
    /no grokking: test accuracy never reached 0\.95 \(max 0\.1\d* at step \d+\) within 2000 steps/,
  );
});

Deno.test("grokking fails when the training set is never fitted, or the run diverged", () => {
  const cols = grokRun(100, 800);
  cols.train_acc = cols.train_acc.map((a) => Math.min(a as number, 0.9));
  assertMatch(
    evalGrok(runOf("g/nofit", cols)).detail,
    /train accuracy never reached 0\.99 \(max 0\.9\)/,
  );
  const d = evalGrok(runOf("g/div", grokRun(100, 800), "diverged"));
  assertEquals(d.verdict, "fail");
  assertMatch(d.detail, /diverged/);
});

Deno.test("grokking skips when accuracy was not measured", () => {
  const o = evalGrok(runOf("g/noacc", { step: [0, 1], train_loss: [1, 0.5] }));
  assertEquals(o.verdict, "skip");
  assertMatch(o.detail, /no train_acc column/);
});

Deno.test("grokTimes() finds t_fit and t_gen on sparse evaluations", () => {
  const r = runOf("g/sparse", {
    step: [0, 10, 20, 30, 40],
    train_acc: [0.1, 1, null, 1, 1],
    test_acc: [0, 0.1, 0.3, null, 0.97],
  });
  const g = grokTimes(r, {});
  if ("reason" in g) throw new Error(g.reason);
  assertEquals([g.tFit, g.tGen, g.testAtFit], [10, 40, 0.1]);
});

// -------------------------------------------------- edge_precedes_grokking

/**
 * A grokking run evaluated every 10 steps with an edge column sampled every
 * `every` steps: train fits at 100 (t_fit = 130), test generalises at
 * `genAt` (t_gen = genAt + 60) or never (null). The edge statistic is `edge(s)`
 * times a deterministic ±30% zig-zag (so smoothing matters).
 */
function edgeRun(
  genAt: number | null,
  edge: (s: number) => number,
  every = 1,
  end = 1200,
  column = "gram_s2_s3",
) {
  const step: number[] = [], train: (number | null)[] = [], test: (number | null)[] = [];
  const y: (number | null)[] = [];
  for (let s = 0; s <= end; s++) {
    const evalStep = s % 10 === 0;
    if (!evalStep && s % every !== 0) continue;
    step.push(s);
    train.push(evalStep ? rise(s, 100, 5) : null);
    test.push(
      evalStep ? (genAt === null ? 0.02 + 0.1 * rise(s, 100, 50) : rise(s, genAt, 20)) : null,
    );
    y.push(s >= 10 && s % every === 0 ? edge(s) * (1 + 0.3 * Math.sin(1.7 * s)) : null);
  }
  return { step, train_acc: train, test_acc: test, [column]: y };
}

/** A steady decline through the plateau: ln y falls linearly (E = 1 whatever the window). */
const steady = (s: number) => 10 * Math.exp(-s / 300);
/** Flat at 10 until step 560, then falls e-fold every 20 steps to a floor of 1 (at 606): a collapse. */
const collapse = (s: number) => Math.max(1, 10 * Math.exp(-Math.max(0, s - 560) / 20));

const evalEdge = (r: RunData, options = {}) =>
  edgePrecedesGrokkingCheck.evaluate({ experiment: "g", runs: [r] }, options)[0];

Deno.test("edge_precedes_grokking passes when the edge collapses into t_gen after a flat plateau", () => {
  // t_gen = 600 + 20·ln 19 ≈ 659 → 660; windows [360, 510], [510, 660]
  const o = evalEdge(runOf("g/collapse", edgeRun(600, collapse)));
  assertEquals(o.verdict, "pass", o.detail);
  assertMatch(o.detail, /over \[510, 660\] .* vs .*over \[360, 510\].*t_fit = 130, t_gen = 660/);
  // S(360) ≈ S(510) ≈ 10 (flat), S(660) ≈ 1 (the floor, over [610, 710]): E ≈ 10
  assertClose(o.value!, 10, 0.15);
});

Deno.test("edge_precedes_grokking fails on a steady decline: the excess is 1 at any window or plateau length", () => {
  for (const genAt of [600, 900]) {
    const o = evalEdge(runOf("g/steady", edgeRun(genAt, steady)));
    assertEquals(o.verdict, "fail", o.detail);
    assertClose(o.value!, 1, 0.1);
    // the absolute fall over the last window is exp(150/300) = 1.65× in both
    assertMatch(o.detail, /falls 1\.[5-7]\d*x over/);
  }
});

Deno.test("edge_precedes_grokking: the same verdict sampled every step and every 10 steps", () => {
  for (const [edge, verdict] of [[collapse, "pass"], [steady, "fail"]] as const) {
    const a = evalEdge(runOf("g/1", edgeRun(600, edge, 1)));
    const b = evalEdge(runOf("g/10", edgeRun(600, edge, 10)));
    assertEquals([a.verdict, b.verdict], [verdict, verdict], `${a.detail} | ${b.detail}`);
    assertEquals(Math.abs(Math.log(a.value! / b.value!)) < 0.15, true, `${a.value} vs ${b.value}`);
  }
});

Deno.test("edge_precedes_grokking: a run that never groks fails, with the statistic over the same windows", () => {
  const o = evalEdge(runOf("g/nogrok", edgeRun(null, collapse)), { at: 660 });
  assertEquals(o.verdict, "fail");
  assertMatch(
    o.detail,
    /^no grokking: test accuracy never reached .* over the same windows ending at step 660: .*excess/,
  );
  // the statistic itself is computed (here the planted collapse is present)
  assertClose(o.value!, 10, 0.15);
  const s = evalEdge(runOf("g/nogrok2", edgeRun(null, steady)));
  // default end: the last step less half the 100-step smoothing span
  assertMatch(s.detail, /windows ending at step 1150/);
  assertClose(s.value!, 1, 0.1);
});

Deno.test("edge_precedes_grokking: no plateau (t_gen - t_fit < 2L) fails and says so", () => {
  // t_gen = 260 + 59 ≈ 320: t_gen - t_fit = 190 < 300
  const o = evalEdge(runOf("g/easy", edgeRun(260, collapse)));
  assertEquals(o.verdict, "fail");
  assertMatch(
    o.detail,
    /^no memorisation plateau to collapse in: t_gen - t_fit = 190 steps < 2L = 300/,
  );
  // at the threshold: t_gen - t_fit = 300 with L = 150 has a plateau; 290 does not
  const at = evalEdge(runOf("g/at", edgeRun(600, collapse)), { window: 265 });
  assertMatch(at.detail, /t_gen = 660/);
  assertEquals(at.detail.startsWith("no memorisation plateau"), false, at.detail);
  const near = evalEdge(runOf("g/near", edgeRun(600, collapse)), { window: 266 });
  assertMatch(near.detail, /^no memorisation plateau .* < 2L = 532/);
});

Deno.test("edge_precedes_grokking: threshold factor 2 at and near the measured excess", () => {
  const r = runOf("g/c", edgeRun(600, collapse));
  const e = evalEdge(r).value!;
  assertEquals(evalEdge(r, { factor: e }).verdict, "pass");
  assertEquals(evalEdge(r, { factor: e * 1.001 }).verdict, "fail");
});

Deno.test("edge_precedes_grokking is scale-free: multiplying the column by 1e-4 changes nothing", () => {
  const cols = edgeRun(600, collapse);
  const scaled = {
    ...cols,
    gram_s2_s3: cols.gram_s2_s3.map((v) => (v === null ? null : v * 1e-4)),
  };
  const a = evalEdge(runOf("g/a", cols)), b = evalEdge(runOf("g/b", scaled));
  assertClose(a.value!, b.value!, 1e-9);
});

Deno.test("edge_precedes_grokking metric: hessian uses lambda_max; a missing column skips", () => {
  const cols = edgeRun(600, collapse, 10, 1200, "lambda_max");
  assertEquals(evalEdge(runOf("g/h", cols)).verdict, "skip");
  const o = evalEdge(runOf("g/h", cols), { metric: "hessian" });
  assertEquals(o.verdict, "pass", o.detail);
  assertMatch(o.statistic, /lambda_max/);
});

Deno.test("edge_precedes_grokking options are strict", () => {
  const schema = edgePrecedesGrokkingCheck.optionsSchema!;
  assertEquals(schema.safeParse({ window: 150, smooth: 100, factor: 2, at: 600 }).success, true);
  assertEquals(schema.safeParse({ windw: 150 }).success, false);
  assertEquals(schema.safeParse({ metric: "hess" }).success, false);
});

// ----------------------------------------------------- spectral_lr_control

function controlled(offset: number) {
  const step: number[] = [], lam: number[] = [];
  for (let s = 0; s <= 400; s += 5) {
    step.push(s);
    // overshoot early (before settling), then oscillate around target·(1 + offset)
    lam.push(
      s < 80 ? 20 - 0.1 * s : 10 * (1 + offset) * (1 + 0.04 * Math.sin(s)),
    );
  }
  return { step, lambda_max: lam };
}

Deno.test("spectral_lr_control passes when the median |λ_max/target − 1| is within 5%", () => {
  const o = spectralLrControlCheck.evaluate({
    experiment: "c",
    runs: [runOf("c/a", controlled(0))],
  }, {
    target: 10,
  })[0];
  assertEquals(o.verdict, "pass", o.detail);
  assertClose(o.value!, 0.0286, 0.01); // median of 0.04·|sin| (the statistic is the median)
});

Deno.test("spectral_lr_control fails 15% off target, reading a target_sharpness column", () => {
  const cols: Record<string, (number | null)[]> = controlled(0.15);
  cols.target_sharpness = cols.step.map((_, i) => (i % 4 === 0 ? 10 : null));
  const o = spectralLrControlCheck.evaluate({
    experiment: "c",
    runs: [runOf("c/b", cols)],
  }, {})[0];
  assertEquals(o.verdict, "fail");
  assertMatch(o.detail, /target from target_sharpness/);
});

Deno.test("spectral_lr_control skips without a target", () => {
  const o = spectralLrControlCheck.evaluate({
    experiment: "c",
    runs: [runOf("c/c", controlled(0))],
  }, {})[0];
  assertEquals(o.verdict, "skip");
  assertMatch(o.detail, /no target/);
});
