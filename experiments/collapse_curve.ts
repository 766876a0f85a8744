/**
 * Collapse on analytic curves (SPEC §6.2, §7): L(t, p) = L0 + A t^-μ + B p^-ν
 * with seeded multiplicative noise, each size run to its exact compute-optimal
 * horizon t*(p) = κ·p^γ*. Noise-free, every normalised curve is
 * (r x^-μ + 1)/(r + 1), r = ν/μ; with the noise the ladder should collapse to
 * within the seed noise floor (`collapse`, gated against its matched negative
 * control, the sweep axis `budget.computeOptimal.gamma` at 1.2·γ*, which must
 * fail), and the L̂ of the sharpest collapse should agree with the power-law L0
 * (`fit_l0`).
 */
import { defineExperiment } from "../core/config/schema.ts";
import { horizonExponent, optimalHorizon, type PowerLaw } from "../data/powerlaw.ts";

/**
 * The power law shared by the curve experiments: γ* = ν/μ = 1.04, the MLP horizon
 * exponent of Qiu et al. 2025. L0 is small against the reducible loss (L/(L − L0) ≤ 2.3 at
 * the largest size) because the noise multiplies all of L: a large L0 would make the noise
 * floor of the large sizes dominate the pooled Δ.
 */
export const CURVE_LAW: PowerLaw = { L0: 0.02, A: 5, mu: 0.5, B: 5, nu: 0.52 };
/** The size ladder p = 10^3 … 10^5, half a decade apart. */
export const CURVE_SIZES: number[] = [3, 3.5, 4, 4.5, 5].map((e) => 10 ** e);
/**
 * The noise: σ = 0.3% in log loss, correlation length 1 in ln t (a seed that is ahead
 * stays ahead for about an e-fold of time).
 */
export const CURVE_NOISE = { sigma: 0.003, correlation: 1 };

/** The compute-optimal horizon exponent γ* = ν/μ = 1.04. */
export const GAMMA_STAR: number = horizonExponent(CURVE_LAW);
/**
 * The matched negative control's exponent, 1.2·γ* at the same κ: the horizons are off by
 * p^0.208 (4.2× t* at p = 10^3, 11× at 10^5).
 */
export const GAMMA_BAD: number = 1.2 * GAMMA_STAR;

export default defineExperiment({
  name: "collapse_curve",
  description: "analytic power-law curves at the compute-optimal horizon and at 1.2·γ* (control)",
  tags: ["collapse", "curve"],
  task: { kind: "powerlaw-curve", ...CURVE_LAW, params: CURVE_SIZES[0], noise: CURVE_NOISE },
  budget: {
    computeOptimal: {
      gamma: GAMMA_STAR,
      // κ = (μA/(νB))^(1/μ); the runner rounds t* to whole steps (< 1e-3 relative here)
      kappa: optimalHorizon(CURVE_LAW, 1),
      minSteps: 10,
    },
  },
  sweep: {
    "task.params": CURVE_SIZES,
    // curves cost nothing; with 5 seeds the control's Δ ratio was 2.02–3.5× over three seed
    // sets, too close to the 2× power criterion
    seed: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10],
    "budget.computeOptimal.gamma": [GAMMA_STAR, GAMMA_BAD],
  },
  checks: [
    {
      // paired at the good ladder's fitted L̂ and across its 90% bootstrap interval (SPEC §7):
      // power needs the control's median Δ ≥ 2× the ladder's at every L̂ of the interval
      name: "collapse",
      expect: "holds",
      options: { control: { "budget.computeOptimal.gamma": GAMMA_BAD } },
      note: "seeds 1-10: median Δ/σ̄ 0.97 vs control 2.43, Δ ratio 2.23-2.40× across the L0 " +
        "interval; seeds 11-20: 0.92 vs 1.94, 3.48×; 21-30: 0.86 vs 2.82, 3.51×; 100 instead " +
        "of 200 points per curve: 1.11 vs 2.77, 2.55×. Held out, L0 = 0.1, μ = 0.4, ν = 0.5 " +
        "and its 1.2·γ* control: Δ ratio only 1.8× (no power, skip) though Δ/σ̄ 0.97 vs 1.65",
    },
    {
      name: "collapse",
      expect: "fails",
      options: { control: { "budget.computeOptimal.gamma": GAMMA_BAD }, subject: "control" },
      note: "negative control: γ = 1.2·γ* at the same κ, evaluated at the good ladder's L̂",
    },
    {
      name: "fit_l0",
      expect: "holds",
      where: { "budget.computeOptimal.gamma": GAMMA_STAR },
      note: "scanned L̂ 0.0197 vs power-law 0.01994 (true 0.02): difference -0.00015 in " +
        "[-0.00082, 0.00057]; held-out law (L0 = 0.1): 0.1012 vs 0.1004",
    },
  ],
  profiles: { full: { "sweep.seed": Array.from({ length: 20 }, (_, i) => i + 1) } },
});
