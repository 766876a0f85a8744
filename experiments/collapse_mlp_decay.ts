/**
 * Supercollapse (Qiu et al. 2025; SPEC §7): the collapse_mlp ladder (same
 * task, widths, seeds, μP, Adam, peak LR and horizons t*(p) ∝ p^1.04) with
 * the LR decaying linearly to zero over each run. With a schedule that decays
 * to zero the normalised curves should agree across sizes to better than the
 * seed-to-seed noise floor late in training: Δ(x) < σ̄(x) for x ∈ [0.75, 0.95]
 * (`supercollapse`). `collapse` and `collapse_variance_scaling` (Δ ∝
 * √(η(1 − τ̂)) in the decay phase, paper Fig. 8) are recorded beside it.
 * Quick/full choices as in collapse_mlp. Measured when written:
 * max Δ/σ̄ = 0.47 over [0.75, 0.95]; collapse median Δ/σ̄ = 0.70 with
 * Δ/σ̄ = 1.79, 1.29, 0.40, 0.075 at x = 0.3, 0.5, 0.7, 0.9 (paper's MLP with
 * decay: far below 1 late in training); variance scaling r = 0.97, log-log
 * slope 1.02 (paper: 1). As collapse_mlp, the ladder is in the early regime
 * of training, so this is supercollapse of short runs, not of
 * compute-optimal ones.
 */
import { defineExperiment } from "../core/config/schema.ts";
import { FULL_PROFILE, MLP_GAMMA, mlpKappa, mlpLadder } from "./collapse_mlp.ts";

export default defineExperiment({
  ...mlpLadder("collapse_mlp_decay", "mup"),
  description: "collapse_mlp with linear decay to zero: supercollapse",
  tags: ["collapse", "supercollapse", "mlp"],
  schedule: { kind: "linear", final: 0 },
  budget: { computeOptimal: { gamma: MLP_GAMMA, kappa: mlpKappa(MLP_GAMMA), minSteps: 10 } },
  checks: [
    { name: "supercollapse", expect: "holds" },
    { name: "collapse", expect: "holds" },
    { name: "collapse_variance_scaling", expect: "report" },
  ],
  profiles: { full: FULL_PROFILE },
});
