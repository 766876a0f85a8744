/**
 * Held-out settings of the grokking phase diagram (issue 19; grokking_phase):
 * a − b mod p with the quick model and optimizer over p ∈ {31, 59} × width ∈
 * {64, 256}. Each run is labelled by `grokking_phase` and the report draws the
 * 2 × 2 map (p = 59, width 64 outlined: the setting the issue found
 * generalising while it fits). Full profile only (9–92 s per run, shared machine).
 */
import { defineExperiment } from "../core/config/schema.ts";
import { GROK_ADAMW, GROK_MLP } from "./_shared.ts";

export default defineExperiment({
  name: "grokking_heldout",
  description:
    "a − b mod p (31, 59), quadratic MLP width 64 vs 256: where held-out settings land in the " +
    "phase diagram",
  tags: ["grokking"],
  profilesIn: ["full"],
  task: { kind: "modular", p: 59, op: "sub", trainFraction: 0.4, encoding: "onehot" },
  model: GROK_MLP, // width 64 (the base setting; swept)
  loss: "mse",
  optimizer: GROK_ADAMW,
  budget: { steps: 1500 },
  sweep: { "task.p": [31, 59], "model.width": [64, 256], seed: [1] },
  measure: { every: 10, updateGram: { window: 10, every: 1 } },
  checks: [
    {
      name: "grokking_phase",
      expect: "report",
      note: "p = 31: width 64 groks (t_fit 80, t_gen 430, ratio 5.4), width 256 memorises " +
        "(t_fit 30, test acc 0.75 at step 1500); p = 59: width 64 comprehends (t_fit 160, t_gen " +
        "200, ratio 1.25, test acc 0.62 at t_fit), width 256 groks (t_fit 40, t_gen 190, ratio " +
        "4.75). More parameters per training pair push towards memorisation, fewer towards " +
        "comprehension: the quick setting's phase does not carry over to p = 59 at width 64",
    },
    { name: "grokking", expect: "report" },
    {
      name: "edge_precedes_grokking",
      expect: "report",
      note: "σ₂/σ₃, L = 150: p = 31 width 64 E = 0.54 (every step) / 0.57 (every 10); width 256 " +
        "(no t_gen, last windows) 0.92 / 0.91; both p = 59 runs have no plateau (t_gen - t_fit " +
        "= 40 and 150 < 2L = 300)",
    },
  ],
});
