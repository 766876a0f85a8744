/**
 * The task-data interface the runner consumes: row-major example arrays plus
 * the shapes needed to turn them into tensors.
 *
 * @example
 * ```ts
 * import type { TaskData } from "./types.ts";
 * import { emptySplit } from "./types.ts";
 * import { assertEquals } from "../tests/assert.ts";
 * function batchShape(data: TaskData): number[] {
 *   return [data.train.n, ...data.train.xShape];
 * }
 * const data: TaskData = {
 *   kind: "toy", train: emptySplit([3], [1]), test: emptySplit([3], [1]), inputDim: 3, outputDim: 1, classification: false,
 * };
 * assertEquals(batchShape(data), [0, 3]);
 * ```
 * @module
 */

/** One split of a task: `n` examples stored row-major. */
export interface Split {
  /** Inputs, `n × prod(xShape)`; Int32Array for token inputs. */
  x: Float32Array | Int32Array;
  /** Targets, `n × prod(yShape)` (one-hot for classification). */
  y: Float32Array;
  /** Number of examples. */
  n: number;
  /** Shape of one input, e.g. `[194]` features or `[3]` tokens. */
  xShape: number[];
  /** Shape of one target, e.g. `[97]`. */
  yShape: number[];
  /** Class labels (classification tasks), length n. */
  labels?: Int32Array;
}

/** A task's data, ready for training. */
export interface TaskData {
  /** Task kind, as in the config. */
  kind: string;
  /** Number of input features, or the sequence length for token inputs. */
  inputDim: number;
  /** Number of outputs per example. */
  outputDim: number;
  /** Vocabulary size, for token inputs. */
  vocab?: number;
  /** Accuracy is defined (argmax of output = label). */
  classification: boolean;
  /** Training split (for online tasks: a fixed train-eval sample). */
  train: Split;
  /** Held-out split. */
  test: Split;
  /**
   * Online tasks: a fresh batch for `step`, deterministic in
   * (run seed, run id, step).
   */
  batch?: (step: number, size: number) => Split;
  /**
   * Named held-out evaluation sets (e.g. one per subtask); the loop writes
   * `acc_<name>` (classification) and `loss_<name>` for each at every
   * evaluation.
   */
  evalGroups?: { name: string; split: Split }[];
  /** One-line reason when the task cannot run here (e.g. data files absent). */
  skipped?: string;
}

/**
 * An empty split with the given shapes (for skipped tasks).
 *
 * @example
 * ```ts
 * import { emptySplit } from "./types.ts";
 * import { assertEquals } from "../tests/assert.ts";
 * assertEquals(emptySplit([3072], [10]).n === 0, true);
 * ```
 */
export function emptySplit(
  xShape: number[],
  yShape: number[],
  tokens = false,
): Split {
  return {
    x: tokens ? new Int32Array(0) : new Float32Array(0),
    y: new Float32Array(0),
    n: 0,
    xShape,
    yShape,
  };
}

/**
 * One-hot rows for integer labels.
 *
 * @example
 * ```ts
 * import { oneHot } from "./types.ts";
 * import { assertEquals } from "../tests/assert.ts";
 * assertEquals(oneHot(Int32Array.of(1, 0), 2), new Float32Array([0, 1, 1, 0]));
 * ```
 */
export function oneHot(
  labels: ArrayLike<number>,
  classes: number,
): Float32Array {
  const out = new Float32Array(labels.length * classes);
  for (let i = 0; i < labels.length; i++) {
    const c = labels[i];
    if (!(Number.isInteger(c) && c >= 0 && c < classes)) {
      throw new RangeError(
        `label ${c} at index ${i} is outside [0, ${classes})`,
      );
    }
    out[i * classes + c] = 1;
  }
  return out;
}
