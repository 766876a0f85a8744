/**
 * The backends phasebench knows, one descriptor per file; adding a backend is
 * adding its file and listing it here. Light to import: a descriptor loads
 * its libraries only in `prepare()`.
 *
 * | name         | what                                                                      |
 * | ------------ | ------------------------------------------------------------------------- |
 * | `wasm`       | default; XNNPACK + SIMD (threads: `PHASEBENCH_WASM_THREADS`)              |
 * | `cpu`        | pure-JS reference backend                                                 |
 * | `blas`       | `wasm` with MatMul on OpenBLAS (`Deno.dlopen`); else falls back to `wasm` |
 * | `webgpu`     | Deno's built-in WebGPU (a GPU, or Mesa's software Vulkan driver)          |
 * | `tensorflow` | `@tensorflow/tfjs-node`, loaded dynamically only when asked for           |
 *
 * @example
 * ```ts
 * import { BACKENDS, descriptorOf } from "./mod.ts";
 * import { assertEquals } from "../../tests/assert.ts";
 * assertEquals(BACKENDS, ["wasm", "cpu", "blas", "webgpu", "tensorflow"]);
 * assertEquals(descriptorOf("webgpu")?.syncRead, false);
 * assertEquals(descriptorOf("nope"), undefined);
 * ```
 * @module
 */
import { wasm } from "./wasm.ts";
import { cpu } from "./cpu.ts";
import { blas } from "./blas.ts";
import { webgpu } from "./webgpu.ts";
import { tensorflow } from "./tensorflow.ts";
import type { BackendDescriptor } from "./types.ts";

export { type BackendDescriptor, BackendError, type IdentityClass } from "./types.ts";
export { webgpuAdapter } from "./webgpu.ts";
export { TFJS_NODE_MISSING } from "./tensorflow.ts";

/** Every backend's descriptor, in the order help texts list them. */
export const BACKEND_DESCRIPTORS = [wasm, cpu, blas, webgpu, tensorflow] as const;

/** A backend name. */
export type BackendName = typeof BACKEND_DESCRIPTORS[number]["name"];

/** Backends phasebench knows, by name. */
export const BACKENDS: readonly BackendName[] = BACKEND_DESCRIPTORS.map((d) => d.name);

/** The descriptor of a backend name, or undefined for a name phasebench does not know. */
export function descriptorOf(name: string): BackendDescriptor<BackendName> | undefined {
  return BACKEND_DESCRIPTORS.find((d) => d.name === name);
}
