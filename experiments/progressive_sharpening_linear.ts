/**
 * Negative control of `progressive_sharpening`: linear regression (a depth-0
 * MLP, 16 → 4, MSE) on the eos_mlp Gaussian clusters under full-batch GD. Its
 * Hessian is XᵀX/n (block-diagonal over the 4 outputs), independent of the
 * parameters, so λ_max cannot grow: the check must fail for the reason the
 * theory gives (sharpening needs a parameter-dependent Hessian).
 */
import { defineExperiment } from "../core/config/schema.ts";

export default defineExperiment({
  name: "progressive_sharpening_linear",
  description: "linear regression 16→4 on Gaussian clusters, GD: constant Hessian, no sharpening",
  tags: ["eos", "sharpening", "control"],
  task: {
    kind: "synthetic-classification",
    n: 256,
    testN: 256,
    dim: 16,
    classes: 4,
    separation: 1.5,
    std: 1,
  },
  model: { kind: "mlp", depth: 0, width: 1, activation: "tanh", init: { scheme: "xavier" } },
  loss: "mse",
  optimizer: { kind: "gd", lr: 0.05 }, // η·λ₀ as in the positive case, far below the edge
  budget: { steps: 2000 },
  sweep: { seed: [1, 2] },
  measure: { every: 50, sharpness: { every: 50, method: "lanczos", iters: 30, tol: 1e-3 } },
  checks: [
    {
      name: "progressive_sharpening",
      expect: "fails",
      note: "negative control: H = XᵀX/n is constant, so the growth is 1.00×",
    },
  ],
});
