/**
 * Losses, written from second-order-safe ops only (no `customGrad`, no Max),
 * so Hessian-vector products through them are exact once
 * `installSecondOrderSafeGradients()` has run. All take `[n, k]` tensors and
 * average over the n examples.
 *
 * @example
 * ```ts
 * import * as tf from "@tensorflow/tfjs";
 * import { lossFn } from "./losses.ts";
 * import { setupBackend } from "../backend.ts";
 * import { assertEquals } from "../../tests/assert.ts";
 * await setupBackend("cpu"); // TF.js runs on its plain JS backend here
 * const mse = lossFn("mse");
 * assertEquals(mse(tf.tensor2d([[1, 2]]), tf.tensor2d([[0, 0]])).dataSync()[0], 2.5); // ½(1 + 4)
 * ```
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import type { LossFn } from "./types.ts";
import { descriptorOf } from "../backends/mod.ts";

/** The loss names of the experiment schema. */
export type LossName = "mse" | "xent";

function checkShapes(name: string, output: tf.Tensor, target: tf.Tensor): void {
  if (output.rank !== 2 || target.rank !== 2) {
    throw new Error(
      `${name}: expected [n, k] tensors, got output [${output.shape}] and target [${target.shape}]`,
    );
  }
  if (
    output.shape[0] !== target.shape[0] || output.shape[1] !== target.shape[1]
  ) {
    throw new Error(
      `${name}: output [${output.shape}] and target [${target.shape}] differ in shape`,
    );
  }
}

/**
 * Mean squared error in the ½ convention: ½‖f − y‖² summed over outputs,
 * averaged over examples. Its Hessian for a linear model f = Xw is XᵀX/n.
 *
 * @example
 * ```ts
 * import * as tf from "@tensorflow/tfjs";
 * import { setupBackend } from "../backend.ts";
 * import { assertEquals } from "../../tests/assert.ts";
 * await setupBackend("cpu"); // TF.js runs on its plain JS backend here
 * // ½‖y − t‖² per example: 2.5 and 0, averaged over the 2 examples
 * assertEquals(mse(tf.tensor2d([[1, 2], [0, 0]]), tf.tensor2d([[0, 0], [0, 0]])).dataSync()[0], 1.25);
 * ```
 */
export function mse(output: tf.Tensor, target: tf.Tensor): tf.Scalar {
  checkShapes("mse", output, target);
  const n = output.shape[0];
  return tf.tidy(() =>
    tf.div(
      tf.mul(0.5, tf.sum(tf.square(tf.sub(output, target)))),
      n,
    ) as tf.Scalar
  );
}

/**
 * Softmax cross-entropy from logits, as logsumexp(z) − z·y per example,
 * averaged over examples (targets are one-hot or rows of probabilities that
 * sum to 1). The logsumexp shift is the row maximum taken as a *constant*
 * (read back from the tensor; on a backend without synchronous reads, webgpu,
 * a constant view of the same values on the device), which is exact for any
 * shift and keeps Max out of the differentiated graph.
 *
 * @example
 * ```ts
 * import * as tf from "@tensorflow/tfjs";
 * import { setupBackend } from "../backend.ts";
 * import { assertClose } from "../../tests/assert.ts";
 * await setupBackend("cpu"); // TF.js runs on its plain JS backend here
 * const loss = crossEntropy(tf.tensor2d([[0, 0]]), tf.tensor2d([[1, 0]])).dataSync()[0];
 * assertClose(loss, Math.LN2, 1e-6); // two equal logits: −log ½
 * ```
 */
export function crossEntropy(
  logits: tf.Tensor,
  targetOneHot: tf.Tensor,
): tf.Scalar {
  checkShapes("crossEntropy", logits, targetOneHot);
  const n = logits.shape[0];
  const shift = tf.tidy(() => tf.max(logits, 1, true));
  const shifted = (m: tf.Tensor) => {
    const lse = tf.add(tf.log(tf.sum(tf.exp(tf.sub(logits, m)), 1, true)), m);
    const zy = tf.sum(tf.mul(logits, targetOneHot), 1, true);
    return tf.div(tf.sum(tf.sub(lse, zy)), n) as tf.Scalar;
  };
  if (descriptorOf(tf.getBackend())?.syncRead === false) {
    // no synchronous reads (webgpu): the same shift stays on the device, as a
    // tensor on the max's data that no recorded op produced, hence a constant
    // for autodiff; a non-finite logit makes the loss NaN by itself
    try {
      return tf.tidy(() =>
        shifted(tf.engine().makeTensorFromDataId(shift.dataId, shift.shape, shift.dtype))
      );
    } finally {
      shift.dispose();
    }
  }
  const shiftValues = shift.dataSync();
  shift.dispose();
  for (const v of shiftValues) {
    // a diverged model: NaN, still connected to the logits so that the
    // training step's gradient exists and the run ends as `diverged`
    if (!Number.isFinite(v)) return tf.tidy(() => tf.mul(tf.sum(logits), NaN) as tf.Scalar);
  }
  return tf.tidy(() => shifted(tf.tensor2d(shiftValues, [n, 1])));
}

/**
 * The loss function of a given schema name.
 *
 * @example
 * ```ts
 * import { assertEquals, assertThrowsMsg } from "../../tests/assert.ts";
 * assertEquals(lossFn("xent"), crossEntropy);
 * assertEquals(lossFn("mse"), mse);
 * // @ts-expect-error: not a loss name of the schema
 * assertThrowsMsg(() => lossFn("l1"), /unknown loss "l1"/);
 * ```
 */
export function lossFn(name: LossName): LossFn {
  switch (name) {
    case "mse":
      return mse;
    case "xent":
      return crossEntropy;
    default:
      throw new Error(
        `unknown loss "${name as string}" (expected "mse" or "xent")`,
      );
  }
}

/**
 * Fraction of rows whose argmax of `output` equals the argmax of `target`
 * (one-hot targets), as a JS number.
 *
 * @example
 * ```ts
 * import * as tf from "@tensorflow/tfjs";
 * import { setupBackend } from "../backend.ts";
 * import { assertEquals } from "../../tests/assert.ts";
 * await setupBackend("cpu"); // TF.js runs on its plain JS backend here
 * // argmax 0 and 1 against targets 0 and 0: one hit in two
 * assertEquals(accuracy(tf.tensor2d([[2, 1], [0, 3]]), tf.tensor2d([[1, 0], [1, 0]])), 0.5);
 * ```
 */
export function accuracy(output: tf.Tensor, target: tf.Tensor): number {
  checkShapes("accuracy", output, target);
  const hits = tf.tidy(() =>
    tf.sum(
      tf.cast(tf.equal(tf.argMax(output, 1), tf.argMax(target, 1)), "float32"),
    )
  );
  const value = hits.dataSync()[0];
  hits.dispose();
  return value / output.shape[0];
}
