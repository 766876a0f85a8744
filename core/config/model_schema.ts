/**
 * The `model` block of an experiment (SPEC §3): a plain MLP, the residual
 * MLP of the supercollapse paper, or a small transformer. Every field has a
 * description (it shows in the JSON Schema) and unknown fields are errors.
 *
 * @example
 * ```ts
 * import { ModelSchema } from "./model_schema.ts";
 * import { assertEquals } from "../../tests/assert.ts";
 * const m = ModelSchema.parse({ kind: "mlp", depth: 2, width: 200, activation: "tanh" });
 * assertEquals(m.kind === "mlp" && m.init.scheme, "xavier");
 * ```
 * @module
 */
import { z } from "zod";

/** SP (standard) or μP (maximal-update) parametrization. */
export const ParametrizationSchema = z.enum(["sp", "mup"]).default("sp")
  .describe(
    "sp: standard parametrization; mup: maximal-update parametrization relative to baseWidth " +
      "(init scales and per-tensor LR multipliers, see core/nn/parametrization.ts)",
  );

const baseWidth = z.int().min(1).optional().describe(
  "width at which μP coincides with SP (required when parametrization is mup)",
);

/** Weight initialisation of the plain MLP. */
export const InitSchema = z.strictObject({
  scheme: z.enum(["xavier", "he", "custom", "torch"]).default("xavier")
    .describe(
      "xavier: std = gain·√(2/(fan_in+fan_out)); he: std = gain·√(2/fan_in); custom: std = gain/√fan_in; " +
        "torch: PyTorch nn.Linear default, weights and biases U(±gain/√fan_in). Biases are zero except under torch",
    ),
  distribution: z.enum(["uniform", "normal"]).default("uniform").describe(
    "uniform on ±√3·std (torch.nn.init.xavier_uniform_ style) or normal with that std; torch is always uniform",
  ),
  gain: z.number().positive().default(1).describe(
    "multiplies the scheme's std",
  ),
  firstLayerGain: z.number().positive().optional().describe(
    "gain of the first layer only (e.g. 1.9 for the EoS Chebyshev setting); default: gain",
  ),
});

function requireBaseWidth(
  v: { parametrization: "sp" | "mup"; baseWidth?: number },
  ctx: z.core.$RefinementCtx,
): void {
  if (v.parametrization === "mup" && v.baseWidth === undefined) {
    ctx.addIssue({
      code: "custom",
      path: ["baseWidth"],
      message: "required when parametrization is mup (the width at which μP equals SP)",
    });
  }
}

/** Fully connected network: `depth` hidden layers of `width` units. */
export const MlpSchema = z.strictObject({
  kind: z.literal("mlp"),
  depth: z.int().min(0).describe("number of hidden layers (0 = linear model)"),
  width: z.int().min(1).describe("units per hidden layer"),
  activation: z.enum(["tanh", "relu", "gelu", "quadratic"]).describe(
    "hidden activation; quadratic is x² (the grokking MLP f = W2 (W1 x)² with bias: false); gelu is the tanh approximation",
  ),
  bias: z.boolean().default(true).describe("whether every layer has a bias"),
  init: InitSchema.prefault({}).describe("weight initialisation"),
  parametrization: ParametrizationSchema,
  baseWidth,
}).superRefine(requireBaseWidth);

/** The supercollapse residual MLP (SPEC §6.2). */
export const ResMlpSchema = z.strictObject({
  kind: z.literal("resmlp"),
  width: z.int().min(1).describe("residual stream width D"),
  blocks: z.int().min(0).describe(
    "number of residual blocks x + Linear(GELU(Linear(RMSNorm(x))))",
  ),
  hiddenMult: z.number().positive().default(1).describe(
    "block hidden width = round(hiddenMult·D); 1 as in the supercollapse reference MLP",
  ),
  parametrization: ParametrizationSchema,
  baseWidth,
}).superRefine(requireBaseWidth);

/** A small pre-norm transformer reading out the last position (Nanda et al. 2023 style). */
export const TransformerSchema = z.strictObject({
  kind: z.literal("transformer"),
  layers: z.int().min(1).describe("number of blocks"),
  dModel: z.int().min(1).describe("residual stream width"),
  heads: z.int().min(1).describe(
    "attention heads (dModel must be divisible by heads)",
  ),
  dMlp: z.int().min(1).describe("MLP hidden width"),
  norm: z.enum(["none", "rms", "layer"]).default("none").describe(
    "pre-norm before attention, MLP and readout, without learnable gain or bias; none as in Nanda et al.",
  ),
  posEmb: z.enum(["learned"]).default("learned").describe("position embedding"),
  causal: z.boolean().default(true).describe("causal attention mask"),
  activation: z.enum(["relu", "gelu"]).default("relu").describe(
    "MLP activation",
  ),
  parametrization: ParametrizationSchema,
  baseWidth: baseWidth.describe(
    "dModel at which μP coincides with SP (dMlp scales with dModel; heads fixed); required under mup",
  ),
}).superRefine((v, ctx) => {
  requireBaseWidth(v, ctx);
  if (v.dModel % v.heads !== 0) {
    ctx.addIssue({
      code: "custom",
      path: ["heads"],
      message: `dModel (${v.dModel}) must be divisible by heads`,
    });
  }
  if (
    v.parametrization === "mup" && v.baseWidth !== undefined &&
    v.baseWidth % v.heads !== 0
  ) {
    ctx.addIssue({
      code: "custom",
      path: ["baseWidth"],
      message: `baseWidth (${v.baseWidth}) must be divisible by heads (${v.heads})`,
    });
  }
});

/** The `model` block. */
export const ModelSchema = z.discriminatedUnion("kind", [
  MlpSchema,
  ResMlpSchema,
  TransformerSchema,
])
  .describe("the network: mlp | resmlp | transformer");

/** A validated model config (defaults applied). */
export type ModelConfig = z.output<typeof ModelSchema>;
/** A model config as written in an experiment file. */
export type ModelInput = z.input<typeof ModelSchema>;
/** Validated MLP config. */
export type MlpConfig = z.output<typeof MlpSchema>;
/** Validated residual-MLP config. */
export type ResMlpConfig = z.output<typeof ResMlpSchema>;
/** Validated transformer config. */
export type TransformerConfig = z.output<typeof TransformerSchema>;
/** Validated init block. */
export type InitConfig = z.output<typeof InitSchema>;
/** "sp" | "mup". */
export type Parametrization = z.output<typeof ParametrizationSchema>;
