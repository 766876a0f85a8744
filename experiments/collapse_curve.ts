/**
 * Collapse on analytic curves (SPEC §6.2, §7): L(t, p) = L0 + A t^-μ + B p^-ν
 * with L0 = 0.1, A = B = 1, μ = 0.5, ν = 0.52 (γ* = ν/μ = 1.04, the MLP
 * horizon exponent of Qiu et al. 2025), each size trained to its exact
 * compute-optimal horizon t*(p) = κ·p^γ* with κ = (μA/(νB))^(1/μ) (the runner
 * rounds t* to whole steps: a relative change below 1e-5 here). Noise-free,
 * every normalised curve is (r x^-μ + 1)/(r + 1), r = ν/μ; with seeded
 * multiplicative noise (σ = 2% in log loss, correlation length 0.5 in ln t)
 * the sizes collapse to within the seed-to-seed noise floor, so `collapse`
 * holds, and the L̂ of the sharpest collapse agrees with the power-law L0
 * (`fit_l0`). Curves cost nothing: 5 sizes (p = 10^4 … 10^6, even in log p) ×
 * 3 seeds in quick, 5 seeds in full.
 */
import { defineExperiment } from "../core/config/schema.ts";
import { horizonExponent, optimalHorizon, type PowerLaw } from "../data/powerlaw.ts";

const LAW: PowerLaw = { L0: 0.1, A: 1, mu: 0.5, B: 1, nu: 0.52 };

export default defineExperiment({
  name: "collapse_curve",
  description: "analytic power-law curves at the exact compute-optimal horizon, seeded noise",
  tags: ["collapse", "curve"],
  task: { kind: "powerlaw-curve", ...LAW, params: 1e4, noise: { sigma: 0.02, correlation: 0.5 } },
  budget: {
    computeOptimal: { gamma: horizonExponent(LAW), kappa: optimalHorizon(LAW, 1), minSteps: 10 },
  },
  sweep: { "task.params": [1e4, 10 ** 4.5, 1e5, 10 ** 5.5, 1e6], seed: [1, 2, 3] },
  checks: [
    { name: "collapse", expect: "holds" },
    { name: "supercollapse", expect: "report", note: "constant LR: no decay, recorded only" },
    { name: "fit_l0", expect: "holds" },
  ],
  profiles: { full: { "sweep.seed": [1, 2, 3, 4, 5] } },
});
