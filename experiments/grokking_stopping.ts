/**
 * `SpectralEdgeStopping` (SPEC §8) on the `grokking_mlp` setting: stop once the
 * update-Gram gap g₂₃ has fallen ≥ 8× from its running peak and then has not
 * reached a new minimum for `patience` measurements. The runs.csv `reason`
 * column names the stop and `steps` where it happened; the `grokking` check
 * (gating) confirms that the stop did not cut the run off before t_gen.
 *
 * Measured (wasm, quick, seeds 1/2/3; 2000-step budget): t_gen = 630/680/500;
 * seed 1 does not stop, seeds 2 and 3 stop at steps 1410 and 980.
 *
 * Why these settings: g₂₃ peaks at its first measurement (the Adam warm-up
 * transient, step 10) and falls steadily through memorisation, so the 8× fall
 * is reached inside the plateau (step ~115, test acc ~1%) and the patience
 * alone decides when the rule fires. Replaying the rule on grokking_mlp's
 * seeds 1–6 (t_gen = 430–760): with the defaults (g₂₃ every step, patience 5)
 * it stops at steps 54–207, in the plateau. With g₂₃ every 10 steps, patience
 * 5, 10, 20 and 30 stop at 100–460, 450–640, 550–870 and 650–970, each before
 * t_gen in at least one seed (30: stops at 720, t_gen 760). Patience 50 (500
 * steps with no new minimum) stopped after t_gen in every seed that stopped
 * (4 of 6, at 940–1770) and not at all in the other two within 2000 steps.
 * The rule is a "stop after generalisation" here only with a long patience,
 * and that patience was chosen from these data.
 */
import { defineExperiment } from "../core/config/schema.ts";
import { GROK_ADAMW, GROK_MLP, GROK_SPEC_PROFILE, GROK_TASK } from "./_shared.ts";

export default defineExperiment({
  name: "grokking_stopping",
  description:
    "grokking_mlp with SpectralEdgeStopping on g23 (threshold 8, patience 50 measurements every " +
    "10 steps): stops after generalisation or not at all",
  tags: ["grokking", "control-tools"],
  task: GROK_TASK,
  model: GROK_MLP,
  loss: "mse",
  optimizer: GROK_ADAMW,
  budget: { steps: 2000 },
  sweep: { seed: [1, 2, 3] },
  measure: { every: 10, updateGram: { window: 10, every: 10 } },
  control: {
    stopping: { metric: "gram_g23", threshold: 8, patience: 50, minStep: 0 },
    diagnostic: { window: 10 },
  },
  checks: [
    { name: "grokking", expect: "holds" },
    {
      name: "edge_precedes_grokking",
      expect: "report",
      note: "not gated: the scale-free edge does not collapse into t_gen (see grokking_mlp)",
    },
  ],
  profiles: {
    full: {
      ...GROK_SPEC_PROFILE,
      "budget.steps": 3000,
    },
  },
});
