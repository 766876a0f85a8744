import { Table } from "../core/results/table.ts";
import type { RunData } from "../core/checks/types.ts";
import { scheduleNoiseModelCheck } from "../core/checks/schedule_noise_model.ts";
import { assertClose, assertEquals, assertMatch, assertOk } from "./assert.ts";

// Synthetic curves that obey Eq. 16 exactly: for a schedule η_t with τ = Σ η_t,
// L′(τ) = L(τ) + α·(η/η_peak − 1)·TrΣ′(τ), with L and TrΣ′ smooth functions of τ.
const ETA = 0.1, STEPS = 2000;
const lossOfTau = (tau: number) => 0.4 + 1.5 / Math.sqrt(1 + tau);
const noiseOfTau = (tau: number) => 0.5 + 0.8 * Math.exp(-tau / 60);
const schedules: Record<string, (t: number) => number> = {
  constant: () => ETA,
  linear: (t) => ETA * (1 - t / (STEPS + 1)),
  cosine: (t) => ETA * 0.5 * (1 + Math.cos((Math.PI * t) / (STEPS + 1))),
  wsd: (
    t,
  ) => (t < 0.8 * STEPS ? ETA : ETA * (1 - (t - 0.8 * STEPS) / (0.2 * STEPS + 1))),
};

/** A run under `schedule`; `gain(schedule)` scales the planted noise effect. */
function run(schedule: string, alpha: number, size = 1000, gain = 1): RunData {
  const cols: Record<string, number[]> = {
    step: [],
    lr: [],
    tau: [],
    train_loss: [],
    precond_grad_noise_trace: [],
  };
  let tau = 0;
  for (let t = 1; t <= STEPS; t++) {
    const eta = schedules[schedule](t);
    tau += eta;
    const noise = noiseOfTau(tau) * (1 + size / 1e4);
    cols.step.push(t);
    cols.lr.push(eta);
    cols.tau.push(tau);
    cols.precond_grad_noise_trace.push(noise);
    cols.train_loss.push(
      lossOfTau(tau) + gain * alpha * (eta / ETA - 1) * noise,
    );
  }
  return {
    id: `sched/schedule=${schedule},size=${size}`,
    status: "ok",
    info: { schedule, lr: String(ETA), n_params: String(size), seed: "1" },
    metrics: new Table(`${schedule}.csv`, Object.keys(cols), cols, STEPS),
  };
}

/** The same schedule at two sizes (α is shared across sizes). */
const sizes = (schedule: string, alpha: number, gain = 1) =>
  [1000, 4000].map((size) => run(schedule, alpha, size, gain));

const evaluate = (runs: RunData[], options = {}) =>
  scheduleNoiseModelCheck.evaluate({ experiment: "sched", runs }, options)[0];

function alphaOf(detail: string): number {
  const m = detail.match(/α = ([-\d.e]+) fitted/);
  if (!m) throw new Error(`no α in ${detail}`);
  return Number(m[1]);
}

Deno.test("schedule_noise_model recovers a planted α exactly without smoothing", () => {
  const runs = [1000, 4000].flatMap((size) =>
    ["constant", "linear", "cosine", "wsd"].map((s) => run(s, 0.26, size))
  );
  const o = evaluate(runs, { fitOn: "linear", halfLife: 0 });
  assertEquals(o.verdict, "pass", o.detail);
  assertClose(alphaOf(o.detail), 0.26, 1e-9);
  assertOk(o.value! < 1e-6, `${o.value}`); // only the linear interpolation of L(τ) remains
  assertMatch(o.detail, /fitted once on linear \(2 runs, 2 sizes/);
  assertMatch(o.detail, /schedule=cosine,size=1000 \(cosine\)/);
});

Deno.test("schedule_noise_model passes with the default 1% EMA and α close to planted", () => {
  const runs = ["constant", "linear", "cosine", "wsd"].flatMap((s) => sizes(s, 0.21));
  const o = evaluate(runs, { fitOn: "linear" });
  assertEquals(o.verdict, "pass", o.detail);
  assertClose(alphaOf(o.detail), 0.21, 0.03);
  assertOk(o.value! < 0.01, o.detail);
});

Deno.test("schedule_noise_model fails when another schedule violates Eq. 16", () => {
  // cosine's loss responds 4× more strongly than the shared α predicts
  const runs = [
    ...sizes("constant", 0.21),
    ...sizes("linear", 0.21),
    ...sizes("cosine", 0.21, 4),
  ];
  const o = evaluate(runs, { fitOn: "linear" });
  assertEquals(o.verdict, "fail", o.detail);
  assertOk(o.value! > 0.02);
});

Deno.test("schedule_noise_model fits on the alphabetically first schedule by default", () => {
  const runs = ["constant", "wsd", "linear", "cosine"].flatMap((s) => sizes(s, 0.2));
  const o = evaluate(runs, { halfLife: 0 });
  assertMatch(o.detail, /fitted once on cosine/);
  assertEquals(o.verdict, "pass");
});

Deno.test("schedule_noise_model can use the reference run's Tr Σ′", () => {
  const runs = ["constant", "linear", "cosine"].flatMap((s) => sizes(s, 0.2));
  const o = evaluate(runs, {
    fitOn: "linear",
    noiseFrom: "reference",
    halfLife: 0,
  });
  // the synthetic Tr Σ′ is a function of τ only, so both choices agree exactly
  assertEquals(o.verdict, "pass", o.detail);
  assertClose(alphaOf(o.detail), 0.2, 1e-9);
  assertMatch(o.detail, /Tr Σ′ from the reference run/);
});

Deno.test("schedule_noise_model skips without a reference or a second schedule", () => {
  assertMatch(
    evaluate([run("linear", 0.2), run("cosine", 0.2)]).detail,
    /no constant-LR reference/,
  );
  assertMatch(
    evaluate([run("constant", 0.2), run("linear", 0.2)]).detail,
    /only one schedule \(linear\)/,
  );
  const noNoise = run("cosine", 0.2);
  delete (noNoise.metrics!.data as Record<string, unknown>)
    .precond_grad_noise_trace;
  const o = evaluate([run("constant", 0.2), run("linear", 0.2), noNoise], {
    fitOn: "linear",
  });
  assertEquals(o.verdict, "skip");
  assertMatch(
    o.detail,
    /no precond_grad_noise_trace or grad_noise_trace column/,
  );
});

Deno.test("schedule_noise_model is judged against the α = 0 model and needs ≥ 2 sizes", () => {
  // one size: "one α per task" cannot be tested → skip with the reason
  const one = ["constant", "linear", "cosine"].map((s) => run(s, 0.2));
  const o1 = evaluate(one, { fitOn: "linear", halfLife: 0 });
  assertEquals(o1.verdict, "skip", o1.detail);
  assertMatch(o1.detail, /^α must be shared across ≥ 2 sizes, the fit schedule has 1/);
  // a small planted effect obeying Eq. 16 passes both bounds
  const tiny = ["constant", "linear", "cosine"].flatMap((s) => sizes(s, 0.2));
  // cosine responds 3× more than linear: the prediction's error is (3 − 1)/3 of
  // the α = 0 model's, both well within 2%
  const off = [
    ...sizes("constant", 0.002),
    ...sizes("linear", 0.002),
    ...sizes("cosine", 0.002, 3),
  ];
  const o = evaluate(off, { fitOn: "linear", halfLife: 0 });
  assertEquals(o.verdict, "fail", o.detail);
  assertOk(o.value! < 0.02, `within 2%: ${o.value}`);
  const ratio = Number(/worst ratio to the α = 0 model ([\d.]+)/.exec(o.detail)![1]);
  assertClose(ratio, 2 / 3, 0.02, o.detail);
  // at the edge of maxRatio: just above the ratio passes, just below fails
  assertEquals(
    evaluate(off, { fitOn: "linear", halfLife: 0, maxRatio: ratio * 1.01 }).verdict,
    "pass",
  );
  assertEquals(
    evaluate(off, { fitOn: "linear", halfLife: 0, maxRatio: ratio * 0.99 }).verdict,
    "fail",
  );
  const ok = evaluate(tiny, { fitOn: "linear", halfLife: 0 });
  assertEquals(ok.verdict, "pass", ok.detail);
  assertMatch(ok.detail, /2 sizes n_params = 1000, 4000/);
});
