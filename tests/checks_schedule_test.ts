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
  assertMatch(o.detail, /fitted on linear \(2 runs\)/);
  assertMatch(o.detail, /schedule=cosine,size=1000 \(cosine\)/);
});

Deno.test("schedule_noise_model passes with the default 1% EMA and α close to planted", () => {
  const runs = ["constant", "linear", "cosine", "wsd"].map((s) => run(s, 0.21));
  const o = evaluate(runs, { fitOn: "linear" });
  assertEquals(o.verdict, "pass", o.detail);
  assertClose(alphaOf(o.detail), 0.21, 0.03);
  assertOk(o.value! < 0.01, o.detail);
});

Deno.test("schedule_noise_model fails when another schedule violates Eq. 16", () => {
  // cosine's loss responds 4× more strongly than the shared α predicts
  const runs = [
    run("constant", 0.21),
    run("linear", 0.21),
    run("cosine", 0.21, 1000, 4),
  ];
  const o = evaluate(runs, { fitOn: "linear" });
  assertEquals(o.verdict, "fail", o.detail);
  assertOk(o.value! > 0.02);
});

Deno.test("schedule_noise_model fits on the alphabetically first schedule by default", () => {
  const runs = ["constant", "wsd", "linear", "cosine"].map((s) => run(s, 0.2));
  const o = evaluate(runs, { halfLife: 0 });
  assertMatch(o.detail, /fitted on cosine/);
  assertEquals(o.verdict, "pass");
});

Deno.test("schedule_noise_model can use the reference run's Tr Σ′", () => {
  const runs = ["constant", "linear", "cosine"].map((s) => run(s, 0.2));
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
