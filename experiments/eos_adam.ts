/**
 * Adaptive edge of stability (Cohen et al. 2022): under Adam with β1 = 0.9 the
 * preconditioned sharpness λ_max(P⁻¹H) rises to (2 + 2β1)/((1 − β1)η) = 38/η
 * and hovers there. The model has no biases (`CHEBYSHEV_MLP_ODD`): with zero
 * biases on this symmetric data the bias gradients are exactly 0 on `cpu` but
 * ~1e-9 on `wasm`, which Adam's normalisation would turn into full-size steps.
 *
 * Negative control (fails for the theory's reason): the plain λ_max against
 * the GD threshold 2/η on the same runs. Adam is not stabilised by 2/η, its
 * raw sharpness stays far below 2/η = 200–667 here; what sits at the edge is
 * the preconditioned sharpness.
 */
import { defineExperiment } from "../core/config/schema.ts";
import { CHEBYSHEV_MLP_ODD, CHEBYSHEV_TASK } from "./_shared.ts";

export default defineExperiment({
  name: "eos_adam",
  description:
    "1→100→1 tanh MLP (no bias) on T3, full-batch Adam (β1 = 0.9); preconditioned sharpness vs 38/η",
  tags: ["eos", "adam"],
  task: CHEBYSHEV_TASK,
  model: CHEBYSHEV_MLP_ODD,
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
      note: "negative control: Adam's raw λ_max is not held at the GD edge 2/η",
    },
  ],
  profiles: { full: { "budget.steps": 10000, "sweep.seed": [1, 2, 3] } },
});
