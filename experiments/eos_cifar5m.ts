/**
 * Cohen et al.'s reference setting: fc-tanh 3072→200→200→10 on a 5,000-image
 * CIFAR-5M `flat` subset, MSE, full-batch GD. Full profile only; skipped with
 * the standard message when the data is absent.
 */
import { defineExperiment } from "../core/config/schema.ts";

export default defineExperiment({
  name: "eos_cifar5m",
  description: "fc-tanh 3072→200→200→10 on 5k CIFAR-5M images, full-batch GD, MSE",
  tags: ["eos", "cifar5m"],
  profilesIn: ["full"],
  task: {
    kind: "cifar5m",
    parts: [0],
    subset: { n: 5000, seed: 0 },
    testN: 1000,
    classes: 10,
    view: "flat",
    standardize: true,
  },
  model: {
    kind: "mlp",
    depth: 2,
    width: 200,
    activation: "tanh",
    bias: true,
    init: { scheme: "torch" },
  },
  loss: "mse",
  optimizer: { kind: "gd", lr: 0.02 },
  budget: { steps: 3000 },
  sweep: { "optimizer.lr": [0.01, 0.02] },
  measure: {
    every: 50,
    sharpness: { every: 50, method: "lanczos", iters: 20, tol: 1e-3, subset: 2500, chunk: 500 },
  },
  checks: [{ name: "eos", expect: "holds" }],
});
