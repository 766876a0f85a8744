/**
 * Compute-optimal horizon on analytic curves (SPEC §7; Qiu et al. 2025,
 * App. C): the collapse_curve law without noise, every size run at "constant
 * LR" far past its optimum (10^7 steps, ≥ 68× t* of the largest size), 400
 * log-spaced points. The Pareto frontier of loss vs compute gives
 * c*(p) = κ·p^(1+γ), and on these self-similar curves the fit must recover
 * γ = ν/μ = 1.04 to 1% (`compute_optimal_horizon`). A second entry asks for
 * 1.2·ν/μ and must fail (negative control: the check tells the exponents
 * apart).
 */
import { defineExperiment } from "../core/config/schema.ts";
import { horizonExponent } from "../data/powerlaw.ts";
import { CURVE_LAW, CURVE_SIZES } from "./collapse_curve.ts";

const GAMMA_STAR = horizonExponent(CURVE_LAW);

export default defineExperiment({
  name: "horizon_curve",
  description: "noise-free power-law curves past their optimum; the frontier gives γ = ν/μ",
  tags: ["collapse", "horizon", "curve"],
  task: {
    kind: "powerlaw-curve",
    ...CURVE_LAW,
    params: CURVE_SIZES[0],
    points: 400,
    spacing: "log",
  },
  budget: { steps: 1e7 },
  sweep: { "task.params": CURVE_SIZES },
  checks: [
    { name: "compute_optimal_horizon", expect: "holds", options: { expectedGamma: GAMMA_STAR } },
    {
      name: "compute_optimal_horizon",
      expect: "fails",
      options: { expectedGamma: 1.2 * GAMMA_STAR },
      note: "negative control: the fitted γ is not 1.2·ν/μ",
    },
  ],
});
