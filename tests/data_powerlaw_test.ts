import { assertClose, assertEquals, assertNotEquals, assertOk, assertThrowsMsg } from "./assert.ts";
import {
  cosineFeatures,
  cosineTarget,
  curveSteps,
  horizonExponent,
  normalisedCurve,
  optimalHorizon,
  type PowerLaw,
  powerlawCurve,
  powerlawLoss,
  powerlawTask,
} from "../data/powerlaw.ts";
import type { PowerlawCurveTask, PowerlawTask } from "../core/config/task_schema.ts";
import { rngFor } from "../core/rng.ts";

const law: PowerLaw = { L0: 0.3, A: 2, mu: 0.45, B: 5, nu: 0.6 };
const curveTask = (
  over: Partial<PowerlawCurveTask> = {},
): PowerlawCurveTask => ({
  kind: "powerlaw-curve",
  ...law,
  params: 1e5,
  points: 200,
  spacing: "log",
  ...over,
});

/** argmin over ln t ∈ [lo, hi] of f by golden-section search. */
function goldenMin(f: (x: number) => number, lo: number, hi: number): number {
  const g = (Math.sqrt(5) - 1) / 2;
  let [a, b] = [lo, hi];
  for (let i = 0; i < 200; i++) {
    const c = b - g * (b - a);
    const d = a + g * (b - a);
    if (f(c) < f(d)) b = d;
    else a = c;
  }
  return (a + b) / 2;
}

function slope(xs: number[], ys: number[]): number {
  const mx = xs.reduce((a, b) => a + b) / xs.length;
  const my = ys.reduce((a, b) => a + b) / ys.length;
  let sxy = 0, sxx = 0;
  for (let i = 0; i < xs.length; i++) {
    sxy += (xs[i] - mx) * (ys[i] - my);
    sxx += (xs[i] - mx) ** 2;
  }
  return sxy / sxx;
}

Deno.test("the compute-optimal horizon found by minimising L at fixed c = 6tp scales as p^(ν/μ)", () => {
  const logP: number[] = [];
  const logT: number[] = [];
  for (let e = 8; e <= 16; e += 1) {
    const c = 10 ** e;
    const lnT = goldenMin(
      (u) => powerlawLoss(law, Math.exp(u), c / (6 * Math.exp(u))),
      0,
      Math.log(c / 6),
    );
    const t = Math.exp(lnT);
    const p = c / (6 * t);
    logP.push(Math.log(p));
    logT.push(lnT);
    assertClose(
      t,
      optimalHorizon(law, p),
      1e-5,
      `closed-form t*(p) at c = 1e${e}`,
    );
  }
  const gamma = slope(logP, logT);
  assertClose(
    gamma,
    horizonExponent(law),
    0.01,
    "fitted log-log slope of t*(p)",
  );
  // negative control: the slope is not the reciprocal μ/ν nor 1
  assertOk(
    Math.abs(gamma - law.mu / law.nu) > 0.3 && Math.abs(gamma - 1) > 0.2,
  );
});

Deno.test("the generated noise-free curve, normalised at t*(p), is exactly (r x^-μ + 1)/(r + 1) for every p", () => {
  for (const p of [1e3, 1e5, 1e7]) {
    const tStar = optimalHorizon(law, p);
    const curve = powerlawCurve(curveTask({ params: p }), {
      steps: Math.ceil(tStar),
      seed: 0,
      runId: "c",
    });
    const denom = powerlawLoss(law, tStar, p) - law.L0;
    for (let k = 0; k < curve.step.length; k++) {
      const ell = (curve.loss[k] - law.L0) / denom;
      assertClose(
        ell,
        normalisedCurve(curve.step[k] / tStar, law.mu, law.nu),
        1e-9,
        `p=${p} t=${curve.step[k]}`,
      );
      assertEquals(curve.compute[k], 6 * curve.step[k] * p);
    }
  }
});

Deno.test("negative control: normalising at a horizon with the wrong exponent does not collapse", () => {
  const wrongGamma = 1; // ν/μ = 1.33
  const at = (p: number, horizon: number) =>
    (powerlawLoss(law, 0.25 * horizon, p) - law.L0) /
    (powerlawLoss(law, horizon, p) - law.L0);
  const right = [1e3, 1e7].map((p) => at(p, optimalHorizon(law, p)));
  const wrong = [1e3, 1e7].map((p) => at(p, optimalHorizon(law, 1e3) * (p / 1e3) ** wrongGamma));
  assertClose(right[0], right[1], 1e-12);
  assertOk(
    Math.abs(wrong[0] - wrong[1]) / wrong[0] > 0.05,
    `wrong γ spread ${wrong}`,
  );
});

Deno.test("curveSteps() is increasing, whole, and ends at the horizon", () => {
  for (const spacing of ["log", "linear", "mixed"] as const) {
    const s = curveSteps(5000, 100, spacing);
    assertOk(
      s.every((t, i) => Number.isInteger(t) && (i === 0 || t > s[i - 1])),
    );
    assertEquals(s.at(-1), 5000);
    assertOk(
      s.length >= 80 && s.length <= 100,
      `${spacing}: ${s.length} points`,
    );
  }
  assertEquals(curveSteps(100, 3, "log"), [1, 10, 100]);
  assertEquals(curveSteps(100, 6, "mixed"), [1, 10, 33, 67, 100]);
  assertEquals(curveSteps(100, 4, "linear"), [25, 50, 75, 100]);
  assertThrowsMsg(() => curveSteps(10.5, 10, "log"), /steps/);
});

Deno.test("curve noise is exactly L·exp(σε − σ²/2) with ε the OU recursion over the run's noise stream", () => {
  const sigma = 0.3, ell = 0.7;
  const cfg = curveTask({ noise: { sigma, correlation: ell }, points: 40 });
  const clean = powerlawCurve(curveTask({ points: 40 }), { steps: 5000, seed: 4, runId: "r" });
  const noisy = powerlawCurve(cfg, { steps: 5000, seed: 4, runId: "r" });
  const rng = rngFor(4, "r", "noise");
  let eps = 0;
  for (let k = 0; k < clean.step.length; k++) {
    if (k === 0) eps = rng.normal();
    else {
      const a = Math.exp(-(Math.log(clean.step[k]) - Math.log(clean.step[k - 1])) / ell);
      eps = a * eps + Math.sqrt(1 - a * a) * rng.normal();
    }
    // the −σ²/2 makes E[loss] = L exactly (a 4.6% bias at σ = 0.3 without it)
    assertClose(noisy.loss[k], clean.loss[k] * Math.exp(sigma * eps - sigma ** 2 / 2), 1e-12);
  }
});

Deno.test("curve noise is seeded, mean-preserving and correlated in log-time as exp(−Δln t/ℓ)", () => {
  const sigma = 0.05;
  const cfg = curveTask({ noise: { sigma, correlation: 1 }, points: 60 });
  const clean = powerlawCurve(curveTask({ points: 60 }), {
    steps: 10000,
    seed: 0,
    runId: "x",
  });
  const a = powerlawCurve(cfg, { steps: 10000, seed: 0, runId: "x" });
  assertEquals(
    powerlawCurve(cfg, { steps: 10000, seed: 0, runId: "x" }),
    a,
    "same seed and run, same curve",
  );
  assertNotEquals(
    powerlawCurve(cfg, { steps: 10000, seed: 0, runId: "y" }).loss,
    a.loss,
  );
  assertNotEquals(
    powerlawCurve(cfg, { steps: 10000, seed: 1, runId: "x" }).loss,
    a.loss,
  );
  // ε_k = (ln(loss/L) + σ²/2)/σ over many runs
  const runs = 1500;
  const k1 = clean.step.findIndex((t) => t >= 1000);
  const k2 = clean.step.length - 1; // t = 10000: Δln t = ln 10
  const k3 = clean.step.findIndex((t) => t >= 2718);
  const eps = (loss: number[], k: number) =>
    (Math.log(loss[k] / clean.loss[k]) + sigma ** 2 / 2) / sigma;
  const corrOf = (ell: number, kA: number, kB: number) => {
    let sa = 0, sb = 0, sab = 0, saa = 0, sbb = 0, ratio = 0;
    for (let r = 0; r < runs; r++) {
      const c = powerlawCurve(
        curveTask({ noise: { sigma, correlation: ell }, points: 60 }),
        {
          steps: 10000,
          seed: 7,
          runId: `run${r}`,
        },
      );
      const [ea, eb] = [eps(c.loss, kA), eps(c.loss, kB)];
      sa += ea, sb += eb, sab += ea * eb, saa += ea * ea, sbb += eb * eb;
      ratio += c.loss[kB] / clean.loss[kB];
    }
    const cov = sab / runs - (sa / runs) * (sb / runs);
    const va = saa / runs - (sa / runs) ** 2;
    const vb = sbb / runs - (sb / runs) ** 2;
    return { corr: cov / Math.sqrt(va * vb), va, meanRatio: ratio / runs };
  };
  const near = corrOf(1, k3, k2);
  const expected = Math.exp(-(Math.log(10000) - Math.log(clean.step[k3])) / 1);
  assertOk(
    Math.abs(near.corr - expected) < 0.06,
    `corr ${near.corr} vs ${expected}`,
  );
  assertOk(Math.abs(near.va - 1) < 0.12, `unit variance, got ${near.va}`);
  assertOk(
    Math.abs(near.meanRatio - 1) < 4 * sigma / Math.sqrt(runs),
    `E[loss/L] = ${near.meanRatio}`,
  );
  // negative control: white noise (ℓ = 0) is uncorrelated between neighbours
  const white = corrOf(0, k1, k1 + 1);
  assertOk(Math.abs(white.corr) < 0.08, `white-noise corr ${white.corr}`);
});

Deno.test("cosine-feature radii follow s = (1 − u)^(−1/2): KS test on u = 1 − s^-2, and quantiles", () => {
  const f = cosineFeatures(10000, 8, 0);
  const ks = (us: number[]) => {
    us.sort((a, b) => a - b);
    return Math.max(
      ...us.map((u, i) => Math.max(Math.abs((i + 1) / us.length - u), Math.abs(i / us.length - u))),
    );
  };
  const critical = 1.63 / Math.sqrt(10000); // 1% level
  assertOk(
    ks(Array.from(f.radius, (s) => 1 - s ** -2)) < critical,
    "radii match the inverse CDF",
  );
  // negative control: the same radii are far from a law with tail r^-1
  assertOk(
    ks(Array.from(f.radius, (s) => 1 - 1 / s)) > 5 * critical,
    "a wrong law is rejected",
  );
  const sorted = Float64Array.from(f.radius).sort();
  for (const q of [0.1, 0.25, 0.5, 0.75, 0.9]) {
    assertClose(
      sorted[Math.floor(q * sorted.length)],
      (1 - q) ** -0.5,
      0.03,
      `quantile ${q}`,
    );
  }
  // k = round(s v) with v a unit vector: ‖k‖ is within √d/2 of s
  for (let i = 0; i < f.count; i++) {
    const k = f.k.subarray(i * 8, i * 8 + 8);
    const norm = Math.hypot(...k);
    assertOk(
      Math.abs(norm - f.radius[i]) <= Math.sqrt(8) / 2 + 1e-12,
      `feature ${i}`,
    );
  }
  assertClose(f.w.reduce((a, w) => a + w * w, 0), 1, 1e-12, "‖w‖ = 1");
  const quarter = f.phase.filter((b) => b === Math.PI / 2).length;
  assertOk(
    f.phase.every((b) => b === 0 || b === Math.PI / 2) &&
      Math.abs(quarter - 5000) < 200,
  );
});

Deno.test("cosineTarget() equals the defining sum Σ w_i √2 cos(2π k_iᵀx + b_i)", () => {
  const f = cosineFeatures(3000, 8, 4);
  const x = new Float32Array(16 * 8);
  for (let i = 0; i < x.length; i++) x[i] = ((i * 0.7548776662) % 1) - 0.5;
  const y = cosineTarget(f, x, 16);
  for (let e = 0; e < 16; e++) {
    let sum = 0;
    for (let i = 0; i < f.count; i++) {
      let dot = 0;
      for (let j = 0; j < 8; j++) dot += f.k[i * 8 + j] * x[e * 8 + j];
      sum += f.w[i] * Math.SQRT2 * Math.cos(2 * Math.PI * dot + f.phase[i]);
    }
    assertOk(
      Math.abs(y[e] - sum) < 1e-6 * Math.max(1, Math.abs(sum)),
      `example ${e}: ${y[e]} vs ${sum}`,
    );
  }
});

const plTask = (over: Partial<PowerlawTask> = {}): PowerlawTask => ({
  kind: "powerlaw",
  features: 2000,
  inputDim: 8,
  batchSize: 32,
  testSize: 64,
  seed: 0,
  ...over,
});
const bytes = (a: Float32Array | Int32Array) =>
  new Uint8Array(a.buffer, a.byteOffset, a.byteLength);

Deno.test("the powerlaw task's data are byte-stable in the task seed and differ across seeds", () => {
  const ctx = { seed: 0, runId: "pl/base" };
  const a = powerlawTask(plTask(), ctx);
  const b = powerlawTask(plTask(), { seed: 9, runId: "pl/other" });
  assertEquals(
    bytes(a.test.x),
    bytes(b.test.x),
    "test inputs depend on task.seed only",
  );
  assertEquals(bytes(a.test.y), bytes(b.test.y));
  assertEquals(bytes(a.train.y), bytes(b.train.y));
  const c = powerlawTask(plTask({ seed: 1 }), ctx);
  assertNotEquals(bytes(c.test.x), bytes(a.test.x));
  assertNotEquals(bytes(c.test.y), bytes(a.test.y));
  assertNotEquals(bytes(a.train.x), bytes(a.test.x));
  assertEquals(
    [a.inputDim, a.outputDim, a.classification, a.test.n, a.train.n],
    [8, 1, false, 64, 32],
  );
  assertEquals([a.test.xShape, a.test.yShape], [[8], [1]]);
  assertOk(a.test.x.every((v) => v >= -0.5 && v <= 0.5));
});

Deno.test("online batches differ per step, are reproducible, and depend on the run", () => {
  const a = powerlawTask(plTask(), { seed: 0, runId: "pl/w=64" });
  const b0 = a.batch!(0, 16);
  assertEquals(b0.n, 16);
  assertEquals(b0.x.length, 16 * 8);
  assertNotEquals(
    bytes(a.batch!(1, 16).x),
    bytes(b0.x),
    "step 1 differs from step 0",
  );
  const again = powerlawTask(plTask(), { seed: 0, runId: "pl/w=64" });
  assertEquals(bytes(again.batch!(0, 16).x), bytes(b0.x), "reproducible");
  assertEquals(bytes(again.batch!(0, 16).y), bytes(b0.y));
  assertNotEquals(
    bytes(
      powerlawTask(plTask(), { seed: 0, runId: "pl/w=128" }).batch!(0, 16).x,
    ),
    bytes(b0.x),
  );
  assertNotEquals(
    bytes(
      powerlawTask(plTask(), { seed: 1, runId: "pl/w=64" }).batch!(0, 16).x,
    ),
    bytes(b0.x),
  );
  assertThrowsMsg(() => a.batch!(-1, 4), /step/);
});
