import * as tf from "@tensorflow/tfjs";
import { assertClose, assertOk, assertThrowsMsg } from "./assert.ts";
import {
  gelu,
  installSecondOrderSafeGradients,
  secondOrderSafeGradientsInstalled,
} from "../core/nn/safe_ops.ts";
import { accuracy, crossEntropy, lossFn, mse } from "../core/nn/losses.ts";
import { useCpuBackend } from "./reference/tf_setup.ts";

await useCpuBackend();

const GELU_C = Math.sqrt(2 / Math.PI);
const geluRef = (x: number) => 0.5 * x * (1 + Math.tanh(GELU_C * (x + 0.044715 * x ** 3)));

/** Second derivative by float64 central differences. */
function fd2(f: (x: number) => number, x: number, h = 1e-4): number {
  return (f(x + h) - 2 * f(x) + f(x - h)) / (h * h);
}

function secondDerivative(f: (x: tf.Tensor) => tf.Tensor, x0: number): number {
  return tf.tidy(() => tf.grad((x: tf.Tensor) => tf.grad(f)(x))(tf.scalar(x0)).dataSync()[0]);
}

Deno.test("installSecondOrderSafeGradients() is idempotent and detectable", () => {
  installSecondOrderSafeGradients();
  installSecondOrderSafeGradients();
  assertOk(secondOrderSafeGradientsInstalled());
});

Deno.test("nested tf.grad matches float64 second derivatives for every re-registered op", () => {
  const softmaxFirst = (x: number) => {
    const e = [Math.exp(x), Math.exp(2 * x), Math.exp(0.3)];
    return e[0] / (e[0] + e[1] + e[2]);
  };
  const cases: [string, (x: tf.Tensor) => tf.Tensor, (x: number) => number][] = [
    ["tanh", tf.tanh, Math.tanh],
    ["exp", tf.exp, Math.exp],
    ["sigmoid", tf.sigmoid, (x) => 1 / (1 + Math.exp(-x))],
    [
      "x·sigmoid(1.702x)",
      (x) => tf.mul(x, tf.sigmoid(tf.mul(1.702, x))),
      (x) => x / (1 + Math.exp(-1.702 * x)),
    ],
    ["softplus", tf.softplus, (x) => Math.log1p(Math.exp(x))],
    ["gelu", gelu, geluRef],
    [
      "2^x (Pow exponent branch)",
      (x) => tf.pow(tf.scalar(2), x),
      (x) => 2 ** x,
    ],
    ["x^3 (Pow base branch)", (x) => tf.pow(x, tf.scalar(3)), (x) => x ** 3],
    [
      "softmax",
      (x) =>
        tf.sum(
          tf.slice(tf.softmax(tf.stack([x, tf.mul(x, 2), tf.scalar(0.3)])), [
            0,
          ], [1]),
        ),
      softmaxFirst,
    ],
  ];
  for (const [name, f, ref] of cases) {
    for (const x0 of [-1.3, 0.7]) {
      assertClose(
        secondDerivative(f, x0),
        fd2(ref, x0),
        1e-3,
        `${name} at ${x0}`,
      );
    }
  }
});

Deno.test("gelu() is the tanh approximation", () => {
  const xs = [-3, -1, -0.2, 0, 0.5, 2];
  const got = tf.tidy(() => gelu(tf.tensor1d(xs)).dataSync());
  xs.forEach((x, i) => assertOk(Math.abs(got[i] - geluRef(x)) < 1e-6, `gelu(${x})`));
});

Deno.test("mse() is ½‖f − y‖² summed over outputs, averaged over examples", () => {
  const v = tf.tidy(() =>
    mse(tf.tensor2d([[1, 2], [0, 3]]), tf.tensor2d([[0, 0], [0, 1]]))
      .dataSync()[0]
  );
  assertClose(v, (0.5 * (1 + 4) + 0.5 * 4) / 2, 1e-7);
});

Deno.test("crossEntropy() is logsumexp(z) − z·y averaged over examples, stable for huge logits", () => {
  const v = tf.tidy(() =>
    crossEntropy(tf.tensor2d([[0, 0], [1, 3]]), tf.tensor2d([[1, 0], [0, 1]]))
      .dataSync()[0]
  );
  const want = (Math.log(2) + (Math.log(Math.exp(1) + Math.exp(3)) - 3)) / 2;
  assertClose(v, want, 1e-6);
  const big = tf.tidy(() =>
    crossEntropy(tf.tensor2d([[1000, 0]]), tf.tensor2d([[0, 1]])).dataSync()[0]
  );
  assertClose(big, 1000, 1e-6);
});

Deno.test("crossEntropy() Hessian in the logits is diag(p) − ppᵀ (second-order safe)", () => {
  const z = [0.3, -1.2, 2.0];
  const e = z.map(Math.exp);
  const s = e.reduce((a, b) => a + b);
  const p = e.map((v) => v / s);
  const v = [1, -2, 0.5];
  const hv = tf.tidy(() => {
    const vt = tf.tensor2d([v]);
    const y = tf.tensor2d([[0, 1, 0]]);
    return tf.grad((zz: tf.Tensor) => {
      const g = tf.grad((q: tf.Tensor) => crossEntropy(q, y))(zz);
      return tf.sum(tf.mul(g, vt));
    })(tf.tensor2d([z])).dataSync();
  });
  const pv = p.reduce((a, pi, i) => a + pi * v[i], 0);
  p.forEach((pi, i) => assertClose(hv[i], pi * v[i] - pi * pv, 1e-5, `component ${i}`));
});

Deno.test("accuracy() is the argmax-match fraction", () => {
  assertClose(
    accuracy(
      tf.tensor2d([[2, 1], [0, 3], [5, 4]]),
      tf.tensor2d([[1, 0], [1, 0], [1, 0]]),
    ),
    2 / 3,
    1e-12,
  );
});

Deno.test("losses reject bad names and shapes clearly", () => {
  assertThrowsMsg(() => lossFn("hinge" as "mse"), /unknown loss "hinge"/);
  assertThrowsMsg(
    () => mse(tf.tensor2d([[1, 2]]), tf.tensor2d([[1, 2, 3]])),
    /differ in shape/,
  );
  assertThrowsMsg(
    () => crossEntropy(tf.tensor1d([1]), tf.tensor1d([1])),
    /expected \[n, k\] tensors/,
  );
});
