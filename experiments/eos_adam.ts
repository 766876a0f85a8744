/**
 * Adaptive edge of stability (Cohen et al. 2022): under Adam with β1 = 0.9 the
 * preconditioned sharpness λ_max(P⁻¹H) rises to (2 + 2β1)/((1 − β1)η) = 38/η
 * and hovers there, while the plain λ_max is not bounded by 2/η (recorded).
 */
import { defineExperiment } from "../core/config/schema.ts";
import { CHEBYSHEV_MLP, CHEBYSHEV_TASK } from "./_shared.ts";

export default defineExperiment({
  name: "eos_adam",
  description:
    "1→100→1 tanh MLP on T3, full-batch Adam (β1 = 0.9); preconditioned sharpness vs 38/η",
  tags: ["eos", "adam"],
  task: CHEBYSHEV_TASK,
  model: CHEBYSHEV_MLP,
  loss: "mse",
  optimizer: { kind: "adam", lr: 0.01, beta1: 0.9, beta2: 0.999, eps: 1e-8 },
  budget: { steps: 3000 },
  sweep: { "optimizer.lr": [0.01, 0.003] },
  measure: {
    every: 20,
    sharpness: { every: 20, method: "lanczos", iters: 30, tol: 1e-3 },
    preconditionedSharpness: { every: 20, iters: 30, tol: 1e-3 },
  },
  control: { diagnostic: { window: 10 } },
  checks: [{ name: "adaptive_eos", expect: "holds" }],
  profiles: { full: { "budget.steps": 10000 } },
});
