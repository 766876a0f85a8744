/**
 * Fast exact tests of core/checks/collapse.ts (the shared analysis of the
 * collapse family), written against the mutants StrykerJS makes (`deno task
 * mutation`): tiny synthetic ladders whose answers follow by hand — L = L0 +
 * s·A/c gives ℓ(x) = 1/x at L̂ = L0 for every run (Δ = 0) and σ = sd(s)/mean(s)
 * — plus every reason a ladder is refused. The checks are tested in
 * mutation_checks_collapse_checks_test.ts and mutation_checks_horizon_test.ts;
 * the slower statistical tests are in checks_collapse_test.ts.
 */
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
  quantile,
  seedShortage,
  sizeKeyOf,
} from "../core/checks/collapse.ts";
import type { RunData } from "../core/checks/types.ts";
import { ladderOf, ladderRuns, reasonOf, run } from "./collapse_fixtures.ts";
import { assertClose, assertEquals, assertOk, assertThrowsMsg } from "./assert.ts";

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

Deno.test("l0Interval(): the fit and its bootstrap interval over seeds, containing the fit", () => {
  const same = ladderOf(ladderRuns([10, 20, 40], [1, 1]));
  const iv = l0Interval(same, 4, 0.9);
  assertClose(iv.l0, 0.5, 1e-6);
  assertEquals([iv.samples.length, iv.resamples, iv.level], [4, 4, 0.9]);
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
  const n = l0Interval(noisy, 12, 0.8);
  assertClose(n.l0, 0.5, 1e-6);
  assertOk(n.sd > 0, `${n.sd}`);
  assertOk(n.lo <= n.l0 && n.l0 <= n.hi, `${n.lo} ${n.l0} ${n.hi}`);
  const a = (1 - 0.8) / 2;
  assertEquals(n.lo, Math.min(n.l0, quantile(n.samples, a)));
  assertEquals(n.hi, Math.max(n.l0, quantile(n.samples, 1 - a)));
  assertOk(n.lo < n.l0 && n.l0 < n.hi, `${n.lo} ${n.l0} ${n.hi}`);
  // the bootstrap sd has ddof 1
  const m = n.samples.reduce((x, y) => x + y) / 12;
  assertClose(n.sd, Math.sqrt(n.samples.reduce((t, v) => t + (v - m) ** 2, 0) / 11), 1e-12);
  const none = l0Interval(same, 0);
  // no resamples: the interval is the point estimate (the checks then use L̂ alone)
  assertEquals([none.samples, none.sd, none.level, none.lo, none.hi], [
    [],
    0,
    0.9,
    none.l0,
    none.l0,
  ]);
  assertClose(none.l0, 0.5, 1e-6);
  // a resample count that is not a whole number ≥ 0, or a coverage outside (0, 1], is an error
  assertThrowsMsg(() => l0Interval(same, 2.5), /resamples must be a whole number ≥ 0, got 2\.5/);
  assertThrowsMsg(() => l0Interval(same, -1), /resamples must be a whole number ≥ 0, got -1/);
  assertThrowsMsg(() => l0Interval(same, 4, 1.5), /level must be in \(0, 1\], got 1\.5/);
  assertThrowsMsg(() => l0Interval(same, 4, 0), /level must be in \(0, 1\], got 0/);
  assertEquals(l0Interval(same, 4, 1).level, 1);
});

Deno.test("prepareLadder(): the first usable run names the loss and x columns; a partly measured test_loss counts", () => {
  const info = { n_params: "8" };
  const partly = ladderOf([
    run("a", info, { compute: [1, 2, 3], train_loss: [3, 2, 1], test_loss: [4, null, 3] }),
  ]);
  assertEquals([partly.lossColumn, partly.runs[0].loss], ["test_loss", [4, 3]]);
  const mixed = ladderOf([
    run("a", info, { compute: [1, 2], train_loss: [3, 2], test_loss: [4, 3] }),
    run("b", info, { step: [1, 2], train_loss: [3, 2] }),
  ]);
  assertEquals([mixed.lossColumn, mixed.xColumn, mixed.notes], ["test_loss", "compute", []]);
  assertEquals(mixed.runs.map((r) => r.loss), [[4, 3], [3, 2]]);
});

Deno.test("prepareLadder(): rows without x are not measured rows; lr rows without a value are left out of τ", () => {
  const info = { n_params: "8" };
  // compute is missing at step 2: the measured rows are steps 1 and 3
  const gap = ladderOf([
    run("a", info, { step: [1, 2, 3], compute: [10, null, 30], train_loss: [2, 1.5, 1] }),
  ]);
  assertEquals([gap.runs[0].c, gap.runs[0].step], [[10, 30], [1, 3]]);
  // lr is missing at step 2 (not a measured row): τ = 1·1 + 1·(3 − 1)
  const lrGap = ladderOf([run("a", info, {
    step: [1, 2, 3],
    compute: [10, 20, 30],
    train_loss: [2, null, 1],
    lr: [1, null, 1],
  })]);
  assertEquals([lrGap.runs[0].lr, lrGap.runs[0].tau], [[1, 1], [1, 3]]);
});

Deno.test("collapseDeviation() of an all-zero column is 0; Δ/0 is +∞ whatever the sign; two runs give a Δ", () => {
  assertEquals(collapseDeviation([[0, 1], [0, 3]]), [0, Math.SQRT2 / 2]);
  assertEquals(collapseRatio(-0.1, 0), Infinity);
  // one size with two seeds: Δ is the spread of the two normalised curves
  const two = collapseCurves(ladderOf(ladderRuns([10], [0.9, 1.1])), 0, 2);
  assertOk(two.delta.every((d) => Number.isFinite(d)), `${two.delta}`);
  assertOk(two.delta[0] > 0);
});
