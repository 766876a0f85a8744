/**
 * Compute-optimal horizon on analytic curves (SPEC §7; Qiu et al. 2025,
 * App. C): the collapse_curve law without noise, every size run at "constant
 * LR" far past its optimum. The Pareto frontier of loss vs compute gives
 * c*(p) = κ·p^(1+γ), and on these self-similar curves the fit must recover
 * γ = ν/μ = 1.04 to 1% (`compute_optimal_horizon`). The negative control is
 * a real one: the same ladder generated with another ν (the `task.nu` sweep
 * axis) must fail against the expected 1.04 — the check reads the exponent off
 * the curves, not off its option.
 */
import { defineExperiment } from "../core/config/schema.ts";
import { horizonExponent } from "../data/powerlaw.ts";
import { CURVE_LAW, CURVE_SIZES } from "./collapse_curve.ts";

const GAMMA_STAR = horizonExponent(CURVE_LAW);
/** ν of the control curves: ν/μ = 1.2 × 1.04 = 1.248. */
const NU_CONTROL = 1.2 * CURVE_LAW.nu;

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
  budget: { steps: 1e7 }, // ≥ 5× t* of the largest size
  sweep: { "task.params": CURVE_SIZES, "task.nu": [CURVE_LAW.nu, NU_CONTROL] },
  checks: [
    {
      name: "compute_optimal_horizon",
      expect: "holds",
      where: { "task.nu": CURVE_LAW.nu },
      options: { expectedGamma: GAMMA_STAR },
    },
    {
      name: "compute_optimal_horizon",
      expect: "fails",
      where: { "task.nu": NU_CONTROL },
      options: { expectedGamma: GAMMA_STAR },
      note: "negative control: curves with ν/μ = 1.248 fitted against the expected 1.04",
    },
  ],
});
