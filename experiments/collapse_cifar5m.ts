/**
 * Supercollapse of the CIFAR-5M transformer ladder (Qiu et al. 2025; SPEC
 * §6.3, §7): grey-token view (⌊mean RGB⌋ as 1,024 tokens, vocab 256), a
 * 2-layer pre-LayerNorm transformer read out at the last position, μP, Adam,
 * LR decaying linearly to zero, a dModel ladder × 3 seeds trained to
 * t*(p) = κ·p^γ. The paper predicts the next pixel; the harness's transformer
 * classifies the sequence (a CPU budget). Not yet run by us; the paper's
 * reference Δ/σ̄ ≈ 0.54, 0.37, 0.25, 0.09 at x = 0.3, 0.5, 0.7, 0.9. Without
 * the CIFAR-5M files every run is `skipped` with a line saying where to put them.
 */
import { defineExperiment } from "../core/config/schema.ts";

const WIDTHS = [32, 48, 64, 96];
const LAYERS = 2;
const D_MLP = 128; // the same across the ladder: a sweep cannot tie it to dModel
const GAMMA = 0.96; // the paper's CIFAR-5M exponent
const T0 = 500; // steps of the smallest model

/** Parameters of the ladder's transformer at width d (embed, positions, blocks, readout). */
function transformerParams(d: number): number {
  const block = 4 * d * d + d * D_MLP + D_MLP + D_MLP * d + d;
  return 256 * d + 1024 * d + LAYERS * block + d * 10;
}

export default defineExperiment({
  name: "collapse_cifar5m",
  description: "grey-token transformer ladder on CIFAR-5M, μP, linear decay: supercollapse",
  tags: ["collapse", "supercollapse", "cifar5m", "transformer"],
  profilesIn: ["full"], // sequences of 1,024 tokens cost seconds per step on CPU
  task: {
    kind: "cifar5m",
    parts: [0],
    subset: { n: 50000, seed: 0 },
    testN: 2000,
    classes: 10,
    view: "grey-tokens",
  },
  model: {
    kind: "transformer",
    layers: LAYERS,
    dModel: WIDTHS[0],
    heads: 4,
    dMlp: D_MLP,
    norm: "layer",
    activation: "gelu",
    parametrization: "mup",
    baseWidth: 32,
  },
  loss: "xent",
  optimizer: { kind: "adam", lr: 3e-3, beta1: 0.9, beta2: 0.95, eps: 1e-12, batchSize: 32 },
  schedule: { kind: "linear", final: 0 },
  budget: {
    computeOptimal: {
      gamma: GAMMA,
      kappa: T0 / transformerParams(WIDTHS[0]) ** GAMMA,
      minSteps: 10,
    },
  },
  sweep: { "model.dModel": WIDTHS, seed: [1, 2, 3] },
  measure: { every: 25 },
  checks: [
    {
      name: "supercollapse",
      expect: "report",
      note: "no matched control in this experiment (constant-LR ladder): not gated (SPEC §7)",
    },
    {
      name: "collapse",
      expect: "report",
      note: "no matched control (SP or off-optimal γ) in this experiment: power not shown",
    },
    { name: "fit_l0", expect: "report" },
    { name: "collapse_variance_scaling", expect: "report" },
  ],
});
