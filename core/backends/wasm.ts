/**
 * `wasm`: the default; XNNPACK with SIMD, single-threaded under Deno. Its
 * flagged (transposed) MatMul forms are 10–40× slower than plain products
 * (SPEC §2), so the MatMul gradient transposes explicitly here.
 *
 * @example
 * ```ts
 * import { wasm } from "./wasm.ts";
 * import { assertEquals } from "../../tests/assert.ts";
 * assertEquals(wasm.transposeFreeMatMul, true);
 * ```
 * @module
 */
import type { BackendDescriptor } from "./types.ts";

/** The `wasm` backend (registered by importing `@tensorflow/tfjs-backend-wasm`). */
export const wasm: BackendDescriptor<"wasm"> = {
  name: "wasm",
  summary: "default; XNNPACK + SIMD, single-threaded under Deno",
  syncRead: true,
  transposeFreeMatMul: true,
  splitKMatMulGradient: false,
  identity: "portable",
  prepare: () => Promise.resolve({ device: "" }),
};
