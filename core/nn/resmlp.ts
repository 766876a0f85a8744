/**
 * The residual MLP of the supercollapse paper (Qiu et al. 2025, App. A; SPEC §6.2):
 *
 *     h₀ = x W_embed                                   (inputDim → D)
 *     h_{b+1} = h_b + GELU(RMSNorm(h_b) W1_b) W2_b      (D → H → D, H = round(hiddenMult·D))
 *     f = RMSNorm(h_B) W_readout                        (D → outputDim)
 *
 * as in the reference code: no biases; RMSNorm **without learnable gain**
 * (x/√(mean x² + 1e-6)); W_embed ~ N(0, 1/inputDim); W1 ~ N(0, 1/D);
 * W2 and W_readout zero-initialised (so f ≡ 0 at init); GELU is the tanh
 * approximation (jax.nn.gelu's default). Parameters in order
 * `embed.weight, block0.fc1.weight, block0.fc2.weight, …, readout.weight`.
 *
 * @example
 * ```ts
 * import { buildResMlp } from "./resmlp.ts";
 * import { assertEquals } from "../../tests/assert.ts";
 * const m = buildResMlp({ kind: "resmlp", width: 64, blocks: 2, hiddenMult: 1, parametrization: "mup", baseWidth: 32 },
 *   { inputDim: 8, outputDim: 1 });
 * assertEquals(m.nParams, 8 * 64 + 2 * 2 * 64 * 64 + 64);
 * ```
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import type { ResMlpConfig } from "../config/model_schema.ts";
import { gelu } from "./safe_ops.ts";
import {
  countParams,
  initFromSpecs,
  parametrize,
  type ParametrizedModel,
  type ParamSpec,
} from "./parametrization.ts";

/**
 * RMSNorm over the last axis without gain: x/√(mean(x²) + eps).
 *
 * @example
 * ```ts
 * import * as tf from "@tensorflow/tfjs";
 * import { setupBackend } from "../backend.ts";
 * import { assertClose } from "../../tests/assert.ts";
 * await setupBackend("cpu"); // TF.js runs on its plain JS backend here
 * const [a, b] = rmsNorm(tf.tensor2d([[3, 4]])).dataSync(); // x/√((9 + 16)/2)
 * assertClose(a, 3 / Math.sqrt(12.5), 1e-6);
 * assertClose(b, 4 / Math.sqrt(12.5), 1e-6);
 * ```
 */
export function rmsNorm(x: tf.Tensor, eps = 1e-6): tf.Tensor {
  return tf.tidy(() => tf.mul(x, tf.rsqrt(tf.add(tf.mean(tf.square(x), -1, true), eps))));
}

/**
 * LayerNorm over the last axis without gain or bias: (x − mean)/√(var + eps).
 *
 * @example
 * ```ts
 * import * as tf from "@tensorflow/tfjs";
 * import { setupBackend } from "../backend.ts";
 * import { assertClose } from "../../tests/assert.ts";
 * await setupBackend("cpu"); // TF.js runs on its plain JS backend here
 * const [a, b] = layerNorm(tf.tensor2d([[1, 3]])).dataSync(); // (x − 2)/√(1 + eps)
 * assertClose(a, -1 / Math.sqrt(1 + 1e-5), 1e-6);
 * assertClose(b, 1 / Math.sqrt(1 + 1e-5), 1e-6);
 * ```
 */
export function layerNorm(x: tf.Tensor, eps = 1e-5): tf.Tensor {
  return tf.tidy(() => {
    const c = tf.sub(x, tf.mean(x, -1, true));
    return tf.mul(c, tf.rsqrt(tf.add(tf.mean(tf.square(c), -1, true), eps)));
  });
}

/** The residual MLP's parameter specs at width D (SP init). */
export function resMlpSpecs(
  cfg: ResMlpConfig,
  inputDim: number,
  outputDim: number,
  width: number,
): ParamSpec[] {
  const hidden = Math.max(1, Math.round(cfg.hiddenMult * width));
  const specs: ParamSpec[] = [{
    name: "embed.weight",
    shape: [inputDim, width],
    role: "matrix",
    init: {
      kind: "random",
      std: 1 / Math.sqrt(inputDim),
      distribution: "normal",
    },
  }];
  for (let b = 0; b < cfg.blocks; b++) {
    specs.push({
      name: `block${b}.fc1.weight`,
      shape: [width, hidden],
      role: "matrix",
      init: {
        kind: "random",
        std: 1 / Math.sqrt(width),
        distribution: "normal",
      },
    });
    specs.push({
      name: `block${b}.fc2.weight`,
      shape: [hidden, width],
      role: "matrix",
      init: { kind: "zeros" },
    });
  }
  specs.push({
    name: "readout.weight",
    shape: [width, outputDim],
    role: "readout",
    init: { kind: "zeros" },
  });
  return specs;
}

/**
 * Builds the residual MLP. `apply(params, x)` takes x [n, inputDim] and
 * returns [n, outputDim].
 *
 * @example
 * ```ts
 * import * as tf from "@tensorflow/tfjs";
 * import { setupBackend } from "../backend.ts";
 * import { rngFor } from "../rng.ts";
 * import { assertEquals } from "../../tests/assert.ts";
 * await setupBackend("cpu"); // TF.js runs on its plain JS backend here
 * const model = buildResMlp({ kind: "resmlp", width: 16, blocks: 1, hiddenMult: 1, parametrization: "sp" },
 *   { inputDim: 8, outputDim: 1 });
 * const params = model.init(rngFor(1, "e/base", "init")).map((v, i) => tf.tensor(v, model.paramShapes[i]));
 * const f = model.apply(params, tf.zeros([4, 8]));
 * assertEquals(f.shape, [4, 1]);
 * assertEquals(Array.from(f.dataSync()), [0, 0, 0, 0]); // the readout starts at zero
 * ```
 */
export function buildResMlp(
  cfg: ResMlpConfig,
  io: { inputDim: number; outputDim: number },
): ParametrizedModel {
  const p = parametrize(
    cfg.parametrization,
    (w) => resMlpSpecs(cfg, io.inputDim, io.outputDim, w),
    cfg.width,
    cfg.baseWidth,
  );

  const forward = (
    params: tf.Tensor[],
    x: tf.Tensor,
    record?: (name: string, t: tf.Tensor) => void,
  ) => {
    if (params.length !== p.specs.length) {
      throw new Error(
        `resmlp: expected ${p.specs.length} parameter tensors, got ${params.length}`,
      );
    }
    let h = tf.matMul(x, params[0] as tf.Tensor2D);
    record?.("embed", h);
    for (let b = 0; b < cfg.blocks; b++) {
      const u = gelu(tf.matMul(rmsNorm(h), params[1 + 2 * b] as tf.Tensor2D));
      h = tf.add(h, tf.matMul(u, params[2 + 2 * b] as tf.Tensor2D));
      record?.(`block${b}`, h);
    }
    const features = rmsNorm(h);
    return tf.matMul(features, params[params.length - 1] as tf.Tensor2D);
  };

  return {
    kind: "resmlp",
    parametrization: cfg.parametrization,
    paramNames: p.specs.map((s) => s.name),
    paramShapes: p.specs.map((s) => s.shape),
    paramRoles: p.specs.map((s) => s.role),
    nParams: countParams(p.specs),
    lrMultipliers: p.lrMultipliers,
    sgdLrMultipliers: p.sgdLrMultipliers,
    init: (rng) => initFromSpecs(p.specs, rng),
    apply: (params, x) => tf.tidy(() => forward(params, x)),
    probe: (params, x) => {
      const out: { name: string; value: tf.Tensor }[] = [];
      const y = tf.tidy(() =>
        forward(
          params,
          x,
          (name, t) => out.push({ name, value: tf.keep(t.clone()) }),
        )
      );
      out.push({ name: "output", value: y });
      return out;
    },
  };
}
