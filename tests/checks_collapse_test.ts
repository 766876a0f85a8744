import { Table } from "../core/results/table.ts";
import type { RunData } from "../core/checks/types.ts";
import {
  analyseCollapse,
  type CollapseAnalysis,
  collapseRatio,
  fitPowerLawL0,
  gridRange,
  prepareLadder,
} from "../core/checks/collapse.ts";
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
import { median } from "../core/checks/stats.ts";
import { assertClose, assertEquals, assertMatch, assertOk } from "./assert.ts";

// Analytic powerlaw-curve ladder (SPEC §6.2): L(t, p) = L0 + t^-μ + p^-ν,
// c = 6tp; the compute-optimal horizon is t*(p) = (r p^-ν)^(-1/μ), r = ν/μ,
// and then ℓ(x) = (r x^-μ + 1)/(r + 1) exactly.
const L0 = 0.5, MU = 0.5, NU = 0.5, R = NU / MU;
const SIZES = [100, 200, 400, 800, 1600];
const tStar = (p: number) => Math.pow(R * Math.pow(p, -NU), -1 / MU);
const ellExact = (x: number) => (R * Math.pow(x, -MU) + 1) / (R + 1);

interface LadderOptions {
  /** Horizon exponent relative to the optimal γ* = ν/μ (1 = optimal). */
  gammaFactor?: number;
  /** Per-seed multiplicative scale on L − L0 (the planted seed noise). */
  scales?: number[];
  /** Amplitude of a per-(size, seed) time-varying wiggle on L − L0. */
  wiggle?: number;
  /** Shape of the wiggle over x (default a sine). */
  wiggleShape?: (x: number, phase: number) => number;
  /** Learning-rate profile over x (adds lr and tau columns). */
  lr?: (x: number) => number;
  /** Override of the reducible loss per size (default the power law). */
  reducible?: (t: number, p: number) => number;
  sizes?: number[];
}

function ladder(o: LadderOptions = {}): RunData[] {
  const runs: RunData[] = [];
  const scales = o.scales ?? [0.99, 1, 1.01];
  const sizes = o.sizes ?? SIZES;
  const pMid = sizes[Math.floor(sizes.length / 2)];
  const gamma = (o.gammaFactor ?? 1) * (NU / MU);
  const shape = o.wiggleShape ??
    ((x: number, ph: number) => Math.sin(2 * Math.PI * 3 * x + ph));
  sizes.forEach((p, k) => {
    const T = tStar(pMid) * Math.pow(p / pMid, gamma);
    scales.forEach((s, w) => {
      const cols: Record<string, number[]> = {
        step: [],
        compute: [],
        train_loss: [],
      };
      if (o.lr) Object.assign(cols, { lr: [], tau: [] });
      let tau = 0;
      for (let i = 1; i <= 200; i++) {
        const t = (T * i) / 200, x = i / 200;
        const red = o.reducible ? o.reducible(t, p) : Math.pow(t, -MU) + Math.pow(p, -NU);
        const wig = 1 + (o.wiggle ?? 0) * shape(x, 1.7 * w + 0.9 * k);
        cols.step.push(t);
        cols.compute.push(6 * t * p);
        cols.train_loss.push(L0 + s * red * wig);
        if (o.lr) {
          tau += o.lr(x) * (T / 200);
          cols.lr.push(o.lr(x));
          cols.tau.push(tau);
        }
      }
      const names = Object.keys(cols);
      runs.push({
        id: `ladder/p=${p},seed=${w}${o.gammaFactor ? `,g=${o.gammaFactor}` : ""}`,
        status: "ok",
        info: {
          n_params: String(p),
          seed: String(w),
          schedule: o.lr ? "linear" : "constant",
          gamma: String(o.gammaFactor ?? 1),
        },
        metrics: new Table(`p${p}s${w}.csv`, names, cols, 200),
      });
    });
  });
  return runs;
}

function analysis(runs: RunData[], options = {}): CollapseAnalysis {
  const a = analyseCollapse(runs, options);
  if ("reason" in a) throw new Error(a.reason);
  return a;
}

const one = (check: typeof collapseCheck, runs: RunData[], options = {}) => {
  const out = check.evaluate({ experiment: "ladder", runs }, options);
  assertEquals(out.length, 1);
  return out[0];
};

Deno.test("collapse: identical normalised shapes give Δ = 0 and the check passes", () => {
  const runs = ladder();
  const a = analysis(runs, { l0: L0 });
  for (const d of a.curves.delta) assertOk(d < 1e-12, `Δ = ${d}`);
  const o = one(collapseCheck, runs, { l0: L0 });
  assertEquals(o.verdict, "pass", o.detail);
  assertOk(o.value! < 1e-9);
  assertEquals(o.run, "*");
});

Deno.test("collapse: planted seed scales give the noise floor σ = sd/mean of the scales", () => {
  const a = analysis(ladder({ scales: [0.97, 1, 1.03] }), { l0: L0 });
  for (const s of a.curves.sigmaBySize) {
    for (const v of s.sigma) assertClose(v, 0.03, 1e-9);
  }
  for (const v of a.curves.sigma) assertClose(v, 0.03, 1e-9);
});

Deno.test("collapse: Δ(1) = 0 by construction, even with noisy curves", () => {
  const a = analysis(ladder({ wiggle: 0.05, gammaFactor: 1.3 }));
  const last = a.curves.grid.length - 1;
  assertEquals(a.curves.grid[last], 1);
  assertEquals(a.curves.delta[last], 0);
  for (const e of a.curves.ell) assertEquals(e[last], 1);
  assertOk(a.curves.delta[last - 10] > 0);
});

Deno.test("collapse: at the optimal γ, ℓ(x) matches (r x^-μ + 1)/(r + 1) to 1e-9", () => {
  const a = analysis(ladder({ scales: [0.999, 1.001] }));
  assertEquals(a.l0.source, "fitted");
  assertClose(a.l0.l0, L0, 1e-6);
  a.curves.ell.forEach((e) =>
    e.forEach((v, k) => {
      const x = a.curves.grid[k];
      assertOk(
        Math.abs(v - ellExact(x)) < 1e-9,
        `ℓ(${x}) = ${v}, expected ${ellExact(x)}`,
      );
    })
  );
  assertEquals(
    one(collapseCheck, ladder({ scales: [0.999, 1.001] })).verdict,
    "pass",
  );
});

Deno.test("collapse: the power-law fit recovers a planted L0 to 1%", () => {
  const c = [1e6, 4e6, 1.6e7, 6.4e7, 2.56e8];
  const fit = fitPowerLawL0(c, c.map((v) => 30 * Math.pow(v, -0.3) + 0.8));
  assertClose(fit.l0, 0.8, 0.01);
  assertClose(fit.b, 0.3, 0.01);
  // and through the ladder: seed-averaged finals at t*(p)
  const a = analysis(ladder({ scales: [0.98, 1.02] }));
  assertClose(a.l0.l0, L0, 0.01);
});

Deno.test("collapse: an off-optimal horizon (1.2·γ*) is ≥ 2× worse and fails", () => {
  const noise = { scales: [0.999, 1, 1.001], wiggle: 0.0005 };
  const good = analysis(ladder(noise));
  const bad = analysis(ladder({ ...noise, gammaFactor: 1.2 }));
  const idx = gridRange(good.curves.grid, [0.25, 0.95]);
  const medGood = median(idx.map((i) => good.curves.delta[i]));
  const medBad = median(idx.map((i) => bad.curves.delta[i]));
  assertOk(medGood > 0, "the good ladder has some seed noise");
  assertOk(medBad >= 2 * medGood, `Δ bad ${medBad} vs good ${medGood}`);
  const og = one(collapseCheck, ladder(noise));
  const ob = one(collapseCheck, ladder({ ...noise, gammaFactor: 1.2 }));
  assertEquals(og.verdict, "pass", og.detail);
  assertEquals(ob.verdict, "fail", ob.detail);
  assertMatch(og.detail, /no matched control \(option control\): power not shown/);
  assertMatch(ob.detail, /over x ∈ \[0\.25, 0\.95\] \(71 grid points\), threshold 1\.5/);
});

Deno.test("collapse with a matched control: paired at the ladder's L̂, gated only with power", () => {
  const noise = { scales: [0.999, 1, 1.001], wiggle: 0.0005 };
  const runs = [...ladder(noise), ...ladder({ ...noise, gammaFactor: 1.2 })];
  const control = { gamma: 1.2 };
  const o = one(collapseCheck, runs, { control });
  assertEquals(o.verdict, "pass", o.detail);
  const ratio = Number(/Δ ratio ([\d.]+)×/.exec(o.detail)![1]);
  assertOk(ratio >= 2, o.detail);
  assertMatch(o.detail, /need ≥ 2× at every L̂ of the interval/);
  // the same runs, the verdict about the control: fails for the theory's reason
  const c = one(collapseCheck, runs, { control, subject: "control" });
  assertEquals(c.verdict, "fail", c.detail);
  assertOk(c.value! > 1.5);
  // a "control" that is just the good ladder again has no power: skip, not pass
  const twin = [
    ...ladder(noise),
    ...ladder({ ...noise, scales: [0.998, 1.002, 1.0005] }).map((r) => ({
      ...r,
      id: r.id + ",twin",
      info: { ...r.info, gamma: "twin" },
    })),
  ];
  const t = one(collapseCheck, twin, { control: { gamma: "twin" } });
  assertEquals(t.verdict, "skip", t.detail);
  assertMatch(t.detail, /^no power: control median Δ/);
  // a factor the control cannot reach also removes the power
  const hi = one(collapseCheck, runs, { control, controlFactor: 1.2 * ratio + 1 });
  assertEquals(hi.verdict, "skip", hi.detail);
  assertEquals(
    one(collapseCheck, runs, { control: { gamma: 7 } }).detail,
    'no run matches control {"gamma":7} (of 30 runs)',
  );
});

Deno.test("collapse: the verdict is evaluated across the L0 fit's bootstrap interval", () => {
  const runs = ladder({ scales: [0.97, 1, 1.03], wiggle: 0.002 });
  const o = one(collapseCheck, runs);
  const m = /90% bootstrap interval \[([\d.e-]+), ([\d.e-]+)\] over 200 resamples/.exec(o.detail);
  assertOk(m !== null, o.detail);
  const [lo, hi] = [Number(m![1]), Number(m![2])];
  assertOk(lo < L0 && L0 < hi, `interval [${lo}, ${hi}] contains the true L0`);
  assertOk(hi - lo < 0.05, `interval [${lo}, ${hi}]`);
  // three L̂ values reported
  assertEquals(o.detail.match(/L̂ = [\d.e-]+: Δ\/σ̄/g)!.length, 3);
  // a threshold between the values at the ends of the interval: the verdict depends on L̂
  const vals = [...o.detail.matchAll(/L̂ = [\d.e-]+: Δ\/σ̄ ([\d.e-]+)/g)].map((x) => Number(x[1]));
  const between = (Math.min(...vals) + Math.max(...vals)) / 2;
  const d = one(collapseCheck, runs, { threshold: between });
  assertEquals(d.verdict, "skip", d.detail);
  assertMatch(d.detail, /^the verdict depends on L̂ within the L0 interval/);
  // determinism
  assertEquals(one(collapseCheck, runs).detail, o.detail);
});

Deno.test("collapse: skips with a precise reason when a size has one seed", () => {
  const runs = ladder().filter((r) => !(r.info.n_params === "400" && r.info.seed !== "0"));
  const o = one(collapseCheck, runs);
  assertEquals(o.verdict, "skip");
  assertMatch(
    o.detail,
    /size n_params=400 has 1 seed \(ladder\/p=400,seed=0\)/,
  );
  const single = one(collapseCheck, ladder({ sizes: [100] }));
  assertEquals(single.verdict, "skip");
  assertMatch(single.detail, /needs ≥ 2 sizes/);
});

Deno.test("collapse: uses a runs.csv sweep key as the size when told (params option)", () => {
  const runs = ladder().map((r) => ({
    ...r,
    info: {
      "model.width": String(Math.sqrt(Number(r.info.n_params))),
      seed: r.info.seed,
    },
  }));
  assertEquals(one(collapseCheck, runs).verdict, "skip");
  const o = one(collapseCheck, runs, { params: "model.width", l0: L0 });
  assertEquals(o.verdict, "pass", o.detail);
  assertMatch(o.detail, /model\.width = 10, 14\.14/);
});

Deno.test("collapseRatio() treats 0/0 as a perfect collapse and Δ/0 as infinite", () => {
  assertEquals(collapseRatio(0, 0), 0);
  assertEquals(collapseRatio(1e-3, 0), Infinity);
  assertEquals(collapseRatio(0.1, 0.2), 0.5);
});

// ------------------------------------------------------------ supercollapse

Deno.test("supercollapse passes when Δ < σ̄ near the end and fails when Δ > σ̄", () => {
  const decay = (x: number) => 0.1 * (1 - x);
  const good = ladder({ scales: [0.99, 1, 1.01], wiggle: 0.001, lr: decay });
  const o = one(supercollapseCheck, good);
  assertEquals(o.verdict, "pass", o.detail);
  assertOk(o.value! < 1);
  const bad = ladder({
    scales: [0.999, 1, 1.001],
    wiggle: 0.0005,
    gammaFactor: 1.2,
    lr: decay,
  });
  const ob = one(supercollapseCheck, bad);
  assertEquals(ob.verdict, "fail", ob.detail);
  assertOk(ob.value! >= 1);
  assertMatch(
    ob.detail,
    /over x ∈ \[0\.75, 0\.95\] \(21 grid points\); Δ ≥ σ̄ at \d+ of them/,
  );
});

// ------------------------------------------------------------------- fit_l0

Deno.test("fit_l0 recovers the true L0 = 0.5 at two noise levels (wiggle 0.001 and 0.005)", () => {
  for (const wiggle of [0.001, 0.005]) {
    const o = one(fitL0Check, ladder({ scales: [0.99, 1, 1.01], wiggle }));
    assertEquals(o.verdict, "pass", o.detail);
    assertClose(o.value!, L0, 0.01, `wiggle ${wiggle}: ${o.detail}`);
    assertMatch(
      o.detail,
      /95% bootstrap interval \[[-\d.e]+, [-\d.e]+\] over 200 resamples of seeds/,
    );
  }
});

Deno.test("fit_l0: the objective is scale-free — L̂ → 0 is not favoured (raw spread of ℓ is)", () => {
  const runs = ladder({ scales: [0.99, 1, 1.01], wiggle: 0.005 });
  const l = prepareLadder(runs, {});
  if ("reason" in l) throw new Error(l.reason);
  const s = scanL0(l, [0.25, 0.95]);
  assertClose(s.l0, L0, 0.01);
  assertOk(s.values[0] > 5 * s.objective, `objective at 0 ${s.values[0]} vs min ${s.objective}`);
  // excessSpread is invariant to a common factor on the excess: scaling every
  // L − L_final and L_final − L̂ by 3 leaves it unchanged
  const lossAt = [[3, 2], [5, 3]], finals = [1, 2];
  const v = excessSpread(lossAt, finals, [0, 1], [0, 1], 0.5);
  const f3 = finals.map((f) => 0.5 + 3 * (f - 0.5));
  const scaled = excessSpread(
    lossAt.map((r, i) => r.map((x) => f3[i] + 3 * (x - finals[i]))),
    f3,
    [0, 1],
    [0, 1],
    0.5,
  );
  assertClose(scaled, v, 1e-12);
});

Deno.test("fit_l0 skips with 'L0 not identifiable' when the objective is flat", () => {
  // every size follows the same curve in x = t/t*: no L̂ collapses better than another
  const flat = ladder({
    scales: [0.99, 1, 1.01],
    wiggle: 0.005,
    reducible: (t, p) => Math.pow(t / tStar(p), -0.5),
  });
  const o = one(fitL0Check, flat);
  assertEquals(o.verdict, "skip", o.detail);
  assertMatch(o.detail, /^L0 not identifiable on this ladder: the objective is flat/);
  // at the edge: maxFlatFraction just above the measured share identifies it again
  const share = Number(/over ([\d.]+)% ≥ 50%/.exec(o.detail)![1]) / 100;
  const edge = one(fitL0Check, flat, { maxFlatFraction: Math.min(1, share + 0.01) });
  assertOk(edge.verdict !== "skip", edge.detail);
});

Deno.test("fit_l0 fails when the collapse is sharpest away from the fitted L0", () => {
  // Curves collapse exactly at L̂ = 0.5, but the finals follow a power law with L0' = 0.9.
  const g = (t: number, p: number) => {
    const T = tStar(p), x = t / T;
    const final = 0.9 + 40 * Math.pow(6 * T * p, -0.35); // finals' own law
    return (final - L0) * ellExact(x);
  };
  const runs = ladder({ scales: [0.99, 1, 1.01], reducible: g });
  const o = one(fitL0Check, runs);
  assertEquals(o.verdict, "fail", o.detail);
  assertClose(o.value!, L0, 1e-3);
  assertMatch(o.detail, /power-law L0 = 0\.9/);
});

// ------------------------------------------------ collapse_variance_scaling

Deno.test("collapse_variance_scaling: Δ ∝ √(η(1−τ̂)) passes; (1−x)³ and a late bump are rejected", () => {
  const decay = (x: number) => 0.1 * (1 - x);
  // predictor for linear decay: √((1−x)(1−τ̂)), τ̂ = 2x − x² → (1−x)^1.5
  const pred = (x: number) => Math.pow(1 - x, 1.5);
  const shaped = (f: (x: number) => number, wiggle = 0.02) =>
    ladder({
      scales: [1, 1, 1],
      wiggle,
      lr: decay,
      wiggleShape: (x, ph) => Math.sin(ph * 3.1) * f(x),
    });
  const o = one(collapseVarianceScalingCheck, shaped(pred), { l0: L0 });
  assertEquals(o.verdict, "pass", o.detail);
  assertClose(o.value!, 1, 0.05, o.detail);
  assertMatch(o.detail, /on √η̂: [\d.]+ \[[\d.]+, [\d.]+\] \(misses it\)/);
  // a steeper decreasing shape, (1 − x)³ = pred², correlates just as well
  // (r > 0.95) but its slope on the predictor is 2: rejected
  const cube = one(collapseVarianceScalingCheck, shaped((x) => Math.pow(1 - x, 3)), { l0: L0 });
  assertEquals(cube.verdict, "fail", cube.detail);
  assertClose(cube.value!, 2, 0.05, cube.detail);
  assertOk(Number(/Pearson r = ([\d.]+)/.exec(cube.detail)![1]) > 0.9, cube.detail);
  // spread that peaks at x = 2/3 instead of shrinking with the learning rate
  const grows = one(
    collapseVarianceScalingCheck,
    shaped((x) => x * x * (1 - x), 0.05),
    { l0: L0 },
  );
  assertEquals(grows.verdict, "fail", grows.detail);
  const exact = one(collapseVarianceScalingCheck, ladder({ lr: decay }), { l0: L0 });
  assertEquals(exact.verdict, "skip");
  assertMatch(exact.detail, /coincide to round-off/);
  const nolr = one(collapseVarianceScalingCheck, ladder(), { l0: L0 });
  assertEquals(nolr.verdict, "skip");
  assertMatch(nolr.detail, /no lr column/);
});

Deno.test("collapse_variance_scaling uses post-peak points only (warm-up is left out)", () => {
  // 20% linear warm-up, then linear decay to 0; η̂(1 − τ̂) after the peak
  const w = 0.2;
  const lr = (x: number) => (x < w ? x / w : (1 - x) / (1 - w));
  // τ(x) = ∫₀ˣ η̂, τ(1) = 1/2
  const tauHat = (x: number) =>
    2 * (x < w ? (x * x) / (2 * w) : w / 2 + ((1 - w) ** 2 - (1 - x) ** 2) / (2 * (1 - w)));
  const pred = (x: number) => Math.sqrt(lr(x) * (1 - tauHat(x)));
  // during warm-up the spread is large and growing with η: not the claim
  const shape = (x: number) => (x < w ? 2 * (x / w) : pred(x));
  const runs = ladder({
    scales: [1, 1, 1],
    wiggle: 0.02,
    lr,
    wiggleShape: (x, ph) => Math.sin(ph * 3.1) * shape(x),
  });
  const o = one(collapseVarianceScalingCheck, runs, { l0: L0 });
  assertEquals(o.verdict, "pass", o.detail);
  assertMatch(o.detail, /after the LR peak x ∈ \[0\.21, 0\.95\]/);
});

// -------------------------------------------------- compute_optimal_horizon

/** Constant-LR analytic curves, run to 30·t*(p), log-spaced measurements. */
function horizonRuns(
  mu: number,
  nu: number,
  A: number,
  B: number,
  n: number,
): RunData[] {
  const runs: RunData[] = [];
  for (let k = 0; k < n; k++) {
    const p = 1000 * Math.pow(2, k);
    const ts = Math.pow(((mu * A) / (nu * B)) * Math.pow(p, nu), 1 / mu);
    const cols: Record<string, number[]> = {
      step: [],
      compute: [],
      train_loss: [],
    };
    for (let i = 0; i < 300; i++) {
      const t = Math.pow(30 * ts, i / 299);
      cols.step.push(t);
      cols.compute.push(6 * t * p);
      cols.train_loss.push(0.3 + A * Math.pow(t, -mu) + B * Math.pow(p, -nu));
    }
    runs.push({
      id: `h/p=${p}`,
      status: "ok",
      info: { n_params: String(p), seed: "1", schedule: "constant" },
      metrics: new Table(`h${p}.csv`, Object.keys(cols), cols, 300),
    });
  }
  return runs;
}

Deno.test("compute_optimal_horizon recovers γ = ν/μ to 1% on analytic curves", () => {
  for (
    const [mu, nu, A, B] of [[0.6, 0.4, 1, 1], [0.5, 0.5, 2, 3], [
      0.3,
      0.45,
      1,
      1,
    ]]
  ) {
    const runs = horizonRuns(mu, nu, A, B, 7);
    const h = computeOptimalHorizon(runs, {});
    if ("reason" in h) throw new Error(h.reason);
    assertClose(h.gamma, nu / mu, 0.01, `μ=${mu}, ν=${nu}`);
    assertEquals(h.fitted.length, 5, "smallest and largest sizes dropped");
    const o = one(computeOptimalHorizonCheck, runs, { expectedGamma: nu / mu });
    assertEquals(o.verdict, "pass", o.detail);
    assertMatch(o.detail, /^gamma=[\d.]+ kappa=[\d.e+]+ kappa_steps=[\d.]+;/);
  }
});

Deno.test("compute_optimal_horizon: curves with another ν/μ fail against the expected γ", () => {
  // the negative control changes the curves, not the expectation
  const good = one(computeOptimalHorizonCheck, horizonRuns(0.5, 0.52, 5, 5, 7), {
    expectedGamma: 1.04,
  });
  assertEquals(good.verdict, "pass", good.detail);
  for (const [nu, gamma] of [[0.624, 1.248], [0.53, 1.06]]) {
    const o = one(computeOptimalHorizonCheck, horizonRuns(0.5, nu, 5, 5, 7), {
      expectedGamma: 1.04,
    });
    assertEquals(o.verdict, "fail", o.detail);
    assertClose(o.value!, gamma, 0.005, o.detail);
  }
  // ν/μ = 1.045 (0.5% off) is inside the 1% tolerance: the edge
  const near = one(computeOptimalHorizonCheck, horizonRuns(0.5, 0.5225, 5, 5, 7), {
    expectedGamma: 1.04,
  });
  assertEquals(near.verdict, "pass", near.detail);
});

Deno.test("compute_optimal_horizon fails against a wrong expected γ and skips short ladders", () => {
  const runs = horizonRuns(0.6, 0.4, 1, 1, 7);
  const o = one(computeOptimalHorizonCheck, runs, { expectedGamma: 0.8 });
  assertEquals(o.verdict, "fail");
  assertClose(o.value!, 2 / 3, 0.01);
  const few = one(computeOptimalHorizonCheck, runs.slice(0, 3));
  assertEquals(few.verdict, "skip");
  assertMatch(few.detail, /needs ≥ 4 sizes/);
  // runs with a decaying schedule are not constant-LR runs
  const sched = runs.map((r) => ({
    ...r,
    info: { ...r.info, schedule: "cosine" },
  }));
  assertEquals(one(computeOptimalHorizonCheck, sched).verdict, "skip");
});

Deno.test("collapse leaves out skipped and diverged runs and says so", () => {
  const runs = ladder({ scales: [0.99, 1, 1.01] });
  runs.push({
    id: "ladder/p=3200,seed=0",
    status: "skipped",
    info: { n_params: "", seed: "0" },
    metrics: null,
  });
  runs[0] = {
    ...runs[0],
    status: "diverged",
    info: { ...runs[0].info, reason: "nan loss" },
  };
  const o = one(collapseCheck, runs, { l0: L0 });
  assertEquals(o.verdict, "pass", o.detail);
  assertMatch(o.detail, /excluded ladder\/p=100,seed=0 \(status diverged\)/);
  assertMatch(o.detail, /excluded ladder\/p=3200,seed=0 \(status skipped\)/);
  assertMatch(o.detail, /5 sizes × 2–3 seeds/);
});
