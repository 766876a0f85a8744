/**
 * The schedule noise model (Qiu et al. 2025, Eq. 16; SPEC §7):
 * L′(τ) ≈ L(τ) + α·δη(τ)·Tr Σ′(τ), τ = Σ η_t, with the constant-LR run as
 * reference and one α fitted once on the linear-decay runs of both sizes,
 * predicting the cosine runs. Two sizes (the collapse_mlp setting at widths 8
 * and 16, μP, Adam, peak LR 3e-3, batches of 64, 1,000 features), one seed,
 * 600 steps; the preconditioned gradient-noise trace Tr Σ′ is measured every
 * 20 steps on 8 fixed batches of 8 (`measure.gradNoise`).
 *
 * Paired runs (`pairOver: ["schedule.kind"]`): the three schedules of one
 * size and seed share initialisation and batches, so L′ − L is the schedule's
 * effect and not seed noise. Before pairing the comparison carried seed noise
 * of the size of the effect: α fitted per size had opposite signs (6.0e-5 and
 * −1.2e-5) and cosine errors were 5.7% / 4.3% against 4.7% / 6.4% for α = 0.
 *
 * `report`, not gated, measured with pairing (quick, wasm; widths 16 / 8):
 * - seed 1: α = 1.06e-5; cosine errors 0.17% / 0.76% vs α = 0 1.29% / 0.37%;
 * - seed 2: α = 1.15e-5; 0.59% / 0.22% vs 0.91% / 1.59%;
 * - seed 3: α = 1.14e-5; 0.25% / 0.41% vs 1.42% / 0.61%.
 * α is now one number across sizes and seeds, and every error is ≤ 2%, but
 * the "≤ 0.5× the α = 0 error" criterion fails on one size in each seed
 * (ratios 2.06, 0.65, 0.68): where the schedule's effect is small the α = 0
 * model is already within 0.4–0.6%. Full profile: 1,500 steps, 2 seeds.
 */
import { defineExperiment } from "../core/config/schema.ts";
import { mlpLadder } from "./_shared.ts";

const base = mlpLadder("schedule_model_mlp", "mup");

export default defineExperiment({
  ...base,
  description: "constant / linear / cosine schedules at one size; L′ = L + α·δη·TrΣ′",
  tags: ["collapse", "schedule", "mlp"],
  model: { kind: "resmlp", width: 16, blocks: 1, parametrization: "mup", baseWidth: 16 },
  budget: { steps: 600 },
  sweep: { "schedule.kind": ["constant", "linear", "cosine"], "model.width": [8, 16] },
  pairOver: ["schedule.kind"],
  measure: { every: 10, gradNoise: { every: 20, batchSize: 8, batches: 8 } },
  checks: [
    {
      name: "schedule_noise_model",
      expect: "report",
      options: { fitOn: "linear" },
      note:
        "paired runs: α = 1.06e-5 / 1.15e-5 / 1.14e-5 (seeds 1–3), every cosine error ≤ 0.8% (≤ 2% holds), " +
        "but ≤ 0.5× the α = 0 error fails on one size per seed (2.06, 0.65, 0.68): see the file's comment",
    },
  ],
  profiles: { full: { "budget.steps": 1500, "sweep.seed": [1, 2] } },
});
