/**
 * Fast exact tests of the collapse family (core/checks/collapse.ts,
 * collapse_checks.ts, compute_optimal_horizon.ts), written against the
 * mutants StrykerJS makes (`deno task mutation`): tiny synthetic ladders whose
 * answers follow by hand — L = L0 + s·A/c gives ℓ(x) = 1/x at L̂ = L0 for
 * every run (Δ = 0) and σ = sd(s)/mean(s) — plus every reason a ladder is
 * refused. The slower statistical tests are in checks_collapse_test.ts.
 */
import { Table } from "../core/results/table.ts";
import type { CheckOptions, CheckOutcome, RunData } from "../core/checks/types.ts";
import {
  collapseCheck,
  collapseVarianceScalingCheck,
  excessSpread,
  fitL0Check,
  scanL0,
  supercollapseCheck,
} from "../core/checks/collapse_checks.ts";
import {
  computeOptimalHorizon,
  computeOptimalHorizonCheck,
} from "../core/checks/compute_optimal_horizon.ts";
import {
  analyseCollapse,
  bootstrapSeeds,
  bySize,
  chooseL0,
  collapseCurves,
  collapseDeviation,
  collapseGrid,
  collapseRatio,
  describeL0,
  finalPoints,
  fitL0On,
  fitPowerLawL0,
  gridRange,
  integrateLr,
  l0Interval,
  type Ladder,
  prepareLadder,
  quantile,
  seedShortage,
  sizeKeyOf,
} from "../core/checks/collapse.ts";
import { assertClose, assertEquals, assertMatch, assertOk, assertThrowsMsg } from "./assert.ts";

type Cols = Record<string, (number | null)[]>;

/** A run with the given runs.csv info and metric columns. */
function run(id: string, info: Record<string, string>, cols: Cols, status = "ok"): RunData {
  const n = Object.values(cols)[0]?.length ?? 0;
  return {
    id,
    status: status as RunData["status"],
    info,
    metrics: new Table(`${id}.csv`, Object.keys(cols), cols, n),
  };
}

/**
 * Sizes n with seeds scaling the excess: L = 0.5 + s·100/c at c = n·[k…]
 * (default c = 5n, 10n), so at L̂ = 0.5 every ℓ(x) = 1/x and σ = sd(s)/mean(s).
 */
function ladderRuns(
  sizes = [10, 20, 40],
  scales = [0.9, 1.1],
  ks = [5, 10],
): RunData[] {
  return sizes.flatMap((n) =>
    scales.map((s, w) =>
      run(`n${n}s${w}`, { n_params: `${n}`, seed: `${w}` }, {
        compute: ks.map((k) => k * n),
        train_loss: ks.map((k) => 0.5 + (s * 100) / (k * n)),
      })
    )
  );
}

function ladderOf(runs: RunData[], options: CheckOptions = {}): Ladder {
  const l = prepareLadder(runs, options);
  if ("reason" in l) throw new Error(l.reason);
  return l;
}

const reasonOf = (runs: RunData[], options: CheckOptions = {}) => {
  const l = prepareLadder(runs, options);
  return "reason" in l ? l.reason : "";
};

// ------------------------------------------------------------------ collapse.ts

Deno.test("sizeKeyOf(): option params, else n_params when every ok run has a numeric one", () => {
  const r = (status: string, n?: string) =>
    ({ id: "r", status, info: n === undefined ? {} : { n_params: n }, metrics: null }) as RunData;
  assertEquals(sizeKeyOf([r("ok", "10")], { params: "model.width" }), "model.width");
  assertEquals(sizeKeyOf([r("ok", "10"), r("failed")], {}), "n_params"); // only ok runs count
  assertEquals(sizeKeyOf([r("ok", "10"), r("ok", "x")], {}), null);
  assertEquals(sizeKeyOf([r("ok", "10"), r("ok")], {}), null);
  assertEquals(sizeKeyOf([r("failed", "10")], {}), null); // no ok run
  assertEquals(sizeKeyOf([], {}), null);
});

Deno.test("integrateLr(): τ_0 = η_0·s_0, then τ_i = τ_{i−1} + η_i·(s_i − s_{i−1})", () => {
  assertEquals(integrateLr([1, 2, 4], [0.5, 0.5, 0.25]), [0.5, 1, 1.5]);
  assertEquals(integrateLr([0, 10, 30], [1, 2, 3]), [0, 20, 80]);
  assertEquals(integrateLr([2], [3]), [6]);
  assertEquals(integrateLr([], []), []);
});

Deno.test("prepareLadder(): sizes ascending, x = c/c_final, the seed label, the columns used", () => {
  const l = ladderOf(ladderRuns([40, 10, 20]));
  assertEquals(l.sizes, [10, 20, 40]);
  assertEquals([l.sizeKey, l.seedKey, l.lossColumn, l.xColumn, l.notes], [
    "n_params",
    "seed",
    "train_loss",
    "compute",
    [],
  ]);
  const r = l.runs[0];
  assertEquals([r.id, r.size, r.seed, r.c, r.x, r.cFinal], [
    "n40s0",
    40,
    "0",
    [200, 400],
    [0.5, 1],
    400,
  ]);
  assertEquals(r.loss, [0.5 + 90 / 200, 0.5 + 90 / 400]);
  assertEquals([r.step, r.lr, r.tau], [null, null, null]);
  assertEquals(r.run.id, "n40s0");
  assertEquals(bySize(l).map((g) => [g.size, g.runs.map((x) => x.id)]), [
    [10, ["n10s0", "n10s1"]],
    [20, ["n20s0", "n20s1"]],
    [40, ["n40s0", "n40s1"]],
  ]);
  // other keys: the size from a sweep key, the seed from another key, else the run id
  const o = ladderOf([run("a", { w: "8", rep: "r1" }, { compute: [1, 2], train_loss: [2, 1] })], {
    params: "w",
    seed: "rep",
  });
  assertEquals([o.sizes, o.runs[0].seed, o.sizeKey, o.seedKey], [[8], "r1", "w", "rep"]);
  const noSeed = ladderOf([run("a", { n_params: "8" }, { compute: [1, 2], train_loss: [2, 1] })]);
  assertEquals(noSeed.runs[0].seed, "a");
});

Deno.test("prepareLadder(): the loss column is the option's, else test_loss when measured, else train_loss", () => {
  const cols = { compute: [1, 2], train_loss: [3, 2], test_loss: [4, 3], val: [5, 4] };
  const info = { n_params: "8" };
  assertEquals(ladderOf([run("a", info, cols)]).lossColumn, "test_loss");
  assertEquals(ladderOf([run("a", info, cols)]).runs[0].loss, [4, 3]);
  assertEquals(ladderOf([run("a", info, cols)], { loss: "val" }).runs[0].loss, [5, 4]);
  const unmeasured = { ...cols, test_loss: [null, null] };
  assertEquals(ladderOf([run("a", info, unmeasured)]).lossColumn, "train_loss");
  assertEquals(reasonOf([run("a", info, cols)], { loss: "acc" }), "run a: no acc column");
  assertEquals(
    reasonOf([run("a", info, { compute: [1, 2], acc: [1, 1] })]),
    "run a: no train_loss column",
  );
});

Deno.test("prepareLadder(): every reason a ladder cannot be built", () => {
  const info = { n_params: "8" };
  assertEquals(reasonOf([]), "no runs");
  assertEquals(
    reasonOf([run("a", {}, { compute: [1, 2], train_loss: [2, 1] })]),
    "no model size: give option params (a runs.csv key such as model.width) or record n_params",
  );
  assertEquals(
    reasonOf([run("a", { w: "wide" }, { compute: [1, 2], train_loss: [2, 1] })], { params: "w" }),
    'run a: w = "wide" is not a number',
  );
  assertEquals(
    reasonOf([run("a", { n_params: "8" }, { compute: [1, 2], train_loss: [2, 1] })], {
      params: "w",
    }),
    'run a: w = "" is not a number',
  );
  assertEquals(
    reasonOf([run("a", info, { flops: [1, 2], train_loss: [2, 1] })]),
    "run a: no compute or step column",
  );
  assertEquals(
    reasonOf([run("a", info, { compute: [1, 2, 3], train_loss: [2, null, null] })]),
    "run a: fewer than 2 measurements of train_loss",
  );
  assertEquals(
    reasonOf([run("a", info, { compute: [-1, 0], train_loss: [2, 1] })]),
    "run a: final compute is 0, need > 0",
  );
  assertEquals(
    reasonOf([run("a", info, { compute: [1, 2], train_loss: [2, 1] }, "skipped")], {
      params: "n_params",
    }),
    "no usable runs (excluded a (status skipped))",
  );
  const noMetrics = { id: "b", status: "ok" as const, info, metrics: null };
  assertEquals(reasonOf([noMetrics]), "no usable runs (excluded b (status ok))");
});

Deno.test("prepareLadder(): unusable runs are excluded with a note; the step axis is noted", () => {
  const info = { n_params: "8" };
  const l = ladderOf([
    run("a", info, { compute: [1, 2], train_loss: [2, 1] }),
    run("b", info, { compute: [1, 2], train_loss: [2, NaN] }),
    run("c", info, { compute: [1, 2], train_loss: [2, 1] }, "failed"),
  ]);
  assertEquals(l.runs.map((r) => r.id), ["a"]);
  assertEquals(l.notes, [
    "excluded b (run diverged (train_loss = nan))",
    "excluded c (status failed)",
  ]);
  const s = ladderOf([run("a", info, { step: [1, 2], train_loss: [2, 1] })]);
  assertEquals([s.xColumn, s.notes], ["step", ["x axis = step (no compute column)"]]);
  assertEquals(s.runs[0].step, [1, 2]);
  const f = ladderOf([run("a", info, { step: [1, 2], train_loss: [2, 1] })], { compute: "flops" });
  assertEquals(f.notes, ["x axis = step (no flops column)"]);
});

Deno.test("prepareLadder(): step, lr and τ per measured row; τ integrates lr over every logged row", () => {
  const info = { n_params: "8" };
  // the loss is measured at steps 1 and 3 only; lr is logged at every step
  const l = ladderOf([run("a", info, {
    step: [1, 2, 3],
    compute: [10, 20, 30],
    train_loss: [2, null, 1],
    lr: [1, 2, 1],
  })]);
  const r = l.runs[0];
  assertEquals([r.c, r.step, r.lr, r.tau], [[10, 30], [1, 3], [1, 1], [1, 4]]);
  // a tau column wins over integrating lr
  const t = ladderOf([run("a", info, {
    step: [1, 2],
    compute: [10, 20],
    train_loss: [2, 1],
    lr: [1, 1],
    tau: [5, 7],
  })]).runs[0];
  assertEquals(t.tau, [5, 7]);
  // a tau column with a gap falls back to the integrated lr
  const g = ladderOf([run("a", info, {
    step: [1, 2],
    compute: [10, 20],
    train_loss: [2, 1],
    lr: [1, 1],
    tau: [5, null],
  })]).runs[0];
  assertEquals(g.tau, [1, 2]);
  // an lr gap at a measured row: no lr, no τ
  const n = ladderOf([
    run("a", info, { step: [1, 2], compute: [10, 20], train_loss: [2, 1], lr: [1, null] }),
  ]).runs[0];
  assertEquals([n.step, n.lr, n.tau], [[1, 2], null, null]);
  // an lr row without a step is left out of the integral
  const m = ladderOf([run("a", info, {
    step: [1, null, 3],
    compute: [10, 15, 30],
    train_loss: [2, null, 1],
    lr: [1, 5, 2],
  })]).runs[0];
  assertEquals([m.step, m.tau], [[1, 3], [1, 5]]);
  // a measured row without a step: the step axis does not line up, so none
  const u = ladderOf([
    run("a", info, {
      step: [1, null, 3],
      compute: [10, 20, 30],
      train_loss: [2, 1.5, 1],
      lr: [1, 1, 1],
    }),
  ])
    .runs[0];
  assertEquals([u.step, u.lr, u.tau], [null, null, null]);
});

Deno.test("finalPoints(): the seed-averaged final compute and loss per size", () => {
  const l = ladderOf(ladderRuns([10, 20], [0.9, 1.1], [5, 10]));
  assertEquals(finalPoints(l), [
    { size: 10, compute: 100, loss: 0.5 + 1 },
    { size: 20, compute: 200, loss: 0.5 + 0.5 },
  ]);
  // unequal final computes average too
  const u = ladderOf([
    run("a", { n_params: "8" }, { compute: [1, 2], train_loss: [3, 2] }),
    run("b", { n_params: "8" }, { compute: [1, 4], train_loss: [3, 1] }),
  ]);
  assertEquals(finalPoints(u), [{ size: 8, compute: 3, loss: 1.5 }]);
});

Deno.test("fitPowerLawL0(): recovers an exact power law; needs 3 points; a warm start lands on the same fit", () => {
  const c = [1e3, 1e4, 1e5, 1e6];
  const L = c.map((x) => 2 * x ** -0.3 + 0.5);
  const fit = fitPowerLawL0(c, L);
  assertClose(fit.l0, 0.5, 1e-6);
  assertClose(fit.b, 0.3, 1e-6);
  assertClose(fit.a, 2, 1e-5);
  assertOk(fit.objective < 1e-12, `${fit.objective}`);
  // no irreducible loss: L0 = 0 is found (the f = 0 start)
  const z = fitPowerLawL0(c, c.map((x) => 3 * x ** -0.5));
  assertOk(z.l0 < 1e-6, `${z.l0}`);
  assertClose(z.b, 0.5, 1e-5);
  assertClose(z.a, 3, 1e-4);
  const warm = fitPowerLawL0(c, L, 1e-3, { a: 2.2, b: 0.25, l0: 0.45, objective: 0 });
  assertClose(warm.l0, 0.5, 1e-5);
  assertClose(warm.b, 0.3, 1e-4);
  assertClose(warm.a, 2, 1e-3);
  // a warm start above the smallest loss is clipped below it
  const high = fitPowerLawL0(c, L, 1e-3, { a: 2, b: 0.3, l0: 10, objective: 0 });
  assertClose(high.l0, 0.5, 1e-4);
  assertThrowsMsg(() => fitPowerLawL0([1, 2], [2, 1]), /power-law fit of L0 needs ≥ 3 points/);
});

Deno.test("collapseDeviation() and collapseRatio(): sd/mean per column (ddof 1); 0/0 = 0, Δ/0 = ∞, NaN stays", () => {
  assertEquals(collapseDeviation([[1, 1], [1, 3]]), [0, Math.SQRT2 / 2]);
  assertEquals(collapseDeviation([[2, 4, 1], [4, 8, 1], [6, 12, 1]]), [0.5, 0.5, 0]);
  assertEquals(collapseDeviation([]), []);
  assertEquals(collapseRatio(0, 0), 0);
  assertEquals(collapseRatio(0, 0.3), 0);
  assertEquals(collapseRatio(0.1, 0.2), 0.5);
  assertEquals(collapseRatio(0.1, 0), Infinity);
  assertEquals(collapseRatio(NaN, 0.2), NaN);
  assertEquals(collapseRatio(0, NaN), NaN);
  assertEquals(collapseRatio(0.1, NaN), NaN);
});

Deno.test("collapseGrid() and gridRange(): k/n from the first common x; inclusive ranges with a small slack", () => {
  assertEquals(collapseGrid(0.5, 4), [0.5, 0.75, 1]);
  assertEquals(collapseGrid(0.3 + 1e-13, 10), [3, 4, 5, 6, 7, 8, 9, 10].map((k) => k / 10));
  assertEquals(collapseGrid(0.31, 10), [4, 5, 6, 7, 8, 9, 10].map((k) => k / 10));
  assertEquals(collapseGrid(0, 2), [0.5, 1]);
  assertEquals(gridRange([0.2, 0.3, 0.9, 1], [0.25, 0.95]), [1, 2]);
  assertEquals(gridRange([0.25 - 1e-10, 0.95 + 1e-10], [0.25, 0.95]), [0, 1]);
  assertEquals(gridRange([0.25 - 1e-8, 0.95 + 1e-8], [0.25, 0.95]), []);
});

Deno.test("collapseCurves(): ℓ = 1/x at L̂ = L0, Δ = 0, σ = sd(s)/mean(s) per size and σ̄ their mean", () => {
  const l = ladderOf(ladderRuns([10, 20, 40], [0.9, 1.1], [5, 10]));
  const c = collapseCurves(l, 0.5, 4);
  assertEquals(c.l0, 0.5);
  assertEquals(c.grid, [0.5, 0.75, 1]);
  for (const e of c.ell) {
    assertClose(e[0], 2, 1e-12);
    assertClose(e[1], 1.5, 1e-12); // linear interpolation between x = 0.5 and 1
    assertClose(e[2], 1, 1e-12);
  }
  [0.5 + 90 / 50, 0.5 + (90 / 50 + 90 / 100) / 2, 0.5 + 90 / 100].forEach((v, k) =>
    assertClose(c.lossAt[0][k], v, 1e-12)
  );
  assertOk(c.delta.every((d) => d < 1e-12), `${c.delta}`);
  const sigma = Math.sqrt(0.02) / 1; // sd(0.9, 1.1) / mean(0.9, 1.1)
  assertEquals(c.sigmaBySize.map((s) => [s.size, s.seeds]), [[10, 2], [20, 2], [40, 2]]);
  for (const s of c.sigmaBySize) s.sigma.forEach((v) => assertClose(v, sigma, 1e-12));
  c.sigma.forEach((v) => assertClose(v, sigma, 1e-12));
  c.ratio.forEach((v, k) => assertEquals(v, collapseRatio(c.delta[k], c.sigma[k])));
  // at L̂ = 0 the curves no longer collapse: ℓ(0.5) = (0.5 + 2s·10/n)/(0.5 + s·10/n)
  const z = collapseCurves(l, 0, 4);
  assertClose(z.ell[0][0], (0.5 + 90 / 50) / (0.5 + 90 / 100), 1e-12);
  assertOk(z.delta[0] > 0.01);
  assertEquals(z.delta[2], 0); // ℓ(1) = 1 for every run
  // the grid starts at the largest first x of any run
  const late = ladderOf([
    ...ladderRuns([10], [0.9, 1.1], [5, 10]),
    ...ladderRuns([20], [0.9, 1.1], [8, 10]),
  ]);
  assertEquals(collapseCurves(late, 0.5, 10).grid, [0.8, 0.9, 1]);
  // one seed of a size: its σ is NaN and so is σ̄; one run in all: Δ is NaN
  const short = ladderOf(ladderRuns([10, 20], [1, 1.1]).slice(1));
  const s = collapseCurves(short, 0.5, 2);
  assertEquals(s.sigmaBySize.map((x) => [x.size, x.seeds]), [[10, 1], [20, 2]]);
  assertEquals(s.sigmaBySize[0].sigma, [NaN, NaN]);
  assertEquals(s.sigma, [NaN, NaN]);
  const single = collapseCurves(ladderOf(ladderRuns([10], [1])), 0.5, 2);
  assertEquals(single.delta, [NaN, NaN]);
});

Deno.test("chooseL0() and describeL0(): given, too few sizes, no compute column, or fitted", () => {
  const three = ladderOf(ladderRuns([10, 20, 40], [1, 1]));
  assertEquals(chooseL0(three, { l0: 0.3 }), { l0: 0.3, source: "given" });
  assertEquals(chooseL0(three, { l0: 0 }), { l0: 0, source: "given" });
  const fitted = chooseL0(three, {});
  assertEquals(fitted.source, "fitted");
  assertClose(fitted.l0, 0.5, 1e-6);
  assertClose(fitted.fit!.b, 1, 1e-6);
  assertEquals(chooseL0(ladderOf(ladderRuns([10, 20], [1, 1])), {}), { l0: 0, source: "zero" });
  const steps = ladderOf(
    [10, 20, 40].map((n) =>
      run(`n${n}`, { n_params: `${n}` }, { step: [1, 2], train_loss: [2, 1] })
    ),
  );
  assertEquals(chooseL0(steps, {}), { l0: 0, source: "nocompute" });
  assertEquals(describeL0({ l0: 0.5, source: "given" }), "L̂ = 0.5 (given)");
  assertEquals(describeL0({ l0: 0, source: "zero" }), "L̂ = 0 (fewer than 3 sizes to fit L0)");
  assertEquals(
    describeL0({ l0: 0, source: "nocompute" }),
    "L̂ = 0 (no compute column: L0 cannot be fitted; give l0)",
  );
  assertEquals(
    describeL0({ l0: 0.25, source: "fitted", fit: { a: 1, b: 0.75, l0: 0.25, objective: 0 } }),
    "L̂ = 0.25 (fitted L = a·c^-b + L0, b = 0.75)",
  );
});

Deno.test("analyseCollapse(): ladder, L̂ and curves; gridPoints must be an integer ≥ 2", () => {
  const runs = ladderRuns();
  const a = analyseCollapse(runs, { l0: 0.5, gridPoints: 4 });
  if ("reason" in a) throw new Error(a.reason);
  assertEquals(a.l0, { l0: 0.5, source: "given" });
  assertEquals(a.curves.grid, [0.5, 0.75, 1]);
  assertEquals(a.ladder.sizes, [10, 20, 40]);
  const d = analyseCollapse(runs, { l0: 0.5 });
  if ("reason" in d) throw new Error(d.reason);
  assertEquals(d.curves.grid.length, 51); // 100 points from x = 0.5
  assertOk(!("reason" in analyseCollapse(runs, { gridPoints: 2 })));
  for (const gp of [1, 2.5, "4"]) {
    assertEquals(analyseCollapse(runs, { gridPoints: gp }), {
      reason: `option gridPoints: expected an integer ≥ 2, got ${JSON.stringify(gp)}`,
    });
  }
  assertEquals(analyseCollapse([], {}), { reason: "no runs" });
});

Deno.test("seedShortage(): fewer than 2 sizes, or a size with fewer than 2 distinct seeds", () => {
  assertEquals(seedShortage(ladderOf(ladderRuns())), null);
  assertEquals(
    seedShortage(ladderOf(ladderRuns([10]))),
    "only 1 size (n_params = 10): collapse needs ≥ 2 sizes",
  );
  assertEquals(
    seedShortage(ladderOf(ladderRuns([10, 20]).slice(1))),
    "size n_params=10 has 1 seed (n10s1): the noise floor σ needs ≥ 2 seeds per size",
  );
  // two runs with the same seed label are one seed
  const same = ladderRuns([10, 20]).map((r) => ({ ...r, info: { ...r.info, seed: "0" } }));
  assertEquals(
    seedShortage(ladderOf(same)),
    "size n_params=10 has 1 seed (n10s0, n10s1): the noise floor σ needs ≥ 2 seeds per size",
  );
});

Deno.test("bootstrapSeeds(): per size, as many draws as runs, from that size's runs; deterministic per purpose", () => {
  const l = ladderOf(ladderRuns([10, 20, 40], [1, 1.1, 1.2]));
  const b = bootstrapSeeds(l, 50, "demo");
  assertEquals(b.length, 50);
  for (const pick of b) {
    assertEquals(pick.length, 9);
    assertOk(pick.every((i, k) => Math.floor(i / 3) === Math.floor(k / 3)), `${pick}`);
  }
  // every run of a size is drawn somewhere (the draws cover [0, 3))
  assertEquals([...new Set(b.flat())].sort((x, y) => x - y), [0, 1, 2, 3, 4, 5, 6, 7, 8]);
  assertEquals(bootstrapSeeds(l, 50, "demo"), b);
  assertOk(JSON.stringify(bootstrapSeeds(l, 50, "other")) !== JSON.stringify(b));
  assertEquals(bootstrapSeeds(l, 0, "demo"), []);
});

Deno.test("quantile(): linear between order statistics, NaN left out, empty is NaN", () => {
  assertEquals(quantile([4, 1, 3, 2], 0.5), 2.5);
  assertEquals(quantile([1, 2, 3, 4], 1), 4);
  assertEquals(quantile([1, 2, 3, 4], 0), 1);
  assertEquals(quantile([1, 2, 3, 4], 0.25), 1.75);
  assertEquals(quantile([10, 20], 0.9), 19);
  assertEquals(quantile([NaN, 5, 1], 0.5), 3);
  assertEquals(quantile([NaN], 0.5), NaN);
  assertEquals(quantile([], 0.5), NaN);
  assertEquals(quantile([7], 0.3), 7);
});

Deno.test("fitL0On(): the fit on the picked runs' seed-averaged finals, sizes without picks left out", () => {
  // size 10 has finals 0.5 + 100/(10·10)·s: seeds 0.5 and 1.5 average to the s = 1 law
  const l = ladderOf(ladderRuns([10, 20, 40, 80], [0.5, 1.5]));
  const all = fitL0On(l, l.runs.map((_, i) => i));
  assertClose(all.l0, 0.5, 1e-6);
  assertClose(all.b, 1, 1e-6);
  assertClose(all.a, 100, 1e-5);
  // only the s = 1.5 seed of three sizes: the law 0.5 + 150/c
  const some = fitL0On(l, [1, 3, 5]);
  assertClose(some.l0, 0.5, 1e-6);
  assertClose(some.a, 150, 1e-5);
  // a duplicated pick weighs its run once per draw: finals (0.5·2 + 1.5)/3 of the law
  const dup = fitL0On(l, [0, 0, 1, 2, 2, 3, 4, 4, 5, 6, 6, 7]);
  assertClose(dup.a, (100 * (0.5 * 2 + 1.5)) / 3, 1e-5);
  const warm = fitL0On(l, [1, 3, 5], all);
  assertClose(warm.a, 150, 1e-4);
});

Deno.test("l0Interval(): the fit and its bootstrap interval over seeds, containing the fit", () => {
  const same = ladderOf(ladderRuns([10, 20, 40], [1, 1]));
  const iv = l0Interval(same, 10, 0.9);
  assertClose(iv.l0, 0.5, 1e-6);
  assertEquals([iv.samples.length, iv.resamples, iv.level], [10, 10, 0.9]);
  assertEquals(iv.sd, 0);
  assertEquals([iv.lo, iv.hi], [iv.l0, iv.l0]);
  const one = l0Interval(same, 1, 0.5);
  assertEquals([one.samples.length, one.sd, one.level], [1, 0, 0.5]);
  // seeds that disagree (mean scale 1 per size, so the full fit is exact): the
  // resampled fits spread, and the interval holds the fit
  const noisy = ladderOf([
    ...ladderRuns([10], [0.8, 1.2]),
    ...ladderRuns([20], [0.9, 1.1]),
    ...ladderRuns([40], [0.95, 1.05]),
  ]);
  const n = l0Interval(noisy, 30, 0.8);
  assertClose(n.l0, 0.5, 1e-6);
  assertOk(n.sd > 0, `${n.sd}`);
  assertOk(n.lo <= n.l0 && n.l0 <= n.hi, `${n.lo} ${n.l0} ${n.hi}`);
  const a = (1 - 0.8) / 2;
  assertEquals(n.lo, Math.min(n.l0, quantile(n.samples, a)));
  assertEquals(n.hi, Math.max(n.l0, quantile(n.samples, 1 - a)));
  assertOk(n.lo < n.l0 && n.l0 < n.hi, `${n.lo} ${n.l0} ${n.hi}`);
  assertClose(
    n.sd,
    Math.sqrt(
      n.samples.reduce((s, v, _, xs) => s + (v - xs.reduce((a, b) => a + b) / xs.length) ** 2, 0) /
        29,
    ),
    1e-12,
  );
  const none = l0Interval(same, 0);
  // no resamples: no interval (its ends are NaN; the checks then use L̂ alone)
  assertEquals([none.samples, none.sd, none.level, none.lo, none.hi], [[], 0, 0.9, NaN, NaN]);
  assertClose(none.l0, 0.5, 1e-6);
});

// -------------------------------------------------------------- collapse_checks.ts

const one = (
  check: {
    evaluate: (i: { experiment: string; runs: RunData[] }, o: CheckOptions) => CheckOutcome[];
  },
  runs: RunData[],
  options: CheckOptions = {},
) => {
  const out = check.evaluate({ experiment: "e", runs }, options);
  assertEquals(out.length, 1);
  return out[0];
};

// Δ/σ̄ of the default ladder at L̂ = 0 on the grid [0.5, 0.75, 1], computed
// independently (Python, statistics.stdev): 1.0859620454687933 at x = 0.5,
// 0.7202625095795141 at x = 0.75, median 0.9031122775241537.
const RATIO_AT_0 = 0.9031122775241537;

Deno.test("collapse: a perfect collapse passes; the detail gives the range, L̂, Δ, σ̄ and the ladder", () => {
  const o = one(collapseCheck, ladderRuns(), { l0: 0.5, gridPoints: 4 });
  assertEquals([o.run, o.statistic, o.expected, o.tolerance, o.verdict], [
    "*",
    "median delta/sigma",
    "<= 1.5",
    "x in [0.25, 0.95]; across the L0 interval",
    "pass",
  ]);
  assertOk(o.value! < 1e-12, `${o.value}`);
  assertMatch(
    o.detail,
    /^median Δ\/σ̄ = [\d.e-]+, need ≤ 1\.5; no matched control \(option control\): power not shown; over x ∈ \[0\.25, 0\.95\] \(2 grid points\), threshold 1\.5; L̂ = 0\.5 \(given\); L̂ = 0\.5: Δ\/σ̄ [\d.e-]+; at L̂: median Δ = [\d.e-]+, median σ̄ = 0\.1414, Δ\/σ̄\(0\.5\) = 0; ladder: 3 sizes × 2 seeds \(n_params = 10, 20, 40\), loss train_loss$/,
  );
});

Deno.test("collapse: the threshold is inclusive (median Δ/σ̄ ≤ threshold)", () => {
  const L = ladderRuns();
  const at = one(collapseCheck, L, { l0: 0, gridPoints: 4 });
  assertEquals(at.value, RATIO_AT_0);
  assertEquals(at.verdict, "pass");
  assertMatch(at.detail, /median Δ = 0\.08053, median σ̄ = 0\.08828, Δ\/σ̄\(0\.5\) = 1\.09;/);
  assertEquals(
    one(collapseCheck, L, { l0: 0, gridPoints: 4, threshold: RATIO_AT_0 }).verdict,
    "pass",
  );
  const out = one(collapseCheck, L, { l0: 0, gridPoints: 4, threshold: RATIO_AT_0 * (1 - 1e-12) });
  assertEquals([out.verdict, out.expected], ["fail", `<= ${0.9031}`]);
  // Δ/σ̄ at the grid points 0.3, 0.5, 0.7, 0.9 that exist
  const g10 = one(collapseCheck, L, { l0: 0, gridPoints: 10 });
  assertMatch(
    g10.detail,
    /Δ\/σ̄\(0\.5\) = 1\.09, Δ\/σ̄\(0\.7\) = [\d.]+, Δ\/σ̄\(0\.9\) = [\d.]+; ladder/,
  );
  assertMatch(g10.detail, /\(5 grid points\)/);
});

Deno.test("collapse: skip reasons — L̂ above a final loss, an empty range, too few seeds, bad options", () => {
  const L = ladderRuns();
  const skip = (runs: RunData[], o: CheckOptions) => {
    const r = one(collapseCheck, runs, o);
    assertEquals([r.verdict, r.value], ["skip", null], r.detail);
    return r.detail;
  };
  assertEquals(skip(L, { l0: 2, gridPoints: 4 }), "L̂ = 2 is not below every final loss (0.725)");
  // exactly at the smallest final loss is not below it
  assertEquals(
    skip(L, { l0: 0.725, gridPoints: 4 }),
    "L̂ = 0.725 is not below every final loss (0.725)",
  );
  assertEquals(
    skip(L, { l0: 0.5, gridPoints: 4, range: [0.1, 0.2] }),
    "no grid point in x ∈ [0.10, 0.20]",
  );
  assertEquals(
    skip(L.slice(1), { l0: 0.5 }),
    "runs: size n_params=10 has 1 seed (n10s1): the noise floor σ needs ≥ 2 seeds per size",
  );
  assertEquals(skip([], {}), "runs: no runs");
  assertEquals(
    skip(L, { l0: 0.5, gridPoints: 1 }),
    "option gridPoints: expected an integer ≥ 2, got 1",
  );
  assertEquals(
    skip(L, { l0: 0.5, gridPoints: 2.5 }),
    "option gridPoints: expected an integer ≥ 2, got 2.5",
  );
  assertMatch(
    skip(L, { l0: 0.5, subject: "both" }),
    /subject.*expected "ladder" or "control", got "both"/,
  );
  assertMatch(
    skip(L, { l0: 0.5, subject: "control" }),
    /"control" needs option control \(a runs\.csv selector\)/,
  );
  assertMatch(skip(L, { l0: 0.5, control: {} }), /expected a non-empty runs\.csv selector/);
  assertMatch(skip(L, { l0: 0.5, control: "arm" }), /expected a non-empty runs\.csv selector/);
});

/** The matched control: each size's curve has another shape, ℓ = x^-(1+j) for the j-th size. */
function controlRuns(sizes = [10, 20, 40], scales = [0.9, 1.1]): RunData[] {
  return sizes.flatMap((n, j) =>
    scales.map((s, w) =>
      run(`c${n}s${w}`, { n_params: `${n}`, seed: `${w}`, arm: "control", g: "1.25" }, {
        compute: [5, 10].map((k) => k * n),
        train_loss: [5, 10].map((k) => 0.5 + s * (10 / n) * (k / 10) ** -(1 + j)),
      })
    )
  );
}
const withInfo = (runs: RunData[], info: Record<string, string>) =>
  runs.map((r) => ({ ...r, info: { ...r.info, ...info } }));

Deno.test("collapse with a control: the ladder passes with power; subject control fails; a missing control skips", () => {
  const runs = [...withInfo(ladderRuns(), { arm: "ladder", g: "1" }), ...controlRuns()];
  const o = one(collapseCheck, runs, { l0: 0.5, gridPoints: 4, control: { arm: "control" } });
  assertEquals([o.verdict, o.tolerance], [
    "pass",
    "x in [0.25, 0.95]; control delta >= 2x; across the L0 interval",
  ]);
  assertMatch(
    o.detail,
    /; control median Δ 0\.5339 = \d+× the ladder's [\d.e-]+ at L̂ \(need ≥ 2× at every L̂ of the interval\);/,
  );
  assertMatch(o.detail, /L̂ = 0\.5: Δ\/σ̄ [\d.e-]+ vs control 3\.775, Δ ratio \d+×;/);
  assertMatch(
    o.detail,
    /; ladder: 3 sizes × 2 seeds \(n_params = 10, 20, 40\), loss train_loss; control: 3 sizes × 2 seeds/,
  );
  // a numeric selector matches numerically ("1.25" = 1.25); the control's verdict is its own
  const c = one(collapseCheck, runs, {
    l0: 0.5,
    gridPoints: 4,
    control: { g: 1.25 },
    subject: "control",
  });
  assertEquals([c.statistic, c.verdict], ["control median delta/sigma at ladder L0", "fail"]);
  assertClose(c.value!, 3.775, 1e-3);
  assertMatch(
    c.detail,
    /^control median Δ\/σ̄ = 3\.775 at the ladder's L̂; control median Δ 0\.5339/,
  );
  // below a high threshold the control passes
  const ok = one(collapseCheck, runs, {
    l0: 0.5,
    gridPoints: 4,
    control: { g: 1.25 },
    subject: "control",
    threshold: 4,
  });
  assertEquals(ok.verdict, "pass");
  const none = one(collapseCheck, runs, { l0: 0.5, gridPoints: 4, control: { g: 2 } });
  assertEquals([none.verdict, none.detail], [
    "skip",
    'no run matches control {"g":2} (of 12 runs)',
  ]);
  // a string selector matches the text; a key no run has matches nothing
  assertEquals(
    one(collapseCheck, runs, { l0: 0.5, gridPoints: 4, control: { g: "1.25" } }).verdict,
    "pass",
  );
  assertEquals(
    one(collapseCheck, runs, { l0: 0.5, gridPoints: 4, control: { g: "1.250" } }).verdict,
    "skip",
  );
  assertEquals(
    one(collapseCheck, runs, { l0: 0.5, gridPoints: 4, control: { h: 1 } }).verdict,
    "skip",
  );
  // an empty cell is not the number 0
  const blank = [...withInfo(ladderRuns(), { g: "" }), ...withInfo(controlRuns(), { g: "0" })];
  const b = one(collapseCheck, blank, { l0: 0.5, gridPoints: 4, control: { g: 0 } });
  assertEquals(b.verdict, "pass", b.detail);
  assertMatch(b.detail, /; control: 3 sizes × 2 seeds/);
  // a control with a seed missing
  const short = one(collapseCheck, runs.slice(0, -1), {
    l0: 0.5,
    gridPoints: 4,
    control: { arm: "control" },
  });
  assertEquals(
    short.detail,
    "control: size n_params=40 has 1 seed (c40s0): the noise floor σ needs ≥ 2 seeds per size",
  );
  const ladderShort = one(collapseCheck, runs.slice(1), {
    l0: 0.5,
    gridPoints: 4,
    control: { arm: "control" },
  });
  assertMatch(ladderShort.detail, /^ladder: size n_params=10 has 1 seed/);
});

Deno.test("collapse with a control: no power when the control is less than controlFactor × worse", () => {
  // the control is the ladder at L̂ = 0 vs itself: same Δ, ratio 1×
  const L = ladderRuns();
  const runs = [...withInfo(L, { arm: "ladder" }), ...withInfo(L, { arm: "control" })];
  const o = one(collapseCheck, runs, { l0: 0, gridPoints: 4, control: { arm: "control" } });
  assertEquals([o.verdict, o.value], ["skip", RATIO_AT_0]);
  assertMatch(
    o.detail,
    /^no power: control median Δ 0\.08053 = 1× the ladder's 0\.08053 at L̂ \(need ≥ 2×/,
  );
  // a factor of exactly 1 is met (≥)
  assertEquals(
    one(collapseCheck, runs, {
      l0: 0,
      gridPoints: 4,
      control: { arm: "control" },
      controlFactor: 1,
    }).verdict,
    "pass",
  );
  // subject control at a threshold it exceeds, without power: skip, not fail
  const c = one(collapseCheck, runs, {
    l0: 0,
    gridPoints: 4,
    control: { arm: "control" },
    subject: "control",
    threshold: 0.5,
  });
  assertEquals(c.verdict, "skip");
  assertMatch(
    c.detail,
    /^control exceeds the threshold but is not clearly worse than the ladder \(no power\)/,
  );
  // with power (factor 1) it fails
  assertEquals(
    one(collapseCheck, runs, {
      l0: 0,
      gridPoints: 4,
      control: { arm: "control" },
      subject: "control",
      threshold: 0.5,
      controlFactor: 1,
    }).verdict,
    "fail",
  );
  const frame = one(collapseCheck, runs, {
    l0: 0,
    gridPoints: 4,
    control: { arm: "control" },
    controlFactor: 3,
  });
  assertEquals(frame.tolerance, "x in [0.25, 0.95]; control delta >= 3x; across the L0 interval");
});

Deno.test("collapse: across the L0 interval — fitted L̂ with its bootstrap ends, and a verdict that depends on L̂", () => {
  const L = ladderRuns();
  const o = one(collapseCheck, L, { gridPoints: 4, resamples: 5 });
  assertEquals(o.verdict, "pass");
  assertMatch(
    o.detail,
    /L̂ = 0\.5 \(fitted L = a·c\^-b \+ L0; 90% bootstrap interval \[[\d.e-]+, 0\.59\] over 5 resamples of seeds\); L̂ = [\d.e-]+: Δ\/σ̄ 0\.9031; L̂ = 0\.5: Δ\/σ̄ [\d.e-]+; L̂ = 0\.59: Δ\/σ̄ 0\.5237;/,
  );
  // a threshold between the ratios at the interval's ends: the verdict depends on L̂
  const dep = one(collapseCheck, L, { gridPoints: 4, resamples: 5, threshold: 0.7 });
  assertEquals(dep.verdict, "skip");
  assertMatch(dep.detail, /^the verdict depends on L̂ within the L0 interval; no matched control/);
  // below every ratio of the interval: fail
  assertEquals(
    one(collapseCheck, L, { gridPoints: 4, resamples: 5, threshold: 1e-13 }).verdict,
    "fail",
  );
  // without resamples the interval is not computed and L̂ alone decides
  const n = one(collapseCheck, L, { gridPoints: 4, resamples: 0, threshold: 0.7 });
  assertEquals(n.verdict, "pass");
  assertMatch(n.detail, /90% bootstrap interval not computed\).*; L̂ = 0\.5: Δ\/σ̄ [\d.e-]+; at L̂/);
  assertMatch(
    one(collapseCheck, L, { gridPoints: 4, resamples: 0, level: 0.5 }).detail,
    /\(fitted L = a·c\^-b \+ L0; 50% bootstrap/,
  );
  // fewer than 3 sizes, or no compute: L̂ = 0
  assertMatch(
    one(collapseCheck, ladderRuns([10, 20]), { gridPoints: 4 }).detail,
    /; L̂ = 0 \(fewer than 3 sizes to fit L0\); L̂ = 0: /,
  );
});

Deno.test("supercollapse: Δ < σ̄ everywhere in [1 − delta, upper] passes; the worst point and the count above", () => {
  const L = ladderRuns();
  const o = one(supercollapseCheck, L, { l0: 0.5, gridPoints: 4 });
  assertEquals([o.statistic, o.expected, o.tolerance, o.verdict], [
    "max delta/sigma",
    "< 1",
    "x in [0.75, 0.95]; across the L0 interval",
    "pass",
  ]);
  assertMatch(
    o.detail,
    /^max Δ\/σ̄ = [\d.e-]+ at x = 0\.75 over x ∈ \[0\.75, 0\.95\] \(1 grid points\); Δ ≥ σ̄ at 0 of them; L̂ = 0\.5 \(given\); L̂ = 0\.5: max Δ\/σ̄ [\d.e-]+, Δ ≥ σ̄ at 0; 3 sizes × 2 seeds \(n_params = 10, 20, 40\), loss train_loss$/,
  );
  // at L̂ = 0, x = 0.5 has Δ/σ̄ = 1.0860 (Python, as RATIO_AT_0) and x = 0.75 0.7203
  const f = one(supercollapseCheck, L, { l0: 0, gridPoints: 4, delta: 0.5 });
  assertEquals([f.verdict, f.value, f.tolerance], [
    "fail",
    1.0859620454687933,
    "x in [0.50, 0.95]; across the L0 interval",
  ]);
  assertMatch(
    f.detail,
    /^max Δ\/σ̄ = 1\.086 at x = 0\.5 over x ∈ \[0\.50, 0\.95\] \(2 grid points\); Δ ≥ σ̄ at 1 of them;/,
  );
  // the worst point need not be the first of the window
  const w = one(supercollapseCheck, L, { l0: 0.7, gridPoints: 10, delta: 0.7 });
  assertEquals(w.verdict, "fail");
  assertMatch(
    w.detail,
    /^max Δ\/σ̄ = 3\.904 at x = 0\.5 over x ∈ \[0\.30, 0\.95\] \(5 grid points\); Δ ≥ σ̄ at 5 of them;/,
  );
  assertEquals(one(supercollapseCheck, L, { l0: 0.6, gridPoints: 4, delta: 0.5 }).verdict, "pass");
  assertEquals(
    one(supercollapseCheck, L, { l0: 0.5, gridPoints: 4, upper: 0.8 }).tolerance,
    "x in [0.75, 0.80]; across the L0 interval",
  );
});

Deno.test("supercollapse: across the L0 interval, skips, and the note on an lr that does not decay", () => {
  const L = ladderRuns();
  const dep = one(supercollapseCheck, L, { gridPoints: 4, delta: 0.5, resamples: 5 });
  assertEquals(dep.verdict, "skip");
  assertMatch(
    dep.detail,
    /^the verdict depends on L̂ within the L0 interval; max Δ\/σ̄ = [\d.e-]+ at x = 0\.5 .*; L̂ = [\d.e-]+: max Δ\/σ̄ 1\.086, Δ ≥ σ̄ at 1; L̂ = 0\.5: max Δ\/σ̄ [\d.e-]+, Δ ≥ σ̄ at 0; L̂ = 0\.59: max Δ\/σ̄ 0\.6283, Δ ≥ σ̄ at 0;/,
  );
  const skip = (runs: RunData[], o: CheckOptions) => {
    const r = one(supercollapseCheck, runs, o);
    assertEquals([r.verdict, r.value], ["skip", null]);
    return r.detail;
  };
  assertEquals(skip(L, { l0: 2, gridPoints: 4 }), "L̂ = 2 ≥ a final loss");
  assertEquals(skip(L, { l0: 0.725, gridPoints: 4 }), "L̂ = 0.725 ≥ a final loss");
  assertEquals(
    skip(L, { l0: 0.5, gridPoints: 4, delta: 0.1, upper: 0.8 }),
    "no grid point in x ∈ [0.90, 0.80]",
  );
  assertEquals(skip([], {}), "runs: no runs");
  // lr decaying to ≤ 5% of its peak: no note; above: a note
  const withLr = (last: number) =>
    ladderRuns().map((r) => {
      const t = r.metrics!;
      const cols = {
        step: t.column("compute"),
        compute: t.column("compute"),
        train_loss: t.column("train_loss"),
        lr: [1, last],
      };
      return run(r.id, r.info, cols);
    });
  assertOk(!/decay/.test(one(supercollapseCheck, withLr(0.05), { l0: 0.5, gridPoints: 4 }).detail));
  assertMatch(
    one(supercollapseCheck, withLr(0.06), { l0: 0.5, gridPoints: 4 }).detail,
    /loss train_loss; the lr column does not decay to ≤ 5% of its peak$/,
  );
});

Deno.test("excessSpread(): median over grid columns of sd/|mean| of (L − L_final)/(L_final − L̂)", () => {
  assertEquals(excessSpread([[2, 2], [4, 4]], [1, 2], [0, 1], [0, 1], 0), 0);
  // at L̂ = 0.5: excesses 2 and 4/3, sd/|mean| = (√2/3)/(5/3) = √2/5
  assertClose(excessSpread([[2, 2], [4, 4]], [1, 2], [0], [0, 1], 0.5), Math.SQRT2 / 5, 1e-12);
  // the median over columns: spreads √2/5, √2/5 and 1/√2 (excesses 2 and 2/3)
  const lossAt = [[2, 2, 2], [4, 4, 3], [3, 3, 6]];
  assertClose(excessSpread(lossAt, [1, 2, 1], [0, 1, 2], [0, 1], 0.5), 0.28284271247461906, 1e-12);
  // one run: no spread; a negative mean excess counts by its size
  assertEquals(excessSpread([[2], [4]], [1, 2], [0], [1], 0.5), 0);
  // excesses −0.5 and −0.75: sd 0.25/√2 over |mean| 0.625
  assertClose(excessSpread([[0.5], [1]], [1, 4], [0], [0, 1], 0), 0.25 / Math.SQRT2 / 0.625, 1e-12);
  // rows pick the runs: only runs 0 and 2
  assertClose(excessSpread([[2], [9], [3]], [1, 1, 1], [0], [0, 2], 0), Math.SQRT2 / 3, 1e-12);
});

Deno.test("scanL0(): 200 candidates over [0, cap), refined; cap is the smallest final of the runs used", () => {
  const l = ladderOf(ladderRuns([10, 20, 40], [1, 1]));
  const s = scanL0(l, [0.25, 0.95], 4);
  assertClose(s.l0, 0.5, 1e-6);
  assertEquals(s.cap, 0.75);
  assertEquals(s.candidates.length, 200);
  assertEquals(s.values.length, 200);
  assertEquals(s.candidates[0], 0);
  assertEquals(s.candidates[100], (0.75 * (1 - 1e-6) * 100) / 200);
  assertOk(s.objective <= Math.min(...s.values));
  assertOk(s.objective < 1e-9, `${s.objective}`);
  // n candidates; rows limit the runs (and the cap: size 10's finals are 1.5)
  const few = scanL0(l, [0.25, 0.95], 4, [0, 1], undefined, 10);
  assertEquals(few.candidates.length, 10);
  assertEquals(few.cap, 1.5);
  // two runs of one size have the same shape at every L̂: the objective is 0 from the start
  assertEquals(few.values[0], 0);
  // the bent ladder collapses at L̂ = 0.3 (see fit_l0 below)
  assertClose(scanL0(ladderOf(bentRuns()), [0.25, 0.95], 4).l0, 0.3, 1e-6);
});

/**
 * Finals on the law 0.5 + 10/n (L0 = 0.5) but shapes that collapse at L̂ = 0.3:
 * L(x) = L_f + (L_f − 0.3)·(1/x − 1), two identical seeds.
 */
function bentRuns(): RunData[] {
  return [10, 20, 40].flatMap((n) =>
    [0, 1].map((w) => {
      const lf = 0.5 + 10 / n;
      return run(`n${n}s${w}`, { n_params: `${n}`, seed: `${w}` }, {
        compute: [5, 10].map((k) => k * n),
        train_loss: [5, 10].map((k) => lf + (lf - 0.3) * (10 / k - 1)),
      });
    })
  );
}

Deno.test("fit_l0: passes when the scanned L̂ is the power-law L0, fails when the collapse is sharpest elsewhere", () => {
  const o = one(fitL0Check, ladderRuns([10, 20, 40], [1, 1]), { gridPoints: 4, resamples: 5 });
  assertEquals([o.statistic, o.tolerance, o.verdict], [
    "scanned L0 (sharpest collapse of the excess)",
    "95% bootstrap interval over seeds",
    "pass",
  ]);
  assertClose(o.value!, 0.5, 1e-6);
  // the ±1e-3 × cap resolution floor around a zero-width interval
  assertEquals(o.expected, "0.5; difference interval [-0.00075, 0.00075] must contain 0");
  assertMatch(
    o.detail,
    /^scanned L̂ = 0\.5 \(median sd\/\|mean\| of ℓ − 1 = [\d.e-]+ over x ∈ \[0\.25, 0\.95\]; 1 below its value at L̂ = 0; within 10% of the minimum over 0% of \[0, 0\.75\)\) vs power-law L0 = 0\.5 \(L = a·c\^-b \+ L0, b = 1\); difference [\d.e-]+, 95% bootstrap interval \[[\d.e-]+, [\d.e-]+\] over 5 resamples of seeds \(± 0\.00075 resolution\) contains 0; 3 sizes × 2 seeds/,
  );
  const f = one(fitL0Check, bentRuns(), { gridPoints: 4, resamples: 5 });
  assertEquals(f.verdict, "fail");
  assertClose(f.value!, 0.3, 1e-6);
  assertEquals(f.expected, "0.5; difference interval [-0.2008, -0.1992] must contain 0");
  assertMatch(
    f.detail,
    /difference -0\.2, 95% bootstrap interval \[-0\.2, -0\.2\] over 5 resamples .* excludes 0;/,
  );
  assertEquals(
    one(fitL0Check, bentRuns(), { gridPoints: 4, resamples: 2, level: 0.5 }).tolerance,
    "50% bootstrap interval over seeds",
  );
});

Deno.test("fit_l0: every skip — no ladder, one run, < 3 sizes, steps only, an empty range, a flat objective", () => {
  const skip = (runs: RunData[], o: CheckOptions = {}) => {
    const r = one(fitL0Check, runs, { gridPoints: 4, resamples: 0, ...o });
    assertEquals(r.verdict, "skip", r.detail);
    return r;
  };
  assertEquals(skip([]).detail, "no runs");
  assertEquals(skip(ladderRuns([10], [1])).detail, "fewer than 2 usable runs");
  assertEquals(
    skip(ladderRuns([10, 20], [1])).detail,
    "power-law fit of L0 needs ≥ 3 sizes, got 2",
  );
  const steps = ladderRuns([10, 20, 40], [1]).map((r) =>
    run(r.id, r.info, {
      step: r.metrics!.column("compute"),
      train_loss: r.metrics!.column("train_loss"),
    })
  );
  assertEquals(
    skip(steps).detail,
    "no compute column: the power law L = a·c^-b + L0 cannot be fitted against steps",
  );
  assertEquals(
    skip(ladderRuns(), { range: [0.1, 0.2] }).detail,
    "no grid point in x ∈ [0.10, 0.20]",
  );
  // every run the same curve: any L̂ collapses them
  const same = [10, 20, 40].flatMap((n) =>
    [0, 1].map((w) =>
      run(`n${n}s${w}`, { n_params: `${n}`, seed: `${w}` }, {
        compute: [5 * n, 10 * n],
        train_loss: [2, 1],
      })
    )
  );
  const flat = skip(same);
  assertMatch(
    flat.detail,
    /^L0 not identifiable on this ladder: the objective is flat \(within 10% of its minimum over [\d.]+% ≥ 50% of the scanned L̂\); scanned L̂ = /,
  );
  assertOk(flat.value !== null);
  // a wide tolerance makes any ladder flat; maxFlatFraction 1 is reached by a 100% flat scan
  assertMatch(
    skip(ladderRuns(), { flatTolerance: 1e12 }).detail,
    /within 100000000000000% of its minimum over 100% ≥ 50%/,
  );
  assertMatch(
    skip(ladderRuns(), { flatTolerance: 1e12, maxFlatFraction: 1 }).detail,
    /over 100% ≥ 100%/,
  );
  assertEquals(
    one(fitL0Check, ladderRuns([10, 20, 40], [1, 1]), {
      gridPoints: 4,
      resamples: 0,
      maxFlatFraction: 0.01,
    }).verdict,
    "pass",
  );
});

/**
 * A ladder for collapse_variance_scaling, measured at x = i/m (i = 1..m) with
 * step = compute = 10n·x and a learning rate η(x). Each size has the three
 * seeds w ∈ {−0.02, 0, 0.02} of a planted spread: L − 0.5 = (10/n)·(1/x)·(1 +
 * w·g(x)) with g = `shape` of the check's predictor P(x) = √(η̂(1 − τ̂)), τ
 * integrated from η over the steps as the check does. Since P(1) = 0, ℓ(x) =
 * (1/x)(1 + w·g) and Δ = sd(w)·g exactly at every measured x: on a grid of
 * the measured points the log-log slope of Δ on P is exactly the power in g.
 */
function cvsRuns(
  shape: (p: number, x: number) => number,
  lr: (x: number) => number,
  m = 20,
): RunData[] {
  const xs = Array.from({ length: m }, (_, i) => (i + 1) / m);
  const eta = xs.map(lr);
  const peak = Math.max(...eta);
  const tau = integrateLr(xs, eta);
  const P = xs.map((_, i) => Math.sqrt((eta[i] / peak) * (1 - tau[i] / tau[m - 1])));
  const ws = [-0.02, 0, 0.02];
  return [10, 20, 40].flatMap((n) =>
    ws.map((w, k) =>
      run(`n${n}s${k}`, { n_params: `${n}`, seed: `${k}` }, {
        step: xs.map((x) => x * 10 * n),
        compute: xs.map((x) => x * 10 * n),
        train_loss: xs.map((x, i) => 0.5 + (10 / n) * (1 / x) * (1 + w * shape(P[i], x))),
        lr: eta,
      })
    )
  );
}
const linearDecay = (x: number) => 1.05 - x;
const CVS = { l0: 0.5, gridPoints: 20, resamples: 10 };

Deno.test("collapse_variance_scaling: Δ ∝ P passes with slope 1; Δ ∝ P² fails with slope 2", () => {
  const o = one(collapseVarianceScalingCheck, cvsRuns((p) => p, linearDecay), CVS);
  assertEquals([o.statistic, o.expected, o.tolerance, o.verdict], [
    "log-log slope of delta on sqrt(eta*(1-tau))",
    "interval meets [0.80, 1.25]; the alternative shape's misses it",
    "90% bootstrap over seeds; after the LR peak, x <= 0.95",
    "pass",
  ]);
  assertClose(o.value!, 1, 1e-9, o.detail);
  // the LR peak is the first point (x = 0.05): 18 grid points from 0.1 to 0.95
  assertMatch(
    o.detail,
    /^log-log slope of Δ on √\(η̂\(1−τ̂\)\) = 1, 90% interval \[[\d.]+, [\d.]+\] \(meets the band \[0\.80, 1\.25\] around 1\); on √η̂: [\d.]+ \[[\d.]+, [\d.]+\] \(misses it\); 18 grid points after the LR peak x ∈ \[0\.1, 0\.95\]; Pearson r = [\d.]+; 10 resamples; L̂ = 0\.5 \(given\); 3 sizes × 3 seeds \(n_params = 10, 20, 40\), loss train_loss$/,
  );
  const sq = one(collapseVarianceScalingCheck, cvsRuns((p) => p * p, linearDecay), CVS);
  assertEquals(sq.verdict, "fail");
  assertClose(sq.value!, 2, 1e-9, sq.detail);
  assertMatch(sq.detail, /\(misses the band \[0\.80, 1\.25\] around 1\)/);
  // a band that holds 2 but also the alternative: fail; one that holds only 2: pass
  const alt = Number(/on √η̂: ([\d.]+)/.exec(sq.detail)![1]);
  assertOk(alt > 2.5, sq.detail);
  assertEquals(
    one(collapseVarianceScalingCheck, cvsRuns((p) => p * p, linearDecay), {
      ...CVS,
      band: [1.9, 2.1],
    }).verdict,
    "pass",
  );
  assertEquals(
    one(collapseVarianceScalingCheck, cvsRuns((p) => p * p, linearDecay), {
      ...CVS,
      band: [1.9, 100],
    }).verdict,
    "fail",
  );
});

Deno.test("collapse_variance_scaling: σ̄ instead of Δ, the other alternative shapes, the level and upper options", () => {
  const runs = cvsRuns((p) => p, linearDecay);
  const s = one(collapseVarianceScalingCheck, runs, { ...CVS, use: "sigma" });
  assertEquals(s.verdict, "pass");
  assertClose(s.value!, 1, 1e-9);
  assertMatch(s.detail, /^log-log slope of σ̄ on √\(η̂\(1−τ̂\)\) = 1,/);
  assertMatch(
    one(collapseVarianceScalingCheck, runs, { ...CVS, alternative: "tau" }).detail,
    /; on 1 − τ̂: [\d.]+ \[/,
  );
  assertMatch(
    one(collapseVarianceScalingCheck, runs, { ...CVS, alternative: "x" }).detail,
    /; on 1 − x: [\d.]+ \[/,
  );
  const lv = one(collapseVarianceScalingCheck, runs, { ...CVS, level: 0.5, upper: 0.5 });
  assertEquals(lv.tolerance, "50% bootstrap over seeds; after the LR peak, x <= 0.5");
  assertMatch(lv.detail, /50% interval .* 9 grid points after the LR peak x ∈ \[0\.1, 0\.5\]/);
  // a warm-up to a plateau: the peak is the plateau's last point (x = 0.4)
  const warm = (x: number) => Math.min(1, x / 0.2, (1.05 - x) / 0.65);
  assertMatch(
    one(collapseVarianceScalingCheck, cvsRuns((p) => p, warm), CVS).detail,
    /grid points after the LR peak x ∈ \[0\.45, 0\.95\]/,
  );
});

Deno.test("collapse_variance_scaling: every skip — no lr, too few points, no spread, bad options", () => {
  const runs = cvsRuns((p) => p, linearDecay);
  const skip = (r: RunData[], o: CheckOptions) => {
    const out = one(collapseVarianceScalingCheck, r, o);
    assertEquals([out.verdict, out.value], ["skip", null], out.detail);
    return out.detail;
  };
  assertEquals(
    skip(ladderRuns(), { l0: 0.5 }),
    "run n10s0: no lr column (needed for η(x) and τ(x))",
  );
  assertEquals(skip([], {}), "no runs");
  assertEquals(skip(runs.slice(0, 1), CVS), "fewer than 2 usable runs");
  // σ̄ needs two seeds per size (Δ does not)
  assertEquals(
    skip(runs.slice(2), { ...CVS, use: "sigma" }),
    "size n_params=10 has 1 seed (n10s2): the noise floor σ needs ≥ 2 seeds per size",
  );
  assertEquals(one(collapseVarianceScalingCheck, runs.slice(2), CVS).verdict, "pass");
  assertEquals(one(collapseVarianceScalingCheck, runs, { ...CVS, minPoints: 18 }).verdict, "pass");
  assertEquals(
    skip(runs, { ...CVS, minPoints: 19 }),
    "only 18 grid points after the LR peak (x > 0.05, η < η_peak, x ≤ 0.95); need ≥ 19",
  );
  assertEquals(
    skip(cvsRuns(() => 0, linearDecay), CVS),
    "Δ ≤ 1e-9 after the LR peak: the curves coincide to round-off, nothing to scale",
  );
  assertMatch(skip(runs, { ...CVS, floor: 1 }), /^Δ ≤ 1 after the LR peak/);
  assertMatch(skip(runs, { ...CVS, use: "both" }), /expected "delta" or "sigma", got "both"/);
  assertMatch(
    skip(runs, { ...CVS, alternative: "step" }),
    /expected "eta", "tau" or "x", got "step"/,
  );
});

// ------------------------------------------------------ compute_optimal_horizon.ts

/**
 * Constant-LR curves L = 0.3 + t^-½ + p^-½ for p = 1000·2^k, measured at
 * t = t*(p)·10^(−2 + 3.5 i/79) with t*(p) = p (μ = ν = ½). The family is
 * self-similar (p → 2p, c → 4c, L − 0.3 → L/√2 on the same relative grid),
 * so the frontier centres scale exactly as p^(1+ν/μ): γ = 1.
 */
function horizonRuns(k = 5, info: (p: number) => Record<string, string> = () => ({})): RunData[] {
  return Array.from({ length: k }, (_, j) => {
    const p = 1000 * 2 ** j;
    const step = Array.from({ length: 80 }, (_, i) => p * 10 ** (-2 + (3.5 * i) / 79));
    return run(`p=${p}`, { n_params: `${p}`, ...info(p) }, {
      step,
      compute: step.map((t) => 6 * t * p),
      train_loss: step.map((t) => 0.3 + t ** -0.5 + p ** -0.5),
    });
  });
}

// Analytically, sizes p/2 and p cross on the frontier at c = 3p² (L_{p/2}(c) =
// L_p(c) ⟺ √(6p/c)(√2 − 1) = ... ), so c*(p) = √(3p²·12p²) = 6p², t*(p) = p:
// κ = 6, κ_steps = 1; the linear interpolation between the 80 log-spaced
// points moves the crossings by 0.18%.
Deno.test("computeOptimalHorizon(): γ = ν/μ = 1 exactly, c* = 6p² and t* = p to the grid's 0.2%", () => {
  const h = computeOptimalHorizon(horizonRuns(), {});
  if ("reason" in h) throw new Error(h.reason);
  assertClose(h.gamma, 1, 1e-12);
  assertClose(h.r2, 1, 1e-12);
  assertClose(h.kappa, 6, 0.002);
  assertClose(h.kappaSteps, h.kappa / 6, 1e-12); // c = 6·p·t is linear: t* = c*/(6p)
  assertEquals(h.fitted, [2000, 4000, 8000]);
  assertEquals(h.notes, []);
  assertEquals(h.points.map((q) => q.size), [1000, 2000, 4000, 8000, 16000]);
  const [first, ...rest] = h.points;
  const last = rest.pop()!;
  assertEquals([first.interval[0], first.cStar, first.tStar], [null, null, null]);
  assertEquals([last.interval[1], last.cStar, last.tStar], [null, null, null]);
  assertClose(first.interval[1]!, 12 * 1000 ** 2, 0.002);
  assertClose(last.interval[0]!, 3 * 16000 ** 2, 0.002);
  for (const q of rest) {
    assertClose(q.interval[0]!, 3 * q.size ** 2, 0.002);
    assertClose(q.interval[1]!, 12 * q.size ** 2, 0.002);
    assertClose(q.cStar!, Math.sqrt(q.interval[0]! * q.interval[1]!), 1e-12);
    assertClose(q.cStar!, 6 * q.size ** 2, 0.002);
    assertClose(q.tStar!, q.cStar! / (6 * q.size), 1e-12);
  }
  // neighbours share their crossing
  assertEquals(h.points[1].interval[1], h.points[2].interval[0]);
});

Deno.test("computeOptimalHorizon(): non-constant schedules left out, compute from steps, too few sizes", () => {
  const sched = horizonRuns(
    6,
    (p) => ({ schedule: p === 32000 ? "cosine" : p === 1000 ? "" : "constant" }),
  );
  const h = computeOptimalHorizon(sched, {});
  if ("reason" in h) throw new Error(h.reason);
  assertEquals(h.notes, ["excluded p=32000 (schedule cosine)"]);
  assertEquals(h.fitted, [2000, 4000, 8000]);
  assertClose(h.gamma, 1, 1e-12);
  // without a compute column: c = 6·p·step, the same c*
  const steps = horizonRuns().map((r) =>
    run(r.id, r.info, {
      step: r.metrics!.column("step"),
      train_loss: r.metrics!.column("train_loss"),
    })
  );
  const s = computeOptimalHorizon(steps, {});
  if ("reason" in s) throw new Error(s.reason);
  assertEquals(s.notes, ["compute = 6·p·step (no compute column)"]);
  assertClose(s.gamma, 1, 1e-12);
  assertClose(s.kappa, h.kappa, 1e-9);
  assertEquals(computeOptimalHorizon(horizonRuns(3), {}), {
    reason: "needs ≥ 4 sizes (the smallest and largest are dropped), got 3",
  });
  assertEquals(computeOptimalHorizon([], {}), { reason: "no runs" });
  // 4 sizes leave 2 interior sizes: enough
  const four = computeOptimalHorizon(horizonRuns(4), {});
  if ("reason" in four) throw new Error(four.reason);
  assertEquals(four.fitted, [2000, 4000]);
  // a diverged run is excluded with the ladder's note
  const bad = horizonRuns(5);
  const t = bad[0].metrics!;
  const loss = t.column("train_loss").map((v, i) => (i === 3 ? NaN : v));
  bad.push(
    run("p=1000,b", { n_params: "1000" }, {
      step: t.column("step"),
      compute: t.column("compute"),
      train_loss: loss,
    }),
  );
  const d = computeOptimalHorizon(bad, {});
  if ("reason" in d) throw new Error(d.reason);
  assertEquals(d.notes, [
    "excluded p=1000,b (run diverged at step 12.9 (train_loss = nan))".replace(
      "12.9",
      String(t.column("step")[3]),
    ),
  ]);
});

Deno.test("compute_optimal_horizon: |γ − expected| ≤ tolerance·|expected|, else R² ≥ minR2", () => {
  const runs = horizonRuns();
  const o = one(computeOptimalHorizonCheck, runs, { expectedGamma: 1 });
  assertEquals([o.statistic, o.expected, o.tolerance, o.verdict], [
    "gamma in c*(p) = kappa p^(1+gamma)",
    "1",
    "0.01 relative",
    "pass",
  ]);
  assertClose(o.value!, 1, 1e-12);
  assertMatch(
    o.detail,
    /^gamma=1 kappa=6\.01\d* kappa_steps=1\.00\d*; expected 1: relative error [\d.e-]+ \(allowed 0\.01\); fitted sizes 2000: c\* = 2404\d+, 4000: c\* = 9617\d+, 8000: c\* = 3847\d+ \(R² = 1\)$/,
  );
  // γ = 1 against 1.01: relative error 0.01/1.01 < 0.01 passes; against 0.99, 0.01/0.99 > 0.01 fails
  assertEquals(one(computeOptimalHorizonCheck, runs, { expectedGamma: 1.01 }).verdict, "pass");
  assertEquals(one(computeOptimalHorizonCheck, runs, { expectedGamma: 0.99 }).verdict, "fail");
  // relative to |expected|: 0.5 off 0.5 is 100%, 2 off −1 is 200%
  assertEquals(
    one(computeOptimalHorizonCheck, runs, { expectedGamma: 0.5, tolerance: 1.01 }).verdict,
    "pass",
  );
  assertEquals(
    one(computeOptimalHorizonCheck, runs, { expectedGamma: 0.5, tolerance: 0.99 }).verdict,
    "fail",
  );
  assertEquals(
    one(computeOptimalHorizonCheck, runs, { expectedGamma: -1, tolerance: 2.01 }).verdict,
    "pass",
  );
  assertEquals(
    one(computeOptimalHorizonCheck, runs, { expectedGamma: -1, tolerance: 1.99 }).verdict,
    "fail",
  );
  assertEquals(
    one(computeOptimalHorizonCheck, runs, { expectedGamma: 2, tolerance: 0.2 }).tolerance,
    "0.2 relative",
  );
  const r = one(computeOptimalHorizonCheck, runs, {});
  assertEquals([r.expected, r.tolerance, r.verdict], ["R2 >= 0.95", "", "pass"]);
  assertMatch(r.detail, /; no expectedGamma: log-log R² = 1 \(need ≥ 0\.95\);/);
  assertEquals(one(computeOptimalHorizonCheck, runs, { minR2: 1 + 1e-9 }).verdict, "fail");
  assertEquals(one(computeOptimalHorizonCheck, runs, { minR2: 0.5 }).expected, "R2 >= 0.5");
  const sk = one(computeOptimalHorizonCheck, horizonRuns(3), {});
  assertEquals([sk.verdict, sk.value, sk.detail], [
    "skip",
    null,
    "needs ≥ 4 sizes (the smallest and largest are dropped), got 3",
  ]);
  const sched = horizonRuns(6, (p) => ({ schedule: p === 32000 ? "cosine" : "constant" }));
  assertMatch(
    one(computeOptimalHorizonCheck, sched, {}).detail,
    /\(R² = 1\); excluded p=32000 \(schedule cosine\)$/,
  );
});
