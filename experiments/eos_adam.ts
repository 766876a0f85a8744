/**
 * Adaptive edge of stability (Cohen et al. 2022): under Adam with β1 = 0.9 the
 * preconditioned sharpness λ_max(P⁻¹H) rises to (2 + 2β1)/((1 − β1)η) = 38/η
 * and hovers there (`adaptive_eos`). Negative control on the same runs (fails
 * for the theory's reason): the plain λ_max against the GD threshold 2/η.
 */
import { defineExperiment } from "../core/config/schema.ts";
import { CHEBYSHEV_MLP_ODD, CHEBYSHEV_TASK } from "./_shared.ts";

export default defineExperiment({
  name: "eos_adam",
  description:
    "1→100→1 tanh MLP (no bias) on T3, full-batch Adam (β1 = 0.9); preconditioned sharpness vs 38/η",
  tags: ["eos", "adam"],
  task: CHEBYSHEV_TASK,
  model: CHEBYSHEV_MLP_ODD, // no biases: their ~1e-9 gradients on `wasm` become full Adam steps
  loss: "mse",
  optimizer: { kind: "adam", lr: 0.01, beta1: 0.9, beta2: 0.999, eps: 1e-8 },
  budget: { steps: 3000 },
  sweep: { "optimizer.lr": [0.01, 0.003] },
  measure: {
    every: 25,
    sharpness: { every: 25, method: "lanczos", iters: 30, tol: 1e-3 },
    preconditionedSharpness: { every: 25, iters: 30, tol: 1e-3 },
  },
  control: { diagnostic: { window: 10 } },
  checks: [
    { name: "adaptive_eos", expect: "holds" },
    {
      name: "eos",
      expect: "fails",
      options: { sharpness: "lambda_max" },
      note: "negative control: Adam is not stabilised by 2/η (200-667 here): its raw λ_max stays " +
        "far below it; what sits at the edge is the preconditioned sharpness",
    },
  ],
  profiles: { full: { "budget.steps": 10000, "sweep.seed": [1, 2, 3] } },
});
