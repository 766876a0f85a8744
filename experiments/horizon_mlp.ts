/**
 * Compute-optimal horizon of the trained MLP ladder (Qiu et al. 2025,
 * App. C: γ ≈ 1.04 for their MLP): the collapse_mlp setting (μP resmlp, one
 * block, Adam at constant LR 3e-3, batches of 64, 1,000 features) at widths
 * 4, 6, 8, 12, 16, every size run for the same 600 steps, one seed. The Pareto
 * frontier of test loss vs compute gives c*(p) = κ·p^(1+γ)
 * (`compute_optimal_horizon`, smallest and largest size dropped); γ is
 * recorded (`report`), not gated: at this scale and budget the frontier is
 * set by curves whose seed noise (~0.01 in loss) is comparable to the gaps
 * between widths, so the fitted γ is a measurement, not a test. When
 * written, quick found a bounded frontier interval for only one interior
 * width (the check skips: after 600 steps the widths are not yet separated
 * by more than the seed noise; final test loss 0.470, 0.418, 0.426, 0.413,
 * 0.393 for widths 4, 6, 8, 12, 16 — width 6 beats width 8) — the compute-optimal horizons of this ladder lie beyond the
 * quick budget, which is why collapse_mlp states γ instead of fitting it.
 * Full profile: 2 seeds and 1,600 steps.
 */
import { defineExperiment } from "../core/config/schema.ts";
import { mlpLadder } from "./_shared.ts";

export default defineExperiment({
  ...mlpLadder("horizon_mlp", "mup"),
  description: "constant-LR resmlp ladder past its optimum; the loss–compute frontier gives γ",
  tags: ["collapse", "horizon", "mlp"],
  budget: { steps: 600 },
  sweep: { "model.width": [4, 6, 8, 12, 16], seed: [1] },
  checks: [{ name: "compute_optimal_horizon", expect: "report" }],
  profiles: { full: { "budget.steps": 1600, "sweep.seed": [1, 2] } },
});
