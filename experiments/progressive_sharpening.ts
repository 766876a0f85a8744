/**
 * Progressive sharpening far from the edge (Cohen et al. 2021;
 * `progressive_sharpening`): the eos_chebyshev model (no bias) at a small
 * η = 0.05 (2/η = 40), three seeds. λ_max stays below 0.5·2/η for the whole
 * run, so the growth is not implied by where the segment ends. Negative
 * control of `eos`: the threshold is never reached in this horizon. The
 * negative control of `progressive_sharpening` is
 * `progressive_sharpening_linear` (constant Hessian).
 */
import { defineExperiment } from "../core/config/schema.ts";
import { CHEBYSHEV_MLP_ODD, CHEBYSHEV_TASK } from "./_shared.ts";

export default defineExperiment({
  name: "progressive_sharpening",
  description: "1→100→1 tanh MLP (no bias) on T3, GD at η = 0.05: λ_max rises but stays below 2/η",
  tags: ["eos", "sharpening"],
  task: CHEBYSHEV_TASK,
  model: CHEBYSHEV_MLP_ODD,
  loss: "mse",
  optimizer: { kind: "gd", lr: 0.05 },
  budget: { steps: 6000 },
  sweep: { seed: [1, 2, 3] },
  measure: { every: 50, sharpness: { every: 50, method: "lanczos", iters: 30, tol: 1e-3 } },
  control: { diagnostic: { window: 10 } },
  checks: [
    { name: "progressive_sharpening", expect: "holds" },
    { name: "eos", expect: "fails", note: "negative control: λ_max never reaches 2/η = 40 here" },
  ],
  profiles: { full: { "budget.steps": 20000 } },
});
