/**
 * Negative control of `collapse` on the trained ladder (Qiu et al. 2025,
 * Fig. 4): the collapse_mlp ladder (μP, constant LR, same widths, seeds and
 * task) with an off-optimal horizon exponent γ = 2.08 = 2 × 1.04, the
 * horizon matched to collapse_mlp's at the largest width (727 steps), so the
 * smaller widths stop early: 13, 55, 158, 727 steps (cheap, and 13 steps is
 * still the steep start of training).
 *
 * Expectation `report`, not `fails`: at quick scale the ladder is in the
 * early, width-independent regime (see collapse_mlp), where the normalised
 * curves hardly depend on where each width stops, and the control did not
 * come out clearly worse than the matched good ladder. Measured when
 * written: median Δ/σ̄ = 1.09 (collapse_mlp: 1.32), Δ/σ̄ = 1.85, 1.08, 0.76,
 * 1.09 at x = 0.3, 0.5, 0.7, 0.9; the fitted L̂ came out ≈ 0, so Δ itself
 * (median 0.017) is not comparable with collapse_mlp's (0.111, L̂ = 0.34).
 * (γ = 0.52 matched at the smallest width gave median Δ/σ̄ = 0.75.)
 */
import { defineExperiment } from "../core/config/schema.ts";
import { MLP_GAMMA, MLP_WIDTHS, mlpKappa, mlpLadder, resmlpParams } from "./collapse_mlp.ts";

const GAMMA = 2 * MLP_GAMMA;
const P_LARGEST = resmlpParams(MLP_WIDTHS[MLP_WIDTHS.length - 1]);
/** κ′ with κ′·p_largest^γ = κ·p_largest^γ* (the good ladder's longest horizon). */
const KAPPA = mlpKappa(MLP_GAMMA) * P_LARGEST ** (MLP_GAMMA - GAMMA);

export default defineExperiment({
  ...mlpLadder("collapse_mlp_bad_gamma", "mup"),
  description: "collapse_mlp with γ = 2 × 1.04, horizons matched at the largest width (control)",
  tags: ["collapse", "mlp", "negative-control"],
  budget: { computeOptimal: { gamma: GAMMA, kappa: KAPPA, minSteps: 10 } },
  checks: [
    {
      name: "collapse",
      expect: "report",
      note: "negative control that does not fail at quick scale: median Δ/σ̄ 1.09 vs 1.32 " +
        "for collapse_mlp (early, width-independent regime; see the file's comment)",
    },
  ],
  profiles: { full: { "budget.computeOptimal.kappa": 2 * KAPPA } },
});
