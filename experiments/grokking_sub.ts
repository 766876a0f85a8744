/**
 * Grokking of a − b mod 97 in the quadratic MLP f = W2 (W1 x)² (SPEC §6.1
 * setting of grokking_mlp's full profile: width 500, MSE on one-hot targets,
 * trainFraction 0.3, full-batch AdamW lr 1e-3, β (0.9, 0.98), weight decay
 * 1.0).
 *
 * Full profile only: a full-batch step (2823 examples × 145,500 parameters)
 * takes 0.13–1.3 s on wasm here (idle to shared machine). Measured, seed 1 on
 * wasm (220 s): t_fit = 60, t_gen = 420, g₂₃ falls 301× before t_gen. A numpy
 * version of this setting (uniform Xavier init, one seed, evaluated every 20
 * steps) gives t_fit ≈ 60, t_gen ≈ 380.
 */
import { defineExperiment } from "../core/config/schema.ts";

export default defineExperiment({
  name: "grokking_sub",
  description: "quadratic MLP on a − b mod 97, MSE, full-batch AdamW with weight decay 1",
  tags: ["grokking"],
  profilesIn: ["full"],
  task: { kind: "modular", p: 97, op: "sub", trainFraction: 0.3, encoding: "onehot" },
  model: { kind: "mlp", depth: 1, width: 500, activation: "quadratic", bias: false },
  loss: "mse",
  optimizer: { kind: "adamw", lr: 1e-3, beta1: 0.9, beta2: 0.98, weightDecay: 1.0 },
  budget: { steps: 1000 },
  sweep: { seed: [1] },
  measure: { every: 10, updateGram: { window: 10, every: 1 } },
  control: { diagnostic: { window: 10 } },
  checks: [
    { name: "grokking", expect: "holds" },
    { name: "edge_precedes_grokking", expect: "holds" },
  ],
});
