/**
 * Progressive sharpening without reaching the edge: the eos_chebyshev model at
 * a small η = 0.05 (2/η = 40). Numpy reference: 2.95 → 21.3 in 20k steps.
 * Negative control of `eos`: the threshold is never reached in this horizon.
 */
import { defineExperiment } from "../core/config/schema.ts";
import { CHEBYSHEV_MLP, CHEBYSHEV_TASK } from "./_shared.ts";

export default defineExperiment({
  name: "progressive_sharpening",
  description: "1→100→1 tanh MLP on T3, GD at η = 0.05: λ_max rises but stays below 2/η",
  tags: ["eos", "sharpening"],
  task: CHEBYSHEV_TASK,
  model: CHEBYSHEV_MLP,
  loss: "mse",
  optimizer: { kind: "gd", lr: 0.05 },
  budget: { steps: 6000 },
  measure: { every: 50, sharpness: { every: 50, method: "lanczos", iters: 30, tol: 1e-3 } },
  control: { diagnostic: { window: 10 } },
  checks: [
    { name: "progressive_sharpening", expect: "holds" },
    { name: "eos", expect: "fails", note: "negative control: λ_max never reaches 2/η = 40 here" },
  ],
  profiles: { full: { "budget.steps": 20000 } },
});
