/**
 * Negative control of `collapse` on the trained ladder (Qiu et al. 2025,
 * Fig. 4): collapse_mlp with an off-optimal horizon exponent.
 */
import { defineExperiment } from "../core/config/schema.ts";
import { MLP_WIDTHS, mlpLadder, resmlpParams } from "./collapse_mlp.ts";

const GAMMA = 2.08;
const P_LARGEST = resmlpParams(MLP_WIDTHS[MLP_WIDTHS.length - 1]);

export default defineExperiment({
  ...mlpLadder("collapse_mlp_bad_gamma", "mup"),
  description: "collapse_mlp with γ = 2.08 (negative control)",
  budget: { computeOptimal: { gamma: GAMMA, kappa: 727 / P_LARGEST ** GAMMA, minSteps: 10 } },
  checks: [{ name: "collapse", expect: "fails" }],
});
