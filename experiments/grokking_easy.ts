/**
 * Negative control of `grokking` by data (SPEC §7: "trainFraction large enough
 * to generalise at once"): grokking_mlp with trainFraction 0.5 instead of 0.4.
 * It still fits first, but the delay falls below the check's t_gen/t_fit ≥ 3,
 * so `grokking` fails: the gating negative control (grokking_no_wd is not one).
 */
import { defineExperiment } from "../core/config/schema.ts";
import { GROK_ADAMW, GROK_MLP, GROK_TASK } from "./_shared.ts";

export default defineExperiment({
  name: "grokking_easy",
  description:
    "grokking_mlp with trainFraction 0.5: generalises soon after fitting (negative control; " +
    "seeds vary the init, the split is fixed)",
  tags: ["grokking", "control"],
  task: { ...GROK_TASK, trainFraction: 0.5 }, // 0.6 gives t_gen/t_fit ≈ 1.6
  model: GROK_MLP,
  loss: "mse",
  optimizer: GROK_ADAMW,
  budget: { steps: 400 },
  sweep: { seed: [1, 2, 3] },
  measure: { every: 10, updateGram: { window: 10, every: 1 } },
  control: { diagnostic: { window: 10 } },
  checks: [
    {
      name: "grokking",
      expect: "fails",
      note: "a short delay, not none: t_gen/t_fit = 2.3, 1.9, 2.2 (t_fit 100-120, t_gen " +
        "220-230), test acc at t_fit 0.03. Full profile, seed 1 (wasm): t_fit 90, t_gen 170 " +
        "(1.9; numpy the same), absolute g₂₃ falls 1.6×",
    },
    {
      name: "edge_precedes_grokking",
      expect: "report",
      note: "no memorisation plateau: t_gen - t_fit = 110-130 steps < 2L = 300; the check is not " +
        "gated because it does not hold in grokking_mlp either",
    },
  ],
  profiles: {
    full: {
      // the SPEC setting (GROK_SPEC_PROFILE) at this file's trainFraction 0.5
      "task.p": 97,
      "model.width": 500,
      "optimizer.lr": 1e-3,
      "budget.steps": 600,
    },
  },
});
