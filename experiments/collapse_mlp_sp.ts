/**
 * Negative control of `collapse` (Qiu et al. 2025, Fig. 4): the collapse_mlp
 * ladder (same task, widths 8–24, seeds, horizons t*(p) ∝ p^1.04, constant
 * LR) under the standard parametrization with one Adam LR for every width
 * (3e-3, μP's base LR).
 *
 * Expectation `report`, not `fails`: the criterion for a negative control is
 * a clearly worse collapse, ≥ 2× the Δ of the matched μP ladder. Measured
 * when written: median Δ/σ̄ = 1.71 (above the 1.5 threshold; collapse_mlp:
 * 1.32) with Δ/σ̄ = 2.38, 1.65, 1.23, 1.76 at x = 0.3, 0.5, 0.7, 0.9, but
 * median Δ = 0.168 vs 0.111, only 1.5×: over a 3× width range SP and μP
 * differ by at most a factor 2 in per-layer LR and init, too little to
 * separate the ladders clearly at this scale.
 */
import { defineExperiment } from "../core/config/schema.ts";
import { FULL_PROFILE, MLP_GAMMA, mlpKappa, mlpLadder } from "./collapse_mlp.ts";

export default defineExperiment({
  ...mlpLadder("collapse_mlp_sp", "sp"),
  description: "collapse_mlp under SP with one LR for all widths (control)",
  tags: ["collapse", "mlp", "negative-control"],
  budget: { computeOptimal: { gamma: MLP_GAMMA, kappa: mlpKappa(MLP_GAMMA), minSteps: 10 } },
  checks: [
    {
      name: "collapse",
      expect: "report",
      note: "SP control: median Δ/σ̄ 1.71 (μP 1.32) but Δ only 1.5× the μP ladder's, not ≥ 2×",
    },
  ],
  profiles: { full: FULL_PROFILE },
});
