/**
 * Progressive sharpening without reaching the edge: the eos_chebyshev model at
 * a small η = 0.05 (2/η = 40). Numpy reference: 2.95 → 21.3 in 20k steps.
 * Negative control of `eos`: the threshold is never reached in this horizon.
 */
import { defineExperiment } from "../core/config/schema.ts";

export default defineExperiment({
  name: "progressive_sharpening",
  description: "1→100→1 tanh MLP on T3, GD at η = 0.05: λ_max rises but stays below 2/η",
  tags: ["eos", "sharpening"],
  task: { kind: "chebyshev", degree: 3, n: 20 },
  model: {
    kind: "mlp",
    depth: 1,
    width: 100,
    activation: "tanh",
    bias: true,
    init: { scheme: "xavier", firstLayerGain: 1.9 },
  },
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
