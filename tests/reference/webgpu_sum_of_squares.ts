/**
 * Reference script for tests/webgpu_step_kernels_test.ts (the webgpu kernels of the
 * training step), run in its own process: Σ‖x_i‖² by the webgpu kernel against
 * the same sum in float64, for 1 to 13 tensors of awkward sizes, with its
 * dispatches counted. Prints one JSON object.
 */
import * as tf from "@tensorflow/tfjs";
import { webgpuWithDispatchCount } from "./webgpu_dispatches.ts";
import { rngFor } from "../../core/rng.ts";
import { SUM_OF_SQUARES, sumOfSquares } from "../../core/nn/sum_of_squares.ts";

const dispatches = await webgpuWithDispatchCount();

const rng = rngFor(1, "webgpu-sum-of-squares", "data");
const sizes = [1, 255, 256, 257, 3000, 65536 + 3, 7, 128 * 33, 2, 513, 40000, 1, 999];
const values = sizes.map((n) => Float32Array.from(rng.normals(n)));
const tensors = values.map((v, i) => i % 3 === 1 ? tf.tensor2d(v, [1, v.length]) : tf.tensor1d(v));
let maxRelError = 0;
const dispatchesFor: Record<number, number> = {};
for (let n = 1; n <= sizes.length; n++) {
  let exact = 0;
  for (const v of values.slice(0, n)) for (const x of v) exact += x * x;
  const before = dispatches.count;
  const s = sumOfSquares(tensors.slice(0, n));
  dispatchesFor[n] = dispatches.count - before;
  if (s.rank !== 0) throw new Error(`rank ${s.rank}`);
  maxRelError = Math.max(maxRelError, Math.abs((await s.data())[0] - exact) / exact);
  s.dispose();
}
// no buffer is left behind (the partial totals of 13 tensors included)
const buffersBefore = tf.memory().numDataBuffers;
sumOfSquares(tensors).dispose();
const buffersLeft = tf.memory().numDataBuffers - buffersBefore;
// the same inputs twice give the same bits; the op sequence differs only by rounding
const twice = [0, 1].map(() => sumOfSquares(tensors));
const a = (await twice[0].data())[0], b = (await twice[1].data())[0];
tf.unregisterKernel(SUM_OF_SQUARES, "webgpu");
const ops = (await sumOfSquares(tensors).data())[0];
// the control: one entry changed by 1e-3 of the total moves it
const bumped = values.map((v) => v.slice());
bumped[5][17] += Math.sqrt(1e-3 * ops);
let bumpedExact = 0;
for (const v of bumped) for (const x of v) bumpedExact += x * x;
console.log(JSON.stringify({
  maxRelError,
  sameBits: a === b,
  opsRelDiff: Math.abs(a - ops) / ops,
  controlRelDiff: Math.abs(bumpedExact - a) / a,
  dispatchesFor,
  buffersLeft,
}));
