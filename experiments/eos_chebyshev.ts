/**
 * Edge of stability on the CPU-fast reference setting (SPEC §6.4): a
 * 1→100→1 tanh MLP on 20 points of T3, full-batch GD, MSE. Cohen et al.
 * (2021): sharpness rises to 2/η and hovers right at, or just above, it.
 * Numpy reference: η = 0.2 → 2.95 → 10.0 by step ~2000, then 8.9–10.6;
 * η = 0.4 → plateau 5.3–5.4.
 */
import { defineExperiment } from "../core/config/schema.ts";
import { CHEBYSHEV_MLP, CHEBYSHEV_TASK } from "./_shared.ts";

export default defineExperiment({
  name: "eos_chebyshev",
  description: "1→100→1 tanh MLP on T3, full-batch GD, MSE; sharpness vs 2/η",
  tags: ["eos"],
  task: CHEBYSHEV_TASK,
  model: CHEBYSHEV_MLP,
  loss: "mse",
  optimizer: { kind: "gd", lr: 0.2 },
  budget: { steps: 4000 },
  sweep: { "optimizer.lr": [0.2, 0.4] },
  measure: { every: 20, sharpness: { every: 20, method: "lanczos", iters: 30, tol: 1e-3 } },
  control: { diagnostic: { window: 10 } },
  checks: [
    { name: "eos", expect: "holds" },
    { name: "progressive_sharpening", expect: "holds", where: { "optimizer.lr": 0.2 } },
  ],
  profiles: { full: { "budget.steps": 10000, "sweep.seed": [1, 2, 3] } },
});
