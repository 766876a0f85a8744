/**
 * Settings shared by several experiments of the suite (not an experiment: the
 * suite skips files whose name starts with `_`).
 * @module
 */
import type { ExperimentInput } from "../core/config/schema.ts";

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
 * the bias block, a direction GD never moves in: it sharpens to 1.8–1.97·2/η while
 * the weights sit at their own edge (λ·η/2 ≈ 1.0; step 600, η = 0.4, float64
 * Hessian of the float32 iterate: λ = 7.91 in the bias block, 5.14 in the
 * weights, g·v/|g| = 2e-15). On `wasm` rounding breaks the symmetry and the bias
 * direction joins the edge. Under Adam (eos_adam) the bias gradients are exactly
 * 0 on `cpu` but ~1e-9 on `wasm`, which Adam's normalisation would turn into
 * full-size steps. Without biases the invariant subspace is the whole space and
 * both backends see the same edge.
 */
export const CHEBYSHEV_MLP_ODD = { ...CHEBYSHEV_MLP, bias: false } as const;

/**
 * Modular addition for the quick grokking runs: p = 31, 40% of the pairs for
 * training. Smaller p alone does not grok in the budget (p = 23–41, width 200,
 * fraction 0.3: test acc ≤ 8% after 1000 steps; memorising is cheap with few
 * examples per parameter), hence the smaller width and the larger fraction.
 */
export const GROK_TASK = {
  kind: "modular",
  p: 31,
  op: "add",
  trainFraction: 0.4,
  encoding: "onehot",
} as const;

/** The quadratic MLP f = W2 (W1 x)² of the grokking runs, quick width (SPEC: 500). */
export const GROK_MLP = {
  kind: "mlp",
  depth: 1,
  width: 64,
  activation: "quadratic",
  bias: false,
} as const;

/**
 * Full-batch AdamW with the SPEC's β and weight decay, quick learning rate:
 * 3e-3 shortens the run 2–3× against the SPEC's 1e-3 (numpy, 3 seeds: lr 1e-3
 * t_fit ≈ 200, t_gen ≈ 860–1060; lr 3e-3 t_fit ≈ 85, t_gen ≈ 420–500).
 */
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
 * `measured` is the `grokking` check's note (what the run gave).
 */
export function grokkingSpecSetting(op: "add" | "sub" | "mul" | "div", measured?: string) {
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
      { name: "grokking", expect: "holds" as const, ...(measured ? { note: measured } : {}) },
      {
        name: "edge_precedes_grokking",
        expect: "report" as const,
        note: "not gated: the scale-free edge does not collapse into t_gen in the quick setting " +
          "(grokking_mlp); recorded here at the SPEC setting",
      },
    ],
  };
}

// ---------------------------------------------------------------------------
// The resmlp width ladder of the MLP collapse experiments (collapse_mlp and its
// controls, horizon_mlp, schedule_model_mlp)

/**
 * The width ladder of the MLP collapse experiments (one residual block: p = 200
 * … 1368). The quick suite has about 3 minutes on 2 cores: a D = 128 step
 * costs ~0.1 s on wasm, a D ≤ 32 step ~10 ms; the paper's widths (384–2048,
 * 10,000 features) are out of reach.
 */
export const MLP_WIDTHS: number[] = [8, 12, 16, 24];
/** The stated horizon exponent (Qiu et al. 2025, MLP: γ ≈ 1.04); horizon_mlp measures ours. */
export const MLP_GAMMA = 1.04;
/** Steps of the smallest width at the horizon: the ladder runs 100, 204, 343, 727 steps. */
export const MLP_T0 = 100;
/** Peak Adam LR at μP base width 16: best of 3e-3, 1e-2, 3e-2 at widths 16, 48 (600 steps). */
export const MLP_LR = 3e-3;

/** Full-profile override shared by the MLP ladders: twice the quick horizons (200 … 1454 steps). */
export const MLP_FULL_PROFILE: Record<string, unknown> = {
  "budget.computeOptimal.kappa": 2 * (MLP_T0 / resmlpParams(MLP_WIDTHS[0]) ** MLP_GAMMA),
};

/** Parameters of the quick resmlp: embed 8→D, `blocks` blocks of two D×D matrices, readout D→1. */
export function resmlpParams(width: number, blocks = 1, inputDim = 8): number {
  return inputDim * width + blocks * 2 * width * width + width;
}

/** κ such that t*(p_smallest) = {@linkcode MLP_T0} with t* = κ·p^γ. */
export function mlpKappa(gamma: number): number {
  return MLP_T0 / resmlpParams(MLP_WIDTHS[0]) ** gamma;
}

/**
 * The fields shared by the MLP ladder experiments (task, model, optimizer,
 * sweep, measure, full profile); budget and checks are each file's own.
 *
 * @example
 * ```ts
 * import { mlpLadder } from "./_shared.ts";
 * import { assertEquals } from "../tests/assert.ts";
 * const ladder = mlpLadder("x", "mup");
 * assertEquals([ladder.model?.kind, ladder.model?.kind === "resmlp" && ladder.model.parametrization], ["resmlp", "mup"]);
 * ```
 */
export function mlpLadder(
  name: string,
  parametrization: "mup" | "sp",
): Omit<ExperimentInput, "budget"> {
  return {
    name,
    tags: ["collapse", "mlp"],
    task: { kind: "powerlaw", features: 1000, inputDim: 8, batchSize: 64, testSize: 512, seed: 0 },
    model: {
      kind: "resmlp",
      width: MLP_WIDTHS[0],
      blocks: 1,
      parametrization,
      ...(parametrization === "mup" ? { baseWidth: 16 } : {}),
    },
    loss: "mse",
    optimizer: { kind: "adam", lr: MLP_LR, beta1: 0.9, beta2: 0.95, eps: 1e-12 },
    schedule: { kind: "constant" },
    sweep: { "model.width": MLP_WIDTHS, seed: [1, 2, 3] },
    measure: { every: 10 },
    checks: [],
  };
}

/**
 * The full profile's move of a quick grokking run to the SPEC §6.1 setting
 * (p = 97, trainFraction 0.3, width 500, AdamW lr 1e-3); each file adds its
 * own step budget. Not quick: a full-batch step (2823 examples × 145,500
 * parameters) takes 0.13 s on wasm with the machine idle and up to 1.3 s with
 * its 2 cores shared, so three seeds of ≥ 500 steps do not fit the quick suite.
 */
export const GROK_SPEC_PROFILE = {
  "task.p": 97,
  "task.trainFraction": 0.3,
  "model.width": 500,
  "optimizer.lr": 1e-3,
} as const;
