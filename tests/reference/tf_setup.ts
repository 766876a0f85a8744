/**
 * TF.js set-up for the spectral tests: the pure-JS `cpu` backend via
 * `setupBackend` (which installs the second-order-safe gradients), checked.
 *
 * @example
 * ```ts
 * import * as tf from "@tensorflow/tfjs";
 * import { useCpuBackend } from "./tf_setup.ts";
 * import { assertEquals } from "../assert.ts";
 * await useCpuBackend();
 * assertEquals(tf.getBackend(), "cpu");
 * ```
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import { setupBackend } from "../../core/backend.ts";
import { secondOrderSafeGradientsInstalled } from "../../core/nn/safe_ops.ts";

/**
 * Selects the cpu backend; fails loudly if the safe gradients are missing.
 *
 * @example
 * ```ts
 * import { secondOrderSafeGradientsInstalled } from "../../core/nn/safe_ops.ts";
 * import { assertEquals } from "../assert.ts";
 * await useCpuBackend();
 * assertEquals(secondOrderSafeGradientsInstalled(), true);
 * ```
 */
export async function useCpuBackend(): Promise<void> {
  await setupBackend("cpu");
  if (tf.getBackend() !== "cpu") await tf.setBackend("cpu");
  if (!secondOrderSafeGradientsInstalled()) {
    throw new Error("setupBackend did not install the safe gradients");
  }
}
