/**
 * Held-out settings of the grokking phase diagram (issue 19): modular
 * subtraction at p = 59, trainFraction 0.4, with the quick model and
 * optimizer (quadratic MLP, AdamW lr 3e-3, β (0.9, 0.98), weight decay 1), at
 * width 64 and 256. Each run is labelled by `grokking_phase`.
 *
 * Measured (wasm, full profile, seed 1; 110 s and 350 s on a shared machine):
 * width 64 generalises while it fits — t_fit = 170, t_gen = 210 (ratio
 * 1.24), test acc 0.61 at t_fit: comprehension; width 256 groks — t_fit =
 * 40, t_gen = 170 (ratio 4.25), test acc 0.001 at t_fit. So the quick
 * setting's neighbourhood (p = 31, width 64, fraction 0.4: grokking) does not
 * carry over to p = 59 at the same width; at width 256 it does. The edge
 * check fails on both for want of a plateau (t_gen − t_fit = 40 and 130 <
 * 2L = 300); σ₂/σ₃ collapses (≈5.7 → 1.2) over steps 50–200 at width 256,
 * across its short plateau, and (≈8.8 → 1.2) over steps 250–300 at width 64,
 * after t_gen. Full profile only.
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
