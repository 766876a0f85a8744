/**
 * A MatMul gradient without transposed products.
 *
 * TF.js's own gradient of `matMul` (kernel `BatchMatMul`) computes
 * dA = dy·Bᵀ and dB = Aᵀ·dy with `matMul(…, transposeA, transposeB)` flags.
 * On the `wasm` backend (XNNPACK) those flagged forms are 10–40× slower than a
 * plain product (SPEC §2: 1000×3072·3072×200 takes ~41 ms plain, ~1.5 s with
 * `transposeA`), while an explicit `tf.transpose` of the operand costs ~10 ms.
 * {@linkcode installFastMatMulGradient} re-registers the gradient so that it
 * transposes explicitly and then multiplies with no flags — for every
 * combination of the forward's own flags:
 *
 * | forward            | dA              | dB              |
 * | ------------------ | --------------- | --------------- |
 * | C = A·B            | dy·Bᵀ           | Aᵀ·dy           |
 * | C = A·Bᵀ           | dy·B            | dyᵀ·A           |
 * | C = Aᵀ·B           | B·dyᵀ           | A·dy            |
 * | C = Aᵀ·Bᵀ          | Bᵀ·dyᵀ          | dyᵀ·Aᵀ          |
 *
 * (ᵀ swaps the last two axes; leading axes are batch axes.) It does so on the
 * backends in {@linkcode TRANSPOSE_FREE_MATMUL_BACKENDS} (`wasm`); on the
 * others, whose kernels read transposed operands natively, it keeps TF.js's
 * flagged formulas, so their numbers stay exactly those of TF.js. The result is
 * mathematically identical to TF.js's gradient and stays differentiable
 * (transpose and matMul both have gradients), so nested `tf.grads` —
 * Hessian-vector products — go through it. Numbers can differ from the
 * default gradient in the last bits, because the backend's kernel for a plain
 * product may sum in another order than its kernel for a flagged one.
 *
 * @example
 * ```ts
 * import * as tf from "@tensorflow/tfjs";
 * import { installFastMatMulGradient } from "./fast_matmul.ts";
 * import { assertEquals } from "../../tests/assert.ts";
 * installFastMatMulGradient();
 * const g = tf.grad((a: tf.Tensor) => tf.sum(tf.matMul(a, tf.ones([3, 2]))))(tf.ones([4, 3]));
 * assertEquals(Array.from(g.dataSync()), new Array(12).fill(2));
 * ```
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import { BACKEND_DESCRIPTORS } from "../backends/mod.ts";

/**
 * Marker on the installed config. The same key as the equivalent gradient in
 * `safe_ops.ts` (if present), so installing either one makes the other a no-op.
 */
const FAST_MATMUL = Symbol.for("phasebench.transposeFreeMatMul");

/**
 * TF.js backends on which the gradient uses explicit transposes and plain
 * products: those whose descriptor says `transposeFreeMatMul` (only `wasm`:
 * its flagged products are 10–40× slower, measured here). Elsewhere the
 * flagged forms are native and as fast or faster — measured on `cpu`
 * (500×400·400×200) and `blas` (1000×3072·3072×200); not measured on `webgpu`
 * and `tensorflow` — so there the gradient is exactly TF.js's own and those
 * backends' numbers are unchanged.
 */
export const TRANSPOSE_FREE_MATMUL_BACKENDS: ReadonlySet<string> = new Set(
  BACKEND_DESCRIPTORS.filter((d) => d.transposeFreeMatMul).map((d) => d.name),
);

/**
 * TF.js backends on which the gradient splits long weight-gradient products
 * (see {@linkcode splitKTransposeMatMul}): those whose descriptor says
 * `splitKMatMulGradient` (only `webgpu`).
 */
export const SPLIT_K_MATMUL_BACKENDS: ReadonlySet<string> = new Set(
  BACKEND_DESCRIPTORS.filter((d) => d.splitKMatMulGradient).map((d) => d.name),
);

/** Inner dimensions from which {@linkcode splitKTransposeMatMul} splits, and its chunk length. */
export const SPLIT_K = { minInner: 2048, chunk: 512, maxOutput: 512 * 512 } as const;

/**
 * xᵀ·y for rank-2 x [K, M] and y [K, N], summed over K in chunks of
 * {@linkcode SPLIT_K}.chunk rows when K ≥ SPLIT_K.minInner and M·N ≤
 * SPLIT_K.maxOutput: the rows are zero-padded to whole chunks, multiplied as
 * one batch of [chunk, M]ᵀ·[chunk, N] products and the partial products
 * summed, in a fixed order. A weight gradient over 11,493 token rows into a
 * 114×128 output (the Nanda transformer's embedding) otherwise runs on 16
 * tiles of webgpu's one deterministic MatMul kernel, 24.6 ms on an H200.
 * Other shapes: `tf.matMul(x, y, true, false)`.
 *
 * @example
 * ```ts
 * import * as tf from "@tensorflow/tfjs";
 * import { assertClose } from "../../tests/assert.ts";
 * const x = tf.ones([3000, 2]), y = tf.ones([3000, 3]);
 * const p = await splitKTransposeMatMul(x, y).data(); // Σ over 3000 rows of 1·1
 * assertClose(p[0], 3000, 0);
 * assertClose(p[5], 3000, 0);
 * ```
 */
export function splitKTransposeMatMul(x: tf.Tensor, y: tf.Tensor): tf.Tensor {
  if (x.rank !== 2 || y.rank !== 2) return tf.matMul(x, y, true, false);
  const [k, m] = x.shape as [number, number], n = y.shape[1] as number;
  if (k < SPLIT_K.minInner || m * n > SPLIT_K.maxOutput) return tf.matMul(x, y, true, false);
  const chunks = Math.ceil(k / SPLIT_K.chunk), padded = chunks * SPLIT_K.chunk;
  const split = (t: tf.Tensor, cols: number) =>
    tf.reshape(padded === k ? t : tf.pad(t, [[0, padded - k], [0, 0]]), [
      chunks,
      SPLIT_K.chunk,
      cols,
    ]);
  return tf.sum(tf.matMul(split(x, m), split(y, n), true, false), 0);
}

/**
 * Swaps the last two axes of a tensor of rank ≥ 2 (a batched matrix transpose).
 *
 * @example
 * ```ts
 * import * as tf from "@tensorflow/tfjs";
 * import { assertEquals } from "../../tests/assert.ts";
 * assertEquals(swapLastTwoAxes(tf.zeros([5, 2, 3])).shape, [5, 3, 2]);
 * ```
 */
export function swapLastTwoAxes(x: tf.Tensor): tf.Tensor {
  const r = x.rank;
  if (r < 2) throw new Error(`swapLastTwoAxes: expected rank ≥ 2, got rank ${r}`);
  if (r === 2) return tf.transpose(x);
  const perm = Array.from({ length: r }, (_, i) => i);
  perm[r - 2] = r - 1;
  perm[r - 1] = r - 2;
  return tf.transpose(x, perm);
}

/**
 * The gradient config installed by {@linkcode installFastMatMulGradient}.
 *
 * @example
 * ```ts
 * import { assertEquals } from "../../tests/assert.ts";
 * assertEquals(fastMatMulGradConfig().kernelName, "BatchMatMul");
 * ```
 */
export function fastMatMulGradConfig(): tf.GradConfig {
  const t = swapLastTwoAxes;
  const config: tf.GradConfig = {
    kernelName: tf.BatchMatMul,
    inputsToSave: ["a", "b"],
    gradFunc: (dy, saved, attrs) => {
      const [a, b] = saved;
      const g = dy as tf.Tensor;
      const { transposeA, transposeB } = attrs as unknown as {
        transposeA: boolean;
        transposeB: boolean;
      };
      if (!TRANSPOSE_FREE_MATMUL_BACKENDS.has(tf.getBackend())) {
        // TF.js's own formulas: these backends multiply transposed operands natively; the
        // weight gradients' xᵀ·y over a long inner dimension split on SPLIT_K_MATMUL_BACKENDS
        const tn = SPLIT_K_MATMUL_BACKENDS.has(tf.getBackend())
          ? splitKTransposeMatMul
          : (x: tf.Tensor, y: tf.Tensor) => tf.matMul(x, y, true, false);
        if (!transposeA && !transposeB) {
          return { a: () => tf.matMul(g, b, false, true), b: () => tn(a, g) };
        }
        if (!transposeA && transposeB) {
          return { a: () => tf.matMul(g, b), b: () => tn(g, a) };
        }
        if (transposeA && !transposeB) {
          return { a: () => tf.matMul(b, g, false, true), b: () => tf.matMul(a, g) };
        }
        return { a: () => tf.matMul(b, g, true, true), b: () => tf.matMul(g, a, true, true) };
      }
      if (!transposeA && !transposeB) {
        return { a: () => tf.matMul(g, t(b)), b: () => tf.matMul(t(a), g) };
      }
      if (!transposeA && transposeB) {
        return { a: () => tf.matMul(g, b), b: () => tf.matMul(t(g), a) };
      }
      if (transposeA && !transposeB) {
        return { a: () => tf.matMul(b, t(g)), b: () => tf.matMul(a, g) };
      }
      return { a: () => tf.matMul(t(b), t(g)), b: () => tf.matMul(t(g), t(a)) };
    },
  };
  (config as unknown as Record<symbol, boolean>)[FAST_MATMUL] = true;
  return config;
}

/**
 * True when the registered MatMul gradient is the transpose-free one.
 *
 * @example
 * ```ts
 * import { assertEquals } from "../../tests/assert.ts";
 * installFastMatMulGradient();
 * assertEquals(fastMatMulGradientInstalled(), true);
 * ```
 */
export function fastMatMulGradientInstalled(): boolean {
  const current = tf.getGradient(tf.BatchMatMul) as unknown as
    | Record<symbol, boolean>
    | undefined;
  return current?.[FAST_MATMUL] === true;
}

/**
 * Re-registers the MatMul (`BatchMatMul`) gradient so that it never calls
 * `matMul` with transpose flags. Global and idempotent; call it at start-up,
 * before gradients are taken (`setupBackend` does).
 *
 * @example
 * ```ts
 * import { assertEquals } from "../../tests/assert.ts";
 * installFastMatMulGradient();
 * installFastMatMulGradient(); // no-op
 * assertEquals(fastMatMulGradientInstalled(), true);
 * ```
 */
export function installFastMatMulGradient(): void {
  if (fastMatMulGradientInstalled()) return;
  tf.registerGradient(fastMatMulGradConfig());
}
