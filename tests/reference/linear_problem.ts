/**
 * A least-squares problem whose derivatives are known in closed form, for the
 * spectral examples and tests: the linear model f(x) = x·w (one output, no
 * bias) under ½-MSE on the rows X (n × d) with targets y, at w = 0. Then
 *
 * - the loss is ½·mean(y²),
 * - the gradient is −Xᵀy/n,
 * - the Hessian is XᵀX/n (whatever w and y), so λ_max, the trace and every
 *   Hessian-vector product are exact numbers.
 *
 * Exact HVPs need the second-order-safe gradients; this module installs them.
 *
 * @example
 * ```ts
 * import { linearProblem } from "./linear_problem.ts";
 * import { assertEquals } from "../assert.ts";
 * const p = linearProblem([[1, 0], [0, 2]]); // H = XᵀX/2 = diag(0.5, 2)
 * assertEquals(p.model.nParams, 2);
 * p.dispose();
 * ```
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import { mse } from "../../core/nn/losses.ts";
import { installSecondOrderSafeGradients } from "../../core/nn/safe_ops.ts";
import type { LossFn, Model } from "../../core/nn/types.ts";

/** The problem: what `makeHvp`, `flatGradient` and the measurer take, and a dispose. */
export interface LinearProblem {
  /** f(x) = x·w, w of shape [d, 1]. */
  model: Model;
  /** [w] with w = 0. */
  params: tf.Tensor[];
  /** ½-MSE (core/nn/losses.ts). */
  loss: LossFn;
  /** X, n × d. */
  x: tf.Tensor;
  /** y, n × 1 (default all ones). */
  y: tf.Tensor;
  /** Frees the tensors. */
  dispose(): void;
}

/**
 * The linear least-squares problem on `rows` (and `targets`, default ones),
 * at w = 0.
 *
 * @example
 * ```ts
 * import { assertEquals } from "../assert.ts";
 * const p = linearProblem([[1, 0], [0, 2]], [1, 1]);
 * assertEquals(Array.from(await p.x.data()), [1, 0, 0, 2]);
 * p.dispose();
 * ```
 */
export function linearProblem(rows: number[][], targets?: number[]): LinearProblem {
  installSecondOrderSafeGradients();
  const n = rows.length;
  const d = rows[0].length;
  const model: Model = {
    kind: "linear",
    paramNames: ["w"],
    paramShapes: [[d, 1]],
    nParams: d,
    lrMultipliers: [1],
    init: () => [new Float32Array(d)],
    apply: ([w], x) => tf.matMul(x, w),
  };
  const params = [tf.zeros([d, 1])];
  const x = tf.tensor2d(rows.flat(), [n, d]);
  const y = tf.tensor2d(targets ?? new Array(n).fill(1), [n, 1]);
  return { model, params, loss: mse, x, y, dispose: () => tf.dispose([...params, x, y]) };
}
