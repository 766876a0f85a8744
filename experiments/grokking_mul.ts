/**
 * Grokking of a·b mod 97 in the quadratic MLP f = W2 (W1 x)² (SPEC §6.1, the
 * setting of grokking_mlp's full profile: `grokkingSpecSetting` in
 * `_shared.ts`). Full profile only (step cost: see `GROK_SPEC_PROFILE`).
 */
import { defineExperiment } from "../core/config/schema.ts";
import { grokkingSpecSetting } from "./_shared.ts";

export default defineExperiment({
  name: "grokking_mul",
  description: "quadratic MLP on a·b mod 97, MSE, full-batch AdamW with weight decay 1",
  ...grokkingSpecSetting(
    "mul",
    "seed 1 (wasm, 170 s): t_fit 60, t_gen 410, absolute g₂₃ falls 109× before t_gen; numpy " +
      "(uniform Xavier, one seed, evaluated every 20 steps): t_fit ≈ 60, t_gen ≈ 440",
  ),
});
