/**
 * Gradients and Hessian-vector products of the mean loss over a fixed set of
 * examples, computed in fixed-size chunks whose results are summed with
 * weights n_c/n (so the result is exactly that of the full mean loss, and
 * memory is bounded by one chunk). Vectors are flat float64 arrays holding
 * the parameters in the model's order, each tensor flattened row-major.
 *
 * Two methods:
 * - `"exact"`: double backprop, ∇(∇L·v), through the second-order-safe ops
 *   (`installSecondOrderSafeGradients()` must have run; this module checks).
 * - `"fd"`: central differences of the gradient,
 *   Hv ≈ (g(θ + εv) − g(θ − εv)) / 2ε with ε = c·(1 + ‖θ‖)/‖v‖.
 *   The step is relative to the size of θ, so each coordinate moves by about
 *   c of its own scale whatever the parametrisation. Central differences have
 *   truncation error O(c²) and float32 rounding error O(u/c) (u ≈ 6e-8), so
 *   the optimum is near c ≈ u^(1/3) ≈ 4e-3 up to problem constants. Measured
 *   against the float64 reference (tanh/GELU × MSE/xent, 230 parameters):
 *   relative HVP error 2–4e-4 at c = 1e-4 (rounding), 1.5–4e-5 at c = 1e-3,
 *   3–11e-5 at c = 3e-3, 0.4–1.2e-3 at c = 1e-2 (truncation); the default is
 *   c = 1e-3. Costs two gradients per product; "exact" is ~1e-7 accurate.
 *
 * @example
 * ```ts
 * import { makeHvp } from "./hvp.ts";
 * import { linearProblem } from "../../tests/reference/linear_problem.ts";
 * import { assertEquals } from "../../tests/assert.ts";
 * // f(x) = x·w under ½-MSE on X = [[1, 0], [0, 2]]: H = XᵀX/2 = diag(0.5, 2)
 * const { model, params, loss, x, y, dispose } = linearProblem([[1, 0], [0, 2]]);
 * const op = makeHvp({ model, params, loss, x, y, chunkSize: 1000 });
 * assertEquals(Array.from(await op.hvp(new Float64Array([1, 1]))), [0.5, 2]);
 * dispose();
 * ```
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import type { LossFn, Model } from "../nn/types.ts";
import { secondOrderSafeGradientsInstalled } from "../nn/safe_ops.ts";

/** How Hessian-vector products are computed. */
export type HvpMethod = "exact" | "fd";

/** Where the loss is evaluated: a model at given parameters on given examples. */
export interface LossSetup {
  /** The functional model. */
  model: Model;
  /** Parameter tensors, in the model's order. */
  params: tf.Tensor[];
  /** Mean-over-examples loss. */
  loss: LossFn;
  /** Inputs, first axis = examples. */
  x: tf.Tensor;
  /** Targets, first axis = examples. */
  y: tf.Tensor;
  /** Examples per chunk (memory bound); default 1000. */
  chunkSize?: number;
}

/** Options of {@linkcode makeHvp}. */
export interface HvpOptions extends LossSetup {
  /** `"exact"` (default) or `"fd"`. */
  method?: HvpMethod;
  /** The constant c of the finite-difference step ε = c·(1 + ‖θ‖)/‖v‖; default 1e-3. */
  fdScale?: number;
}

/**
 * A Hessian as an operator on flat float64 vectors. Products are read back
 * with async `data()`, so the operator works on every backend (webgpu has no
 * synchronous reads under Deno); on the others the bits are those of a
 * synchronous read.
 */
export interface HessianOperator {
  /** H·v for a flat vector v of length `dim`. */
  hvp(v: Float64Array): Promise<Float64Array>;
  /** Number of Hessian-vector products computed so far. */
  readonly count: number;
  /** Number of parameters. */
  readonly dim: number;
  /** Number of examples the loss averages over. */
  readonly n: number;
}

/**
 * Concatenates tensors into one flat float64 vector. Reads synchronously
 * (`dataSync`), so not on webgpu: use {@linkcode flattenAsync} there.
 *
 * @example
 * ```ts
 * import * as tf from "@tensorflow/tfjs";
 * import { assertEquals } from "../../tests/assert.ts";
 * assertEquals(Array.from(flatten([tf.tensor1d([1, 2]), tf.scalar(3)])), [1, 2, 3]);
 * ```
 */
export function flatten(tensors: tf.Tensor[]): Float64Array {
  const total = tensors.reduce((s, t) => s + t.size, 0);
  const out = new Float64Array(total);
  let offset = 0;
  for (const t of tensors) {
    out.set(t.dataSync(), offset);
    offset += t.size;
  }
  return out;
}

/**
 * {@linkcode flatten} with async reads (`data()`), for the training loop,
 * which must run on backends without synchronous reads (webgpu).
 *
 * @example
 * ```ts
 * import * as tf from "@tensorflow/tfjs";
 * import { assertEquals } from "../../tests/assert.ts";
 * const flat = await flattenAsync([tf.tensor1d([1, 2]), tf.scalar(3)]);
 * assertEquals(Array.from(flat), [1, 2, 3]);
 * ```
 */
export async function flattenAsync(tensors: tf.Tensor[]): Promise<Float64Array> {
  // issued together, so they wait together (each webgpu read waits ≥ 10 ms)
  const parts = await Promise.all(tensors.map((t) => t.data()));
  const out = new Float64Array(parts.reduce((s, p) => s + p.length, 0));
  let offset = 0;
  for (const p of parts) {
    out.set(p, offset);
    offset += p.length;
  }
  return out;
}

/**
 * Splits a flat vector into float32 tensors of the given shapes (the caller
 * owns and disposes them).
 *
 * @example
 * ```ts
 * import { assertEquals } from "../../tests/assert.ts";
 * const [a, b] = unflatten(new Float64Array([1, 2, 3]), [[2], []]);
 * assertEquals([a.shape, b.shape], [[2], []]);
 * assertEquals([Array.from(await a.data()), Array.from(await b.data())], [[1, 2], [3]]);
 * ```
 */
export function unflatten(
  flat: ArrayLike<number>,
  shapes: number[][],
): tf.Tensor[] {
  const total = shapes.reduce((s, sh) => s + sh.reduce((a, b) => a * b, 1), 0);
  if (flat.length !== total) {
    throw new Error(
      `unflatten: vector has length ${flat.length}, the shapes need ${total}`,
    );
  }
  const out: tf.Tensor[] = [];
  let offset = 0;
  for (const shape of shapes) {
    const size = shape.reduce((a, b) => a * b, 1);
    out.push(tf.tensor(toFloat32(flat, offset, size), shape, "float32"));
    offset += size;
  }
  return out;
}

/** flat[offset, offset + size) rounded to float32 (typed arrays convert natively). */
function toFloat32(flat: ArrayLike<number>, offset: number, size: number): Float32Array {
  // Stryker disable next-line LogicalOperator,BlockStatement: a typed array then takes the element loop below, which rounds to the same float32 values
  if (flat instanceof Float64Array || flat instanceof Float32Array) {
    return new Float32Array(flat.subarray(offset, offset + size));
  }
  const out = new Float32Array(size);
  // Stryker disable next-line EqualityOperator: i <= size only adds a write past the end of the typed array, which is dropped (i >= size is killed)
  for (let i = 0; i < size; i++) out[i] = flat[offset + i];
  return out;
}

interface Chunk {
  start: number;
  size: number;
}

function chunksOf(n: number, chunkSize: number): Chunk[] {
  if (!Number.isInteger(chunkSize) || chunkSize < 1) {
    throw new Error(`chunkSize must be a positive integer, got ${chunkSize}`);
  }
  const chunks: Chunk[] = [];
  for (let start = 0; start < n; start += chunkSize) {
    chunks.push({ start, size: Math.min(chunkSize, n - start) });
  }
  return chunks;
}

function sliceRows(t: tf.Tensor, chunk: Chunk, n: number): tf.Tensor {
  // Stryker disable next-line ConditionalExpression,EqualityOperator: false and start !== 0 only slice all n rows, the same values (true and size !== n are killed)
  if (chunk.start === 0 && chunk.size === n) return t;
  return tf.slice(t, [chunk.start], [chunk.size]);
}

function validate(
  setup: LossSetup,
): { n: number; dim: number; chunks: Chunk[] } {
  const { model, params, x, y } = setup;
  if (params.length !== model.paramShapes.length) {
    throw new Error(
      `expected ${model.paramShapes.length} parameter tensors, got ${params.length}`,
    );
  }
  const n = x.shape[0];
  if (y.shape[0] !== n) {
    throw new Error(`x has ${n} examples but y has ${y.shape[0]}`);
  }
  if (!(n > 0)) throw new Error("no examples to evaluate the loss on");
  const dim = params.reduce((s, p) => s + p.size, 0);
  return { n, dim, chunks: chunksOf(n, setup.chunkSize ?? 1000) };
}

/**
 * Adds weight·values of the tensors, read back asynchronously and laid end to
 * end, into acc (from offset 0), in order.
 */
async function accumulate(
  acc: Float64Array,
  tensors: tf.Tensor[],
  weight: number,
): Promise<void> {
  const values = await Promise.all(tensors.map((t) => t.data()));
  let offset = 0;
  for (const d of values) {
    for (let i = 0; i < d.length; i++) acc[offset + i] += weight * d[i];
    offset += d.length;
  }
}

/**
 * Gradient of the mean loss (and the loss) at `params`, summed over chunks.
 * Reads back asynchronously (works on webgpu).
 *
 * @example
 * ```ts
 * import { linearProblem } from "../../tests/reference/linear_problem.ts";
 * import { assertEquals } from "../../tests/assert.ts";
 * // at w = 0 with y = 1: loss ½·mean(y²) = 0.5, gradient −Xᵀy/n = [−0.5, −1]
 * const p = linearProblem([[1, 0], [0, 2]], [1, 1]);
 * const { loss, gradient } = await flatGradient({ ...p, chunkSize: 1 });
 * assertEquals([loss, Array.from(gradient)], [0.5, [-0.5, -1]]);
 * p.dispose();
 * ```
 */
export async function flatGradient(
  setup: LossSetup,
): Promise<{ loss: number; gradient: Float64Array }> {
  const { n, dim, chunks } = validate(setup);
  const { model, params, loss, x, y } = setup;
  const gradient = new Float64Array(dim);
  let lossValue = 0;
  for (const chunk of chunks) {
    const weight = chunk.size / n;
    const { value, grads } = tf.tidy(() => {
      const xc = sliceRows(x, chunk, n);
      const yc = sliceRows(y, chunk, n);
      return tf.valueAndGrads((...ps: tf.Tensor[]) => loss(model.apply(ps, xc), yc))(params);
    });
    try {
      lossValue += weight * (await value.data())[0];
      await accumulate(gradient, grads, weight);
    } finally {
      tf.dispose([value, ...grads]);
    }
  }
  return { loss: lossValue, gradient };
}

/**
 * A Hessian-vector-product operator for the mean loss of `model` at `params`
 * on (x, y). The parameters are read at each call, so keep them alive and
 * unchanged while using the operator.
 *
 * @example
 * ```ts
 * import { linearProblem } from "../../tests/reference/linear_problem.ts";
 * import { assertClose, assertEquals } from "../../tests/assert.ts";
 * const p = linearProblem([[1, 0], [0, 2]]); // H = diag(0.5, 2)
 * const exact = makeHvp({ ...p, method: "exact" });
 * assertEquals(Array.from(await exact.hvp(new Float64Array([1, 0]))), [0.5, 0]);
 * // central differences are exact up to rounding on a quadratic loss
 * const fd = await makeHvp({ ...p, method: "fd" }).hvp(new Float64Array([0, 1]));
 * assertClose(fd[1], 2, 1e-3);
 * assertEquals([exact.count, exact.dim, exact.n], [1, 2, 2]);
 * p.dispose();
 * ```
 */
export function makeHvp(options: HvpOptions): HessianOperator {
  const { n, dim, chunks } = validate(options);
  const method = options.method ?? "exact";
  if (method !== "exact" && method !== "fd") {
    throw new Error(`unknown HVP method "${method}"`);
  }
  if (method === "exact" && !secondOrderSafeGradientsInstalled()) {
    throw new Error(
      "exact HVPs need installSecondOrderSafeGradients() (core/nn/safe_ops.ts) to have run first",
    );
  }
  const fdScale = options.fdScale ?? 1e-3;
  const { model, params, loss, x, y } = options;
  const shapes = params.map((p) => p.shape);
  let count = 0;
  let thetaNorm = -1;

  const chunkLoss = (chunk: Chunk) => (ps: tf.Tensor[]) => {
    const xc = sliceRows(x, chunk, n);
    const yc = sliceRows(y, chunk, n);
    return loss(model.apply(ps, xc), yc);
  };

  const exact = async (v: Float64Array): Promise<Float64Array> => {
    const out = new Float64Array(dim);
    const vs = unflatten(v, shapes);
    try {
      for (const chunk of chunks) {
        const weight = chunk.size / n;
        const f = chunkLoss(chunk);
        const hv = tf.tidy(() =>
          tf.grads((...ps: tf.Tensor[]) => {
            const g = tf.grads((...qs: tf.Tensor[]) => f(qs))(ps);
            let s = tf.sum(tf.mul(g[0], vs[0]));
            for (let i = 1; i < g.length; i++) {
              s = tf.add(s, tf.sum(tf.mul(g[i], vs[i])));
            }
            return s as tf.Scalar;
          })(params)
        );
        try {
          await accumulate(out, hv, weight);
        } finally {
          tf.dispose(hv);
        }
      }
    } finally {
      tf.dispose(vs);
    }
    return out;
  };

  const finiteDifference = async (v: Float64Array): Promise<Float64Array> => {
    let vNorm = 0;
    for (let i = 0; i < v.length; i++) vNorm += v[i] * v[i];
    vNorm = Math.sqrt(vNorm);
    if (vNorm === 0) return new Float64Array(dim);
    // Stryker disable next-line ConditionalExpression,EqualityOperator: true and <= 0 recompute ‖θ‖ at each call, the same value since params must not change (false and >= 0 are killed)
    if (thetaNorm < 0) {
      let s = 0;
      for (const p of params) {
        const sq = tf.tidy(() => tf.sum(tf.square(p)));
        s += (await sq.data())[0];
        sq.dispose();
      }
      thetaNorm = Math.sqrt(s);
    }
    const eps = (fdScale * (1 + thetaNorm)) / vNorm;
    const [plus, minus] = tf.tidy(() => {
      const steps = unflatten(v, shapes).map((vi) => tf.mul(vi, eps));
      return [
        params.map((p, i) => tf.add(p, steps[i])),
        params.map((p, i) => tf.sub(p, steps[i])),
      ];
    });
    try {
      const gPlus = await flatGradient({ ...options, params: plus });
      const gMinus = await flatGradient({ ...options, params: minus });
      const out = new Float64Array(dim);
      // Stryker disable next-line EqualityOperator: i <= dim only adds a write past the end of the typed array, which is dropped (i >= dim is killed)
      for (let i = 0; i < dim; i++) {
        out[i] = (gPlus.gradient[i] - gMinus.gradient[i]) / (2 * eps);
      }
      return out;
    } finally {
      tf.dispose([...plus, ...minus]);
    }
  };

  return {
    async hvp(v: Float64Array): Promise<Float64Array> {
      if (v.length !== dim) {
        throw new Error(`hvp: vector has length ${v.length}, expected ${dim}`);
      }
      const out = method === "exact" ? await exact(v) : await finiteDifference(v);
      count++;
      return out;
    },
    get count() {
      return count;
    },
    dim,
    n,
  };
}
