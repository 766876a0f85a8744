/**
 * Σ‖x_i‖² over a list of tensors (the loop's ‖∇L‖²), as a TF.js kernel that a
 * backend may provide in one piece.
 *
 * The definition, and what runs on every backend that registers no kernel
 * named {@linkcode SUM_OF_SQUARES} (wasm, cpu, blas), is `Σ x²` per tensor,
 * added left to right: 3n − 1 kernels for n tensors. On webgpu each is a
 * dispatch (32 of a Nanda-transformer step's 171), so
 * core/backends/webgpu_sum_of_squares.ts registers a kernel that does it in
 * ⌈n/6⌉, summing in its own fixed order (the same value to float32
 * rounding, and the same bits run to run).
 *
 * @example
 * ```ts
 * import * as tf from "@tensorflow/tfjs";
 * import { setupBackend } from "../backend.ts";
 * import { assertEquals } from "../../tests/assert.ts";
 * await setupBackend("cpu"); // TF.js runs on its plain JS backend here
 * const s = sumOfSquares([tf.tensor1d([3, 4]), tf.tensor2d([[1, 2]])]);
 * assertEquals((await s.data())[0], 30); // 9 + 16 + 1 + 4
 * ```
 * @module
 */
import * as tf from "@tensorflow/tfjs";

/** The TF.js kernel name (inputs `x0`, `x1`, …; one scalar output). */
export const SUM_OF_SQUARES = "PhasebenchSumOfSquares";

/**
 * Σ_i Σ x_i², a scalar: the backend's {@linkcode SUM_OF_SQUARES} kernel where
 * it has one, else the per-tensor sums added left to right.
 */
export function sumOfSquares(xs: tf.Tensor[]): tf.Scalar {
  if (xs.length === 0) throw new Error("sumOfSquares: no tensors");
  if (tf.getKernel(SUM_OF_SQUARES, tf.getBackend())) {
    const inputs = Object.fromEntries(xs.map((x, i) => [`x${i}`, x]));
    return tf.engine().runKernel(SUM_OF_SQUARES, inputs, {}) as tf.Scalar;
  }
  return tf.tidy(() =>
    xs.map((x) => tf.sum(tf.square(x))).reduce((a, b) => tf.add(a, b)) as tf.Scalar
  );
}
