/** The spectral-edge tools of SPEC §8 on constructed inputs with known answers. */
import { assertClose, assertEquals, assertOk } from "./assert.ts";
import { diagnosePhases, SpectralEdgeAwareLR, SpectralEdgeStopping } from "../core/control/mod.ts";

Deno.test("SpectralEdgeAwareLR moves the edge onto the target when sharpness self-stabilises at 2/η", () => {
  // toy edge-of-stability response: λ_max = 2/η once the run is at the edge
  const eta0 = 0.2, target = 6;
  const c = new SpectralEdgeAwareLR({
    target,
    ema: 0.5,
    maxChange: 0.05,
    gain: 1,
    minFactor: 1,
    maxFactor: 10,
  });
  let lambda = 2 / eta0;
  const factors: number[] = [];
  for (let t = 0; t < 200; t++) {
    const before = c.factor;
    c.observe(lambda);
    factors.push(c.factor);
    assertOk(Math.abs(c.factor / before - 1) <= 0.05 + 1e-12, "bounded change per measurement");
    lambda = 2 / (eta0 * c.factor);
  }
  assertClose(lambda, target, 0.02, "λ_max settles at the target");
  assertClose(c.factor, 2 / (eta0 * target), 0.02);
});

Deno.test("SpectralEdgeAwareLR respects its factor bounds (the negative control cannot move the LR)", () => {
  const c = new SpectralEdgeAwareLR({
    target: 6,
    ema: 0.5,
    maxChange: 0.05,
    gain: 1,
    minFactor: 1,
    maxFactor: 1,
  });
  for (let t = 0; t < 50; t++) c.observe(10);
  assertEquals(c.factor, 1);
  const d = new SpectralEdgeAwareLR({
    target: 6,
    ema: 0.5,
    maxChange: 0.05,
    gain: 1,
    minFactor: 1,
    maxFactor: 10,
  });
  for (let t = 0; t < 50; t++) d.observe(1); // below target: would lower the LR, floored at 1
  assertEquals(d.factor, 1);
});

Deno.test("SpectralEdgeStopping does not stop on a plateau and stops after the edge has shrunk", () => {
  const s = new SpectralEdgeStopping({ threshold: 8, patience: 3, minStep: 0 });
  // memorisation plateau: the gap rises and wobbles, never falls 8× from its peak
  let step = 0;
  for (const g of [1, 5, 10, 9, 11, 10, 9.5, 10.5, 9, 10]) {
    assertOk(!s.observe(step++, g), `plateau step ${step}`);
  }
  // the edge shrinks 20× ...
  for (const g of [5, 2, 1, 0.5]) assertOk(!s.observe(step++, g));
  // ... then stops shrinking: stop after `patience` measurements without a new minimum
  assertOk(!s.observe(step++, 0.6));
  assertOk(!s.observe(step++, 0.55));
  assertOk(s.observe(step++, 0.7));
  assertEquals(s.stoppedAt, step - 1);
});

Deno.test("diagnosePhases() labels sharpening → edge and states the temperature formula", () => {
  const n = 40;
  const step = Array.from({ length: n }, (_, i) => 10 * i);
  const lambda = step.map((t) => Math.min(10, 3 + t / 30)); // rises to 2/η = 10 at step 210
  const events = diagnosePhases({
    step,
    lambda_max: lambda,
    two_over_lr: step.map(() => 10),
    train_loss: step.map((t) => 1 / (1 + t)),
    lr: step.map(() => 0.2),
    grad_noise_trace: step.map(() => 4),
    hessian_trace: step.map(() => 2),
  }, { window: 10, batchSize: 8 });
  const phases = events.filter((e) => e.event === "phase").map((e) => e.label);
  assertEquals(phases, ["sharpening", "sharpening → edge"]);
  const temp = events.find((e) => e.event === "temperature")!;
  assertClose(Number(temp.label), (0.2 * 4) / (2 * 8 * 2), 1e-3);
  assertOk(temp.detail.includes("T = η·TrΣ/(2B·TrH)"));
});

Deno.test("diagnosePhases() labels a grokking run memorisation → edge-shrinking → generalised", () => {
  const step = Array.from({ length: 30 }, (_, i) => i);
  const trainAcc = step.map((t) => (t < 3 ? 0.5 : 1));
  const testAcc = step.map((t) => (t < 20 ? 0.01 : 0.99));
  const g23 = step.map((t) => (t < 10 ? 10 : t < 20 ? 10 / (1 + (t - 9) * 2) : 0.1));
  const events = diagnosePhases({
    step,
    train_acc: trainAcc,
    test_acc: testAcc,
    gram_g23: g23,
    train_loss: step.map(() => 0.1),
  }, {
    window: 5,
    batchSize: 1,
  });
  const phases = events.map((e) => e.label);
  assertEquals(phases, [
    "memorisation",
    "memorisation → edge-shrinking",
    "edge-shrinking → generalised",
  ]);
});

Deno.test("the seed's literal rule (lr ×0.9 when EMA > 1.1·target) drives λ_max away from the target at the edge", () => {
  // same toy edge response λ_max = 2/η: lowering η raises the edge, so the EMA never comes down
  const eta0 = 0.25, target = 6.25;
  const c = new SpectralEdgeAwareLR({
    target,
    ema: 0.5,
    maxChange: 0.1,
    gain: 1,
    minFactor: 0.05,
    maxFactor: 1,
    law: "seed",
  });
  // below 1.1·target (6.875) nothing changes; 6.9 > 6.875 lowers by exactly 0.9
  c.observe(6.8);
  assertEquals(c.factor, 1);
  const d = new SpectralEdgeAwareLR({ ...c.options });
  d.observe(6.9);
  assertClose(d.factor, 0.9, 1e-12);
  let lambda = 2 / eta0;
  for (let t = 0; t < 100; t++) {
    c.observe(lambda);
    lambda = 2 / (eta0 * c.factor);
  }
  assertEquals(c.factor, 0.05); // pinned at the floor
  assertClose(lambda, 160, 1e-9); // 2/(0.25·0.05): 25.6× the target
});

// ------------------------------------------------ spectral_lr_control check

import { spectralLrControlCheck } from "../core/checks/spectral_lr_control.ts";
import { Table } from "../core/results/table.ts";
import type { RunData } from "../core/checks/types.ts";

/** λ = target·(1 + amp·s_k) after step 100, with s_k a fixed ±1, ±0.5 pattern (|dev| known). */
function slcRun(id: string, info: Record<string, string>, amp: number): RunData {
  const step: number[] = [], lam: number[] = [];
  const pattern = [1, -0.5, 0.5, -1, 0.25, -0.25, 0.75, -0.75, 0.1, -0.1];
  for (let k = 0; k <= 200; k++) {
    step.push(k * 5);
    lam.push(k * 5 < 100 ? 3 : 6.25 * (1 + amp * pattern[k % 10]));
  }
  const cols = { step, lambda_max: lam, train_loss: step.map(() => 0.1) };
  return {
    id,
    status: "ok",
    info,
    metrics: new Table(`${id}.csv`, Object.keys(cols), cols, step.length),
  };
}

const REF = { "optimizer.lr": 0.32, "control.spectralLr.maxFactor": 1 };
const refInfo = { "optimizer.lr": "0.32", "control.spectralLr.maxFactor": "1" };
const ctlInfo = { "optimizer.lr": "0.25", "control.spectralLr.maxFactor": "10" };

Deno.test("spectral_lr_control: the median |λ/target − 1| passes at 5% and fails just above", () => {
  // |pattern| has median 0.5: amp 0.0998 → median 0.0499; amp 0.1002 → 0.0501
  const at = spectralLrControlCheck.evaluate(
    { experiment: "c", runs: [slcRun("c/at", ctlInfo, 0.0998)] },
    { target: 6.25, settle: 0.5 },
  )[0];
  assertEquals(at.verdict, "pass", at.detail);
  assertClose(at.value!, 0.0499, 1e-9);
  const over = spectralLrControlCheck.evaluate(
    { experiment: "c", runs: [slcRun("c/over", ctlInfo, 0.1002)] },
    { target: 6.25, settle: 0.5 },
  )[0];
  assertEquals(over.verdict, "fail");
});

Deno.test("spectral_lr_control: p90 must stay within 2× the fixed-lr reference's; the reference is not evaluated", () => {
  // two in ten of |pattern| are 1, so p90 = amp: ref amp 0.04 → p90_ref 0.04
  const ref = slcRun("c/ref", refInfo, 0.04);
  const ok = slcRun("c/ok", ctlInfo, 0.0798); // p90 0.0798 = 1.995× ref: passes
  const wide = slcRun("c/wide", { ...ctlInfo, seed: "2" }, 0.0802); // 2.005×: fails on p90 (median 0.0401 fine)
  const out = spectralLrControlCheck.evaluate(
    { experiment: "c", runs: [ref, ok, wide] },
    { target: 6.25, settle: 0.5, reference: REF },
  );
  assertEquals(out.map((o) => o.run), ["c/ok", "c/wide"]);
  assertEquals(out[0].verdict, "pass", out[0].detail);
  assertEquals(out[1].verdict, "fail");
  assertOk(
    /p90 0\.0802 vs 2× fixed-lr p90 0\.04 = 0\.08 \(exceeded\)/.test(out[1].detail),
    out[1].detail,
  );
  // `only` picks the evaluated runs; a missing reference skips the whole check
  const only = spectralLrControlCheck.evaluate(
    { experiment: "c", runs: [ref, ok, wide] },
    { target: 6.25, settle: 0.5, reference: REF, only: { seed: 2 } },
  );
  assertEquals(only.map((o) => o.run), ["c/wide"]);
  const none = spectralLrControlCheck.evaluate(
    { experiment: "c", runs: [ok] },
    { target: 6.25, reference: REF },
  );
  assertEquals(none[0].verdict, "skip");
  assertEquals(spectralLrControlCheck.optionsSchema!.safeParse({ refrence: REF }).success, false);
});
