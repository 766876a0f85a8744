/**
 * The second-order-safe gradients (core/nn/safe_ops.ts) read the forward
 * output saved by the kernel when the backward pass is not recorded, and
 * recompute it when it is (nested `tf.grads`). Both paths must give the same
 * first-order gradient bit for bit; the nested path is what the HVP tests
 * check against float64 references. Negative control: the unrecorded path
 * really skips the recomputation (one forward kernel fewer per op).
 */
import * as tf from "@tensorflow/tfjs";
import { setupBackend } from "../core/backend.ts";
import { rngFor } from "../core/rng.ts";
import { assertEquals, assertOk } from "./assert.ts";

await setupBackend("wasm");

const ops: { name: string; kernel: string; f: (x: tf.Tensor) => tf.Tensor }[] = [
  { name: "tanh", kernel: "Tanh", f: (x) => tf.tanh(x) },
  { name: "exp", kernel: "Exp", f: (x) => tf.exp(x) },
  { name: "sigmoid", kernel: "Sigmoid", f: (x) => tf.sigmoid(x) },
  { name: "softmax", kernel: "Softmax", f: (x) => tf.softmax(x) },
  { name: "pow (exponent branch)", kernel: "Pow", f: (x) => tf.pow(tf.scalar(1.7), x) },
];

function input(): tf.Tensor {
  return tf.tensor(Float32Array.from(rngFor(1, "test", "safe-ops").normals(60)), [6, 10]);
}

/** ∇ Σ w·f(x), plain (backward not recorded). */
function plainGrad(f: (x: tf.Tensor) => tf.Tensor, x: tf.Tensor, w: tf.Tensor): Float32Array {
  return tf.tidy(() =>
    tf.grad((u: tf.Tensor) => tf.sum(tf.mul(w, f(u))))(x).dataSync() as Float32Array
  );
}

/** The same gradient computed inside an outer tape (backward recorded). */
function recordedGrad(f: (x: tf.Tensor) => tf.Tensor, x: tf.Tensor, w: tf.Tensor): Float32Array {
  let inner: Float32Array | null = null;
  tf.tidy(() =>
    tf.grad((u: tf.Tensor) => {
      const g = tf.grad((v: tf.Tensor) => tf.sum(tf.mul(w, f(v))))(u);
      inner = g.dataSync() as Float32Array;
      return tf.sum(g);
    })(x)
  );
  return inner!;
}

/** Names of the kernels run by `fn`. */
async function kernels(fn: () => void): Promise<string[]> {
  const info = await tf.profile(() => {
    tf.tidy(fn);
  });
  return info.kernels.map((k) => k.name);
}

for (const op of ops) {
  Deno.test(`${op.name}: the saved-output gradient equals the recomputed one bit for bit`, () => {
    const x = input();
    const w = tf.tensor(Float32Array.from(rngFor(1, "test", "safe-ops-w").normals(60)), [6, 10]);
    const plain = plainGrad(op.f, x, w);
    const recorded = recordedGrad(op.f, x, w);
    assertEquals(Array.from(plain), Array.from(recorded));
    assertOk(plain.some((v) => v !== 0), "gradient is not all zeros");
    tf.dispose([x, w]);
  });
}

Deno.test("tanh: a plain gradient runs Tanh once (saved output), a recorded one twice", async () => {
  const x = input();
  const count = (names: string[]) => names.filter((n) => n === "Tanh").length;
  const plain = await kernels(() => {
    tf.grad((u: tf.Tensor) => tf.sum(tf.tanh(u)))(x);
  });
  const recorded = await kernels(() => {
    tf.grad((u: tf.Tensor) => tf.sum(tf.grad((v: tf.Tensor) => tf.sum(tf.tanh(v)))(u)))(x);
  });
  assertEquals(count(plain), 1);
  // forward, its recorded recomputation in the inner backward; the outer
  // backward reads the outputs saved by both
  assertEquals(count(recorded), 2);
  x.dispose();
});
