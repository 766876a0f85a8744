/**
 * Fast exact tests of core/checks/compute_optimal_horizon.ts on self-similar
 * analytic constant-LR curves (γ = ν/μ = 1, c* = 6p², t* = p), written against
 * the mutants StrykerJS makes (`deno task mutation`).
 */
import type { RunData } from "../core/checks/types.ts";
import {
  computeOptimalHorizon,
  computeOptimalHorizonCheck,
} from "../core/checks/compute_optimal_horizon.ts";
import { one, run } from "./collapse_fixtures.ts";
import { assertClose, assertEquals, assertMatch } from "./assert.ts";

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

// Lines in z = log c: ℓ_k(z) = 100 − (k+1)·z + q_k with q_{k+1} = q_k + Z_k,
// so ℓ_k and ℓ_{k+1} cross exactly at Z_k = log(1e7) + 2k·log 2 and the lower
// envelope runs through sizes 0, 1, 2, 3, 4 in turn. Linear interpolation in
// z is exact for lines, so c_in(k) = e^{Z_{k−1}}, c_out(k) = e^{Z_k} and
// c*(k) = 1e7·4^k/2 = 5·p_k² with p_k = 1000·2^k: γ = 1, κ = 5 to round-off.
const Z = [0, 1, 2, 3].map((k) => Math.log(1e7) + 2 * k * Math.LN2);
const Q = [0, Z[0], Z[0] + Z[1], Z[0] + Z[1] + Z[2], Z[0] + Z[1] + Z[2] + Z[3]];
const line = (k: number, c: number) => 100 - (k + 1) * Math.log(c) + Q[k];

/** Size k measured at 61 log-spaced c from 1e6 to 1e9 (between `from` and `to`), plus a step-0 row at c = 0. */
function lineRun(k: number, seed = "0", from = 0, to = 60, id = `k${k}s${seed}`): RunData {
  const p = 1000 * 2 ** k;
  const c = Array.from({ length: 61 }, (_, i) => 1e6 * 10 ** (i / 20)).slice(from, to + 1);
  return run(id, { n_params: `${p}`, seed }, {
    step: [0, ...c.map((x) => x / (6 * p))],
    compute: [0, ...c],
    train_loss: [200, ...c.map((x) => line(k, x))],
  });
}

const lines = () => [0, 1, 2, 3, 4].map((k) => lineRun(k));

Deno.test("computeOptimalHorizon(): frontier lines crossing at known computes give c_in, c_out, c* = 5p², t* and κ exactly", () => {
  const h = computeOptimalHorizon(lines(), {});
  if ("reason" in h) throw new Error(h.reason);
  assertClose(h.gamma, 1, 1e-12);
  assertClose(h.kappa, 5, 1e-12);
  assertClose(h.kappaSteps, 5 / 6, 1e-12); // t* = c*/(6p) = (5/6)·p
  assertClose(h.r2, 1, 1e-12);
  assertEquals([h.fitted, h.notes], [[2000, 4000, 8000], []]);
  const e = Z.map(Math.exp); // 1e7, 4e7, 1.6e8, 6.4e8
  const want: [number | null, number | null][] = [[null, e[0]], [e[0], e[1]], [e[1], e[2]], [
    e[2],
    e[3],
  ], [e[3], null]];
  h.points.forEach((q, k) => {
    assertEquals(q.size, 1000 * 2 ** k);
    q.interval.forEach((v, j) => {
      if (want[k][j] === null) assertEquals(v, null);
      else assertClose(v!, want[k][j]!, 1e-12);
    });
    if (k === 0 || k === 4) assertEquals([q.cStar, q.tStar], [null, null]);
    else {
      assertClose(q.cStar!, 5 * q.size ** 2, 1e-12);
      assertClose(q.tStar!, (5 * q.size) / 6, 1e-12);
    }
  });
  // the step-0 rows (compute 0, log c = −∞) are left out; without them the same answer
  const noZero = lines().map((r) =>
    run(r.id, r.info, {
      step: r.metrics!.column("step").slice(1),
      compute: r.metrics!.column("compute").slice(1),
      train_loss: r.metrics!.column("train_loss").slice(1),
    })
  );
  const n = computeOptimalHorizon(noZero, {});
  if ("reason" in n) throw new Error(n.reason);
  assertEquals(n.points, h.points);
  // compute from 6·p·step when there is no compute column: the same c*
  const steps = lines().map((r) =>
    run(r.id, r.info, {
      step: r.metrics!.column("step"),
      train_loss: r.metrics!.column("train_loss"),
    })
  );
  const s = computeOptimalHorizon(steps, {});
  if ("reason" in s) throw new Error(s.reason);
  s.points.forEach((q, k) => {
    if (q.cStar !== null) assertClose(q.cStar, h.points[k].cStar!, 1e-12);
  });
});

Deno.test("computeOptimalHorizon(): seeds are averaged over the compute range they all cover", () => {
  // a second seed of size 4000 over part of the range: its interval is inside, nothing changes
  const h = computeOptimalHorizon([...lines(), lineRun(2, "1", 5, 55)], {});
  if ("reason" in h) throw new Error(h.reason);
  assertEquals(h.fitted, [2000, 4000, 8000]);
  assertClose(h.points[2].cStar!, 5 * 4000 ** 2, 1e-12);
  // a second seed of size 8000 that stops at c = 3.2e8, while 8000 is the minimum: its
  // curve ends there, so its interval is cut off by the data (no c*), and 16000's too
  const cut = computeOptimalHorizon([...lines(), lineRun(3, "1", 0, 50)], {});
  if ("reason" in cut) throw new Error(cut.reason);
  assertEquals([cut.fitted, cut.notes], [[2000, 4000], [
    "no frontier interval for n_params = 8000",
  ]]);
  assertClose(cut.points[3].interval[0]!, Math.exp(Z[2]), 1e-12);
  assertEquals([cut.points[3].interval[1], cut.points[3].cStar, cut.points[4].interval], [
    null,
    null,
    [null, null],
  ]);
  // with one bounded interior size left there is no fit
  const few = computeOptimalHorizon([
    lineRun(0),
    lineRun(1),
    lineRun(2),
    lineRun(2, "1", 0, 40),
    lineRun(3),
  ], {});
  assertEquals(few, {
    reason:
      "only 1 interior sizes have a bounded frontier interval (need ≥ 2); no frontier interval for n_params = 4000",
  });
});

Deno.test("computeOptimalHorizon(): a size whose seeds share fewer than 2 computes has no curve", () => {
  // size 3000 (never on the frontier): seeds over i ≤ a and i ≥ b of the 61 computes
  const odd = (b: number, a: number) => [
    ...lines(),
    run("x0", { n_params: "3000", seed: "0" }, lineRun(1, "0", 0, a).metrics!.data),
    run("x1", { n_params: "3000", seed: "1" }, lineRun(1, "1", b, 60).metrics!.data),
  ];
  for (const [b, a] of [[40, 20], [30, 30]]) {
    const h = computeOptimalHorizon(odd(b, a), {});
    if ("reason" in h) throw new Error(h.reason);
    assertEquals(h.points.map((q) => q.size), [1000, 2000, 4000, 8000, 16000]);
    assertEquals([h.fitted, h.notes], [[2000, 4000, 8000], []]);
  }
  // two shared computes make a curve: an interior size that never reaches the frontier
  const two = computeOptimalHorizon(odd(30, 31), {});
  if ("reason" in two) throw new Error(two.reason);
  assertEquals(two.points.map((q) => [q.size, q.cStar === null]), [
    [1000, true],
    [2000, false],
    [3000, true],
    [4000, false],
    [8000, false],
    [16000, true],
  ]);
  assertEquals(two.notes, ["no frontier interval for n_params = 3000"]);
});

Deno.test("compute_optimal_horizon: the relative-error and R² thresholds are inclusive; the option schema", () => {
  const runs = lines();
  const h = computeOptimalHorizon(runs, {});
  if ("reason" in h) throw new Error(h.reason);
  // exactly at the tolerance: pass (≤); just below it: fail
  const tol = Math.abs(h.gamma - 1.5) / 1.5;
  assertEquals(
    one(computeOptimalHorizonCheck, runs, { expectedGamma: 1.5, tolerance: tol }).verdict,
    "pass",
  );
  assertEquals(
    one(computeOptimalHorizonCheck, runs, { expectedGamma: 1.5, tolerance: tol * (1 - 1e-12) })
      .verdict,
    "fail",
  );
  assertEquals(one(computeOptimalHorizonCheck, runs, { minR2: h.r2 }).verdict, "pass");
  assertEquals(one(computeOptimalHorizonCheck, runs, { minR2: h.r2 + 1e-12 }).verdict, "fail");
  const schema = computeOptimalHorizonCheck.optionsSchema;
  const all = {
    expectedGamma: 1,
    tolerance: 0.1,
    minR2: 0.9,
    params: "w",
    seed: "s",
    compute: "c",
    loss: "l",
  };
  assertEquals(schema.safeParse(all).success, true);
  for (const k of ["params", "seed", "compute", "loss"]) {
    assertEquals(schema.safeParse({ [k]: "" }).success, false, k);
    assertEquals(schema.safeParse({ [k]: "two" }).success, true, k);
  }
  assertEquals(schema.safeParse({ tolerance: 0 }).success, false);
  assertEquals(schema.safeParse({ gamma: 1 }).success, false);
});

Deno.test("computeOptimalHorizon(): sizes measured at different computes — one crossing shared by each pair of neighbours", () => {
  // each size on its own grid (c scaled by 1 + 0.13k): the union of the grids interleaves
  const shifted = [0, 1, 2, 3, 4].map((k) => {
    const p = 1000 * 2 ** k;
    const c = Array.from({ length: 61 }, (_, i) => 1e6 * 10 ** (i / 20) * (1 + 0.13 * k));
    return run(`k${k}`, { n_params: `${p}` }, {
      step: c.map((x) => x / (6 * p)),
      compute: c,
      train_loss: c.map((x) => line(k, x)),
    });
  });
  const h = computeOptimalHorizon(shifted, {});
  if ("reason" in h) throw new Error(h.reason);
  assertClose(h.gamma, 1, 1e-12);
  for (let k = 0; k < 4; k++) {
    assertClose(h.points[k].interval[1]!, Math.exp(Z[k]), 1e-12);
    assertEquals(h.points[k].interval[1], h.points[k + 1].interval[0]); // the same crossing
  }
});
