/**
 * Models: build one from its config. All models are functional
 * (`apply(params, x)`, see types.ts), store weights `[fan_in, fan_out]`,
 * draw their init from the run's `init` stream, and carry μP LR multipliers
 * (parametrization.ts).
 *
 * @example
 * ```ts
 * import { buildModel } from "./mod.ts";
 * import { ModelSchema } from "../config/model_schema.ts";
 * import { assertEquals } from "../../tests/assert.ts";
 * const model = buildModel(ModelSchema.parse({ kind: "mlp", depth: 2, width: 200, activation: "tanh" }),
 *   { inputDim: 3072, outputDim: 10 });
 * assertEquals(model.nParams, 3072 * 200 + 200 + 200 * 200 + 200 + 200 * 10 + 10);
 * ```
 * @module
 */
import type { ModelConfig } from "../config/model_schema.ts";
import { buildMlp } from "./mlp.ts";
import { buildResMlp } from "./resmlp.ts";
import { buildTransformer } from "./transformer.ts";
import type { ParametrizedModel } from "./parametrization.ts";

export { activationFn, buildMlp, mlpSpecs } from "./mlp.ts";
export { buildResMlp, layerNorm, resMlpSpecs, rmsNorm } from "./resmlp.ts";
export {
  buildTransformer,
  safeSoftmax,
  type TransformerModel,
  transformerSpecs,
} from "./transformer.ts";
export {
  fanIn,
  fanOut,
  lrMultipliersFor,
  type ParametrizationKind,
  parametrize,
  type ParametrizedModel,
  type ParamRole,
  type ParamSpec,
} from "./parametrization.ts";
export { draw, type InitScheme, schemeStd, type TensorInit } from "./init.ts";
export { SUM_OF_SQUARES, sumOfSquares } from "./sum_of_squares.ts";

/** Data sizes a model needs: feature/output dims; vocabulary and length for token inputs. */
export interface ModelIo {
  /** Input features (mlp, resmlp). */
  inputDim: number;
  /** Outputs (logits or regression targets). */
  outputDim: number;
  /** Input vocabulary (transformer). */
  vocab?: number;
  /** Sequence length (transformer). */
  seqLen?: number;
}

/**
 * Builds the model a config describes.
 *
 * @example
 * ```ts
 * import { ModelSchema } from "../config/model_schema.ts";
 * import { rngFor } from "../rng.ts";
 * import { assertEquals } from "../../tests/assert.ts";
 * const m = buildModel(ModelSchema.parse({ kind: "mlp", depth: 1, width: 4, activation: "tanh" }),
 *   { inputDim: 8, outputDim: 1 });
 * const values = m.init(rngFor(1, "e/base", "init"));
 * assertEquals(values.map((v) => v.length), [8 * 4, 4, 4 * 1, 1]); // one array per paramShapes entry
 * assertEquals(m.init(rngFor(1, "e/base", "init")), values); // the init stream is reproducible
 * ```
 */
export function buildModel(cfg: ModelConfig, io: ModelIo): ParametrizedModel {
  switch (cfg.kind) {
    case "mlp":
      return buildMlp(cfg, io);
    case "resmlp":
      return buildResMlp(cfg, io);
    case "transformer": {
      if (io.vocab === undefined || io.seqLen === undefined) {
        throw new Error(
          "model transformer: the task must give token inputs (vocab and seqLen)",
        );
      }
      return buildTransformer(cfg, {
        vocab: io.vocab,
        seqLen: io.seqLen,
        outputDim: io.outputDim,
      });
    }
  }
}
