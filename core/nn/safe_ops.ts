/**
 * Second-order-safe gradients for TF.js, and a second-order-safe GELU.
 *
 * Why: TF.js (4.22) saves a kernel's *output* for the backward pass by cloning
 * it inside the kernel call, so the clone's tape node is recorded *before* the
 * node that produces the output. When a gradient is itself differentiated
 * (nested `tf.grads`, i.e. a Hessian-vector product), the tape filter cannot
 * reach the clone from the inputs and silently drops every path through it,
 * or throws "Cannot compute gradient". Ops whose gradient reuses the saved
 * output — Exp, Tanh, Sigmoid, Softmax, and the exponent branch of Pow — are
 * affected. Saved *inputs* are fine (their producer precedes the clone).
 *
 * {@linkcode installSecondOrderSafeGradients} re-registers those gradients so
 * that, when the backward pass is itself being recorded (nested `tf.grads`),
 * they recompute the output from the saved input; the recomputation is an
 * ordinary recorded op, so nested differentiation is exact. When the backward
 * pass is not recorded (a plain first-order gradient, and the outermost pass
 * of a Hessian-vector product) they read the output saved by the forward
 * kernel instead, which saves one kernel per op: the recomputed output and
 * the saved one are the same kernel on the same input, so the numbers are
 * bit-for-bit those of the recomputation.
 *
 * Not fixed (avoid them in anything differentiated twice): the `customGrad`
 * ops (`tf.logSoftmax`, `tf.logSigmoid`, `tf.losses.softmaxCrossEntropy`),
 * Max/Min (their masks go through Equal, which has no gradient) and Elu.
 *
 * @example
 * ```ts
 * import * as tf from "@tensorflow/tfjs";
 * import { installSecondOrderSafeGradients } from "./safe_ops.ts";
 * import { assertClose } from "../../tests/assert.ts";
 * installSecondOrderSafeGradients();
 * const d2 = tf.grad((x: tf.Tensor) => tf.grad((u: tf.Tensor) => tf.tanh(u))(x));
 * // −2·tanh(0.7)·(1 − tanh²(0.7))
 * const t = Math.tanh(0.7);
 * assertClose(d2(tf.scalar(0.7)).dataSync()[0], -2 * t * (1 - t * t), 1e-5);
 * ```
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import { installFastMatMulGradient } from "./fast_matmul.ts";

type GradConfig = tf.GradConfig;

/** Marker so we can tell our registrations from TF.js's own. */
const SAFE = Symbol.for("phasebench.secondOrderSafe");

function mark(config: GradConfig): GradConfig {
  (config as unknown as Record<symbol, boolean>)[SAFE] = true;
  return config;
}

/**
 * True while the backward pass being run is itself recorded on a tape (a
 * nested `tf.grads` will differentiate it), so a saved forward output must not
 * be used: its clone sits on the tape before the node that produced it.
 */
function backwardIsRecorded(): boolean {
  return tf.engine().isTapeOn();
}

/**
 * The forward output `y = f(x)`: the saved one when the backward pass is not
 * recorded, else recomputed as a recorded op (same kernel, same input, same bits).
 */
function outputOf(saved: tf.Tensor, recompute: () => tf.Tensor): tf.Tensor {
  return backwardIsRecorded() ? recompute() : saved;
}

/** The gradient configs installed by {@linkcode installSecondOrderSafeGradients}. */
function safeConfigs(): GradConfig[] {
  const configs: GradConfig[] = [
    {
      kernelName: tf.Exp,
      inputsToSave: ["x"],
      outputsToSave: [true],
      gradFunc: (dy, saved) => {
        const [x, y] = saved;
        return { x: () => tf.mul(dy as tf.Tensor, outputOf(y, () => tf.exp(x))) };
      },
    },
    {
      kernelName: tf.Tanh,
      inputsToSave: ["x"],
      outputsToSave: [true],
      gradFunc: (dy, saved) => {
        const [x, y] = saved;
        return {
          x: () => tf.mul(dy as tf.Tensor, tf.sub(1, tf.square(outputOf(y, () => tf.tanh(x))))),
        };
      },
    },
    {
      kernelName: tf.Sigmoid,
      inputsToSave: ["x"],
      outputsToSave: [true],
      gradFunc: (dy, saved) => {
        const [x, y] = saved;
        return {
          x: () => {
            const s = outputOf(y, () => tf.sigmoid(x));
            return tf.mul(dy as tf.Tensor, tf.mul(s, tf.sub(1, s)));
          },
        };
      },
    },
    {
      kernelName: tf.Softmax,
      inputsToSave: ["logits"],
      outputsToSave: [true],
      gradFunc: (dy, saved, attrs) => {
        const [logits, saveY] = saved;
        const dim = (attrs as { dim: number }).dim;
        return {
          logits: () => {
            const y = outputOf(saveY, () => tf.softmax(logits, dim));
            const dyTimesY = tf.mul(dy as tf.Tensor, y);
            return tf.sub(dyTimesY, tf.mul(tf.sum(dyTimesY, [dim], true), y));
          },
        };
      },
    },
    {
      kernelName: tf.Pow,
      inputsToSave: ["a", "b"],
      outputsToSave: [true],
      gradFunc: (dy, saved) => {
        const [base, exponent, power] = saved;
        const g = dy as tf.Tensor;
        const outShape = tf.broadcast_util.assertAndGetBroadcastShape(
          base.shape,
          exponent.shape,
        );
        const reduceTo = (t: tf.Tensor, shape: number[]) => {
          const axes = tf.broadcast_util.getReductionAxes(shape, outShape);
          return tf.reshape(axes.length > 0 ? tf.sum(t, axes) : t, shape);
        };
        return {
          a: () => {
            const e = tf.cast(exponent, "float32");
            return reduceTo(
              tf.mul(g, tf.mul(e, tf.pow(base, tf.sub(e, 1)))),
              base.shape,
            );
          },
          b: () => {
            const y = outputOf(power, () => tf.pow(base, exponent));
            const logBase = tf.where(
              tf.greater(base, 0),
              tf.log(base),
              tf.zerosLike(base),
            );
            return reduceTo(tf.mul(g, tf.mul(y, logBase)), exponent.shape);
          },
        };
      },
    },
  ];
  return configs.map(mark);
}

/**
 * True when every gradient from {@linkcode installSecondOrderSafeGradients} is in place.
 *
 * @example
 * ```ts
 * import { assertEquals } from "../../tests/assert.ts";
 * installSecondOrderSafeGradients();
 * assertEquals(secondOrderSafeGradientsInstalled(), true);
 * ```
 */
export function secondOrderSafeGradientsInstalled(): boolean {
  return safeConfigs().every((c) => {
    const current = tf.getGradient(c.kernelName) as unknown as
      | Record<symbol, boolean>
      | undefined;
    return current?.[SAFE] === true;
  });
}

/**
 * Re-registers the gradients of Exp, Tanh, Sigmoid, Softmax and Pow so that a
 * recorded backward pass recomputes the forward output from the saved input,
 * which makes nested `tf.grads` (Hessian-vector products) exact; an unrecorded
 * one reads the saved output (the same bits). Global and idempotent: calling
 * it again does nothing. Call it once at start-up, before any gradient is taken.
 *
 * @example
 * ```ts
 * import { assertEquals } from "../../tests/assert.ts";
 * installSecondOrderSafeGradients();
 * assertEquals(secondOrderSafeGradientsInstalled(), true);
 * ```
 */
export function installSecondOrderSafeGradients(): void {
  if (secondOrderSafeGradientsInstalled()) return;
  for (const config of safeConfigs()) tf.registerGradient(config);
}

/**
 * Alias of {@linkcode installFastMatMulGradient} (core/nn/fast_matmul.ts):
 * a MatMul gradient that transposes explicitly instead of calling the slow
 * transposed `matMul` forms on `wasm`; second-order safe. `setupBackend`
 * installs it.
 *
 * @example
 * ```ts
 * import { assertEquals } from "../../tests/assert.ts";
 * import { fastMatMulGradientInstalled } from "./fast_matmul.ts";
 * installTransposeFreeMatMulGradient();
 * assertEquals(fastMatMulGradientInstalled(), true);
 * ```
 */
export function installTransposeFreeMatMulGradient(): void {
  installFastMatMulGradient();
}

/** √(2/π), the GELU tanh-approximation constant. */
const GELU_C = Math.sqrt(2 / Math.PI);

/**
 * GELU, **tanh approximation** (as `jax.nn.gelu` by default and PyTorch's
 * `approximate="tanh"`): ½x(1 + tanh(√(2/π)(x + 0.044715x³))). Built from
 * mul/add/tanh only, so it is second-order safe once
 * {@linkcode installSecondOrderSafeGradients} has run.
 *
 * @example
 * ```ts
 * import * as tf from "@tensorflow/tfjs";
 * import { assertClose, assertEquals } from "../../tests/assert.ts";
 * const [a, b, c] = gelu(tf.tensor1d([-1, 0, 1])).dataSync();
 * assertClose(a, -0.158808, 1e-4);
 * assertEquals(b, 0);
 * assertClose(c, 0.841192, 1e-4);
 * ```
 */
export function gelu(x: tf.Tensor): tf.Tensor {
  return tf.tidy(() => {
    const inner = tf.mul(
      GELU_C,
      tf.add(x, tf.mul(0.044715, tf.mul(x, tf.mul(x, x)))),
    );
    return tf.mul(tf.mul(0.5, x), tf.add(1, tf.tanh(inner)));
  });
}
