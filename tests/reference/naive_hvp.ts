/**
 * Negative-control script (run in its own process by
 * tests/spectral_naive_test.ts, because the safe gradients are global):
 * computes a Hessian-vector product of the tiny tanh MLP with plain nested
 * `tf.grads` *before* installing the second-order-safe gradients, then again
 * through `makeHvp` after installing them, and prints both relative errors
 * against the float64 reference as one JSON line.
 *
 * @example
 * ```sh
 * deno run -A tests/reference/naive_hvp.ts
 * ```
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import {
  installSecondOrderSafeGradients,
  secondOrderSafeGradientsInstalled,
} from "../../core/nn/safe_ops.ts";
import { lossFn } from "../../core/nn/losses.ts";
import { flatten, makeHvp, unflatten } from "../../core/spectral/hvp.ts";
import { rngFor } from "../../core/rng.ts";
import { matVec, relativeDifference } from "./mlp64.ts";
import { tinyProblem, toTensors } from "./tf_mlp.ts";

await tf.setBackend("cpu");
await tf.ready();

const p = tinyProblem([3, 12, 12, 2], "tanh", "mse", 16, 0);
const hessian = p.ref.hessian(p.theta, p.x, p.y, p.n);
const v = rngFor(0, "naive", "probe").normals(p.ref.dim);
const want = matVec(hessian, v);
const { params, x, y } = toTensors(p);
const loss = lossFn("mse");

const result: Record<string, unknown> = {
  installedAtStart: secondOrderSafeGradientsInstalled(),
};
try {
  makeHvp({ model: p.model, params, loss, x, y });
  result.makeHvpRefused = null;
} catch (e) {
  result.makeHvpRefused = (e as Error).message;
}
try {
  const vs = unflatten(v, p.ref.shapes);
  const hv = tf.grads((...ps: tf.Tensor[]) => {
    const g = tf.grads((...qs: tf.Tensor[]) => loss(p.model.apply(qs, x), y))(
      ps,
    );
    return g.map((gi, i) => tf.sum(tf.mul(gi, vs[i]))).reduce((a, b) => tf.add(a, b)) as tf.Scalar;
  })(params);
  result.naiveRelativeError = relativeDifference(flatten(hv), want);
} catch (e) {
  result.naiveError = (e as Error).message;
}
installSecondOrderSafeGradients();
result.safeRelativeError = relativeDifference(
  await makeHvp({ model: p.model, params, loss, x, y }).hvp(v),
  want,
);
console.log(JSON.stringify(result));
