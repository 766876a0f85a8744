/**
 * Grokking in the quadratic MLP f = W2 (W1 x)² on modular addition (SPEC
 * §6.1), and the update-Gram spectral edge that collapses before it (SPEC §7,
 * Xu 2026).
 *
 * Quick profile (CI, wasm): p = 31, width 64, trainFraction 0.4, AdamW lr 3e-3.
 * The SPEC's numpy setting (p = 97, width 500, trainFraction 0.3, lr 1e-3) costs
 * about 1.3 s per full-batch step on wasm here (2823 examples × 145,500
 * parameters), so ~500 steps to grok would take over 10 minutes per seed.
 * Smaller p with the same width/fraction does not grok in the budget (p = 23–41,
 * width 200, fraction 0.3: test acc ≤ 8% after 1000 steps — memorising is cheap
 * when there are few examples per parameter), so the quick setting also shrinks
 * the width and raises the fraction; lr 3e-3 (β, weight decay as the SPEC)
 * shortens the run about 2–3× (numpy, 3 seeds: lr 1e-3 gives t_fit ≈ 200,
 * t_gen ≈ 860–1060; lr 3e-3 gives t_fit ≈ 85, t_gen ≈ 420–500). The full
 * profile is the SPEC setting (numpy here: t_fit ≈ 100, t_gen ≈ 400).
 *
 * Seeds: the sweep over `seed` varies the initialisation only; the train/test
 * split is fixed by `task.seed` (0).
 */
import { defineExperiment } from "../core/config/schema.ts";

export default defineExperiment({
  name: "grokking_mlp",
  description:
    "quadratic MLP on a+b mod p, MSE on one-hot targets, full-batch AdamW with weight decay 1; " +
    "grokking and the update-Gram edge (seeds vary the init, the split is fixed)",
  tags: ["grokking"],
  task: { kind: "modular", p: 31, op: "add", trainFraction: 0.4, encoding: "onehot" },
  model: { kind: "mlp", depth: 1, width: 64, activation: "quadratic", bias: false },
  loss: "mse",
  optimizer: { kind: "adamw", lr: 3e-3, beta1: 0.9, beta2: 0.98, weightDecay: 1.0 },
  budget: { steps: 1000 },
  sweep: { seed: [1, 2, 3] },
  measure: {
    every: 10,
    updateGram: { window: 10, every: 1 },
    sharpness: { every: 50, method: "lanczos", iters: 10, tol: 1e-2 },
  },
  control: { diagnostic: { window: 10 } },
  checks: [
    { name: "grokking", expect: "holds" },
    { name: "edge_precedes_grokking", expect: "holds" },
    {
      name: "edge_precedes_grokking",
      expect: "report",
      options: { metric: "hessian" },
      note:
        "the Hessian version of the edge (λ_max falls before t_gen) is recorded, not gated (SPEC §7)",
    },
  ],
  profiles: {
    full: {
      "task.p": 97,
      "task.trainFraction": 0.3,
      "model.width": 500,
      "optimizer.lr": 1e-3,
      "budget.steps": 1000,
      "measure.sharpness": { every: 100, method: "lanczos", iters: 10, tol: 1e-2 },
    },
  },
});
