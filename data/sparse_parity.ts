/**
 * Multitask sparse parity (SPEC §6.5; Michaud et al. 2023, "The Quantization
 * Model of Neural Scaling"; Barak et al. 2022, "Hidden progress in deep
 * learning").
 *
 * An input is T one-hot control bits (which subtask) followed by n task bits
 * (each 0 or 1, uniform). Subtask i (1-based) has a fixed random subset S_i of
 * k task bits, and its label is the parity Σ_{j∈S_i} x_j mod 2 (two classes,
 * one-hot targets). Subtasks are drawn with Zipf frequencies
 * p_i = i^(−α) / Σ_j j^(−α). Training batches are fresh samples (online); each
 * subtask has its own fixed evaluation set of `evalSize` examples, exposed as
 * the eval groups `task_1` … `task_T` (the loop writes `acc_task_<i>` and
 * `loss_task_<i>`); the test split is their concatenation (equal weight per
 * subtask), the train split a fixed sample of `batchSize` examples from the
 * training (Zipf) distribution.
 *
 * Streams: the subsets come from `rngFor(task.seed, "task:sparse-parity",
 * "subsets")`, the fixed sets from the same key with purposes `train` and
 * `eval:<i>`, and the batch of step s from `rngFor(run seed, run id,
 * "batch:<s>")`, so a batch depends only on (run seed, run id, step).
 *
 * @example
 * ```ts
 * import { sparseParityTask } from "./sparse_parity.ts";
 * import { assertEquals } from "../tests/assert.ts";
 * const d = sparseParityTask(
 *   { kind: "sparse-parity", T: 3, n: 10, k: 2, alpha: 1, evalSize: 8, batchSize: 4, seed: 0 },
 *   { seed: 1, runId: "emergence/base" },
 * );
 * assertEquals(d.inputDim, 13);
 * assertEquals(d.evalGroups!.length, 3);
 * ```
 * @module
 */
import { type Rng, rngFor } from "../core/rng.ts";
import type { SparseParityTask } from "../core/config/task_schema.ts";
import type { Split, TaskData } from "./types.ts";

const STREAM = "task:sparse-parity";

/** The fixed structure of a multitask sparse-parity problem. */
export interface SparseParity {
  /** Number of subtasks T. */
  T: number;
  /** Number of task bits n. */
  n: number;
  /** Bits per subtask k. */
  k: number;
  /** Subsets S_1 … S_T (0-based bit indices, sorted ascending). */
  subsets: number[][];
  /** Zipf frequencies p_1 … p_T (sum 1). */
  freqs: number[];
}

/**
 * Zipf frequencies p_i = i^(−α) / Σ_{j=1}^{T} j^(−α), i = 1 … T.
 *
 * @example
 * ```ts
 * import { zipfFrequencies } from "./sparse_parity.ts";
 * import { assertEquals } from "../tests/assert.ts";
 * assertEquals(zipfFrequencies(2, 1), [2 / 3, 1 / 3]);
 * ```
 */
export function zipfFrequencies(T: number, alpha: number): number[] {
  const w = Array.from({ length: T }, (_, i) => (i + 1) ** -alpha);
  const z = w.reduce((a, b) => a + b, 0);
  return w.map((v) => v / z);
}

/**
 * Draws the subsets S_1 … S_T: each a uniform random k-subset of the n task
 * bits (partial Fisher–Yates), sorted; when there are at least T distinct
 * k-subsets, a subset equal to an earlier one is redrawn, so the subtasks are
 * distinct functions.
 *
 * @example
 * ```ts
 * import { sparseParityStructure } from "./sparse_parity.ts";
 * const s = sparseParityStructure({ T: 4, n: 4, k: 1, alpha: 1, seed: 0 });
 * import { assertEquals } from "../tests/assert.ts";
 * assertEquals(s.subsets.map((x) => x[0]).sort(), [0, 1, 2, 3]); // distinct single bits
 * ```
 */
export function sparseParityStructure(
  cfg: { T: number; n: number; k: number; alpha: number; seed: number },
): SparseParity {
  if (cfg.k > cfg.n) throw new RangeError(`task.k (${cfg.k}) must be ≤ task.n (${cfg.n})`);
  const rng = rngFor(cfg.seed, STREAM, "subsets");
  const distinct = binomialAtLeast(cfg.n, cfg.k, cfg.T);
  const subsets: number[][] = [];
  const seen = new Set<string>();
  while (subsets.length < cfg.T) {
    const s = kSubset(rng, cfg.n, cfg.k);
    const key = s.join(",");
    if (distinct && seen.has(key)) continue;
    seen.add(key);
    subsets.push(s);
  }
  return { T: cfg.T, n: cfg.n, k: cfg.k, subsets, freqs: zipfFrequencies(cfg.T, cfg.alpha) };
}

/** Whether C(n, k) ≥ m (without overflowing). */
function binomialAtLeast(n: number, k: number, m: number): boolean {
  let c = 1;
  for (let j = 1; j <= k; j++) {
    c = (c * (n - k + j)) / j;
    if (c >= m) return true;
  }
  return c >= m;
}

function kSubset(rng: Rng, n: number, k: number): number[] {
  const a = Array.from({ length: n }, (_, i) => i);
  for (let j = 0; j < k; j++) {
    const r = j + rng.int(n - j);
    [a[j], a[r]] = [a[r], a[j]];
  }
  return a.slice(0, k).sort((x, y) => x - y);
}

/**
 * The label of subtask `task` (0-based) on task bits `bits` (0/1 values):
 * the parity of the bits in its subset.
 *
 * @example
 * ```ts
 * import { parityLabel } from "./sparse_parity.ts";
 * import { assertEquals } from "../tests/assert.ts";
 * assertEquals(parityLabel({ T: 1, n: 3, k: 2, subsets: [[0, 2]], freqs: [1] }, 0, [1, 1, 1]), 0);
 * ```
 */
export function parityLabel(sp: SparseParity, task: number, bits: ArrayLike<number>): number {
  let s = 0;
  for (const j of sp.subsets[task]) s += bits[j];
  return s % 2;
}

/** Samples a subtask index (0-based) from the Zipf frequencies. */
function drawTask(rng: Rng, cum: number[]): number {
  const u = rng.float();
  for (let i = 0; i < cum.length - 1; i++) if (u < cum[i]) return i;
  return cum.length - 1;
}

/**
 * A split of `size` examples from `rng`: subtask `task` (0-based) for every
 * example when given, else drawn from the Zipf frequencies. Also returns the
 * subtask of each example.
 *
 * @example
 * ```ts
 * import { sampleSparseParity, sparseParityStructure } from "./sparse_parity.ts";
 * import { rngFor } from "../core/rng.ts";
 * const sp = sparseParityStructure({ T: 2, n: 5, k: 2, alpha: 1, seed: 0 });
 * const { split } = sampleSparseParity(sp, 3, rngFor(0, "r", "x"), 1);
 * import { assertEquals } from "../tests/assert.ts";
 * assertEquals(split.x[1], 1); // the control bit of subtask 2
 * ```
 */
export function sampleSparseParity(
  sp: SparseParity,
  size: number,
  rng: Rng,
  task?: number,
): { split: Split; tasks: Int32Array } {
  const d = sp.T + sp.n;
  const x = new Float32Array(size * d);
  const labels = new Int32Array(size);
  const tasks = new Int32Array(size);
  const cum: number[] = [];
  let acc = 0;
  for (const p of sp.freqs) cum.push(acc += p);
  const bits = new Uint8Array(sp.n);
  for (let r = 0; r < size; r++) {
    const t = task ?? drawTask(rng, cum);
    tasks[r] = t;
    x[r * d + t] = 1;
    for (let j = 0; j < sp.n; j++) {
      bits[j] = rng.float() < 0.5 ? 0 : 1;
      x[r * d + sp.T + j] = bits[j];
    }
    labels[r] = parityLabel(sp, t, bits);
  }
  const y = new Float32Array(size * 2);
  for (let r = 0; r < size; r++) y[r * 2 + labels[r]] = 1;
  return { split: { x, y, n: size, xShape: [d], yShape: [2], labels }, tasks };
}

/** Concatenates splits with the same shapes. */
function concatSplits(parts: Split[]): Split {
  const n = parts.reduce((a, s) => a + s.n, 0);
  const x = new Float32Array(parts.reduce((a, s) => a + s.x.length, 0));
  const y = new Float32Array(parts.reduce((a, s) => a + s.y.length, 0));
  const labels = new Int32Array(n);
  let ox = 0, oy = 0, ol = 0;
  for (const s of parts) {
    x.set(s.x, ox);
    y.set(s.y, oy);
    labels.set(s.labels!, ol);
    ox += s.x.length;
    oy += s.y.length;
    ol += s.n;
  }
  return { x, y, n, xShape: parts[0].xShape, yShape: parts[0].yShape, labels };
}

/**
 * The `sparse-parity` task (see the module documentation).
 *
 * @example
 * ```ts
 * import { sparseParityTask } from "./sparse_parity.ts";
 * import { assertEquals } from "../tests/assert.ts";
 * const d = sparseParityTask(
 *   { kind: "sparse-parity", T: 2, n: 6, k: 3, alpha: 1, evalSize: 5, batchSize: 4, seed: 0 },
 *   { seed: 0, runId: "r" },
 * );
 * assertEquals(d.test.n, 10);
 * assertEquals(d.batch!(7, 3).n, 3);
 * ```
 */
export function sparseParityTask(
  cfg: SparseParityTask,
  ctx: { seed: number; runId: string },
): TaskData {
  const sp = sparseParityStructure(cfg);
  const groups = sp.subsets.map((_, i) => ({
    name: `task_${i + 1}`,
    split: sampleSparseParity(sp, cfg.evalSize, rngFor(cfg.seed, STREAM, `eval:${i + 1}`), i)
      .split,
  }));
  return {
    kind: "sparse-parity",
    inputDim: sp.T + sp.n,
    outputDim: 2,
    classification: true,
    train: sampleSparseParity(sp, cfg.batchSize, rngFor(cfg.seed, STREAM, "train")).split,
    test: concatSplits(groups.map((g) => g.split)),
    evalGroups: groups,
    batch: (step: number, size: number) => {
      if (!Number.isInteger(step) || step < 0) {
        throw new RangeError(`batch step: expected an integer ≥ 0, got ${step}`);
      }
      return sampleSparseParity(sp, size, rngFor(ctx.seed, ctx.runId, `batch:${step}`)).split;
    },
  };
}
