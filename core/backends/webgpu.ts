/**
 * `webgpu`: Deno's built-in WebGPU (a GPU, or Mesa's software Vulkan driver).
 * It cannot read tensors synchronously; everything on the training and
 * measurement path reads back with `await data()` (the spectral routines
 * included), and the cross-entropy keeps its shift on the device. Its bits
 * depend on the device (identity class `machine`); on one device they are the
 * same run to run (measured on Mesa's llvmpipe: EoS GD, Adam, grokking with
 * AdamW and cross-entropy, and a run resumed from its checkpoint), MatMul
 * being pinned to TF.js's tiled kernel (its split-K kernel adds with atomics
 * in no fixed order).
 *
 * The adapter is the one TF.js's webgpu backend asks for
 * (`powerPreference: "high-performance"`, i.e. a discrete GPU before an
 * integrated or a software one); Deno picks the graphics API with
 * `DENO_WEBGPU_BACKEND` (e.g. `vulkan`), and the Vulkan loader picks drivers
 * with `VK_ICD_FILENAMES` (e.g. only Mesa's lvp, or only NVIDIA's).
 *
 * @example
 * ```ts
 * import { webgpu } from "./webgpu.ts";
 * import { assertEquals } from "../../tests/assert.ts";
 * assertEquals(webgpu.syncRead, false);
 * assertEquals(webgpu.identity, "machine");
 * ```
 * @module
 */
import { type BackendDescriptor, BackendError } from "./types.ts";
import { registerWebgpuAdamUpdate } from "./webgpu_adam.ts";
import { registerDeviceOnesGradients } from "./webgpu_gradients.ts";
import { registerWebgpuSumOfSquares } from "./webgpu_sum_of_squares.ts";
import { uploadThroughWriteBuffer } from "./webgpu_upload.ts";

/** What Deno's `GPUAdapter.info` says (WebGPU's GPUAdapterInfo). */
interface AdapterInfo {
  vendor?: string;
  architecture?: string;
  device?: string;
  description?: string;
  isFallbackAdapter?: boolean;
}

/**
 * One line for manifests: the adapter's description, its PCI vendor and
 * device ids in hex where Deno gives them as decimal numbers, and whether it
 * is a software (fallback) adapter.
 *
 * @example
 * ```ts
 * import { assertEquals } from "../../tests/assert.ts";
 * const llvmpipe = { vendor: "65541", device: "0", description: "llvmpipe (LLVM 15.0.6, 256 bits)", isFallbackAdapter: true };
 * assertEquals(describeAdapter(llvmpipe), "llvmpipe (LLVM 15.0.6, 256 bits); vendor 0x10005, device 0x0; software (fallback adapter)");
 * assertEquals(describeAdapter({ vendor: "nvidia", architecture: "hopper" }), "nvidia hopper");
 * ```
 */
export function describeAdapter(info: AdapterInfo): string {
  const id = (s?: string) => s && /^\d+$/.test(s) ? `0x${Number(s).toString(16)}` : s;
  const ids = [
    info.vendor && `vendor ${id(info.vendor)}`,
    info.device && `device ${id(info.device)}`,
  ].filter((s) => s).join(", ");
  const numeric = /^\d*$/.test(info.vendor ?? "") && /^\d*$/.test(info.device ?? "");
  const parts = numeric
    ? [[info.description, info.architecture].filter((s) => s).join(" "), ids]
    : [[info.vendor, info.architecture, info.device, info.description].filter((s) => s).join(" ")];
  if (info.isFallbackAdapter) parts.push("software (fallback adapter)");
  return parts.filter((s) => s).join("; ") || "webgpu adapter";
}

/**
 * Whether a WebGPU adapter is available (without initialising TF.js): the
 * description ({@linkcode describeAdapter}) of the adapter TF.js will get, or
 * null.
 *
 * @example
 * ```ts
 * import { assertOk } from "../../tests/assert.ts";
 * const adapter = await webgpuAdapter(); // e.g. "llvmpipe (…); vendor 0x10005, device 0x0; software …"
 * assertOk(adapter === null || adapter.length > 0);
 * ```
 */
export async function webgpuAdapter(): Promise<string | null> {
  const gpu = (navigator as unknown as {
    gpu?: { requestAdapter(options?: { powerPreference?: string }): Promise<unknown> };
  }).gpu;
  if (!gpu) return null;
  try {
    // the options TF.js's webgpu backend requests its adapter with
    const adapter = await gpu.requestAdapter({ powerPreference: "high-performance" }) as
      | { info?: AdapterInfo }
      | null;
    if (!adapter) return null;
    return describeAdapter(adapter.info ?? {});
  } catch {
    return null;
  }
}

/** TF.js webgpu's `MatMulProgramType.MatMulPackedProgram` (tiled, no atomics). */
const MATMUL_PACKED = 3;

/** The `webgpu` backend (`@tensorflow/tfjs-backend-webgpu`, imported when asked for). */
export const webgpu: BackendDescriptor<"webgpu"> = {
  name: "webgpu",
  summary: "Deno's built-in WebGPU (a GPU, or Mesa's software Vulkan driver)",
  syncRead: false,
  transposeFreeMatMul: false,
  splitKMatMulGradient: true,
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
    const tf = await import("@tensorflow/tfjs");
    // one MatMul kernel, the tiled one, for every product: TF.js otherwise
    // picks a split-K kernel for products with few 32×32 output tiles and an
    // inner dimension ≥ 2000 (a last-layer weight gradient over ≥ 2000
    // examples), which sums its partial products with atomics in no fixed
    // order, so the bits would change from run to run on a parallel GPU
    tf.env().set("WEBGPU_MATMUL_PROGRAM_TYPE", MATMUL_PACKED);
    // the ones of the Sum and Mean gradients made on the device, not uploaded at every call
    registerDeviceOnesGradients();
    // Adam's update in three dispatches a tensor, not fourteen
    registerWebgpuAdamUpdate();
    // ‖∇L‖² in one dispatch for every six tensors, not three a tensor
    registerWebgpuSumOfSquares();
    return { device: adapter };
  },
  afterSetup(backend) {
    uploadThroughWriteBuffer(backend);
    // WebGPU reports invalid commands as events and runs nothing of them (TF.js's
    // AddN with more inputs than the device binds gave zeros): keep the first one
    const device = (backend as unknown as { device?: GPUDevice }).device;
    device?.addEventListener("uncapturederror", (e) => {
      firstFault ??= (e as GPUUncapturedErrorEvent).error.message.split("\n")[0];
    });
  },
  fault: () => firstFault,
};

/** The first uncaptured error of this worker's webgpu device, or null. */
let firstFault: string | null = null;
