/**
 * Reference script for tests/webgpu_fast_paths_test.ts, run in its own process
 * (the webgpu backend is global to one): the uploads through
 * `queue.writeBuffer`, the Sum/Mean gradients with device-side ones and the
 * split-K weight gradient, against values known exactly or in float64. Prints
 * one JSON object.
 */
import * as tf from "@tensorflow/tfjs";
import { setupBackend } from "../../core/backend.ts";
import { rngFor } from "../../core/rng.ts";

await setupBackend("webgpu");
const backend = tf.backend() as unknown as Record<string, unknown>;
const patched = Object.prototype.hasOwnProperty.call(backend, "uploadToGPU");

// uploads: values read back as written, for each 4-byte dtype (a new tensor is uploaded on first use)
const floats = Float32Array.from([0, -0, 1.5, -2.25e-38, 3.4e38, NaN, Infinity, 7]);
const ints = Int32Array.from([0, -1, 2147483647, -2147483648, 12345]);
const bools = Uint8Array.from([1, 0, 1, 1, 0]);
const roundTrip = async (t: tf.Tensor) => {
  const y = tf.reshape(t, [-1]); // a kernel reads the uploaded buffer
  const out = await tf.clone(y).data();
  return Array.from(out as ArrayLike<number>).map(String);
};
const uploads = {
  float32: (await roundTrip(tf.tensor1d(floats))).join() === Array.from(floats).map(String).join(),
  int32:
    (await roundTrip(tf.tensor1d(ints, "int32"))).join() === Array.from(ints).map(String).join(),
  bool:
    (await roundTrip(tf.tensor1d(bools, "bool"))).join() === Array.from(bools).map(String).join(),
};

// Sum and Mean gradients: d/dx of Σ_axis (w ⊙ x) and of mean, known exactly
const x = tf.tensor2d(Float32Array.from({ length: 6 }, (_, i) => i + 1), [2, 3]);
const w = tf.tensor2d([[1, 2, 3], [4, 5, 6]]);
const gSum = await tf.grad((v: tf.Tensor) => tf.sum(tf.mul(tf.sum(v, 1, true), w)))(x).data();
const gMean = await tf.grad((v: tf.Tensor) => tf.mean(tf.mean(v, 0)))(x).data();
const gradients = {
  sum: Array.from(gSum).join() === "6,6,6,15,15,15", // row sums of w, broadcast along the row
  // ((1/3)/2 in float32: the outer mean over 3, then the inner over 2)
  mean: Array.from(gMean).every((g) => g === Math.fround(Math.fround(1 / 3) / 2)),
};

// split-K: the weight gradient of x·W over 3,000 rows (Aᵀ·dy, six 512-row chunks, padded)
const rng = rngFor(1, "webgpu-fast-paths", "data");
const k = 3000, m = 40, n = 24;
const a = Float32Array.from(rng.normals(k * m)), dy = Float32Array.from(rng.normals(k * n));
const W = tf.zeros([m, n]);
const [gW] = tf.grads((wt: tf.Tensor) =>
  tf.sum(tf.mul(tf.matMul(tf.tensor2d(a, [k, m]), wt), tf.tensor2d(dy, [k, n])))
)([W]);
const got = await gW.data();
let maxRel = 0;
for (let i = 0; i < m; i++) {
  for (let j = 0; j < n; j++) {
    let s = 0, abs = 0;
    for (let r = 0; r < k; r++) {
      s += a[r * m + i] * dy[r * n + j];
      abs += Math.abs(a[r * m + i] * dy[r * n + j]);
    }
    maxRel = Math.max(maxRel, Math.abs(got[i * n + j] - s) / abs);
  }
}
console.log(JSON.stringify({ patched, uploads, gradients, splitKMaxRelError: maxRel }));
