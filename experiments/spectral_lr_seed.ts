/**
 * The seed code's `SpectralEdgeAwareLR`, run literally (`law: "seed"`): lr ×0.9
 * whenever the EMA of λ_max exceeds 1.1 × target, on the spectral_lr_control
 * setting (η₀ = 0.25, target 6.25). Lowering η moves the edge 2/η away from
 * the target, so the rule can only hold λ_max below the edge by stalling
 * training. Recorded as `report` with its numbers.
 */
import { defineExperiment } from "../core/config/schema.ts";
import { CHEBYSHEV_MLP_ODD, CHEBYSHEV_TASK } from "./_shared.ts";

export default defineExperiment({
  name: "spectral_lr_seed",
  description:
    "the seed's spectral-edge LR rule (lr ×0.9 when EMA > 1.1·target) under GD at the edge",
  tags: ["eos", "control"],
  task: CHEBYSHEV_TASK,
  model: CHEBYSHEV_MLP_ODD,
  loss: "mse",
  optimizer: { kind: "gd", lr: 0.25 },
  budget: { steps: 4000 },
  measure: { every: 25, sharpness: { every: 25, method: "lanczos", iters: 30, tol: 1e-3 } },
  control: {
    spectralLr: { target: 6.25, ema: 0.5, law: "seed", minFactor: 0.05, maxFactor: 1 },
  },
  checks: [
    {
      name: "spectral_lr_control",
      expect: "report",
      options: { target: 6.25, settle: 0.5 },
      note: "seed 1 (wasm): λ_max passes 1.1·target at step ~900 by progressive sharpening, " +
        "before its own edge 2/η₀ = 8; the rule lowers η at every measurement, to the floor " +
        "0.05·η₀ by step 1,750; training nearly stops (loss 0.0147 → 0.0125 over the last " +
        "3,000 steps) and λ_max still drifts up, 7.11 → 7.47 (1.20× target): median deviation " +
        "18%. No divergence here (a numpy replica of an earlier setting diverged at step ~290)",
    },
  ],
});
