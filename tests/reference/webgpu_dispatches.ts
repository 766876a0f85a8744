/**
 * For the webgpu reference scripts: sets up the webgpu backend and counts
 * its dispatches (TF.js's `recordAndSubmit` calls) from then on.
 *
 * @example
 * ```ts ignore
 * import { webgpuWithDispatchCount } from "./webgpu_dispatches.ts";
 * const dispatches = await webgpuWithDispatchCount();
 * const before = dispatches.count; // … run kernels …; dispatches.count - before
 * ```
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import { setupBackend } from "../../core/backend.ts";

/** Selects webgpu and returns a live count of its dispatches. */
export async function webgpuWithDispatchCount(): Promise<{ readonly count: number }> {
  await setupBackend("webgpu");
  const backend = tf.backend() as unknown as { recordAndSubmit: (...a: unknown[]) => unknown };
  const counter = { count: 0 };
  const record = backend.recordAndSubmit.bind(backend);
  backend.recordAndSubmit = (...a: unknown[]) => (counter.count++, record(...a));
  return counter;
}
