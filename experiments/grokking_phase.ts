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
 * Full profile: 6 × 6, 3000 steps (375 s summed over runs, wasm, seed 1).
 * Grokking is a thin band on the boundary between memorisation (small
 * fractions) and comprehension (large ones), and it moves to smaller
 * fractions as the weight decay grows, as in Liu et al.'s phase diagrams:
 * fraction 0.4 groks at weight decay 0.1 (t_gen/t_fit 19.3), 0.3 (5.2) and 1
 * (4.9, the quick setting), fraction 0.3 at weight decay 3 (11.4); fractions
 * ≥ 0.5 comprehend (ratios 1.3–2.2) except at weight decay 10 and fraction
 * 0.5 (memorisation: test acc 0.92 by step 3000); fractions 0.2–0.3
 * memorise (test acc ≤ 0.05) except at weight decay 3 (fraction 0.3 groks)
 * and 10 (test acc 0.10–0.44); without weight decay fraction 0.4 memorises
 * within 3000 steps (test acc 0.94). No cell is confusion. Held-out settings
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
