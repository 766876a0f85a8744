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
