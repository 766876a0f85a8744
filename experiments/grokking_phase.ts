/**
 * The grokking phase diagram (Liu et al. 2022, "Towards understanding
 * grokking"): the quick grokking setting (grokking_mlp: p = 31, width 64,
 * AdamW lr 3e-3) over weight decay × train fraction, each run labelled
 * comprehension, grokking, memorisation or confusion by `grokking_phase`
 * (grokking = the `grokking` check's criteria; memorisation = fits but no
 * t_gen within the budget; confusion = never fits). The report draws the
 * labels and t_gen/t_fit as heat maps; the quick suite's own setting is
 * weight decay 1, trainFraction 0.4.
 *
 * Quick profile: a coarse 3 × 3 grid, 1000 steps (~30 s of CPU). Measured
 * (wasm, quick): trainFraction 0.3 memorises at every weight decay (test acc
 * ≤ 0.05 after 1000 steps; t_fit 60–190); 0.6 comprehends at every weight
 * decay (t_gen/t_fit 1.6–1.8); 0.4 groks only at weight decay 1 (the quick
 * setting: t_fit 90, t_gen 440, ratio 4.9) and memorises within the budget at
 * 0 (test acc 0.92 at step 1000) and 10 (0.73). No confusion: even weight
 * decay 10 fits (t_fit 180–250). A finer probe (seed 1) put weight decay 0.3
 * at fraction 0.4 in grokking (ratio 5.2) and 3 in comprehension (ratio 2.7,
 * test acc 0.02 at t_fit: a short delay). Grokking is a narrow band here.
 * Full profile: 6 × 6, 3000 steps (not yet measured). Held-out settings
 * (p = 59) are in grokking_heldout.
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
  sweep: { "optimizer.weightDecay": [0, 1, 10], "task.trainFraction": [0.3, 0.4, 0.6] },
  measure: { every: 10 },
  checks: [
    { name: "grokking_phase", expect: "report" },
  ],
  profiles: {
    full: {
      "budget.steps": 3000,
      "sweep.optimizer.weightDecay": [0, 0.1, 0.3, 1, 3, 10],
      "sweep.task.trainFraction": [0.2, 0.3, 0.4, 0.5, 0.6, 0.7],
    },
  },
});
