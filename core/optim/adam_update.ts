/**
 * One Adam/AdamW update of one parameter tensor, as a TF.js kernel that a
 * backend may provide in one piece.
 *
 *     m' = β1·m + (1−β1)·g                 v' = β2·v + (1−β2)·g²
 *     θ' = θ·decay − stepSize · m' / (√v'/√(1−β2^t) + ε)
 *
 * with stepSize = η·m_i/(1−β1^t) and decay = 1 − η·λ (1 for Adam). The op
 * sequence below is the definition, and it is what runs on every backend
 * that registers no kernel named {@linkcode ADAM_UPDATE} (wasm, cpu, blas:
 * their bits are those of the separate ops). On webgpu each op is a dispatch,
 * about 14 a tensor, and the host's encoding of dispatches bounds a small
 * model's step there; core/backends/webgpu_adam.ts registers a kernel that
 * does the same arithmetic in three.
 *
 * @example
 * ```ts
 * import * as tf from "@tensorflow/tfjs";
 * import { setupBackend } from "../backend.ts";
 * import { assertClose } from "../../tests/assert.ts";
 * await setupBackend("cpu"); // TF.js runs on its plain JS backend here
 * // first step from m = v = 0: m' = 0.1·g, v' = 0.001·g², so θ' = θ − η·sign(g) (ε aside)
 * const attrs = adamUpdateAttrs({ beta1: 0.9, beta2: 0.999, eps: 1e-8 }, 1, 0.1, 1, 0);
 * const [m, v, theta] = adamUpdate(tf.tensor1d([1]), tf.tensor1d([-3]), tf.zeros([1]), tf.zeros([1]), attrs);
 * assertClose((await theta.data())[0], 1.1, 1e-6);
 * assertClose((await m.data())[0], -0.3, 1e-6);
 * assertClose((await v.data())[0], 0.009, 1e-6);
 * ```
 * @module
 */
import * as tf from "@tensorflow/tfjs";

/** The TF.js kernel name of one Adam update (inputs `theta`, `g`, `m`, `v`; outputs m', v', θ'). */
export const ADAM_UPDATE = "PhasebenchAdamUpdate";

/** The scalars of one update; each is rounded to float32 where it meets a tensor. */
export interface AdamUpdateAttrs {
  /** β1. */
  beta1: number;
  /** 1 − β1 (in float64, as the op sequence computes it). */
  oneMinusBeta1: number;
  /** β2. */
  beta2: number;
  /** 1 − β2. */
  oneMinusBeta2: number;
  /** √(1 − β2^t), the second moment's bias correction. */
  sqrtBc2: number;
  /** ε. */
  eps: number;
  /** η·m_i/(1 − β1^t). */
  stepSize: number;
  /** 1 − η·λ (exactly 1 for Adam: θ is then not multiplied). */
  decay: number;
}

/**
 * The attributes of step t (from 1) for a tensor with LR multiplier `mult`.
 *
 * @example
 * ```ts
 * import { assertClose, assertEquals } from "../../tests/assert.ts";
 * const a = adamUpdateAttrs({ beta1: 0.9, beta2: 0.99, eps: 1e-8 }, 2, 0.01, 1, 0.5);
 * assertClose(a.stepSize, 0.01 / (1 - 0.9 ** 2), 1e-15); // step 2, LR multiplier 1
 * assertClose(a.sqrtBc2, Math.sqrt(1 - 0.99 ** 2), 1e-15);
 * assertEquals(a.decay, 1 - 0.01 * 0.5);
 * ```
 */
export function adamUpdateAttrs(
  betas: { beta1: number; beta2: number; eps: number },
  t: number,
  lr: number,
  mult: number,
  weightDecay: number,
): AdamUpdateAttrs {
  const { beta1, beta2, eps } = betas;
  return {
    beta1,
    oneMinusBeta1: 1 - beta1,
    beta2,
    oneMinusBeta2: 1 - beta2,
    sqrtBc2: Math.sqrt(1 - beta2 ** t),
    eps,
    stepSize: lr * mult / (1 - beta1 ** t),
    decay: weightDecay > 0 ? 1 - lr * weightDecay : 1,
  };
}

/**
 * m', v' and θ' for one tensor: the backend's {@linkcode ADAM_UPDATE} kernel
 * where it has one, else the op sequence of the module doc (call it inside a
 * `tf.tidy`; the caller assigns the results).
 */
export function adamUpdate(
  theta: tf.Tensor,
  g: tf.Tensor,
  m: tf.Tensor,
  v: tf.Tensor,
  attrs: AdamUpdateAttrs,
): [tf.Tensor, tf.Tensor, tf.Tensor] {
  if (tf.getKernel(ADAM_UPDATE, tf.getBackend())) {
    const out = tf.engine().runKernel(
      ADAM_UPDATE,
      { theta, g, m, v },
      attrs as unknown as tf.NamedAttrMap,
    ) as tf.Tensor[];
    return [out[0], out[1], out[2]];
  }
  return adamUpdateOps(theta, g, m, v, attrs);
}

/**
 * The op sequence of the module doc, whatever kernels are registered (the
 * reference a fused kernel is tested against).
 *
 * @example
 * ```ts
 * import * as tf from "@tensorflow/tfjs";
 * import { setupBackend } from "../backend.ts";
 * import { assertEquals } from "../../tests/assert.ts";
 * await setupBackend("cpu"); // TF.js runs on its plain JS backend here
 * const attrs = adamUpdateAttrs({ beta1: 0.9, beta2: 0.999, eps: 1e-8 }, 3, 0.1, 1, 0.01);
 * const args = [tf.tensor1d([1, 2]), tf.tensor1d([0.5, -1]), tf.tensor1d([0.1, 0]), tf.tensor1d([0.2, 0.3])] as const;
 * const a = adamUpdateOps(...args, attrs), b = adamUpdate(...args, attrs);
 * for (let i = 0; i < 3; i++) assertEquals(Array.from(await a[i].data()), Array.from(await b[i].data()));
 * ```
 */
export function adamUpdateOps(
  theta: tf.Tensor,
  g: tf.Tensor,
  m: tf.Tensor,
  v: tf.Tensor,
  a: AdamUpdateAttrs,
): [tf.Tensor, tf.Tensor, tf.Tensor] {
  const m1 = tf.add(tf.mul(m, a.beta1), tf.mul(g, a.oneMinusBeta1));
  const v1 = tf.add(tf.mul(v, a.beta2), tf.mul(tf.square(g), a.oneMinusBeta2));
  const denom = adamDenominator(v1, a.sqrtBc2, a.eps);
  const update = tf.mul(tf.div(m1, denom), a.stepSize);
  const decayed = a.decay !== 1 ? tf.mul(theta, a.decay) : theta;
  return [m1, v1, tf.sub(decayed, update)];
}

/**
 * Adam's denominator D = √v/√(1−β2^t) + ε = √v̂ + ε, elementwise (the update
 * divides by it; the preconditioner is D over the LR multiplier).
 *
 * @example
 * ```ts
 * import * as tf from "@tensorflow/tfjs";
 * import { setupBackend } from "../backend.ts";
 * import { assertClose } from "../../tests/assert.ts";
 * await setupBackend("cpu"); // TF.js runs on its plain JS backend here
 * const d = adamDenominator(tf.tensor1d([0.04]), 0.5, 1e-8); // √0.04 / 0.5 + 1e-8
 * assertClose((await d.data())[0], 0.4, 1e-6);
 * ```
 */
export function adamDenominator(v: tf.Tensor, sqrtBc2: number, eps: number): tf.Tensor {
  return tf.add(tf.div(tf.sqrt(v), sqrtBc2), eps);
}
