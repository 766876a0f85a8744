/**
 * Edge of stability on the CPU-fast reference setting (SPEC §6.4): a 1→100→1
 * tanh MLP on 20 points of T3, full-batch GD, MSE. Cohen et al. (2021):
 * sharpness rises to 2/η and hovers right at, or just above, it.
 *
 * The model has no biases (`CHEBYSHEV_MLP_ODD`, see `_shared.ts`): with zero
 * biases on this symmetric data the bias gradients cancel exactly on `cpu`, the
 * biases never move, and λ_max sits in that never-excited bias block at
 * 1.8–1.97·2/η (measured: step 600, η = 0.4, float64 Hessian of the float32
 * iterate: λ = 7.91 in the bias block, 5.14 in the weights, g·v/|g| = 2e-15),
 * while `wasm` rounding breaks the symmetry and shows the edge at 1.0.
 *
 * Sharpness and loss every 25 steps: an odd cadence puts the measurements on
 * even and odd steps in turn, so a period-2 orbit shows as a parity gap. At
 * the edge this model bounces across the valley on a period-2 orbit
 * (λ·η/2 ≈ 1.06 on one phase, 0.94 on the other; the check uses the orbit
 * average). η ∈ {0.3, 0.4} start at λ₀·η/2 = 0.47–0.60 (a rise from below);
 * η = 0.2 reaches the edge only after ~2,400–5,000 steps, η = 0.5 starts at
 * 0.69–0.86 of the edge on seeds 1–3.
 */
import { defineExperiment } from "../core/config/schema.ts";
import { CHEBYSHEV_MLP_ODD, CHEBYSHEV_TASK } from "./_shared.ts";

export default defineExperiment({
  name: "eos_chebyshev",
  description: "1→100→1 tanh MLP (no bias) on T3, full-batch GD, MSE; sharpness vs 2/η",
  tags: ["eos"],
  task: CHEBYSHEV_TASK,
  model: CHEBYSHEV_MLP_ODD,
  loss: "mse",
  optimizer: { kind: "gd", lr: 0.3 },
  budget: { steps: 4000 },
  sweep: { "optimizer.lr": [0.3, 0.4], seed: [1, 2, 3] },
  measure: { every: 25, sharpness: { every: 25, method: "lanczos", iters: 30, tol: 1e-3 } },
  control: { diagnostic: { window: 10 } },
  checks: [{ name: "eos", expect: "holds" }],
  profiles: { full: { "budget.steps": 10000, "sweep.seed": [1, 2, 3, 4, 5] } },
});
