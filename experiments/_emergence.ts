/**
 * Settings shared by the emergence experiments (not an experiment: the suite
 * skips files whose name starts with `_`).
 * @module
 */

/** Multitask sparse parity, quick size: T = 5 subtasks of k = 3 bits out of n = 20, Zipf α = 1. */
export const PARITY_TASK = {
  kind: "sparse-parity",
  T: 5,
  n: 20,
  k: 3,
  alpha: 1,
  evalSize: 500,
  batchSize: 256,
} as const;

/** One hidden ReLU layer of width 128 (2 outputs, cross-entropy). */
export const PARITY_MLP = {
  kind: "mlp",
  depth: 1,
  width: 128,
  activation: "relu",
  bias: true,
} as const;

/** Online SGD with heavy-ball momentum, batch 256. */
export const PARITY_SGD = { kind: "sgd", lr: 0.5, momentum: 0.9, batchSize: 256 } as const;

/** Per-subtask evaluations every 10 steps; the update-Gram edge every step. */
export const PARITY_MEASURE = { every: 10, updateGram: { window: 10, every: 1 } } as const;
