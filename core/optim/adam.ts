/**
 * Adam and AdamW (Kingma & Ba 2015; Loshchilov & Hutter 2019), PyTorch
 * conventions. At step t (from 1), per tensor i with LR multiplier m_i:
 *
 *     m ← β1·m + (1−β1)·g          v ← β2·v + (1−β2)·g²
 *     D = √v/√(1−β2^t) + ε  (= √v̂ + ε)
 *     θ ← θ·(1 − η·λ) − (η·m_i/(1−β1^t))·m/D        (λ = 0 for Adam)
 *
 * i.e. θ ← θ − η P⁻¹ m̂ − η·λ·θ with m̂ = m/(1−β1^t) and P = D/m_i. AdamW's
 * decay is decoupled from the gradient and, as in PyTorch's AdamW, scaled by
 * the scheduled base LR η (not by the μP multiplier m_i). The stability
 * threshold of the preconditioned sharpness λ_max(P⁻¹H) is
 * (2 + 2β1)/((1 − β1)·η) (= 38/η at β1 = 0.9; Cohen et al. 2022).
 *
 * @example
 * ```ts
 * import { Adam } from "./adam.ts";
 * import { setupBackend } from "../backend.ts";
 * import { assertClose } from "../../tests/assert.ts";
 * await setupBackend("cpu"); // TF.js runs on its plain JS backend here
 * const opt = new Adam({ beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: 0 }, [1], [[2]]);
 * assertClose(opt.criticalSharpness(0.01), 3800, 1e-12); // (2 + 2β1)/((1 − β1)·η)
 * ```
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import { adamDenominator, adamUpdate, adamUpdateAttrs } from "./adam_update.ts";
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

/** Adam hyper-parameters (weightDecay > 0 makes it AdamW). */
export interface AdamOptions {
  /** First-moment decay β1 ∈ [0, 1). */
  beta1: number;
  /** Second-moment decay β2 ∈ [0, 1). */
  beta2: number;
  /** ε > 0 added to √v̂. */
  eps: number;
  /** Decoupled weight decay λ ≥ 0 (AdamW). */
  weightDecay: number;
}

/**
 * Adam, or AdamW when `decoupled` (see the module doc).
 *
 * @example
 * ```ts
 * import * as tf from "@tensorflow/tfjs";
 * import { setupBackend } from "../backend.ts";
 * import { assertClose, assertEquals } from "../../tests/assert.ts";
 * await setupBackend("cpu"); // TF.js runs on its plain JS backend here
 * const adamw = new Adam({ beta1: 0.9, beta2: 0.98, eps: 1e-8, weightDecay: 1 }, [1], [[1]], true);
 * assertEquals(adamw.kind, "adamw");
 * // first step: m̂/(√v̂ + ε) ≈ sign(g), so θ ← θ·(1 − η·λ) − η·sign(g) = 1·0.9 − 0.1
 * const theta = tf.variable(tf.tensor1d([1]));
 * adamw.step([theta], [tf.tensor1d([2])], 0.1);
 * assertClose(theta.dataSync()[0], 0.8, 1e-6);
 * ```
 */
export class Adam implements Optimizer {
  /** "adam", or "adamw" when decoupled. */
  readonly kind: "adam" | "adamw";
  /** The hyper-parameters. */
  readonly options: Readonly<AdamOptions>;
  #mults: number[];
  #shapes: number[][];
  #m: tf.Variable[];
  #v: tf.Variable[];
  #step = 0;

  /** Creates Adam (decoupled = false, weightDecay must be 0) or AdamW (decoupled = true). */
  constructor(
    options: AdamOptions,
    lrMultipliers: number[],
    paramShapes: number[][],
    decoupled = false,
  ) {
    const kind = decoupled ? "adamw" : "adam";
    const { beta1, beta2, eps, weightDecay } = options;
    if (!(beta1 >= 0 && beta1 < 1)) {
      throw new Error(`${kind}: beta1 must be in [0, 1), got ${beta1}`);
    }
    if (!(beta2 >= 0 && beta2 < 1)) {
      throw new Error(`${kind}: beta2 must be in [0, 1), got ${beta2}`);
    }
    if (!(eps > 0)) {
      throw new Error(`${kind}: eps must be positive, got ${eps}`);
    }
    if (!(weightDecay >= 0)) {
      throw new Error(`${kind}: weightDecay must be ≥ 0, got ${weightDecay}`);
    }
    if (!decoupled && weightDecay !== 0) {
      throw new Error(
        "adam: weight decay belongs to adamw (decoupled); put an L2 penalty in the loss for coupled decay",
      );
    }
    checkMultipliers(kind, lrMultipliers, paramShapes);
    this.kind = kind;
    this.options = { beta1, beta2, eps, weightDecay };
    this.#mults = [...lrMultipliers];
    this.#shapes = paramShapes.map((s) => [...s]);
    this.#m = zeroSlots(this.#shapes);
    this.#v = zeroSlots(this.#shapes);
  }

  /** The denominators D = √v/√(1−β2^t) + ε for the current slots and step (inside a tidy). */
  #denominators(): tf.Tensor[] {
    const sqrtBc2 = Math.sqrt(1 - this.options.beta2 ** this.#step);
    return this.#v.map((v) => adamDenominator(v, sqrtBc2, this.options.eps));
  }

  /** One Adam/AdamW update (see the module doc), tensor by tensor through {@linkcode adamUpdate}. */
  step(params: tf.Variable[], grads: tf.Tensor[], lr: number): void {
    checkStepArgs(this.kind, this.#shapes, params, grads, lr);
    const { weightDecay } = this.options;
    this.#step++;
    tf.tidy(() => {
      params.forEach((p, i) => {
        const attrs = adamUpdateAttrs(this.options, this.#step, lr, this.#mults[i], weightDecay);
        const [m, v, theta] = adamUpdate(p, grads[i], this.#m[i], this.#v[i], attrs);
        this.#m[i].assign(m);
        this.#v[i].assign(v);
        p.assign(theta);
      });
    });
  }

  /** P = (√v̂ + ε)/m_i per tensor, as applied at the last step; null before the first step. */
  preconditioner(): tf.Tensor[] | null {
    if (this.#step === 0) return null;
    return tf.tidy(() =>
      this.#denominators().map((
        d,
        i,
      ) => (this.#mults[i] === 1 ? d : tf.div(d, this.#mults[i])))
    );
  }

  /** (2 + 2β1)/((1 − β1)·lr). */
  criticalSharpness(lr: number): number {
    const b = this.options.beta1;
    return (2 + 2 * b) / ((1 - b) * lr);
  }

  /** Step count and the moments (slots "m" and "v"). */
  getState(): OptimizerState {
    return {
      step: this.#step,
      slots: { m: readSlots(this.#m), v: readSlots(this.#v) },
    };
  }

  /** Restores a state from getState. */
  setState(s: OptimizerState): void {
    checkStep(this.kind, s.step);
    writeSlots(this.kind, "m", this.#m, s.slots.m);
    writeSlots(this.kind, "v", this.#v, s.slots.v);
    this.#step = s.step;
  }

  /** Frees the moments. */
  dispose(): void {
    [...this.#m, ...this.#v].forEach((v) => v.dispose());
    this.#m = [];
    this.#v = [];
  }
}
