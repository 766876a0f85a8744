/**
 * Gradients of `Sum` and `Mean` whose ones are made on the device.
 *
 * TF.js's own gradients of `Sum` and `Mean` multiply dy by `ones(x.shape)`,
 * an array filled on the host and uploaded at every call. On webgpu under
 * Deno an upload goes through a mapped staging buffer, which on an NVIDIA
 * H200 moved ~60 MB/s: 64% of the CPU time of a Nanda-transformer step, and
 * the 656,810 ones of an HVP's `Σ g·v` took ~44 ms. These replacements are
 * the same arithmetic (dy·1, then ÷ the reduced size for `Mean`), with the
 * ones from `tf.fill`, which runs as a kernel on the device. They are
 * registered only when the webgpu backend is set up, so the other backends
 * keep TF.js's own gradients and their bits.
 *
 * @example
 * ```ts
 * import * as tf from "@tensorflow/tfjs";
 * import { assertEquals } from "../../tests/assert.ts";
 * registerDeviceOnesGradients();
 * const g = tf.grad((x: tf.Tensor) => tf.mean(tf.sum(x, 1)))(tf.ones([2, 3]));
 * assertEquals(Array.from(await g.data()), [0.5, 0.5, 0.5, 0.5, 0.5, 0.5]);
 * ```
 * @module
 */
import * as tf from "@tensorflow/tfjs";

/** The axes a reduction's `axis` attribute names, non-negative (all of them for null). */
function reducedAxes(axis: number | number[] | null | undefined, rank: number): number[] {
  if (axis === null || axis === undefined) return [...Array(rank).keys()];
  return (Array.isArray(axis) ? axis : [axis]).map((a) => a < 0 ? a + rank : a);
}

/** dy reshaped to x's rank (1 on the reduced axes) times ones of x's shape made on the device. */
function broadcastDy(dy: tf.Tensor, x: tf.Tensor, axes: number[]): tf.Tensor {
  const expandedShape = x.shape.map((d, i) => axes.includes(i) ? 1 : d);
  return tf.mul(tf.reshape(dy, expandedShape), tf.fill(x.shape, 1, "float32"));
}

/**
 * Registers the `Sum` and `Mean` gradients above in place of TF.js's (for
 * every backend: call it only when webgpu is the one in use).
 */
export function registerDeviceOnesGradients(): void {
  for (const [kernelName, isMean] of [[tf.Sum, false], [tf.Mean, true]] as const) {
    tf.registerGradient({
      kernelName,
      inputsToSave: ["x"],
      gradFunc: (dy, saved, attrs) => {
        const [x] = saved;
        const axes = reducedAxes((attrs as { axis?: number | number[] }).axis, x.rank);
        const derX = broadcastDy(dy as tf.Tensor, x, axes);
        // Mean: dy·1 ÷ the number of reduced entries, as TF.js's own gradient divides
        const reduced = axes.reduce((n, a) => n * x.shape[a], 1);
        return { x: () => isMean ? tf.div(derX, reduced) : derX };
      },
    });
  }
}
