/**
 * A minimal TF.js MLP implementing the `Model` interface, for the spectral
 * tests (independent of the production model code). Same parameter layout as
 * {@linkcode Mlp64}: W0 [d0, d1], b0 [d1], …; a = h·W + b; linear readout.
 *
 * Also: the deterministic test problems shared by the spectral tests.
 *
 * @example
 * ```ts
 * import { tfMlp } from "./tf_mlp.ts";
 * import { assertEquals } from "../assert.ts";
 * const model = tfMlp([3, 12, 12, 2], "tanh");
 * assertEquals(model.paramShapes, [[3, 12], [12], [12, 12], [12], [12, 2], [2]]);
 * ```
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import type { Model } from "../../core/nn/types.ts";
import { gelu } from "../../core/nn/safe_ops.ts";
import { rngFor } from "../../core/rng.ts";
import type { Rng } from "../../core/rng.ts";
import { type Activation64, type Loss64, Mlp64 } from "./mlp64.ts";

/** Hidden activation of the test model. */
export type TestActivation = Activation64 | "linear";

/**
 * A TF.js MLP with the given widths and hidden activation.
 *
 * @example
 * ```ts
 * import * as tf from "@tensorflow/tfjs";
 * import { setupBackend } from "../../core/backend.ts";
 * import { assertEquals } from "../assert.ts";
 * await setupBackend("cpu"); // TF.js runs on its plain JS backend here
 * const m = tfMlp([2, 1], "linear"); // f = x·W + b
 * const f = m.apply([tf.tensor2d([[1], [2]]), tf.tensor1d([3])], tf.tensor2d([[1, 1]]));
 * assertEquals(Array.from(f.dataSync()), [6]);
 * ```
 */
export function tfMlp(sizes: number[], activation: TestActivation): Model {
  const paramShapes: number[][] = [];
  const paramNames: string[] = [];
  for (let l = 0; l + 1 < sizes.length; l++) {
    paramShapes.push([sizes[l], sizes[l + 1]], [sizes[l + 1]]);
    paramNames.push(`layer${l}.weight`, `layer${l}.bias`);
  }
  const nParams = paramShapes.reduce(
    (s, sh) => s + sh.reduce((a, b) => a * b, 1),
    0,
  );
  const phi = (a: tf.Tensor): tf.Tensor =>
    activation === "tanh" ? tf.tanh(a) : activation === "gelu" ? gelu(a) : a;
  return {
    kind: "mlp",
    paramNames,
    paramShapes,
    nParams,
    lrMultipliers: paramShapes.map(() => 1),
    init(rng: Rng): Float32Array[] {
      return paramShapes.map((shape) => {
        const fanIn = shape.length === 2 ? shape[0] : 0;
        const std = fanIn > 0 ? 1 / Math.sqrt(fanIn) : 0.1;
        return Float32Array.from(
          rng.normals(shape.reduce((a, b) => a * b, 1), std),
        );
      });
    },
    apply(params: tf.Tensor[], x: tf.Tensor): tf.Tensor {
      let h = x;
      const layers = params.length / 2;
      for (let l = 0; l < layers; l++) {
        const a = tf.add(
          tf.matMul(h as tf.Tensor2D, params[2 * l] as tf.Tensor2D),
          params[2 * l + 1],
        );
        h = l === layers - 1 ? a : phi(a);
      }
      return h;
    },
  };
}

/** A test problem: float32-representable weights and data, in both worlds. */
export interface Problem {
  /** The float64 reference network. */
  ref: Mlp64;
  /** The TF.js model. */
  model: Model;
  /** Flat parameters (float32-exact values). */
  theta: Float64Array;
  /** Inputs n × d0, targets n × dL (flat). */
  x: Float64Array;
  y: Float64Array;
  n: number;
}

/**
 * A seeded tiny problem: widths `sizes`, n examples with N(0,1) inputs;
 * MSE targets N(0,1), cross-entropy targets one-hot of a seeded class. All
 * numbers are rounded to float32 so both implementations see identical values.
 *
 * @example
 * ```ts
 * import { assertEquals, assertOk } from "../assert.ts";
 * const p = tinyProblem([3, 12, 12, 2], "tanh", "mse", 16, 0);
 * assertEquals([p.theta.length, p.x.length, p.y.length], [p.ref.dim, 16 * 3, 16 * 2]);
 * assertOk([...p.theta, ...p.x, ...p.y].every((v) => Math.fround(v) === v)); // float32-exact
 * ```
 */
export function tinyProblem(
  sizes: number[],
  activation: Activation64,
  loss: Loss64,
  n: number,
  seed: number,
  weightScale = 1.5,
): Problem {
  const ref = new Mlp64(sizes, activation, loss);
  const rng = rngFor(seed, `tiny/${activation}/${loss}`, "init");
  const theta = new Float64Array(ref.dim);
  let o = 0;
  for (const shape of ref.shapes) {
    const size = shape.reduce((a, b) => a * b, 1);
    const std = shape.length === 2 ? weightScale / Math.sqrt(shape[0]) : 0.3;
    for (let i = 0; i < size; i++) theta[o++] = Math.fround(std * rng.normal());
  }
  const d0 = sizes[0];
  const k = sizes[sizes.length - 1];
  const data = rngFor(seed, `tiny/${activation}/${loss}`, "data");
  const x = new Float64Array(n * d0).map(() => Math.fround(data.normal()));
  const y = new Float64Array(n * k);
  for (let i = 0; i < n; i++) {
    if (loss === "mse") {
      for (let j = 0; j < k; j++) y[i * k + j] = Math.fround(data.normal());
    } else y[i * k + data.int(k)] = 1;
  }
  return { ref, model: tfMlp(sizes, activation), theta, x, y, n };
}

/**
 * The problem's parameters and data as TF.js tensors (caller disposes).
 *
 * @example
 * ```ts
 * import { setupBackend } from "../../core/backend.ts";
 * import { assertClose, assertEquals } from "../assert.ts";
 * await setupBackend("cpu"); // TF.js runs on its plain JS backend here
 * const p = tinyProblem([2, 4, 1], "tanh", "mse", 8, 0);
 * const { params, x, y } = toTensors(p);
 * assertEquals([params.length, x.shape, y.shape], [4, [8, 2], [8, 1]]);
 * // the TF.js model and the float64 reference agree on the loss (float32 rounding)
 * const out = p.model.apply(params, x);
 * const loss = out.sub(y).square().sum(1).mean().mul(0.5).dataSync()[0];
 * assertClose(loss, p.ref.lossValue(p.theta, p.x, p.y, p.n), 1e-5);
 * ```
 */
export function toTensors(
  p: Problem,
): { params: tf.Tensor[]; x: tf.Tensor2D; y: tf.Tensor2D } {
  const params: tf.Tensor[] = [];
  let o = 0;
  for (const shape of p.ref.shapes) {
    const size = shape.reduce((a, b) => a * b, 1);
    params.push(
      tf.tensor(Float32Array.from(p.theta.subarray(o, o + size)), shape),
    );
    o += size;
  }
  const d0 = p.ref.sizes[0];
  const k = p.ref.sizes[p.ref.sizes.length - 1];
  return {
    params,
    x: tf.tensor2d(Float32Array.from(p.x), [p.n, d0]),
    y: tf.tensor2d(Float32Array.from(p.y), [p.n, k]),
  };
}
