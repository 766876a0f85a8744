/**
 * The grokking phase diagram (Liu et al. 2022, "Towards understanding
 * grokking"): the quick grokking setting (grokking_mlp: weight decay 1,
 * trainFraction 0.4) over weight decay × train fraction, each run labelled
 * comprehension, grokking, memorisation (fits, no t_gen in the budget) or
 * confusion (never fits) by `grokking_phase`; the report draws the labels and
 * t_gen/t_fit as heat maps. Held-out settings (p = 59) are in grokking_heldout.
 */
import { defineExperiment } from "../core/config/schema.ts";
import { GROK_ADAMW, GROK_MLP, GROK_TASK } from "./_shared.ts";

export default defineExperiment({
  name: "grokking_phase",
  description:
    "phase diagram of grokking_mlp over weight decay × train fraction (comprehension, grokking, " +
    "memorisation, confusion)",
  tags: ["grokking"],
  task: GROK_TASK,
  model: GROK_MLP,
  loss: "mse",
  optimizer: GROK_ADAMW,
  budget: { steps: 1000 },
  // a coarse 3 × 3 grid, ~30 s of CPU
  sweep: { "optimizer.weightDecay": [0, 1, 10], "task.trainFraction": [0.3, 0.4, 0.6] },
  measure: { every: 10 },
  checks: [
    {
      name: "grokking_phase",
      expect: "report",
      note: "quick: grokking only at wd 1 × 0.4 (t_gen/t_fit 4.9); 0.3 memorises (test acc " +
        "0.03, 0.04, 0.23 at wd 0, 1, 10), 0.6 comprehends (1.6-1.8), 0.4 memorises at wd 0 " +
        "(0.92) and 10 (0.73); no confusion. Probe at 0.4 (seed 1): wd 0.3 groks (5.2), 3 " +
        "comprehends (2.7). Full (seed 1): grokking is a thin band between memorisation (small " +
        "fractions) and comprehension (large), moving to smaller fractions as wd grows: 0.4 " +
        "groks at wd 0.1 (19.3), 0.3 (5.2), 1 (4.9), 0.3 at wd 3 (11.4); ≥ 0.5 comprehends " +
        "(1.3-2.2) except wd 10 × 0.5 (memorises, 0.92); 0.2-0.3 memorise (≤ 0.05) except wd 3 " +
        "and 10 (0.10-0.44); wd 0 × 0.4 memorises (0.94 by step 3000); no confusion",
    },
  ],
  profiles: {
    full: {
      // 6 × 6, 375 s summed over runs (wasm)
      "budget.steps": 3000,
      "sweep.optimizer.weightDecay": [0, 0.1, 0.3, 1, 3, 10],
      "sweep.task.trainFraction": [0.2, 0.3, 0.4, 0.5, 0.6, 0.7],
    },
  },
});
