/**
 * Compute-optimal horizon of the trained MLP ladder (Qiu et al. 2025, App. C:
 * γ ≈ 1.04 for their MLP): the collapse_mlp ladder (μP resmlp, Adam at
 * constant LR) with every size run for the same number of steps. The Pareto
 * frontier of test loss vs compute gives c*(p) = κ·p^(1+γ)
 * (`compute_optimal_horizon`, smallest and largest size dropped). Recorded
 * (`report`), not gated: at this scale the frontier is set by curves whose
 * seed noise (~0.01 in loss) is comparable to the gaps between widths.
 */
import { defineExperiment } from "../core/config/schema.ts";
import { mlpLadder } from "./_shared.ts";

export default defineExperiment({
  ...mlpLadder("horizon_mlp", "mup"),
  description: "constant-LR resmlp ladder past its optimum; the loss–compute frontier gives γ",
  tags: ["collapse", "horizon", "mlp"],
  budget: { steps: 600 },
  sweep: { "model.width": [4, 6, 8, 12, 16], seed: [1] },
  checks: [
    {
      name: "compute_optimal_horizon",
      expect: "report",
      note: "skips: one interior width has a bounded frontier interval; after 600 steps the " +
        "widths are not separated by more than the seed noise (final test loss 0.470, 0.418, " +
        "0.426, 0.413, 0.393 for widths 4-16: width 6 beats 8). The compute-optimal horizons " +
        "lie beyond the quick budget, which is why collapse_mlp states γ instead of fitting it",
    },
  ],
  profiles: { full: { "budget.steps": 1600, "sweep.seed": [1, 2] } },
});
