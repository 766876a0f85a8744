/**
 * Optimizers against hand computation on L(θ) = ½(θ₁² + 4θ₂²) from
 * θ₀ = (1, −2), whose gradient is g = (θ₁, 4θ₂). The Adam reference values
 * were computed in float64 from the update rule written out in adam.ts.
 */
import * as tf from "@tensorflow/tfjs";
import { setupBackend } from "../core/backend.ts";
import { type OptimizerInput, OptimizerSchema } from "../core/config/optim_schema.ts";
import { makeOptimizer, type Optimizer } from "../core/optim/mod.ts";
import { assertClose, assertEquals, assertNotEquals, assertOk, assertThrowsMsg } from "./assert.ts";

await setupBackend("cpu");

const SHAPES = [[1], [1]];

function quadraticGrads(params: tf.Variable[], l2 = 0): tf.Tensor[] {
  return [tf.mul(params[0], 1 + l2), tf.mul(params[1], 4 + l2)];
}

function run(
  cfg: OptimizerInput,
  steps: number,
  lr = 0.1,
  mults = [1, 1],
  l2 = 0,
): { theta: number[][]; opt: Optimizer; params: tf.Variable[] } {
  const opt = makeOptimizer(OptimizerSchema.parse(cfg), mults, SHAPES);
  const params = [
    tf.variable(tf.tensor1d([1])),
    tf.variable(tf.tensor1d([-2])),
  ];
  const theta: number[][] = [];
  for (let t = 0; t < steps; t++) {
    tf.tidy(() => opt.step(params, quadraticGrads(params, l2), lr));
    theta.push(params.map((p) => p.dataSync()[0]));
  }
  return { theta, opt, params };
}

function assertTheta(
  actual: number[][],
  expected: number[][],
  what: string,
): void {
  expected.forEach((row, t) =>
    row.forEach((e, i) => assertClose(actual[t][i], e, 2e-6, `${what}: step ${t + 1}, θ${i + 1}`))
  );
}

Deno.test("gd matches two hand-computed steps: θ ← θ − η·g", () => {
  // g₀ = (1, −8) → θ₁ = (0.9, −1.2); g₁ = (0.9, −4.8) → θ₂ = (0.81, −0.72)
  const { theta } = run({ kind: "gd", lr: 0.1 }, 2);
  assertTheta(theta, [[0.9, -1.2], [0.81, -0.72]], "gd");
});

Deno.test("gd applies per-tensor LR multipliers", () => {
  // second tensor at half the LR: θ₂ ← −2 − 0.05·(−8) = −1.6
  const { theta } = run({ kind: "gd", lr: 0.1 }, 1, 0.1, [1, 0.5]);
  assertTheta(theta, [[0.9, -1.6]], "gd ×[1, 0.5]");
});

Deno.test("sgd with heavy-ball momentum matches two hand-computed steps: v ← βv + g, θ ← θ − ηv", () => {
  // β = 0.5: v₁ = (1, −8), θ₁ = (0.9, −1.2); g₁ = (0.9, −4.8), v₂ = (1.4, −8.8), θ₂ = (0.76, −0.32)
  const { theta } = run(
    { kind: "sgd", lr: 0.1, batchSize: 4, momentum: 0.5 },
    2,
  );
  assertTheta(theta, [[0.9, -1.2], [0.76, -0.32]], "sgd");
  const plain = run({ kind: "sgd", lr: 0.1, batchSize: 4 }, 2).theta;
  assertTheta(plain, [[0.9, -1.2], [0.81, -0.72]], "sgd without momentum = gd");
});

const ADAM_STEP1 = [0.900000001, -1.900000000125]; // θ₀ − η·g/(|g| + ε): m̂₁ = g₀, v̂₁ = g₀²
const ADAM_STEP2 = [0.8004122297123382, -1.8001664858630053];

Deno.test("adam matches two hand-computed steps (bias-corrected, ε outside the root)", () => {
  const { theta } = run({
    kind: "adam",
    lr: 0.1,
    beta1: 0.9,
    beta2: 0.999,
    eps: 1e-8,
  }, 2);
  assertTheta(theta, [ADAM_STEP1, ADAM_STEP2], "adam");
});

Deno.test("adamw decays decoupled from the gradient: θ ← θ(1 − ηλ) − η·m̂/(√v̂ + ε), unlike Adam with L2", () => {
  // λ = 0.5: θ₁ = (1·0.95 − 0.1, −2·0.95 + 0.1) = (0.85, −1.8) up to ε; θ₂ from the same rule in float64
  const cfg = {
    kind: "adamw",
    lr: 0.1,
    beta1: 0.9,
    beta2: 0.999,
    eps: 1e-8,
    weightDecay: 0.5,
  } as const;
  const { theta } = run(cfg, 2);
  assertTheta(theta, [[0.850000001, -1.8000000001249998], [
    0.7082484443656524,
    -1.610412227920495,
  ]], "adamw");
  // negative control: Adam with the L2 gradient g + λθ is (nearly) scale-invariant and barely decays
  const l2 = run(
    { kind: "adam", lr: 0.1, beta1: 0.9, beta2: 0.999, eps: 1e-8 },
    2,
    0.1,
    [1, 1],
    0.5,
  ).theta;
  assertTheta(l2, [[0.9000000006666666, -1.900000000111111], [
    0.8004122290319746,
    -1.800166485834928,
  ]], "adam+L2");
  assertOk(Math.abs(theta[1][0] - l2[1][0]) > 0.05, "AdamW and Adam+L2 differ");
  // weight decay 0 makes AdamW identical to Adam, bit for bit
  const w0 = run({ ...cfg, weightDecay: 0 }, 2).theta;
  const adam = run({ kind: "adam", lr: 0.1, beta1: 0.9, beta2: 0.999, eps: 1e-8 }, 2)
    .theta;
  assertEquals(w0, adam);
});

Deno.test("adam preconditioner() is √v̂ + ε as applied at the last step, divided by the LR multiplier", () => {
  const cfg = {
    kind: "adam",
    lr: 0.1,
    beta1: 0.9,
    beta2: 0.999,
    eps: 1e-8,
  } as const;
  const fresh = makeOptimizer(cfg, [1, 1], SHAPES);
  assertEquals(
    fresh.preconditioner(),
    null,
    "no preconditioner before the first step",
  );
  // after 2 steps: v = (0.001809, 0.121696), 1 − β2² = 0.001999, √v̂ + ε = (0.9512899117, 7.8024636737)
  const { opt } = run(cfg, 2);
  const p = opt.preconditioner()!;
  assertClose(p[0].dataSync()[0], 0.9512899117326855, 1e-6, "P₁");
  assertClose(p[1].dataSync()[0], 7.8024636737034445, 1e-6, "P₂");
  // with multiplier ½ on θ₂, the applied step is η·½·m̂/(√v̂+ε) = η·m̂/P, so P = 2(√v̂+ε)
  const half = run(cfg, 1, 0.1, [1, 0.5]).opt.preconditioner()!;
  assertClose(
    half[1].dataSync()[0],
    2 * 8.00000001,
    1e-6,
    "P₂ with multiplier ½",
  );
  assertEquals(run({ kind: "gd", lr: 0.1 }, 1).opt.preconditioner(), null);
  assertEquals(
    run({ kind: "sgd", lr: 0.1, batchSize: 1, momentum: 0.9 }, 1).opt
      .preconditioner(),
    null,
  );
});

Deno.test("criticalSharpness: 2/η for GD, (2+2β)/η for momentum, (2+2β1)/((1−β1)η) = 38/η for Adam at β1 = 0.9", () => {
  const lr = 0.01;
  assertClose(
    makeOptimizer({ kind: "gd", lr }, [1], [[1]]).criticalSharpness(lr),
    200,
    1e-12,
  );
  const sgd = makeOptimizer({ kind: "sgd", lr, batchSize: 1, momentum: 0.9 }, [
    1,
  ], [[1]]);
  assertClose(sgd.criticalSharpness(lr), 380, 1e-12);
  const adam = makeOptimizer(OptimizerSchema.parse({ kind: "adam", lr }), [1], [
    [1],
  ]);
  assertClose(adam.criticalSharpness(lr), 3800, 1e-12);
  const adamw = makeOptimizer(
    OptimizerSchema.parse({ kind: "adamw", lr, beta1: 0.5 }),
    [1],
    [[1]],
  );
  assertClose(adamw.criticalSharpness(lr), 600, 1e-12);
});

const ALL: OptimizerInput[] = [
  { kind: "gd", lr: 0.05 },
  { kind: "sgd", lr: 0.05, batchSize: 2, momentum: 0.9 },
  { kind: "adam", lr: 0.05, beta1: 0.9, beta2: 0.99, eps: 1e-8 },
  {
    kind: "adamw",
    lr: 0.05,
    beta1: 0.9,
    beta2: 0.99,
    eps: 1e-8,
    weightDecay: 0.1,
  },
];

Deno.test("getState/setState round-trip bit-exactly: a restored optimizer continues identically", () => {
  for (const cfg of ALL) {
    const { opt, params } = run(cfg, 3, 0.05, [1, 0.5]);
    const saved = opt.getState();
    assertEquals(saved.step, 3);
    const copy = makeOptimizer(cfg, [1, 0.5], SHAPES);
    copy.setState(saved);
    assertEquals(copy.getState(), saved, `${cfg.kind}: state survives`);
    const twin = params.map((p) => tf.variable(p.clone()));
    for (let t = 0; t < 3; t++) {
      tf.tidy(() => opt.step(params, quadraticGrads(params), 0.05));
      tf.tidy(() => copy.step(twin, quadraticGrads(twin), 0.05));
    }
    assertEquals(
      twin.map((p) => Array.from(p.dataSync())),
      params.map((p) => Array.from(p.dataSync())),
      `${cfg.kind}: same bits after resuming`,
    );
    // getState returns copies: mutating them does not touch the optimizer
    const s = opt.getState();
    if (cfg.kind !== "gd") {
      for (const arrays of Object.values(s.slots)) arrays[0][0] = 123;
      assertNotEquals(opt.getState(), s);
    }
  }
  const adam = makeOptimizer(ALL[2], [1, 1], SHAPES);
  assertThrowsMsg(
    () => adam.setState({ step: 1, slots: { m: [new Float32Array(1)] } }),
    /slot "m" must have 2/,
  );
  assertThrowsMsg(
    () => adam.setState({ step: -1, slots: {} }),
    /step must be an integer/,
  );
});

Deno.test("no tensor leaks: the TF.js tensor count is constant across 20 steps of each optimizer", () => {
  for (const cfg of ALL) {
    const opt = makeOptimizer(cfg, [1, 1], SHAPES);
    const params = [
      tf.variable(tf.tensor1d([1])),
      tf.variable(tf.tensor1d([-2])),
    ];
    tf.tidy(() => opt.step(params, quadraticGrads(params), 0.05));
    const before = tf.memory().numTensors;
    for (let t = 0; t < 20; t++) {
      tf.tidy(() => opt.step(params, quadraticGrads(params), 0.05));
    }
    assertEquals(
      tf.memory().numTensors,
      before,
      `${cfg.kind}: tensors after 20 steps`,
    );
    const p = opt.preconditioner();
    if (p) tf.dispose(p);
    assertEquals(
      tf.memory().numTensors,
      before,
      `${cfg.kind}: preconditioner() handed its tensors to the caller`,
    );
    opt.dispose();
    tf.dispose(params);
  }
});

Deno.test("optimizers reject mismatched arguments with a message naming the problem", () => {
  const opt = makeOptimizer({ kind: "gd", lr: 0.1 }, [1, 1], SHAPES);
  const params = [
    tf.variable(tf.tensor1d([1])),
    tf.variable(tf.tensor1d([-2])),
  ];
  assertThrowsMsg(
    () => opt.step(params, [tf.tensor1d([1])], 0.1),
    /expected 2 parameter and gradient tensors/,
  );
  assertThrowsMsg(
    () => opt.step(params, [tf.tensor1d([1]), tf.tensor1d([1, 2])], 0.1),
    /tensor 1 expected shape/,
  );
  assertThrowsMsg(
    () => makeOptimizer({ kind: "gd", lr: 0.1 }, [1], SHAPES),
    /1 LR multipliers for 2/,
  );
  assertThrowsMsg(
    () => opt.step(params, quadraticGrads(params), Number.NaN),
    /lr must be/,
  );
});

Deno.test("optimizer schema: defaults, positive lr, sgd needs batchSize, unknown fields are errors", () => {
  const a = OptimizerSchema.parse({ kind: "adam", lr: 1e-3 });
  assertEquals(a, {
    kind: "adam",
    lr: 1e-3,
    beta1: 0.9,
    beta2: 0.999,
    eps: 1e-8,
  });
  const w = OptimizerSchema.parse({ kind: "adamw", lr: 1e-3 });
  assertOk(w.kind === "adamw" && w.weightDecay === 0.01);
  const issues = (x: unknown) => OptimizerSchema.safeParse(x).error?.issues ?? [];
  assertEquals(issues({ kind: "gd", lr: -0.1 })[0].path, ["lr"]);
  assertEquals(issues({ kind: "sgd", lr: 0.1 })[0].path, ["batchSize"]);
  assertEquals(
    issues({ kind: "gd", lr: 0.1, momentum: 0.9 })[0].code,
    "unrecognized_keys",
  );
  assertEquals(issues({ kind: "adam", lr: 0.1, beta1: 1 })[0].path, ["beta1"]);
});
