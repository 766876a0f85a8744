/**
 * The {@linkcode Optimizer} interface, shared slot utilities, and plain
 * gradient descent θ ← θ − η·m_i·g (η the scheduled LR, m_i the tensor's
 * LR multiplier). GD's stability threshold on the sharpness is 2/η.
 *
 * @example
 * ```ts
 * import * as tf from "@tensorflow/tfjs";
 * import { setupBackend } from "../backend.ts";
 * import { GradientDescent } from "./gd.ts";
 * import { assertEquals } from "../../tests/assert.ts";
 * await setupBackend("cpu"); // TF.js runs on its plain JS backend here
 * const opt = new GradientDescent([1], [[2]]);
 * const theta = tf.variable(tf.tensor1d([1, 2]));
 * opt.step([theta], [tf.tensor1d([2, -2])], 0.5); // θ ← θ − 0.5·g
 * assertEquals(Array.from(theta.dataSync()), [0, 3]);
 * assertEquals(opt.criticalSharpness(0.5), 4); // 2/η
 * ```
 * @module
 */
import * as tf from "@tensorflow/tfjs";

/** Serialisable optimizer state: the step count and exact float32 copies of every slot. */
export interface OptimizerState {
  /** Number of steps taken. */
  step: number;
  /** Slot name → one array per parameter tensor. */
  slots: Record<string, Float32Array[]>;
}

/** An optimizer with visible state. */
export interface Optimizer {
  /** "gd" | "sgd" | "adam" | "adamw". */
  readonly kind: string;
  /** Applies one update in place: params[i].assign(...) given grads at the scheduled base lr (× lrMultipliers[i]). */
  step(params: tf.Variable[], grads: tf.Tensor[], lr: number): void;
  /**
   * Adam family: per tensor the diagonal P with θ ← θ − η P⁻¹ m̂ exactly as
   * applied at the last step, P = (√v̂ + ε)/m_i (= √v̂ + ε under SP); the
   * caller disposes the tensors. null for GD/SGD, and before the first step.
   */
  preconditioner(): tf.Tensor[] | null;
  /** Stability threshold of the sharpness at lr: GD 2/lr; heavy-ball momentum β: (2+2β)/lr; Adam (2+2β1)/((1−β1)·lr). */
  criticalSharpness(lr: number): number;
  /** Serialisable state (exact Float32 copies) for checkpoints; setState restores bit-exactly. */
  getState(): OptimizerState;
  /** Restores a state from {@linkcode Optimizer.getState}. */
  setState(s: OptimizerState): void;
  /** Frees the slot variables. */
  dispose(): void;
}

/** Checks the lengths and shapes of a step's arguments. */
export function checkStepArgs(
  kind: string,
  shapes: number[][],
  params: tf.Tensor[],
  grads: tf.Tensor[],
  lr: number,
): void {
  if (params.length !== shapes.length || grads.length !== shapes.length) {
    throw new Error(
      `${kind}: expected ${shapes.length} parameter and gradient tensors, got ${params.length} and ${grads.length}`,
    );
  }
  for (let i = 0; i < shapes.length; i++) {
    const s = shapes[i];
    if (!sameShape(params[i].shape, s) || !sameShape(grads[i].shape, s)) {
      throw new Error(
        `${kind}: tensor ${i} expected shape [${s}], got parameter [${
          params[i].shape
        }] and gradient [${grads[i].shape}]`,
      );
    }
  }
  if (!Number.isFinite(lr) || lr < 0) {
    throw new Error(`${kind}: lr must be a finite number ≥ 0, got ${lr}`);
  }
}

function sameShape(a: number[], b: number[]): boolean {
  return a.length === b.length && a.every((v, i) => v === b[i]);
}

/** Checks the multipliers against the shapes. */
export function checkMultipliers(
  kind: string,
  lrMultipliers: number[],
  shapes: number[][],
): void {
  if (lrMultipliers.length !== shapes.length) {
    throw new Error(
      `${kind}: ${lrMultipliers.length} LR multipliers for ${shapes.length} parameter tensors`,
    );
  }
  for (const m of lrMultipliers) {
    if (!(m > 0) || !Number.isFinite(m)) {
      throw new Error(`${kind}: LR multipliers must be positive, got ${m}`);
    }
  }
}

/** Zero-initialised slot variables, one per shape. */
export function zeroSlots(shapes: number[][]): tf.Variable[] {
  return shapes.map((s) => tf.tidy(() => tf.variable(tf.zeros(s), false)));
}

/** Exact float32 copies of slot variables. */
export function readSlots(vars: tf.Variable[]): Float32Array[] {
  return vars.map((v) => new Float32Array(v.dataSync() as Float32Array));
}

/** Writes float32 arrays into slot variables (checking sizes). */
export function writeSlots(
  kind: string,
  name: string,
  vars: tf.Variable[],
  values: Float32Array[] | undefined,
): void {
  if (!values || values.length !== vars.length) {
    throw new Error(
      `${kind}: state slot "${name}" must have ${vars.length} arrays, got ${
        values?.length ?? "none"
      }`,
    );
  }
  tf.tidy(() => {
    vars.forEach((v, i) => {
      if (values[i].length !== v.size) {
        throw new Error(
          `${kind}: state slot "${name}"[${i}] has ${values[i].length} values, expected ${v.size}`,
        );
      }
      v.assign(tf.tensor(values[i], v.shape, "float32"));
    });
  });
}

/** Checks a restored step count. */
export function checkStep(kind: string, step: number): void {
  if (!Number.isInteger(step) || step < 0) {
    throw new Error(`${kind}: state step must be an integer ≥ 0, got ${step}`);
  }
}

/**
 * Full-batch (or any-batch) gradient descent: θ ← θ − η·m_i·g.
 *
 * @example
 * ```ts
 * import * as tf from "@tensorflow/tfjs";
 * import { setupBackend } from "../backend.ts";
 * import { assertEquals } from "../../tests/assert.ts";
 * await setupBackend("cpu"); // TF.js runs on its plain JS backend here
 * // one 2×1 weight with LR multiplier 0.5: θ ← θ − η·0.5·g
 * const gd = new GradientDescent([0.5], [[2, 1]]);
 * const w = tf.variable(tf.tensor2d([[1], [1]]));
 * gd.step([w], [tf.tensor2d([[2], [4]])], 1);
 * assertEquals(Array.from(w.dataSync()), [0, -1]);
 * ```
 */
export class GradientDescent implements Optimizer {
  readonly kind = "gd";
  #mults: number[];
  #shapes: number[][];
  #step = 0;

  /** Creates GD for tensors of the given shapes. */
  constructor(lrMultipliers: number[], paramShapes: number[][]) {
    checkMultipliers("gd", lrMultipliers, paramShapes);
    this.#mults = [...lrMultipliers];
    this.#shapes = paramShapes.map((s) => [...s]);
  }

  /** θ ← θ − lr·m_i·g. */
  step(params: tf.Variable[], grads: tf.Tensor[], lr: number): void {
    checkStepArgs("gd", this.#shapes, params, grads, lr);
    tf.tidy(() => {
      params.forEach((p, i) => p.assign(tf.sub(p, tf.mul(grads[i], lr * this.#mults[i]))));
    });
    this.#step++;
  }

  /** GD has no preconditioner. */
  preconditioner(): null {
    return null;
  }

  /** 2/lr. */
  criticalSharpness(lr: number): number {
    return 2 / lr;
  }

  /** The step count (GD has no slots). */
  getState(): OptimizerState {
    return { step: this.#step, slots: {} };
  }

  /** Restores the step count. */
  setState(s: OptimizerState): void {
    checkStep("gd", s.step);
    this.#step = s.step;
  }

  /** Nothing to free. */
  dispose(): void {}
}
