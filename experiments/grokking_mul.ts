/**
 * Grokking of a·b mod 97 in the quadratic MLP f = W2 (W1 x)² (SPEC §6.1
 * setting of grokking_mlp's full profile: width 500, MSE on one-hot targets,
 * trainFraction 0.3, full-batch AdamW lr 1e-3, β (0.9, 0.98), weight decay
 * 1.0).
 *
 * Full profile only: a full-batch step (2823 examples × 145,500 parameters)
 * takes 0.13–1.3 s on wasm here (idle to shared machine). Measured, seed 1 on
 * wasm (170 s): t_fit = 60, t_gen = 410, g₂₃ falls 109× before t_gen. A numpy
 * version of this setting (uniform Xavier init, one seed, evaluated every 20
 * steps) gives t_fit ≈ 60, t_gen ≈ 440.
 */
import { defineExperiment } from "../core/config/schema.ts";
import { grokkingSpecSetting } from "./_shared.ts";

export default defineExperiment({
  name: "grokking_mul",
  description: "quadratic MLP on a·b mod 97, MSE, full-batch AdamW with weight decay 1",
  ...grokkingSpecSetting("mul"),
});
