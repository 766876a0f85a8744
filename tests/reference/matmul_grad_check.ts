/**
 * Check script (run in its own process by tests/spectral_naive_test.ts,
 * because gradient registrations are global): compares TF.js's default
 * BatchMatMul gradient with `installTransposeFreeMatMulGradient()` on rank-2
 * and rank-3 products with every transpose combination, to first and second
 * order, and checks the MLP HVP against the float64 reference afterwards.
 * Prints one JSON line.
 *
 * @example
 * ```sh
 * deno run -A tests/reference/matmul_grad_check.ts
 * ```
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import "@tensorflow/tfjs-backend-wasm";
import {
  installSecondOrderSafeGradients,
  installTransposeFreeMatMulGradient,
} from "../../core/nn/safe_ops.ts";
import { lossFn } from "../../core/nn/losses.ts";
import { makeHvp } from "../../core/spectral/hvp.ts";
import { rngFor } from "../../core/rng.ts";
import { matVec, relativeDifference } from "./mlp64.ts";
import { tinyProblem, toTensors } from "./tf_mlp.ts";

await tf.setBackend(Deno.args[0] ?? "cpu");
await tf.ready();
installSecondOrderSafeGradients();

const rng = rngFor(0, "matmul-grad", "data");
const rand = (shape: number[]) =>
  tf.tensor(Float32Array.from(rng.normals(shape.reduce((a, b) => a * b, 1))), shape);

interface Case {
  name: string;
  a: tf.Tensor;
  b: tf.Tensor;
  tA: boolean;
  tB: boolean;
  r: tf.Tensor;
  va: tf.Tensor;
  vb: tf.Tensor;
}
const cases: Case[] = [];
for (const batch of [[], [3]]) {
  for (const tA of [false, true]) {
    for (const tB of [false, true]) {
      const [m, k, n] = [4, 5, 6];
      const a = rand([...batch, ...(tA ? [k, m] : [m, k])]);
      const b = rand([...batch, ...(tB ? [n, k] : [k, n])]);
      cases.push({
        name: `rank${batch.length + 2} tA=${tA} tB=${tB}`,
        a,
        b,
        tA,
        tB,
        r: rand([...batch, m, n]),
        va: rand(a.shape),
        vb: rand(b.shape),
      });
    }
  }
}

/** First-order gradient and Hessian-vector product of sum(tanh(op(A)op(B)) ⊙ R). */
function derivatives(c: Case): Float32Array[] {
  const f = (a: tf.Tensor, b: tf.Tensor) =>
    tf.sum(tf.mul(tf.tanh(tf.matMul(a, b, c.tA, c.tB)), c.r)) as tf.Scalar;
  const g = tf.grads(f)([c.a, c.b]);
  const hv = tf.grads((a: tf.Tensor, b: tf.Tensor) => {
    const [ga, gb] = tf.grads(f)([a, b]);
    return tf.add(tf.sum(tf.mul(ga, c.va)), tf.sum(tf.mul(gb, c.vb))) as tf.Scalar;
  })([c.a, c.b]);
  return [...g, ...hv].map((t) => t.dataSync() as Float32Array);
}

const before = cases.map(derivatives);
installTransposeFreeMatMulGradient();
installTransposeFreeMatMulGradient(); // idempotent
const after = cases.map(derivatives);
let worstFirst = 0;
let worstSecond = 0;
cases.forEach((_, i) => {
  for (let j = 0; j < 4; j++) {
    const d = relativeDifference(after[i][j], before[i][j]);
    if (j < 2) worstFirst = Math.max(worstFirst, d);
    else worstSecond = Math.max(worstSecond, d);
  }
});

const p = tinyProblem([3, 12, 12, 2], "gelu", "xent", 16, 0);
const v = rngFor(0, "matmul-grad", "probe").normals(p.ref.dim);
const { params, x, y } = toTensors(p);
const hvp = makeHvp({ model: p.model, params, loss: lossFn("xent"), x, y }).hvp(v);
const mlpRelativeError = relativeDifference(hvp, matVec(p.ref.hessian(p.theta, p.x, p.y, p.n), v));
console.log(JSON.stringify({ cases: cases.length, worstFirst, worstSecond, mlpRelativeError }));
