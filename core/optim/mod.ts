/**
 * Optimizers with visible state, and LR schedules.
 *
 * | kind    | update (η scheduled LR, m_i LR multiplier)                 | criticalSharpness(η) |
 * | ------- | ---------------------------------------------------------- | -------------------- |
 * | `gd`    | θ ← θ − η·m_i·g                                            | 2/η                  |
 * | `sgd`   | v ← βv + g; θ ← θ − η·m_i·v (PyTorch heavy ball)           | (2 + 2β)/η           |
 * | `adam`  | θ ← θ − η P⁻¹ m̂, P = (√v̂ + ε)/m_i (PyTorch, bias-corrected) | (2 + 2β1)/((1−β1)η)  |
 * | `adamw` | Adam, then decoupled decay θ ← θ − η·λ·θ (PyTorch AdamW)    | (2 + 2β1)/((1−β1)η)  |
 *
 * Each optimizer works in place on `tf.Variable`s inside `tf.tidy` (no
 * tensor leaks), and `getState`/`setState` round-trip its slots bit-exactly.
 *
 * @example
 * ```ts
 * import * as tf from "@tensorflow/tfjs";
 * import { setupBackend } from "../backend.ts";
 * import { makeOptimizer, scheduleLr } from "./mod.ts";
 * import { assertOk } from "../../tests/assert.ts";
 * await setupBackend("cpu"); // TF.js runs on its plain JS backend here
 * // minimise ½θ² (gradient θ) with Adam under a cosine schedule
 * const opt = makeOptimizer({ kind: "adam", lr: 0.1, beta1: 0.9, beta2: 0.95, eps: 1e-12 }, [1], [[1]]);
 * const theta = tf.variable(tf.tensor1d([1]));
 * const T = 200;
 * for (let t = 0; t < T; t++) {
 *   opt.step([theta], [theta.clone()], scheduleLr({ kind: "cosine" }, 0.1, t, T));
 * }
 * assertOk(Math.abs(theta.dataSync()[0]) < 0.01);
 * ```
 * @module
 */
import type { OptimizerInput } from "../config/optim_schema.ts";
import { GradientDescent, type Optimizer } from "./gd.ts";
import { Sgd } from "./sgd.ts";
import { Adam } from "./adam.ts";

export { GradientDescent, type Optimizer, type OptimizerState } from "./gd.ts";
export { Sgd } from "./sgd.ts";
export { Adam, type AdamOptions } from "./adam.ts";
export {
  ADAM_UPDATE,
  adamDenominator,
  adamUpdate,
  type AdamUpdateAttrs,
  adamUpdateAttrs,
  adamUpdateOps,
} from "./adam_update.ts";
export { decayShape, type ScheduleKind, scheduleLr, warmupSteps } from "./schedules.ts";

/**
 * Builds the optimizer a config describes, for parameter tensors of
 * `paramShapes` with per-tensor LR multipliers (1 under SP; see
 * core/nn/parametrization.ts `lrMultipliersFor` for μP). Accepts a validated
 * config or a raw one (missing fields take the schema defaults).
 *
 * @example
 * ```ts
 * import { setupBackend } from "../backend.ts";
 * import { assertClose } from "../../tests/assert.ts";
 * await setupBackend("cpu"); // TF.js runs on its plain JS backend here
 * const opt = makeOptimizer({ kind: "sgd", lr: 0.1, batchSize: 32, momentum: 0.9 }, [1, 1], [[3, 2], [2]]);
 * assertClose(opt.criticalSharpness(0.1), 38, 1e-12); // (2 + 2β)/η
 * ```
 */
export function makeOptimizer(
  cfg: OptimizerInput,
  lrMultipliers: number[],
  paramShapes: number[][],
): Optimizer {
  switch (cfg.kind) {
    case "gd":
      return new GradientDescent(lrMultipliers, paramShapes);
    case "sgd":
      return new Sgd(cfg.momentum ?? 0, lrMultipliers, paramShapes);
    case "adam":
      return new Adam(
        {
          beta1: cfg.beta1 ?? 0.9,
          beta2: cfg.beta2 ?? 0.999,
          eps: cfg.eps ?? 1e-8,
          weightDecay: 0,
        },
        lrMultipliers,
        paramShapes,
      );
    case "adamw":
      return new Adam(
        {
          beta1: cfg.beta1 ?? 0.9,
          beta2: cfg.beta2 ?? 0.999,
          eps: cfg.eps ?? 1e-8,
          weightDecay: cfg.weightDecay ?? 0.01,
        },
        lrMultipliers,
        paramShapes,
        true,
      );
  }
}
