/**
 * The `blas` backend's Tanh on oneDNN (core/blas/dnnl.ts): over ±12 its
 * worst error against the float64 tanh is no larger than that of the wasm
 * tanh it replaces (measured: 1.21 and 1.91 float32 ulp), and it is exact at
 * the edges (0, ±tiny, ±large, ±∞, NaN); the backend's Tanh kernel is
 * oneDNN's and the same input gives the same bits twice; views into a larger
 * buffer (the wasm heap) work. Negative control: the ulp measure sees an
 * error of 2 ulp.
 */
import * as tf from "@tensorflow/tfjs";
import { setupBackend } from "../core/backend.ts";
import { loadDnnl } from "../core/blas/dnnl.ts";
import { loadOpenBlas } from "../core/blas/openblas.ts";
import { assertEquals, assertMatch, assertOk } from "./assert.ts";

const dnnl = loadDnnl();
const ignore = !("tanh" in dnnl) || "error" in loadOpenBlas();
const skipped = ignore ? " (skipped: oneDNN 2.x or OpenBLAS missing)" : "";

/** |y − tanh₆₄(x)| in units of the float32 spacing at tanh₆₄(x). */
function ulps(x: number, y: number): number {
  const t = Math.tanh(x);
  if (Number.isNaN(t)) return Number.isNaN(y) ? 0 : Infinity;
  const a = Math.max(Math.abs(t), 2 ** -126);
  const spacing = 2 ** (Math.floor(Math.log2(a)) - 23);
  return Math.abs(y - t) / spacing;
}

const inputs = (() => {
  const n = 200_000;
  const x = new Float32Array(n + 10);
  for (let i = 0; i < n; i++) x[i] = ((i + 0.5) / n - 0.5) * 24;
  x.set([0, -0, 1e-30, -1e-30, 1e-4, 40, -40, Infinity, -Infinity, NaN], n);
  return x;
})();

Deno.test({
  name: `oneDNN tanh is no less accurate than wasm's on ±12, and exact at the edges${skipped}`,
  ignore,
  fn: async () => {
    if (!("tanh" in dnnl)) return;
    const y = new Float32Array(inputs.length);
    dnnl.tanh(inputs, y);
    await setupBackend("wasm");
    const onWasm = tf.tidy(() => tf.tanh(tf.tensor(inputs)).dataSync());
    let worst = 0, worstWasm = 0;
    for (let i = 0; i < 200_000; i++) {
      worst = Math.max(worst, ulps(inputs[i], y[i]));
      worstWasm = Math.max(worstWasm, ulps(inputs[i], onWasm[i]));
    }
    assertOk(worst <= worstWasm, `oneDNN ${worst} ulp, wasm ${worstWasm} ulp`);
    assertOk(worst < 2, `oneDNN worst error ${worst} ulp`);
    assertEquals(Array.from(y.subarray(200_000, 200_004)), [0, -0, 1e-30, -1e-30].map(Math.fround));
    assertEquals(Array.from(y.subarray(200_005)), [1, -1, 1, -1, NaN]);
  },
});

Deno.test("negative control: the ulp measure sees a 2-ulp error", () => {
  const x = 0.3, t = Math.fround(Math.tanh(x));
  const off = t + 2 * 2 ** (Math.floor(Math.log2(t)) - 23);
  assertOk(ulps(x, off) > 1.5);
});

Deno.test({
  name:
    `blas runs Tanh on oneDNN: views work and the same input gives the same bits twice${skipped}`,
  ignore,
  fn: async () => {
    const info = await setupBackend("blas");
    assertMatch(info.device, /Tanh on oneDNN 2\./);
    if (!("tanh" in dnnl)) return;
    const expected = new Float32Array(1000);
    dnnl.tanh(inputs.subarray(5000, 6000), expected);
    const run = () => tf.tidy(() => tf.tanh(tf.tensor(inputs.subarray(5000, 6000))).dataSync());
    const first = run(), second = run();
    assertEquals(Array.from(first), Array.from(expected));
    assertEquals(new Uint8Array(first.buffer), new Uint8Array(second.buffer));
  },
});
