/**
 * Negative control of `collapse` on the trained ladder (Qiu et al. 2025,
 * Fig. 4): the collapse_mlp ladder (μP, constant LR, same widths, seeds and
 * task) with an off-optimal horizon exponent γ = 2 × 1.04. It cannot sit in
 * collapse_mlp as a sweep axis (its κ differs), so the paired comparison is
 * written in the note rather than computed by the check. Recorded as
 * `report`: at quick scale the ladder is in the early, width-independent
 * regime (collapse_mlp), where the normalised curves hardly depend on where
 * each width stops.
 */
import { defineExperiment } from "../core/config/schema.ts";
import { MLP_GAMMA, MLP_WIDTHS, mlpKappa, mlpLadder, resmlpParams } from "./_shared.ts";

const GAMMA = 2 * MLP_GAMMA;
const P_LARGEST = resmlpParams(MLP_WIDTHS[MLP_WIDTHS.length - 1]);
/**
 * κ′ with κ′·p_largest^γ = κ·p_largest^γ* (the good ladder's longest horizon, 727
 * steps), so the smaller widths stop early: 13, 55, 158 steps (cheap, and 13 steps is still
 * the steep start of training).
 */
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
      note: "negative control without power at quick scale. Previous baseline's run ids, at " +
        "collapse_mlp's L̂ = 0.337 (SPEC §7's shared L̂): median Δ 0.123 against collapse_mlp's " +
        "0.111, 1.10× (need ≥ 2×), median Δ/σ̄ 1.84; full profile (2× horizons, L̂ = 0.309): 0.98×",
    },
  ],
  profiles: { full: { "budget.computeOptimal.kappa": 2 * KAPPA } },
});
