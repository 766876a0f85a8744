/**
 * Standard (SP) and maximal-update (μP) parametrizations.
 *
 * Every model describes its parameter tensors as {@linkcode ParamSpec}s —
 * name, shape (weights stored `[fan_in, fan_out]`), role and SP init — as a
 * function of its width. Under μP the model is built twice, at `baseWidth`
 * and at `width`, and each tensor is transported from its base version by the
 * μP exponents, so **μP equals SP at `width = baseWidth`**. With
 * r_in = fan_in / base fan_in, r_out = fan_out / base fan_out (both equal to
 * width/baseWidth for hidden matrices, r_in = 1 for input layers) and σ_base
 * the SP init std of the tensor at the base width:
 *
 * | role      | examples                                   | init std (μP)  | Adam LR mult | SGD LR mult |
 * | --------- | ------------------------------------------ | -------------- | ------------ | ----------- |
 * | `matrix`  | input layer, embeddings, hidden matrices   | σ_base/√r_in   | 1/r_in       | r_out/r_in  |
 * | `readout` | last layer                                 | σ_base/r_in    | 1/r_in       | 1/r_in      |
 * | `vector`  | biases (and norm gains, none here)         | σ_base         | 1            | r_out       |
 *
 * So input weights keep their base init and LR (Adam), hidden weights have
 * var ∝ 1/fan_in and Adam LR ∝ base_fan_in/fan_in, the readout has
 * var ∝ 1/fan_in² (zero-initialised readouts stay zero) and LR ∝ 1/fan_in —
 * Tensor Programs V (Yang et al. 2022) Table 3 without output multipliers, and
 * the Adam rule `lr · base_fan_in/fan_in` of every matrix in the supercollapse
 * reference (Qiu et al. 2025). Attention logits use 1/d_head scaling under μP,
 * written √(d_head,base)/d_head so that it equals 1/√d_head at the base width.
 * Model.lrMultipliers holds the Adam column (the μP experiments use Adam);
 * {@linkcode lrMultipliersFor} gives the SGD/GD column. Under SP every
 * multiplier is 1.
 *
 * @example
 * ```ts
 * import { parametrize } from "./parametrization.ts";
 * import { assertEquals } from "../../tests/assert.ts";
 * const p = parametrize("mup", (w) => [
 *   { name: "hidden", shape: [w, w], role: "matrix", init: { kind: "random", std: 1 / Math.sqrt(w), distribution: "normal" } },
 * ], 256, 64);
 * assertEquals(p.lrMultipliers, [0.25]); // Adam: base/fan_in = 64/256
 * ```
 * @module
 */
import type * as tf from "@tensorflow/tfjs";
import type { Model } from "./types.ts";
import type { Rng } from "../rng.ts";
import { draw, type TensorInit } from "./init.ts";

/** The μP role of a parameter tensor (see the module table). */
export type ParamRole = "matrix" | "readout" | "vector";

/** One parameter tensor of a model. */
export interface ParamSpec {
  /** Name, e.g. "layer0.weight". */
  name: string;
  /** Shape: `[fan_in, fan_out]` for matrices, `[n]` for vectors. */
  shape: number[];
  /** μP role. */
  role: ParamRole;
  /** Initialisation (under SP; μP rescales it). */
  init: TensorInit;
}

/** SP or μP. */
export type ParametrizationKind = "sp" | "mup";

/** A model with its parametrization made visible. */
export interface ParametrizedModel extends Model {
  /** "sp" or "mup". */
  parametrization: ParametrizationKind;
  /** μP role per parameter tensor. */
  paramRoles: ParamRole[];
  /** LR multipliers for GD/SGD (Model.lrMultipliers are Adam's); all 1 under SP. */
  sgdLrMultipliers: number[];
  /** Named intermediate activations and the output, for coordinate checks (caller disposes). */
  probe(
    params: tf.Tensor[],
    x: tf.Tensor,
  ): { name: string; value: tf.Tensor }[];
}

/** The result of {@linkcode parametrize}. */
export interface Parametrized {
  /** Specs at the actual width, μP init applied. */
  specs: ParamSpec[];
  /** Adam-family LR multipliers. */
  lrMultipliers: number[];
  /** GD/SGD LR multipliers. */
  sgdLrMultipliers: number[];
}

/** fan_in of a spec (1 for vectors). */
export function fanIn(spec: ParamSpec): number {
  return spec.shape.length >= 2 ? spec.shape[0] : 1;
}

/** fan_out of a spec (its length for vectors). */
export function fanOut(spec: ParamSpec): number {
  return spec.shape.length >= 2 ? spec.shape[spec.shape.length - 1] : spec.shape[0];
}

function scaled(init: TensorInit, factor: number): TensorInit {
  return init.kind === "random" ? { ...init, std: init.std * factor } : init;
}

/**
 * Applies SP or μP to the specs a model builds at a given width (see the
 * module table). `build(w)` must return the same tensors (names, roles) at
 * every width.
 *
 * @example
 * ```ts
 * import type { ParamSpec } from "./parametrization.ts";
 * import { assertEquals } from "../../tests/assert.ts";
 * const build = (w: number): ParamSpec[] => [
 *   { name: "hidden", shape: [w, w], role: "matrix", init: { kind: "random", std: 1 / Math.sqrt(w), distribution: "normal" } },
 *   { name: "bias", shape: [w], role: "vector", init: { kind: "zeros" } },
 * ];
 * assertEquals(parametrize("sp", build, 128).lrMultipliers, [1, 1]);
 * assertEquals(parametrize("mup", build, 128, 32).lrMultipliers, [0.25, 1]);
 * ```
 */
export function parametrize(
  kind: ParametrizationKind,
  build: (width: number) => ParamSpec[],
  width: number,
  baseWidth?: number,
): Parametrized {
  const specs = build(width);
  if (kind === "sp") {
    const ones = specs.map(() => 1);
    return { specs, lrMultipliers: ones, sgdLrMultipliers: [...ones] };
  }
  if (baseWidth === undefined || !(baseWidth >= 1)) {
    throw new Error(
      "mup: baseWidth is required (the width at which μP equals SP)",
    );
  }
  const base = build(baseWidth);
  if (
    base.length !== specs.length ||
    base.some((b, i) => b.name !== specs[i].name)
  ) {
    throw new Error(
      "mup: the model builds different tensors at baseWidth and width",
    );
  }
  const out: ParamSpec[] = [];
  const adam: number[] = [];
  const sgd: number[] = [];
  for (let i = 0; i < specs.length; i++) {
    const s = specs[i];
    const b = base[i];
    const rIn = fanIn(s) / fanIn(b);
    const rOut = fanOut(s) / fanOut(b);
    if (s.role === "vector") {
      out.push({ ...s, init: b.init });
      adam.push(1);
      sgd.push(rOut);
    } else {
      const factor = s.role === "readout" ? 1 / rIn : 1 / Math.sqrt(rIn);
      out.push({ ...s, init: scaled(b.init, factor) });
      adam.push(1 / rIn);
      sgd.push(s.role === "readout" ? 1 / rIn : rOut / rIn);
    }
  }
  return { specs: out, lrMultipliers: adam, sgdLrMultipliers: sgd };
}

/**
 * The LR multipliers of `model` for an optimizer kind: Adam's for
 * `adam`/`adamw`, SGD's for `gd`/`sgd` (all 1 under SP).
 *
 * @example
 * ```ts
 * import { buildModel } from "./mod.ts";
 * import { ModelSchema } from "../config/model_schema.ts";
 * import { assertEquals } from "../../tests/assert.ts";
 * const cfg = { kind: "mlp", depth: 1, width: 8, activation: "tanh", parametrization: "mup", baseWidth: 4 };
 * const model = buildModel(ModelSchema.parse(cfg), { inputDim: 2, outputDim: 1 });
 * assertEquals(lrMultipliersFor(model, "adam"), [1, 1, 0.5, 1]);
 * assertEquals(lrMultipliersFor(model, "sgd"), [2, 2, 0.5, 1]);
 * ```
 */
export function lrMultipliersFor(
  model: Model,
  optimizerKind: string,
): number[] {
  if (optimizerKind === "adam" || optimizerKind === "adamw") {
    return [...model.lrMultipliers];
  }
  const sgd = (model as Partial<ParametrizedModel>).sgdLrMultipliers;
  return sgd ? [...sgd] : model.lrMultipliers.map(() => 1);
}

/**
 * Draws every tensor of `specs` from `rng`, in order, as float32.
 *
 * @example
 * ```ts
 * import type { ParamSpec } from "./parametrization.ts";
 * import { rngFor } from "../rng.ts";
 * import { assertEquals } from "../../tests/assert.ts";
 * const specs: ParamSpec[] = [
 *   { name: "w", shape: [2, 3], role: "matrix", init: { kind: "random", std: 0.1, distribution: "normal" } },
 *   { name: "b", shape: [3], role: "vector", init: { kind: "ones" } },
 * ];
 * const values = initFromSpecs(specs, rngFor(1, "e/base", "init"));
 * assertEquals(values.map((v) => v.length), [6, 3]);
 * assertEquals(values[1], new Float32Array([1, 1, 1]));
 * ```
 */
export function initFromSpecs(specs: ParamSpec[], rng: Rng): Float32Array[] {
  return specs.map((s) => draw(rng, s.shape.reduce((a, b) => a * b, 1), s.init));
}

/** Number of scalars in `specs`. */
export function countParams(specs: ParamSpec[]): number {
  return specs.reduce((acc, s) => acc + s.shape.reduce((a, b) => a * b, 1), 0);
}
