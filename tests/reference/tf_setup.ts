/**
 * TF.js set-up for the spectral tests: the pure-JS `cpu` backend with the
 * second-order-safe gradients installed. (Switch to `setupBackend("cpu")`
 * from core/backend.ts once every test uses it.)
 *
 * @example
 * ```ts
 * import { useCpuBackend } from "./tf_setup.ts";
 * await useCpuBackend();
 * ```
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import { installSecondOrderSafeGradients } from "../../core/nn/safe_ops.ts";

/** Selects the cpu backend and installs the second-order-safe gradients. */
export async function useCpuBackend(): Promise<void> {
  if (tf.getBackend() !== "cpu") await tf.setBackend("cpu");
  await tf.ready();
  installSecondOrderSafeGradients();
}
