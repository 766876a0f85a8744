/**
 * Negative control of `collapse` (SPEC §7; Qiu et al. 2025, Fig. 4): the
 * collapse_curve ladder (same law, sizes, noise and seeds) trained to
 * t(p) = κ′·p^γ with γ = 1.2·γ* = 1.248 instead of the compute-optimal
 * γ* = ν/μ = 1.04. κ′ = κ·p_mid^(γ* − γ) makes the horizon exact at the middle
 * size p_mid = 10^4, so only the exponent is off: the smallest size stops at
 * 0.62·t* and the largest runs to 1.61·t*. The normalised curves then
 * differ by size (ℓ(x) = (r_p x^-μ + 1)/(r_p + 1) with r_p = A t^-μ/(B p^-ν)
 * varying with p), more than the noise floor: `collapse` must fail.
 * Measured when written: median Δ/σ̄ = 2.55 (collapse_curve: 1.09), median Δ
 * 0.0109 vs 0.0035 (3.1×); Δ/σ̄ = 6.93, 3.65, 2.39, 0.63 at x = 0.3, 0.5, 0.7,
 * 0.9. Over four other seed sets of 5: 2.7–4.1 vs 0.79–1.17.
 */
import { defineExperiment } from "../core/config/schema.ts";
import { horizonExponent, optimalHorizon } from "../data/powerlaw.ts";
import { CURVE_LAW, CURVE_NOISE, CURVE_SIZES } from "./collapse_curve.ts";

const GAMMA_STAR = horizonExponent(CURVE_LAW);
const GAMMA = 1.2 * GAMMA_STAR;
const P_MID = 1e4;

export default defineExperiment({
  name: "collapse_curve_bad_gamma",
  description: "collapse_curve with an off-optimal horizon exponent γ = 1.2·ν/μ (negative control)",
  tags: ["collapse", "curve", "negative-control"],
  task: { kind: "powerlaw-curve", ...CURVE_LAW, params: CURVE_SIZES[0], noise: CURVE_NOISE },
  budget: {
    computeOptimal: {
      gamma: GAMMA,
      kappa: optimalHorizon(CURVE_LAW, 1) * P_MID ** (GAMMA_STAR - GAMMA),
      minSteps: 10,
    },
  },
  sweep: { "task.params": CURVE_SIZES, seed: [1, 2, 3, 4, 5] },
  checks: [
    {
      name: "collapse",
      expect: "fails",
      note: "negative control: γ = 1.2·γ*, horizons exact only at p = 10^4",
    },
  ],
  profiles: { full: { "sweep.seed": [1, 2, 3, 4, 5, 6, 7, 8, 9, 10] } },
});
