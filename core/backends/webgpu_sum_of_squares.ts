/**
 * Σ‖x_i‖² ({@linkcode SUM_OF_SQUARES}) on webgpu in ⌈n/6⌉ dispatches, not
 * 3n − 1.
 *
 * Each dispatch is one workgroup of 256 threads over up to six tensors:
 * thread k adds the squares of entries k, k + 256, … of each tensor in turn,
 * then the workgroup adds its 256 partial sums pairwise, and the first thread
 * adds the previous dispatch's total (for more than six tensors: a device
 * binds at least 8 storage buffers, output included). The order is fixed, so
 * the bits are the same run to run; they differ from TF.js's Sum in the last
 * places. Registered only when the webgpu backend is set up.
 *
 * @example
 * ```ts
 * import * as tf from "@tensorflow/tfjs";
 * import { assertEquals } from "../../tests/assert.ts";
 * registerWebgpuSumOfSquares();
 * assertEquals(tf.getKernel("PhasebenchSumOfSquares", "webgpu")?.backendName, "webgpu");
 * tf.unregisterKernel("PhasebenchSumOfSquares", "webgpu");
 * ```
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import type { WebGPUBackend, WebGPUProgram } from "@tensorflow/tfjs-backend-webgpu";
import { SUM_OF_SQUARES } from "../nn/sum_of_squares.ts";

/** Tensors per dispatch (with the carry and the output: 8 storage buffers). */
export const TENSORS_PER_DISPATCH = 6;

/** Threads in the one workgroup. */
const THREADS = 256;

/** One dispatch: Σ of squares of `n` tensors X0…, plus the scalar C when `carry`. */
function program(n: number, carry: boolean): WebGPUProgram {
  const names = Array.from({ length: n }, (_, i) => `X${i}`);
  const loops = names.map((x) =>
    `for (var i = k; i < uniforms.${x.toLowerCase()}Shape; i = i + ${THREADS}) {
          let e = ${x}[i];
          acc = acc + e * e;
        }`
  ).join("\n        ");
  return {
    outputShape: [1],
    shaderKey: `phasebench_sum_of_squares_${n}_${carry}`,
    dispatchLayout: { x: [0] },
    dispatch: [1, 1, 1],
    variableNames: carry ? ["C", ...names] : names,
    workgroupSize: [THREADS, 1, 1],
    size: false,
    getUserCode: () => `
      var<workgroup> partial : array<f32, ${THREADS}>;
      fn main(index : i32) {
        let k = i32(localId.x);
        var acc = 0.0;
        ${loops}
        partial[k] = acc;
        workgroupBarrier();
        for (var half = ${THREADS / 2}; half > 0; half = half / 2) {
          if (k < half) {
            partial[k] = partial[k] + partial[k + half];
          }
          workgroupBarrier();
        }
        if (k == 0) {
          result[0] = ${carry ? "C[0] + " : ""}partial[0];
        }
      }`,
  };
}

/**
 * Registers the {@linkcode SUM_OF_SQUARES} kernel for the webgpu backend (the
 * other backends keep the per-tensor sums).
 */
export function registerWebgpuSumOfSquares(): void {
  tf.registerKernel({
    kernelName: SUM_OF_SQUARES,
    backendName: "webgpu",
    kernelFunc: ({ inputs, backend }) => {
      const gpu = backend as unknown as WebGPUBackend;
      const xs = Object.keys(inputs).sort((a, b) => Number(a.slice(1)) - Number(b.slice(1)))
        .map((k) => inputs[k] as tf.TensorInfo)
        .map((x) => ({ ...x, shape: [x.shape.reduce((n, d) => n * d, 1)] }));
      let total: tf.TensorInfo | null = null;
      for (let i = 0; i < xs.length; i += TENSORS_PER_DISPATCH) {
        const group = xs.slice(i, i + TENSORS_PER_DISPATCH);
        const next = gpu.runWebGPUProgram(
          program(group.length, total !== null),
          total ? [total, ...group] : group,
          "float32",
        );
        if (total) gpu.disposeData(total.dataId);
        total = next;
      }
      return { ...total!, shape: [] };
    },
  });
}
