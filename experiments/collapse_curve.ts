/**
 * Collapse on analytic curves (SPEC §6.2, §7). L(t, p) = L0 + A t^-μ + B p^-ν
 * with L0 = 0.02, A = B = 5, μ = 0.5, ν = 0.52, so γ* = ν/μ = 1.04 (the MLP
 * horizon exponent of Qiu et al. 2025). Each size runs to its exact
 * compute-optimal horizon t*(p) = κ·p^γ*, κ = (μA/(νB))^(1/μ) from
 * {@linkcode optimalHorizon} (the runner rounds t* to whole steps: a relative
 * change below 1e-3 at these sizes). Noise-free, every normalised curve is
 * (r x^-μ + 1)/(r + 1), r = ν/μ; with seeded multiplicative noise (σ = 0.3% in
 * log loss, correlation length 1 in ln t — a seed that is ahead stays ahead
 * for about an e-fold of time) the ladder collapses to within the seed noise
 * floor: `collapse` holds, and the L̂ of the sharpest collapse agrees with the
 * power-law L0 (`fit_l0`).
 *
 * Choices: L0 small against the reducible loss (L/(L − L0) ≤ 2.3 at the
 * largest size), because the noise multiplies all of L, and a large L0 would
 * make the noise floor of the large sizes dominate the pooled Δ. Sizes
 * p = 10^3 … 10^5 evenly in log p (5 sizes). Curves cost nothing, so quick
 * already has 5 seeds (σ̄ from 3 seeds is itself noisy: over other seed sets
 * the statistic ranged 0.8–1.4 with 3 seeds, 0.79–1.17 with 5); full has 10.
 * Measured when written: median Δ/σ̄ = 1.09, Δ/σ̄ = 1.55, 1.33, 0.74, 0.49 at
 * x = 0.3, 0.5, 0.7, 0.9; fitted L0 = 0.0196, sharpest-collapse L̂ = 0.0205
 * (true L0 = 0.02).
 */
import { defineExperiment } from "../core/config/schema.ts";
import { horizonExponent, optimalHorizon, type PowerLaw } from "../data/powerlaw.ts";

/** The power law shared by the curve experiments. */
export const CURVE_LAW: PowerLaw = { L0: 0.02, A: 5, mu: 0.5, B: 5, nu: 0.52 };
/** The size ladder p = 10^3 … 10^5, half a decade apart. */
export const CURVE_SIZES: number[] = [3, 3.5, 4, 4.5, 5].map((e) => 10 ** e);
/** The noise: σ = 0.3% in log loss, correlation length 1 in ln t. */
export const CURVE_NOISE = { sigma: 0.003, correlation: 1 };

/** The compute-optimal horizon exponent γ* = ν/μ = 1.04. */
export const GAMMA_STAR: number = horizonExponent(CURVE_LAW);
/** The matched negative control's exponent, 1.2·γ* (same κ). */
export const GAMMA_BAD: number = 1.2 * GAMMA_STAR;

export default defineExperiment({
  name: "collapse_curve",
  description: "analytic power-law curves at the compute-optimal horizon and at 1.2·γ* (control)",
  tags: ["collapse", "curve"],
  task: { kind: "powerlaw-curve", ...CURVE_LAW, params: CURVE_SIZES[0], noise: CURVE_NOISE },
  budget: {
    computeOptimal: {
      gamma: GAMMA_STAR,
      kappa: optimalHorizon(CURVE_LAW, 1),
      minSteps: 10,
    },
  },
  sweep: {
    "task.params": CURVE_SIZES,
    seed: [1, 2, 3, 4, 5],
    "budget.computeOptimal.gamma": [GAMMA_STAR, GAMMA_BAD],
  },
  checks: [
    {
      name: "collapse",
      expect: "holds",
      options: { control: { "budget.computeOptimal.gamma": GAMMA_BAD } },
    },
    {
      name: "collapse",
      expect: "fails",
      options: { control: { "budget.computeOptimal.gamma": GAMMA_BAD }, subject: "control" },
      note: "negative control: γ = 1.2·γ* at the same κ, evaluated at the good ladder's L̂",
    },
    { name: "fit_l0", expect: "holds", where: { "budget.computeOptimal.gamma": GAMMA_STAR } },
  ],
  profiles: { full: { "sweep.seed": [1, 2, 3, 4, 5, 6, 7, 8, 9, 10] } },
});
