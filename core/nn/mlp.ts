/**
 * Fully connected network: `depth` hidden layers of `width` units,
 * f(x) = W_L σ(… σ(x W_0 + b_0) …) + b_L, weights stored `[fan_in, fan_out]`
 * so the forward is a plain `matMul(h, W)`.
 *
 * - activations: `tanh`, `relu`, `gelu` (tanh approximation, from
 *   safe_ops.ts), `quadratic` (x², the grokking MLP f = W2 (W1 x)² with
 *   `bias: false`);
 * - init (see init.ts): `xavier` (Glorot, uniform by default), `he`,
 *   `custom` (gain/√fan_in), `torch` (PyTorch nn.Linear default, the setting
 *   of Cohen et al.'s reference code); `firstLayerGain` overrides the gain of
 *   layer 0 (1.9 in the EoS Chebyshev setting). Biases start at zero except
 *   under `torch` (U(±gain/√fan_in)).
 * - parameters in order `layer0.weight, layer0.bias, layer1.weight, …`; the
 *   last layer has the μP role `readout`.
 *
 * @example
 * ```ts
 * import { buildMlp } from "./mlp.ts";
 * import { assertEquals } from "../../tests/assert.ts";
 * const m = buildMlp({ kind: "mlp", depth: 1, width: 100, activation: "tanh", bias: true,
 *   init: { scheme: "xavier", distribution: "uniform", gain: 1, firstLayerGain: 1.9 }, parametrization: "sp" },
 *   { inputDim: 1, outputDim: 1 });
 * assertEquals(m.nParams, 1 * 100 + 100 + 100 * 1 + 1);
 * ```
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import type { MlpConfig } from "../config/model_schema.ts";
import { gelu } from "./safe_ops.ts";
import { schemeStd } from "./init.ts";
import {
  countParams,
  initFromSpecs,
  parametrize,
  type ParametrizedModel,
  type ParamSpec,
} from "./parametrization.ts";

/** The activation function named in the config. */
export function activationFn(
  name: "tanh" | "relu" | "gelu" | "quadratic",
): (x: tf.Tensor) => tf.Tensor {
  switch (name) {
    case "tanh":
      return (x) => tf.tanh(x);
    case "relu":
      return (x) => tf.relu(x);
    case "gelu":
      return (x) => gelu(x);
    case "quadratic":
      return (x) => tf.square(x);
  }
}

/** The MLP's parameter specs at a given hidden width (SP init). */
export function mlpSpecs(
  cfg: MlpConfig,
  inputDim: number,
  outputDim: number,
  width: number,
): ParamSpec[] {
  const dims = [inputDim, ...new Array(cfg.depth).fill(width), outputDim];
  const specs: ParamSpec[] = [];
  const torch = cfg.init.scheme === "torch";
  for (let l = 0; l <= cfg.depth; l++) {
    const fi = dims[l];
    const fo = dims[l + 1];
    const gain = l === 0 ? (cfg.init.firstLayerGain ?? cfg.init.gain) : cfg.init.gain;
    const distribution = torch ? "uniform" : cfg.init.distribution;
    specs.push({
      name: `layer${l}.weight`,
      shape: [fi, fo],
      role: l === cfg.depth ? "readout" : "matrix",
      init: {
        kind: "random",
        std: schemeStd(cfg.init.scheme, fi, fo, gain),
        distribution,
      },
    });
    if (cfg.bias) {
      specs.push({
        name: `layer${l}.bias`,
        shape: [fo],
        role: "vector",
        init: torch
          ? {
            kind: "random",
            std: gain / Math.sqrt(3 * fi),
            distribution: "uniform",
          }
          : { kind: "zeros" },
      });
    }
  }
  return specs;
}

/**
 * Builds the MLP for `io.inputDim` inputs and `io.outputDim` outputs.
 * `apply(params, x)` takes x [n, inputDim] and returns [n, outputDim].
 *
 * @example
 * ```ts
 * import * as tf from "@tensorflow/tfjs";
 * import { setupBackend } from "../backend.ts";
 * import { type MlpConfig, ModelSchema } from "../config/model_schema.ts";
 * import { rngFor } from "../rng.ts";
 * import { assertEquals } from "../../tests/assert.ts";
 * await setupBackend("cpu"); // TF.js runs on its plain JS backend here
 * const model = buildMlp(ModelSchema.parse({ kind: "mlp", depth: 1, width: 8, activation: "tanh" }) as MlpConfig,
 *   { inputDim: 2, outputDim: 1 });
 * const values = model.init(rngFor(1, "e/base", "init"));
 * const x = tf.tensor2d([[0, 1], [1, 0], [1, 1]]);
 * const y = model.apply(values.map((v, i) => tf.tensor(v, model.paramShapes[i])), x);
 * assertEquals(y.shape, [3, 1]);
 * ```
 */
export function buildMlp(
  cfg: MlpConfig,
  io: { inputDim: number; outputDim: number },
): ParametrizedModel {
  const p = parametrize(
    cfg.parametrization,
    (w) => mlpSpecs(cfg, io.inputDim, io.outputDim, w),
    cfg.width,
    cfg.baseWidth,
  );
  const act = activationFn(cfg.activation);
  const stride = cfg.bias ? 2 : 1;

  const forward = (
    params: tf.Tensor[],
    x: tf.Tensor,
    record?: (name: string, t: tf.Tensor) => void,
  ) => {
    if (params.length !== p.specs.length) {
      throw new Error(
        `mlp: expected ${p.specs.length} parameter tensors, got ${params.length}`,
      );
    }
    let h = x;
    for (let l = 0; l <= cfg.depth; l++) {
      let z = tf.matMul(h, params[l * stride] as tf.Tensor2D);
      if (cfg.bias) z = tf.add(z, params[l * stride + 1]);
      if (l < cfg.depth) {
        h = act(z);
        record?.(`hidden${l}`, h);
      } else {
        h = z;
      }
    }
    return h;
  };

  return {
    kind: "mlp",
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
