/**
 * Settings shared by the emergence experiments (not an experiment: the suite
 * skips files whose name starts with `_`).
 * @module
 */

/**
 * Multitask sparse parity, quick size: T = 5 subtasks of k = 3 bits out of n =
 * 20, Zipf α = 1 (p_i ∝ 1/i: 0.44, 0.22, 0.15, 0.11, 0.09). With n = 40 SGD at
 * lr 0.5 forgets learned subtasks and relearns them (unstable).
 */
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

/**
 * Online SGD with heavy-ball momentum, batch 256: it keeps the saddle-escape
 * dynamics of sparse parity. With Adam (lr 1e-3 or 3e-3, n = 20 or 30; seed 1)
 * every subtask rises gradually, relative width (t90 − t10)/t50 ≈ 0.5–1.1
 * (median 0.86 at n = 20, lr 3e-3), as expected of sign-like updates that grow
 * the relevant weights linearly in time.
 */
export const PARITY_SGD = { kind: "sgd", lr: 0.5, momentum: 0.9, batchSize: 256 } as const;

/** Per-subtask evaluations every 10 steps; the update-Gram edge every step. */
export const PARITY_MEASURE = { every: 10, updateGram: { window: 10, every: 1 } } as const;
