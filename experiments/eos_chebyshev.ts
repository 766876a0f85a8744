/**
 * Edge of stability on the CPU-fast reference setting (SPEC §6.4; Cohen et al.
 * 2021): a 1→100→1 tanh MLP on 20 points of T3, full-batch GD, MSE. Sharpness
 * rises to 2/η and hovers right at, or just above, it (`eos`).
 */
import { defineExperiment } from "../core/config/schema.ts";
import { CHEBYSHEV_MLP_ODD, CHEBYSHEV_TASK } from "./_shared.ts";

export default defineExperiment({
  name: "eos_chebyshev",
  description: "1→100→1 tanh MLP (no bias) on T3, full-batch GD, MSE; sharpness vs 2/η",
  tags: ["eos"],
  task: CHEBYSHEV_TASK,
  model: CHEBYSHEV_MLP_ODD, // no biases: on `cpu` they hold λ_max in a block GD never moves
  loss: "mse",
  optimizer: { kind: "gd", lr: 0.3 },
  budget: { steps: 4000 },
  // η ∈ {0.3, 0.4} start at λ₀·η/2 = 0.47–0.60 (a rise from below); η = 0.2 reaches the edge
  // only after ~2,400–5,000 steps, η = 0.5 starts at 0.69–0.86 of it (seeds 1–3)
  sweep: { "optimizer.lr": [0.3, 0.4], seed: [1, 2, 3] },
  // an odd cadence puts the measurements on even and odd steps in turn, so a period-2 orbit
  // shows as a parity gap
  measure: { every: 25, sharpness: { every: 25, method: "lanczos", iters: 30, tol: 1e-3 } },
  control: { diagnostic: { window: 10 } },
  checks: [
    {
      name: "eos",
      expect: "holds",
      note: "at the edge the model bounces across the valley on a period-2 orbit (λ·η/2 ≈ 1.06 " +
        "on one phase, 0.94 on the other at η = 0.4): the check uses the orbit average",
    },
  ],
  profiles: { full: { "budget.steps": 10000, "sweep.seed": [1, 2, 3, 4, 5] } },
});
