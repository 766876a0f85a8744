/**
 * The webgpu fast paths change speed, not values: uploads through
 * `queue.writeBuffer` read back bit for bit, the Sum/Mean gradients with
 * device-side ones are TF.js's own to the bit, and the split-K weight
 * gradient is xᵀ·y to float32 rounding.
 */
import * as tf from "@tensorflow/tfjs";
import { assertClose, assertEquals, assertOk } from "./assert.ts";
import { adapter, adapterSuffix, runReferenceScript } from "./webgpu_helpers.ts";
import { setupBackend } from "../core/backend.ts";
import { rngFor } from "../core/rng.ts";
import { SPLIT_K, splitKTransposeMatMul } from "../core/nn/fast_matmul.ts";
import { registerDeviceOnesGradients } from "../core/backends/webgpu_gradients.ts";

await setupBackend("cpu");

Deno.test("splitKTransposeMatMul() is xᵀ·y for inner dimensions split into padded chunks", async () => {
  const rng = rngFor(1, "split-k-test", "data");
  for (const k of [SPLIT_K.minInner - 1, SPLIT_K.minInner, 2049, 4096]) {
    const x = tf.tensor2d(Float32Array.from(rng.normals(k * 7)), [k, 7]);
    const y = tf.tensor2d(Float32Array.from(rng.normals(k * 5)), [k, 5]);
    const split = await splitKTransposeMatMul(x, y).data();
    const plain = await tf.matMul(x, y, true, false).data();
    assertEquals(split.length, 35);
    for (let i = 0; i < 35; i++) assertClose(split[i], plain[i], 1e-4, `k=${k}, entry ${i}`);
  }
});

Deno.test("splitKTransposeMatMul() leaves short products and large outputs to tf.matMul", async () => {
  // below minInner the result is tf.matMul's own, bit for bit
  const x = tf.randomNormal([100, 3], 0, 1, "float32", 3),
    y = tf.randomNormal([100, 4], 0, 1, "float32", 4);
  assertEquals(
    Array.from(await splitKTransposeMatMul(x, y).data()),
    Array.from(await tf.matMul(x, y, true, false).data()),
  );
  // an output over maxOutput entries is not split either
  const wide = tf.ones([SPLIT_K.minInner, 600]), tall = tf.ones([SPLIT_K.minInner, 600]);
  assertOk(600 * 600 > SPLIT_K.maxOutput);
  const p = await splitKTransposeMatMul(wide, tall).data();
  assertEquals(p[0], SPLIT_K.minInner);
});

Deno.test("registerDeviceOnesGradients(): Sum and Mean gradients equal TF.js's own, bit for bit", async () => {
  const x = tf.randomNormal([4, 5, 3], 0, 1, "float32", 7);
  const w = tf.randomNormal([4, 5, 3], 0, 1, "float32", 8);
  const cases: Array<(v: tf.Tensor) => tf.Scalar> = [
    (v) => tf.sum(tf.mul(v, w)),
    (v) => tf.sum(tf.mul(tf.sum(v, 1, true), tf.sum(w, 1, true))),
    (v) => tf.sum(tf.mul(tf.sum(v, [0, 2]), tf.sum(w, [0, 2]))),
    (v) => tf.sum(tf.mul(tf.mean(v, -1), tf.mean(w, -1))),
    (v) => tf.mean(tf.mul(tf.mean(v, [0, 1], true), w)),
    // second order: the gradient of a gradient goes through the replaced Sum gradient
    (v) => tf.sum(tf.mul(tf.grad((u: tf.Tensor) => tf.sum(tf.mul(tf.square(u), w)))(v), w)),
  ];
  const grads = async () => await Promise.all(cases.map((f) => tf.grad(f)(x).data()));
  const before = await grads();
  const sumGrad = tf.getGradient(tf.Sum)!, meanGrad = tf.getGradient(tf.Mean)!;
  registerDeviceOnesGradients();
  try {
    assertOk(tf.getGradient(tf.Sum) !== sumGrad, "the Sum gradient was replaced");
    const after = await grads();
    after.forEach((g, i) => assertEquals(Array.from(g), Array.from(before[i]), `case ${i}`));
  } finally {
    tf.registerGradient(sumGrad);
    tf.registerGradient(meanGrad);
  }
});

Deno.test({
  name:
    `webgpu: uploads read back as written, Sum/Mean gradients exact, split-K weight gradient to float32${adapterSuffix}`,
  ignore: adapter === null,
  fn: async () => {
    const [line] = await runReferenceScript("webgpu_fast_paths.ts");
    const r = JSON.parse(line);
    assertEquals(r.patched, true, "uploadToGPU replaced on the webgpu backend");
    assertEquals(r.uploads, { float32: true, int32: true, bool: true });
    assertEquals(r.gradients, { sum: true, mean: true });
    assertOk(r.splitKMaxRelError < 1e-5, `split-K error ${r.splitKMaxRelError}`);
  },
});
