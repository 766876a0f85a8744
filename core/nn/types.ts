/**
 * The model and loss interfaces. Models are *functional*: `apply(params, x)`
 * takes the parameter tensors explicitly, so gradients and Hessian-vector
 * products are taken with `tf.grads` over exactly those tensors.
 * @module
 */
import type * as tf from "@tensorflow/tfjs";
import type { Rng } from "../rng.ts";

/** A functional model. */
export interface Model {
  /** Model kind ("mlp", "resmlp", "transformer", ...). */
  kind: string;
  /** One name per parameter tensor, e.g. "layer0.weight". */
  paramNames: string[];
  /** Shape of each parameter tensor. */
  paramShapes: number[][];
  /** Total number of scalar parameters. */
  nParams: number;
  /** Per-parameter-tensor LR multipliers (1 under SP; μP sets hidden ∝ base/fan_in). */
  lrMultipliers: number[];
  /** Initial parameter values, drawn from `rng` (the run's `init` stream). */
  init(rng: Rng): Float32Array[];
  /** Forward pass: returns outputs ([n, out] or [n, seq, vocab] logits). */
  apply(params: tf.Tensor[], x: tf.Tensor): tf.Tensor;
}

/** A loss: mean over examples of a per-example loss. Must be second-order safe. */
export type LossFn = (output: tf.Tensor, target: tf.Tensor) => tf.Scalar;
