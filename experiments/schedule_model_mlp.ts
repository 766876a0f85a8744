/**
 * The schedule noise model (Qiu et al. 2025, Eq. 16; SPEC §7):
 * L′(τ) ≈ L(τ) + α·δη(τ)·Tr Σ′(τ), τ = Σ η_t, with the constant-LR run as
 * reference and one α fitted once on the linear-decay runs of both sizes,
 * predicting the cosine runs. Two sizes (the collapse_mlp setting at widths 8
 * and 16, μP, Adam, peak LR 3e-3, batches of 64, 1,000 features), one seed,
 * 600 steps; the preconditioned gradient-noise trace Tr Σ′ is measured every
 * 20 steps on 8 fixed batches of 8 (`measure.gradNoise`).
 *
 * `report`, not gated: judged as SPEC §7 asks (median relative error ≤ 2% and
 * ≤ 0.5× the α = 0 model's, α shared across sizes) it fails. Measured when
 * written: α = 1.35e-5 fitted on linear at widths 8 and 16; cosine errors
 * 5.67% (width 16; α = 0: 4.72%, 1.2×) and 4.27% (width 8; α = 0: 6.38%,
 * 0.67×). Fitted per size, α = 6.0e-5 (width 8) and −1.2e-5 (width 16, the
 * wrong sign): the schedule effect is not separated from seed noise. The
 * earlier single-size version (width 16, other run ids) gave 0.78% against
 * 3.9% for α = 0; with other run ids the same setting gives 3.05% against
 * 4.72%. One reason: init and batch streams are keyed by the run id, which
 * includes the schedule, so a scheduled run and its constant-LR reference
 * differ in initialisation and batch order as well as in schedule, and
 * L′ − L carries seed noise of the size of the effect. Full profile: 1,500
 * steps, 2 seeds.
 */
import { defineExperiment } from "../core/config/schema.ts";
import { mlpLadder } from "./collapse_mlp.ts";

const base = mlpLadder("schedule_model_mlp", "mup");

export default defineExperiment({
  ...base,
  description: "constant / linear / cosine schedules at one size; L′ = L + α·δη·TrΣ′",
  tags: ["collapse", "schedule", "mlp"],
  model: { kind: "resmlp", width: 16, blocks: 1, parametrization: "mup", baseWidth: 16 },
  budget: { steps: 600 },
  sweep: { "schedule.kind": ["constant", "linear", "cosine"], "model.width": [8, 16] },
  measure: { every: 10, gradNoise: { every: 20, batchSize: 8, batches: 8 } },
  checks: [
    {
      name: "schedule_noise_model",
      expect: "report",
      options: { fitOn: "linear" },
      note:
        "fails at this scale: cosine errors 5.7% / 4.3% vs α = 0 4.7% / 6.4% (widths 16 / 8); " +
        "α per size 6.0e-5 and −1.2e-5 (see the file's comment)",
    },
  ],
  profiles: { full: { "budget.steps": 1500, "sweep.seed": [1, 2] } },
});
