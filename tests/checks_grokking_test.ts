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

/** g23 rises to 10 at step 300 then falls to 10/fall by step 600 (before t_gen = 860). */
const gramProfile = (fall: number) => (s: number) =>
  s <= 300 ? 1 + 9 * (s / 300) : 10 / (1 + (fall - 1) * Math.min(1, (s - 300) / 300));

const evalEdge = (r: RunData, options = {}) =>
  edgePrecedesGrokkingCheck.evaluate(
    { experiment: "g", runs: [r] },
    options,
  )[0];

Deno.test("edge_precedes_grokking passes on a planted 10× fall of g23 before t_gen", () => {
  const o = evalEdge(runOf("g/edge", grokRun(100, 800, 2000, gramProfile(10))));
  assertEquals(o.verdict, "pass", o.detail);
  assertClose(o.value!, 10, 1e-12);
  assertMatch(
    o.detail,
    /gram_g23 falls 10x from 10 \(step 300\) to 1 \(step 600\)/,
  );
});

Deno.test("edge_precedes_grokking fails on a 2× fall", () => {
  const o = evalEdge(runOf("g/edge2", grokRun(100, 800, 2000, gramProfile(2))));
  assertEquals(o.verdict, "fail");
  assertClose(o.value!, 2, 1e-12);
});

Deno.test("edge_precedes_grokking ignores a fall that comes after t_gen", () => {
  // peak at 300, flat until 1000, then falls 100× — after t_gen = 860
  const late = (
    s: number,
  ) => (s <= 300 ? 1 + 9 * (s / 300) : s < 1000 ? 10 : 0.1);
  const o = evalEdge(runOf("g/late", grokRun(100, 800, 2000, late)));
  assertEquals(o.verdict, "fail");
  assertClose(o.value!, 1, 1e-12);
});

Deno.test("edge_precedes_grokking fails with a reason when there is no grokking", () => {
  const o = evalEdge(
    runOf("g/nogrok", grokRun(100, null, 2000, gramProfile(10))),
  );
  assertEquals(o.verdict, "fail");
  assertMatch(o.detail, /no grokking: test accuracy never reached/);
});

Deno.test("edge_precedes_grokking metric: hessian uses lambda_max", () => {
  const cols = grokRun(100, 800, 2000, gramProfile(10));
  cols.lambda_max = cols.gram_g23;
  delete cols.gram_g23;
  assertEquals(evalEdge(runOf("g/h", cols)).verdict, "skip");
  const o = evalEdge(runOf("g/h", cols), { metric: "hessian" });
  assertEquals(o.verdict, "pass", o.detail);
  assertMatch(o.statistic, /lambda_max/);
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

Deno.test("spectral_lr_control passes when λ_max stays within ±10% of the target", () => {
  const o = spectralLrControlCheck.evaluate({
    experiment: "c",
    runs: [runOf("c/a", controlled(0))],
  }, {
    target: 10,
  })[0];
  assertEquals(o.verdict, "pass", o.detail);
  assertClose(o.value!, 0.04, 0.01);
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
