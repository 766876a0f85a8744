/**
 * Specification tests of schedule_noise_model on four-step runs computed by
 * hand, written against the mutants StrykerJS found alive
 * (`deno task mutation`). Smoothing is off (`halfLife` 1e-9 of the run: the
 * EMA weight on the past is 2^(−10⁹) = 0), η_peak = 1 and Tr Σ′ = 1, so
 * τ, L(τ), u = (η/η_peak − 1)·Tr Σ′ and the fitted α are exact.
 */
import { tableFromCsv } from "../core/results/table.ts";
import type { RunData } from "../core/checks/types.ts";
import { fitScheduleModel, scheduleNoiseModelCheck } from "../core/checks/schedule_noise_model.ts";
import { assertEquals } from "./assert.ts";

/** Steps 1..n with the given lr, loss and noise (Tr Σ′ = 1 unless given). */
function sched(
  id: string,
  schedule: string,
  lr: number[],
  loss: number[],
  info: Record<string, string> = {},
  noise?: number[],
): RunData {
  const rows = ["step,lr,train_loss,grad_noise_trace"];
  lr.forEach((l, i) => rows.push(`${i + 1},${l},${loss[i]},${noise?.[i] ?? 1}`));
  return {
    id,
    status: "ok",
    info: { schedule, lr: "1", seed: "1", ...info },
    metrics: tableFromCsv(rows.join("\n"), `${id}.csv`),
  };
}

// Reference: η = 1, τ = 1..4, L = 4 3 2 1.
const REF = () => sched("s/ref", "constant", [1, 1, 1, 1], [4, 3, 2, 1]);
// Fit schedule a: τ = 1, 1.5, 2, 2.5 → L(τ) = 4, 3.5, 3, 2.5; u = 0, −½, −½, −½; α = 2 planted.
const A = () => sched("s/a", "a", [1, 0.5, 0.5, 0.5], [4, 2.5, 2, 1.5]);
// Tested schedule b: τ = 1, 2, 2.5, 3 → L(τ) = 4, 3, 2.5, 2; u = 0, 0, −½, −½.
// Exact with α = 2: 4, 3, 1.5, 1. Here step 1 is off by +2 (relative error 1/3).
const B = (loss = [6, 3, 1.5, 1]) => sched("s/b", "b", [1, 1, 0.5, 0.5], loss);
const OPTS = { halfLife: 1e-9, minSizes: 1 };

const evaluate = (runs: RunData[], options: Record<string, unknown> = OPTS) =>
  scheduleNoiseModelCheck.evaluate({ experiment: "s", runs }, options)[0];

Deno.test("schedule_noise_model: α by least squares on the fit schedule, the median relative error on the others", () => {
  const fit = fitScheduleModel([REF(), A(), B()], OPTS);
  if ("reason" in fit) throw new Error(fit.reason);
  assertEquals([fit.alpha, fit.fitOn, fit.sizeKey, fit.noiseFrom], [2, "a", null, "schedule"]);
  const b = fit.pairs.find((p) => p.schedule === "b")!;
  assertEquals(b.x, [1 / 3, 2 / 3, 2.5 / 3, 1]);
  assertEquals(b.reference, [4, 3, 2.5, 2]);
  assertEquals(b.u, [0, 0, -0.5, -0.5]);
  assertEquals(b.observed, [6, 3, 1.5, 1]);
  // errors with α = 2: 1/3, 0, 0, 0 → median 0 (a mean would be 1/12);
  // with α = 0: 1/3, 0, 2/3, 1 → median 1/2
  const o = evaluate([REF(), A(), B()]);
  assertEquals(o, {
    run: "*",
    statistic: "max median relative error of L'(tau) prediction",
    expected: "<= 0.02 and <= 0.5x the alpha = 0 error",
    tolerance: "x = tau/tau_final in [0.10, 1.00]",
    value: 0,
    verdict: "pass",
    detail:
      "α = 2 fitted once on a (1 run, 1 size); median relative error s/b (b): 0% vs α = 0 50% (0×); worst 0% (need ≤ 2%), worst ratio to the α = 0 model 0 (need ≤ 0.5); Tr Σ′ from the scheduled run",
  });
});

Deno.test("schedule_noise_model: tolerance and maxRatio are inclusive bounds", () => {
  // step 3 of b off too: errors 1/3, 0, 1/3, 0 (1.5 → 2.25: |1.5 − 2.25|/2.25) → median 1/6
  const b = B([6, 3, 2.25, 1]);
  const o = evaluate([REF(), A(), b], { ...OPTS, tolerance: 1 / 6, maxRatio: 1 });
  assertEquals([o.verdict, o.value], ["pass", 1 / 6]);
  assertEquals(
    evaluate([REF(), A(), b], { ...OPTS, tolerance: 1 / 6 - 1e-12, maxRatio: 1 }).verdict,
    "fail",
  );
  // α = 0 errors: 1/3, 0, |2.5 − 2.25|/2.25 = 1/9, 1 → median 2/9; ratio (1/6)/(2/9) = 0.75
  const r = evaluate([REF(), A(), b], { ...OPTS, tolerance: 1, maxRatio: 0.75 });
  assertEquals(r.verdict, "pass", r.detail);
  assertEquals(
    evaluate([REF(), A(), b], { ...OPTS, tolerance: 1, maxRatio: 0.75 - 1e-12 }).verdict,
    "fail",
  );
  assertEquals(
    r.detail.split("; ")[1],
    "median relative error s/b (b): 16.7% vs α = 0 22.2% (0.75×)",
  );
});

Deno.test("schedule_noise_model: a run with no schedule effect at its median is left out of the ratio", () => {
  // b exact under both models at the median: α = 0 error 0 → ratio 0 when its own error is 0 …
  const flat = sched("s/b", "b", [1, 1, 1, 0.5], [4, 3, 2, 1]);
  // τ = 1, 2, 3, 3.5 → L(τ) = 4, 3, 2, 1.5; u = 0, 0, 0, −½ → α = 2 prediction at step 4: 0.5
  const o = evaluate([REF(), A(), flat], { ...OPTS, tolerance: 1 });
  assertEquals(o.detail.split("; ")[1], "median relative error s/b (b): 0% vs α = 0 0% (0×)");
  // … and ∞ when it is not: b follows L(τ) exactly, but α = 2 predicts a schedule effect.
  // τ = 1, 1.5, 2, 2.5; α = 2 errors 0, 1/3.5, 1/3, 1/2.5 → median (1/3.5 + 1/3)/2
  const inf = evaluate([REF(), A(), sched("s/b", "b", [1, 0.5, 0.5, 0.5], [4, 3.5, 3, 2.5])], {
    ...OPTS,
    tolerance: 1,
  });
  const med = (1 / 3.5 + 1 / 3) / 2;
  assertEquals(inf.value, med);
  assertEquals(
    inf.detail.split("; ")[1],
    "median relative error s/b (b): 31% vs α = 0 0% (inf×)",
  );
  assertEquals(inf.verdict, "fail");
  const q = evaluate([REF(), A(), sched("s/b", "b", [1, 1, 1, 1], [8, 6, 4, 1])], {
    ...OPTS,
    tolerance: 1,
  });
  assertEquals(q.detail.split("; ")[1], "median relative error s/b (b): 50% vs α = 0 50% (1×)");
});

Deno.test("schedule_noise_model: sizes — α must be shared across minSizes sizes of the fit schedule", () => {
  const runs = [
    sched("s/ref1", "constant", [1, 1, 1, 1], [4, 3, 2, 1], { n_params: "10" }),
    sched("s/ref2", "constant", [1, 1, 1, 1], [4, 3, 2, 1], { n_params: "20" }),
    sched("s/a1", "a", [1, 0.5, 0.5, 0.5], [4, 2.5, 2, 1.5], { n_params: "10" }),
    sched("s/a2", "a", [1, 0.5, 0.5, 0.5], [4, 2.5, 2, 1.5], { n_params: "20" }),
    sched("s/b1", "b", [1, 1, 0.5, 0.5], [4, 3, 1.5, 1], { n_params: "10" }),
  ];
  const o = evaluate(runs, { halfLife: 1e-9 });
  assertEquals(o.verdict, "pass", o.detail);
  assertEquals(
    o.detail.startsWith("α = 2 fitted once on a (2 runs, 2 sizes n_params = 10, 20); "),
    true,
  );
  const s = evaluate(runs, { halfLife: 1e-9, minSizes: 3 });
  assertEquals([s.verdict, s.value], ["skip", 0]);
  assertEquals(
    s.detail.startsWith("α must be shared across ≥ 3 sizes, the fit schedule has 2; α = 2 fitted"),
    true,
  );
  // a size without its own reference run
  const lone = sched("s/b3", "b", [1, 1, 0.5, 0.5], [4, 3, 1.5, 1], { n_params: "30" });
  assertEquals(
    evaluate([...runs, lone], { halfLife: 1e-9 }).detail,
    "run s/b3: no constant-LR run with the same peak lr 1 and n_params = 30",
  );
  // params names the key
  const p = evaluate(runs.map((r) => ({ ...r, info: { ...r.info, width: r.info.n_params } })), {
    halfLife: 1e-9,
    params: "width",
  });
  assertEquals(
    p.detail.startsWith("α = 2 fitted once on a (2 runs, 2 sizes width = 10, 20); "),
    true,
  );
});

Deno.test("schedule_noise_model: the reference is the constant run with the same peak lr, same seed first", () => {
  const other = sched("s/ref-x", "constant", [2, 2, 2, 2], [9, 9, 9, 9], { lr: "2" });
  const wrongSeed = sched("s/ref-s2", "constant", [1, 1, 1, 1], [8, 8, 8, 8], { seed: "2" });
  const o = evaluate([other, wrongSeed, REF(), A(), B()]);
  assertEquals(o.verdict, "pass", o.detail);
  // the peak lr from the lr column when runs.csv has none
  const noInfo = (r: RunData) => ({ ...r, info: { schedule: r.info.schedule, seed: "1" } });
  const n = evaluate([noInfo(REF()), noInfo(A()), noInfo(B())]);
  assertEquals(n.verdict, "pass", n.detail);
  const badPeak = sched("s/b", "b", [1, 1, 0.5, 0.5], [6, 3, 1.5, 1], { lr: "0" });
  assertEquals(evaluate([REF(), A(), badPeak]).detail, "run s/b: unknown peak lr");
  const noLr: RunData = {
    ...B(),
    info: { schedule: "b" },
    metrics: tableFromCsv("step,train_loss\n1,1\n", "m.csv"),
  };
  assertEquals(evaluate([REF(), A(), noLr]).detail, "run s/b: unknown peak lr");
  // within 1e-9 relative, the peak is the same
  const near = sched("s/b", "b", [1, 1, 0.5, 0.5], [6, 3, 1.5, 1], { lr: String(1 + 1e-10) });
  assertEquals(evaluate([REF(), A(), near]).verdict, "pass");
  const far = sched("s/b", "b", [1, 1, 0.5, 0.5], [6, 3, 1.5, 1], { lr: String(1 + 1e-8) });
  assertEquals(
    evaluate([REF(), A(), far]).detail.startsWith(
      "run s/b: no constant-LR run with the same peak lr",
    ),
    true,
  );
});

Deno.test("schedule_noise_model: skips and failures name their reason", () => {
  assertEquals(
    evaluate([REF(), A()]).detail,
    "only one schedule (a): none left to test after fitting α",
  );
  assertEquals(evaluate([A(), B()]).detail, "no constant-LR reference run (schedule = constant)");
  assertEquals(evaluate([REF()]).detail, "no scheduled (non-constant) run");
  assertEquals(evaluate([REF(), { ...A(), info: {} }]).detail, "run s/a: no schedule in runs.csv");
  assertEquals(
    evaluate([REF(), A(), B()], { ...OPTS, fitOn: "c" }).detail,
    'fitOn "c" matches no scheduled run (schedules: a, b)',
  );
  const fitB = evaluate([REF(), A(), B()], { ...OPTS, fitOn: "b", tolerance: 1, maxRatio: 10 });
  assertEquals(fitB.detail.includes("fitted once on b (1 run, 1 size)"), true);
  const diverged = sched("s/b", "b", [1, 1, 0.5, 0.5], [6, 3, Infinity, 1]);
  const d = evaluate([REF(), A(), diverged]);
  assertEquals([d.verdict, d.detail], ["fail", "s/b: run diverged at step 3 (train_loss = inf)"]);
  // no noise in the fit schedule's u: α cannot be fitted
  const zero = sched("s/a", "a", [1, 1, 1, 1], [4, 3, 2, 1]);
  assertEquals(
    evaluate([REF(), zero, B()]).detail,
    "δη·TrΣ′ is identically 0 on the fit schedule a",
  );
  // range: points outside x ∈ range are left out; none left skips
  assertEquals(
    evaluate([REF(), A(), B()], { ...OPTS, range: [0.9, 0.95] }).detail,
    "run s/a: no aligned points in x ∈ [0.90, 0.95]",
  );
  const wide = fitScheduleModel([REF(), A(), B()], { ...OPTS, range: [0.5, 1] });
  if ("reason" in wide) throw new Error(wide.reason);
  assertEquals(wide.pairs.find((p) => p.schedule === "b")!.x, [2 / 3, 2.5 / 3, 1]);
  // x = 0.4 exactly at the lower end is kept (A's first point: τ 1 / 2.5)
  const at = fitScheduleModel([REF(), A(), B()], { ...OPTS, range: [0.4, 1] });
  if ("reason" in at) throw new Error(at.reason);
  assertEquals(at.pairs.find((p) => p.schedule === "a")!.x, [0.4, 0.6, 0.8, 1]);
  const bad = scheduleNoiseModelCheck.evaluate({ experiment: "s", runs: [REF(), A(), B()] }, {
    noiseFrom: "x",
  });
  assertEquals([bad[0].verdict, bad[0].detail], [
    "skip",
    'option noiseFrom: expected "schedule" or "reference", got "x"',
  ]);
});

Deno.test("schedule_noise_model: columns — missing lr, loss, noise; test_loss preferred; noise from the reference", () => {
  const noNoise: RunData = {
    ...B(),
    metrics: tableFromCsv("step,lr,train_loss\n1,1,6\n2,1,3\n3,0.5,1.5\n4,0.5,1\n", "m.csv"),
  };
  assertEquals(
    evaluate([REF(), A(), noNoise]).detail,
    "run s/b: no precond_grad_noise_trace or grad_noise_trace column",
  );
  assertEquals(
    evaluate([REF(), A(), noNoise], { ...OPTS, noiseColumn: "nz" }).detail,
    "run s/a: no nz column",
  );
  // with noiseFrom reference the scheduled run needs no noise column, the reference does
  const r = evaluate([REF(), A(), noNoise], { ...OPTS, noiseFrom: "reference" });
  assertEquals(r.verdict, "pass", r.detail);
  assertEquals(r.detail.endsWith("Tr Σ′ from the reference run"), true);
  const noLoss: RunData = { ...B(), metrics: tableFromCsv("step,lr\n1,1\n", "m.csv") };
  assertEquals(evaluate([REF(), A(), noLoss]).detail, "run s/b: no train_loss column");
  assertEquals(
    evaluate([REF(), A(), noLoss], { ...OPTS, loss: "val" }).detail,
    "run s/a: no val column",
  );
  const noStep: RunData = { ...B(), metrics: tableFromCsv("epoch,lr\n1,1\n", "m.csv") };
  assertEquals(evaluate([REF(), A(), noStep]).detail, "run s/b: no step column");
  const noLrCol: RunData = { ...B(), metrics: tableFromCsv("step,train_loss\n1,1\n", "m.csv") };
  assertEquals(evaluate([REF(), A(), noLrCol]).detail, "run s/b: no lr column");
  assertEquals(evaluate([REF(), A(), { ...B(), metrics: null }]).detail, "run s/b: no metrics");
  // precond_grad_noise_trace is preferred to grad_noise_trace; test_loss to train_loss
  const both: RunData = {
    ...B(),
    metrics: tableFromCsv(
      "step,lr,train_loss,test_loss,grad_noise_trace,precond_grad_noise_trace\n" +
        "1,1,99,6,5,1\n2,1,99,3,5,1\n3,0.5,99,1.5,5,1\n4,0.5,99,1,5,1\n",
      "m.csv",
    ),
  };
  assertEquals(evaluate([REF(), A(), both]).verdict, "pass");
  // a given tau column is used as τ
  const withTau: RunData = {
    ...B(),
    metrics: tableFromCsv(
      "step,lr,tau,train_loss,grad_noise_trace\n1,1,1,6,1\n2,1,2,3,1\n3,0.5,2.5,1.5,1\n4,0.5,3,1,1\n",
      "m.csv",
    ),
  };
  assertEquals(evaluate([REF(), A(), withTau]).verdict, "pass");
  const ok = (o: Record<string, unknown>) =>
    scheduleNoiseModelCheck.optionsSchema!.safeParse(o).success;
  assertEquals([
    ok({ minSizes: 1 }),
    ok({ minSizes: 0 }),
    ok({ noiseColumn: "" }),
    ok({ fitOn: "" }),
  ], [true, false, false, false]);
  assertEquals([
    ok({ loss: "" }),
    ok({ params: "" }),
    ok({ noiseFrom: "reference", range: [0, 1] }),
  ], [false, false, true]);
});

Deno.test("schedule_noise_model: the EMA half-life is a share of the last step; α on smoothed curves by hand", () => {
  // halfLife 0.25 of step 4 = 1 step: weight ½ on the past. EMAs: L = 4, 3.5, 2.75, 1.875 at τ = 1..4;
  // a: 4, 3.25, 2.625, 2.0625 at τ = 1, 1.5, 2, 2.5 where L(τ) = 4, 3.75, 3.5, 3.125;
  // α = Σu(L′ − L)/Σu² = ½(0.5 + 0.875 + 1.0625)/0.75 = 1.625
  const fit = fitScheduleModel([REF(), A(), B()], { halfLife: 0.25, minSizes: 1 });
  if ("reason" in fit) throw new Error(fit.reason);
  assertEquals(fit.alpha, 1.625);
});

Deno.test("schedule_noise_model: the worst tested schedule counts; points outside the reference's τ are dropped", () => {
  // c is off by 1/3 at its median; b (exact) by 0
  const c = sched("s/c", "c", [1, 1, 0.5, 0.5], [6, 4.5, 1.5, 1]);
  const o = evaluate([REF(), A(), B([4, 3, 1.5, 1]), c], { ...OPTS, tolerance: 1, maxRatio: 10 });
  const fit = fitScheduleModel([REF(), A(), B([4, 3, 1.5, 1]), c], OPTS);
  if ("reason" in fit) throw new Error(fit.reason);
  assertEquals(o.value! > 0, true);
  assertEquals(o.detail.includes("worst 16.7% (need ≤ 100%)"), true);
  // τ = 1, 2, 3, 5: the reference ends at τ = 4, so the last point has no L(τ)
  const far = sched("s/b", "b", [1, 1, 1, 2], [4, 3, 2, 1]);
  const f2 = fitScheduleModel([REF(), A(), far], OPTS);
  if ("reason" in f2) throw new Error(f2.reason);
  assertEquals(f2.pairs.find((p) => p.schedule === "b")!.x, [0.2, 0.4, 0.6]);
});

Deno.test("schedule_noise_model: the reference needs its own noise only with noiseFrom reference, and its curves", () => {
  const refNoNoise: RunData = {
    ...REF(),
    metrics: tableFromCsv("step,lr,train_loss\n1,1,4\n2,1,3\n3,1,2\n4,1,1\n", "r.csv"),
  };
  assertEquals(evaluate([refNoNoise, A(), B()]).verdict, "pass");
  const refNoLr: RunData = { ...REF(), metrics: tableFromCsv("step,train_loss\n1,4\n", "r.csv") };
  assertEquals(
    evaluate([refNoLr, A(), B()]).detail,
    "run s/ref: no lr column",
  );
});
