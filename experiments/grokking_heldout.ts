/**
 * Held-out settings of the grokking phase diagram (issue 19): modular
 * subtraction at p = 59, trainFraction 0.4, with the quick model and
 * optimizer (quadratic MLP, AdamW lr 3e-3, β (0.9, 0.98), weight decay 1), at
 * width 64 and 256. Each run is labelled by `grokking_phase`.
 *
 * Measured before (issue 19): width 64 generalises while it fits
 * (t_gen/t_fit = 1.2, test acc 0.62 at t_fit: comprehension); width 256
 * groks (t_gen/t_fit = 4.25). Full profile only (measured numbers below).
 */
import { defineExperiment } from "../core/config/schema.ts";
import { GROK_ADAMW, GROK_MLP } from "./_shared.ts";

export default defineExperiment({
  name: "grokking_heldout",
  description:
    "a − b mod 59, quadratic MLP width 64 vs 256: where held-out settings land in the phase diagram",
  tags: ["grokking"],
  profilesIn: ["full"],
  task: { kind: "modular", p: 59, op: "sub", trainFraction: 0.4, encoding: "onehot" },
  model: GROK_MLP,
  loss: "mse",
  optimizer: GROK_ADAMW,
  budget: { steps: 1500 },
  sweep: { "model.width": [64, 256], seed: [1] },
  measure: { every: 10, updateGram: { window: 10, every: 1 } },
  checks: [
    { name: "grokking_phase", expect: "report" },
    { name: "grokking", expect: "report" },
    { name: "edge_precedes_grokking", expect: "report" },
  ],
});
