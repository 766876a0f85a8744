/**
 * Edge of stability on a second task: a tanh MLP 16→64→64→4 on seeded
 * Gaussian clusters (256 train points), full-batch GD, MSE, two step sizes.
 * This is also the harness's small smoke experiment.
 */
import { defineExperiment } from "../core/config/schema.ts";

export default defineExperiment({
  name: "eos_mlp",
  description: "tanh MLP 16→64→64→4 on Gaussian clusters, full-batch GD, MSE",
  tags: ["eos", "smoke"],
  task: {
    kind: "synthetic-classification",
    n: 256,
    testN: 256,
    dim: 16,
    classes: 4,
    separation: 1.5,
    std: 1,
  },
  model: { kind: "mlp", depth: 2, width: 64, activation: "tanh", init: { scheme: "xavier" } },
  loss: "mse",
  optimizer: { kind: "gd", lr: 0.2 },
  budget: { steps: 1500 },
  sweep: { "optimizer.lr": [0.2, 0.4] },
  measure: { every: 10, sharpness: { every: 20, method: "lanczos", iters: 20, tol: 1e-3 } },
  control: { diagnostic: { window: 10 } },
  checks: [{ name: "eos", expect: "holds" }],
  profiles: {
    quick: { "budget.steps": 1000 },
    full: { "budget.steps": 5000, "sweep.seed": [1, 2, 3] },
  },
});
