/**
 * `SpectralEdgeStopping` (SPEC §8) on the `grokking_mlp` run: stop once the
 * update-Gram gap g₂₃ has fallen ≥ 8× from its running peak and then has not
 * reached a new minimum for `patience` measurements. The runs.csv `reason`
 * column names the stop and `steps` where it happened; the `grokking` check
 * (gating) confirms that the stop did not cut the run off before t_gen.
 *
 * Settings and why (wasm, quick setting of grokking_mlp, seeds 1–6, 2000
 * steps): g₂₃ peaks in the first measurements (the Adam warm-up transient, at
 * step 10) and falls steadily from there through memorisation, so the 8× fall
 * is reached during the plateau (step ~115, test acc ~1%) and the patience
 * alone decides when it stops. With the defaults (g₂₃ every step, patience 5)
 * it stops at steps 54–207, in the memorisation plateau (t_gen = 430–760).
 * With g₂₃ every 10 steps: patience 5 stops at 100–460, 10 at 450–640, 20 at
 * 550–870 and 30 at 650–970 — each still before t_gen in at least one of the
 * six seeds (30: seed 6 stops at 720, t_gen 760). Patience 50 (500 steps
 * without a new minimum) stopped after t_gen in every seed that stopped (seeds
 * 2–5 at 1020, 1770, 940, 1170; seeds 1 and 6 did not stop within 2000
 * steps). So the rule works here as a "stop after generalisation" only with a
 * long patience, chosen from these data; the quick profile runs seeds 1–3.
 */
import { defineExperiment } from "../core/config/schema.ts";

export default defineExperiment({
  name: "grokking_stopping",
  description:
    "grokking_mlp with SpectralEdgeStopping on g23 (threshold 8, patience 50 measurements every " +
    "10 steps): stops after generalisation or not at all",
  tags: ["grokking", "control-tools"],
  task: { kind: "modular", p: 31, op: "add", trainFraction: 0.4, encoding: "onehot" },
  model: { kind: "mlp", depth: 1, width: 64, activation: "quadratic", bias: false },
  loss: "mse",
  optimizer: { kind: "adamw", lr: 3e-3, beta1: 0.9, beta2: 0.98, weightDecay: 1.0 },
  budget: { steps: 2000 },
  sweep: { seed: [1, 2, 3] },
  measure: { every: 10, updateGram: { window: 10, every: 10 } },
  control: {
    stopping: { metric: "gram_g23", threshold: 8, patience: 50, minStep: 0 },
    diagnostic: { window: 10 },
  },
  checks: [
    { name: "grokking", expect: "holds" },
    { name: "edge_precedes_grokking", expect: "holds" },
  ],
  profiles: {
    full: {
      "task.p": 97,
      "task.trainFraction": 0.3,
      "model.width": 500,
      "optimizer.lr": 1e-3,
      "budget.steps": 3000,
    },
  },
});
