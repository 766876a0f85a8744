/**
 * A tanh MLP on seeded Gaussian clusters, full-batch GD on MSE: the small real
 * experiment of the harness (seconds on a laptop). Two learning rates and two
 * seeds; sharpness is measured, so the edge-of-stability picture is visible
 * even at this size.
 */
import { defineExperiment } from "../core/config/schema.ts";

export default defineExperiment({
  name: "clusters_gd",
  description: "tanh MLP 16→64→64→4 on 256 Gaussian-cluster points, full-batch GD, MSE",
  tags: ["smoke", "eos"],
  seed: 1,
  task: { kind: "synthetic-classification", n: 256, testN: 256, dim: 16, classes: 4, separation: 1.5, std: 1 },
  model: { kind: "mlp", depth: 2, width: 64, activation: "tanh", init: { scheme: "xavier" } },
  loss: "mse",
  optimizer: { kind: "gd", lr: 0.1 },
  budget: { steps: 400 },
  sweep: { "optimizer.lr": [0.1, 0.4], seed: [1, 2] },
  measure: {
    every: 10,
    sharpness: { every: 20, method: "lanczos", iters: 20, tol: 1e-3 },
  },
  checks: [],
  profiles: {
    quick: { "budget.steps": 300 },
    full: { "budget.steps": 3000 },
  },
});
