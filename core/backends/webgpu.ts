/**
 * `webgpu`: Deno's built-in WebGPU (a GPU, or Mesa's software Vulkan driver).
 * It cannot read tensors synchronously, so the spectral measurements refuse
 * it; its bits depend on the device.
 *
 * @example
 * ```ts
 * import { webgpu } from "./webgpu.ts";
 * import { assertEquals } from "../../tests/assert.ts";
 * assertEquals(webgpu.syncRead, false);
 * ```
 * @module
 */
import { type BackendDescriptor, BackendError } from "./types.ts";

/** Whether a WebGPU adapter is available (without initialising TF.js): its description, or null. */
export async function webgpuAdapter(): Promise<string | null> {
  const gpu = (navigator as unknown as { gpu?: { requestAdapter(): Promise<unknown> } }).gpu;
  if (!gpu) return null;
  try {
    const adapter = await gpu.requestAdapter() as
      | { info?: { vendor?: string; architecture?: string; device?: string; description?: string } }
      | null;
    if (!adapter) return null;
    const i = adapter.info ?? {};
    return [i.vendor, i.architecture, i.device, i.description].filter((s) => s).join(" ") ||
      "webgpu adapter";
  } catch {
    return null;
  }
}

/** The `webgpu` backend (`@tensorflow/tfjs-backend-webgpu`, imported when asked for). */
export const webgpu: BackendDescriptor<"webgpu"> = {
  name: "webgpu",
  summary: "Deno's built-in WebGPU (a GPU, or Mesa's software Vulkan driver)",
  syncRead: false,
  transposeFreeMatMul: false,
  identity: "machine",
  async prepare() {
    const adapter = await webgpuAdapter();
    if (!adapter) {
      throw new BackendError(
        "backend webgpu: no WebGPU adapter found (on a machine without a GPU install Debian's " +
          "mesa-vulkan-drivers and set XDG_RUNTIME_DIR), or use --backend wasm",
      );
    }
    await import("@tensorflow/tfjs-backend-webgpu");
    return { device: adapter };
  },
};
