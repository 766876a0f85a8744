/**
 * Host-to-device uploads through `GPUQueue.writeBuffer`.
 *
 * TF.js's webgpu backend uploads a tensor's host values by writing them into
 * a buffer mapped at creation (or a mapped staging buffer) and copying. Under
 * Deno on an NVIDIA H200 that path moved 2.6 MB in 84 ms of CPU time (~30
 * MB/s), against 0.7 ms through `queue.writeBuffer`, which copies the bytes
 * into wgpu's own staging memory. The bytes written are the same, so results
 * do not change.
 *
 * Ordering: `writeBuffer` runs before the command buffer TF.js is recording
 * (it is submitted later) and after everything already submitted. The
 * destination is a buffer that no recorded command uses: TF.js hands out a
 * freed buffer again only after the commands that used it were submitted
 * (their tensors' release waits for the submit).
 *
 * @example
 * ```ts
 * import * as tf from "@tensorflow/tfjs";
 * import { assertEquals } from "../../tests/assert.ts";
 * // only the webgpu backend is patched; on others nothing changes
 * assertEquals(uploadThroughWriteBuffer(tf.backend()), tf.getBackend() === "webgpu");
 * ```
 * @module
 */
import type * as tf from "@tensorflow/tfjs";

/** The parts of TF.js's WebGPUBackend the upload uses (internal, TF.js 4.22). */
interface WebGpuBackendInternals {
  queue: GPUQueue;
  tensorMap: {
    get(dataId: object): {
      dtype: string;
      shape: number[];
      values: ArrayLike<number> | null;
      resource: unknown;
    };
  };
  bufferManager: { acquireBuffer(size: number, usage: number): GPUBuffer };
  uploadToGPU(dataId: object): void;
}

/**
 * Makes `backend` (TF.js's webgpu backend) upload host values with
 * `queue.writeBuffer`; float32, int32 and bool tensors (4 bytes an element)
 * only, others as before. Returns whether it patched (false for a backend
 * that is not webgpu's).
 */
export function uploadThroughWriteBuffer(backend: tf.KernelBackend): boolean {
  const b = backend as unknown as WebGpuBackendInternals;
  if (!b.queue || !b.bufferManager || typeof b.uploadToGPU !== "function") return false;
  const original = b.uploadToGPU.bind(b);
  b.uploadToGPU = (dataId: object) => {
    const data = b.tensorMap.get(dataId);
    if (data.resource != null) return; // already on the device
    const { dtype, values } = data;
    if (!values || !(dtype === "float32" || dtype === "int32" || dtype === "bool")) {
      return original(dataId);
    }
    const bytes = dtype === "float32"
      ? (values instanceof Float32Array ? values : Float32Array.from(values))
      : (values instanceof Int32Array ? values : Int32Array.from(values));
    const size = 4 * bytes.length;
    const usage = GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC | GPUBufferUsage.COPY_DST;
    const buffer = b.bufferManager.acquireBuffer(size, usage);
    b.queue.writeBuffer(buffer, 0, bytes.buffer as ArrayBuffer, bytes.byteOffset, size);
    data.values = null; // once uploaded, TF.js keeps no host copy
    data.resource = buffer;
  };
  return true;
}
