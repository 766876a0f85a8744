/**
 * Edge of stability on a second task (Cohen et al. 2021; `eos`): a tanh MLP
 * 16→64→64→4 on seeded Gaussian clusters (256 train points), full-batch GD,
 * MSE, two step sizes × three seeds. This is also the harness's small smoke
 * experiment.
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
  optimizer: { kind: "gd", lr: 0.15 },
  budget: { steps: 1500 },
  // λ₀·η/2 = 0.47–0.74: a rise from below. At η = 0.4 the run starts at 1.43·2/η and at
  // η = 0.2 at 0.74–0.82 (seeds 1–3): the rise to the edge is not tested there
  sweep: { "optimizer.lr": [0.15, 0.18], seed: [1, 2, 3] },
  // odd cadence (25) so that period-2 orbits show
  measure: { every: 25, sharpness: { every: 25, method: "lanczos", iters: 20, tol: 1e-3 } },
  control: { diagnostic: { window: 10 } },
  checks: [{ name: "eos", expect: "holds" }],
  profiles: {
    quick: { "budget.steps": 1300 },
    full: { "budget.steps": 5000, "sweep.seed": [1, 2, 3, 4, 5] },
  },
});
