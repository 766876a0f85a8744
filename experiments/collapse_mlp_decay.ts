/**
 * Supercollapse (Qiu et al. 2025; SPEC §7): the collapse_mlp ladder (same
 * task, widths, seeds, μP, Adam, peak LR and horizons t*(p) ∝ p^1.04) with
 * the LR decaying linearly to zero over each run. With a schedule that decays
 * to zero the normalised curves should agree across sizes to better than the
 * seed-to-seed noise floor late in training: Δ(x) < σ̄(x) for x ∈ [0.75, 0.95]
 * (`supercollapse`). `collapse` and `collapse_variance_scaling` (Δ ∝
 * √(η(1 − τ̂)) in the decay phase, paper Fig. 8) are recorded beside it.
 * Quick/full choices as in collapse_mlp. Measured on the previous baseline
 * (re-evaluated with the current checks): supercollapse max Δ/σ̄ = 0.44–0.48
 * over [0.75, 0.95] across the L0 interval [0, 0.25] (holds at every L̂);
 * its negative control, the same ladder at constant LR (collapse_mlp),
 * 1.20–1.51 with Δ ≥ σ̄ at 11–15 of 21 points (fails). Variance scaling:
 * log-log slope of Δ on √(η̂(1−τ̂)) 1.02, 90% interval [0.99, 1.11] (paper:
 * 1); on √η̂ 3.0 [2.9, 3.25]. As collapse_mlp, the ladder is in the early
 * regime of training, so this is supercollapse of short runs, not of
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
    {
      name: "collapse",
      expect: "report",
      note: "no matched control for the decay ladder: power not shown (collapse_mlp's SP " +
        "control is not ≥ 2× worse at constant LR either)",
    },
    {
      name: "collapse_variance_scaling",
      expect: "report",
      note: "one schedule (linear, no warm-up), one ladder: the slope test separates " +
        "√(η̂(1−τ̂)) = (1−x)^1.5 from √η̂ here, but has no negative control yet",
    },
  ],
  profiles: { full: FULL_PROFILE },
});
