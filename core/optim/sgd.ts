/**
 * Minibatch SGD with heavy-ball momentum, PyTorch convention (dampening 0,
 * no Nesterov):
 *
 *     v ← β·v + g        θ ← θ − η·m_i·v          (v₀ = 0, so v₁ = g)
 *
 * With β = 0 this is θ ← θ − η·m_i·g and no velocity is kept. The stability
 * threshold on the sharpness of a quadratic is (2 + 2β)/η (for the EMA
 * convention v ← βv + (1−β)g it would be (2 + 2β)/((1−β)η)).
 *
 * @example
 * ```ts
 * import { Sgd } from "./sgd.ts";
 * import { setupBackend } from "../backend.ts";
 * import { assertClose } from "../../tests/assert.ts";
 * await setupBackend("cpu"); // TF.js runs on its plain JS backend here
 * const opt = new Sgd(0.9, [1], [[3]]);
 * assertClose(opt.criticalSharpness(0.1), 38, 1e-12); // (2 + 2β)/η
 * ```
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import {
  checkMultipliers,
  checkStep,
  checkStepArgs,
  type Optimizer,
  type OptimizerState,
  readSlots,
  writeSlots,
  zeroSlots,
} from "./gd.ts";

/**
 * SGD with heavy-ball momentum β (see the module doc).
 *
 * @example
 * ```ts
 * import * as tf from "@tensorflow/tfjs";
 * import { setupBackend } from "../backend.ts";
 * import { assertEquals } from "../../tests/assert.ts";
 * await setupBackend("cpu"); // TF.js runs on its plain JS backend here
 * // β = 0.5, g = 1 twice: v = 1 then 1.5, so θ = 2 − 0.5·1 − 0.5·1.5
 * const opt = new Sgd(0.5, [1], [[1]]);
 * const theta = tf.variable(tf.tensor1d([2]));
 * for (let t = 0; t < 2; t++) opt.step([theta], [tf.tensor1d([1])], 0.5);
 * assertEquals(theta.dataSync()[0], 0.75);
 * ```
 */
export class Sgd implements Optimizer {
  readonly kind = "sgd";
  /** Heavy-ball momentum β. */
  readonly momentum: number;
  #mults: number[];
  #shapes: number[][];
  #velocity: tf.Variable[];
  #step = 0;

  /** Creates SGD with momentum β ∈ [0, 1). */
  constructor(
    momentum: number,
    lrMultipliers: number[],
    paramShapes: number[][],
  ) {
    if (!(momentum >= 0 && momentum < 1)) {
      throw new Error(`sgd: momentum must be in [0, 1), got ${momentum}`);
    }
    checkMultipliers("sgd", lrMultipliers, paramShapes);
    this.momentum = momentum;
    this.#mults = [...lrMultipliers];
    this.#shapes = paramShapes.map((s) => [...s]);
    this.#velocity = momentum > 0 ? zeroSlots(this.#shapes) : [];
  }

  /** v ← βv + g; θ ← θ − lr·m_i·v. */
  step(params: tf.Variable[], grads: tf.Tensor[], lr: number): void {
    checkStepArgs("sgd", this.#shapes, params, grads, lr);
    const beta = this.momentum;
    tf.tidy(() => {
      params.forEach((p, i) => {
        let dir = grads[i];
        if (beta > 0) {
          const v = this.#velocity[i];
          dir = tf.add(tf.mul(v, beta), grads[i]);
          v.assign(dir);
        }
        p.assign(tf.sub(p, tf.mul(dir, lr * this.#mults[i])));
      });
    });
    this.#step++;
  }

  /** SGD has no preconditioner. */
  preconditioner(): null {
    return null;
  }

  /** (2 + 2β)/lr. */
  criticalSharpness(lr: number): number {
    return (2 + 2 * this.momentum) / lr;
  }

  /** Step count and velocity (slot "velocity" when β > 0). */
  getState(): OptimizerState {
    return {
      step: this.#step,
      slots: this.momentum > 0 ? { velocity: readSlots(this.#velocity) } : {},
    };
  }

  /** Restores a state from getState. */
  setState(s: OptimizerState): void {
    checkStep("sgd", s.step);
    if (this.momentum > 0) {
      writeSlots("sgd", "velocity", this.#velocity, s.slots.velocity);
    }
    this.#step = s.step;
  }

  /** Frees the velocity. */
  dispose(): void {
    this.#velocity.forEach((v) => v.dispose());
    this.#velocity = [];
  }
}
