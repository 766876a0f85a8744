/**
 * Settings shared by several experiments of the suite (not an experiment: the
 * suite skips files whose name starts with `_`).
 * @module
 */

/** 20 points of the Chebyshev polynomial T3 on [−1, 1] (SPEC §6.4). */
export const CHEBYSHEV_TASK = { kind: "chebyshev", degree: 3, n: 20 } as const;

/** The 1→100→1 tanh MLP of the CPU-fast EoS setting: first-layer Xavier gain 1.9, zero bias. */
export const CHEBYSHEV_MLP = {
  kind: "mlp",
  depth: 1,
  width: 100,
  activation: "tanh",
  bias: true,
  init: { scheme: "xavier", firstLayerGain: 1.9 },
} as const;

/**
 * The same MLP without biases: the EoS family's model. Why: the 20 inputs are
 * symmetric (x₁₉₋ᵢ = −xᵢ exactly in float32) and T3 is odd, so with zero-initialised
 * biases the network stays odd and the bias gradients cancel. On `cpu` they cancel
 * bitwise, the biases stay exactly 0 for the whole run, and λ_max is attained in
 * the bias block, a direction GD never moves in: it sharpens to 1.97·2/η while the
 * weights sit at their own edge (λ·η/2 ≈ 1.0). On `wasm` rounding breaks the
 * symmetry and the bias direction joins the edge. Without biases the invariant
 * subspace is the whole space and both backends see the same edge.
 */
export const CHEBYSHEV_MLP_ODD = { ...CHEBYSHEV_MLP, bias: false } as const;

/** Modular addition for the quick grokking runs: p = 31, 40% of the pairs for training. */
export const GROK_TASK = {
  kind: "modular",
  p: 31,
  op: "add",
  trainFraction: 0.4,
  encoding: "onehot",
} as const;

/** The quadratic MLP f = W2 (W1 x)² of the grokking runs, quick width. */
export const GROK_MLP = {
  kind: "mlp",
  depth: 1,
  width: 64,
  activation: "quadratic",
  bias: false,
} as const;

/** Full-batch AdamW with the SPEC's β and weight decay, quick learning rate. */
export const GROK_ADAMW = {
  kind: "adamw",
  lr: 3e-3,
  beta1: 0.9,
  beta2: 0.98,
  weightDecay: 1.0,
} as const;

/**
 * The SPEC §6.1 grokking setting (p = 97, width 500, trainFraction 0.3, AdamW
 * lr 1e-3, wd 1), full batch, for an operation: the full-profile variants.
 */
export function grokkingSpecSetting(op: "add" | "sub" | "mul" | "div") {
  return {
    tags: ["grokking"],
    profilesIn: ["full" as const],
    task: { kind: "modular" as const, p: 97, op, trainFraction: 0.3, encoding: "onehot" as const },
    model: { ...GROK_MLP, width: 500 },
    loss: "mse" as const,
    optimizer: { ...GROK_ADAMW, lr: 1e-3 },
    budget: { steps: 1000 },
    sweep: { seed: [1] },
    measure: { every: 10, updateGram: { window: 10, every: 1 } },
    control: { diagnostic: { window: 10 } },
    checks: [
      { name: "grokking", expect: "holds" as const },
      {
        name: "edge_precedes_grokking",
        expect: "report" as const,
        note: "not gated: the scale-free edge does not collapse into t_gen in the quick setting " +
          "(grokking_mlp); recorded here at the SPEC setting",
      },
    ],
  };
}
