/**
 * `cpu`: TF.js's pure-JS reference backend. Its flagged MatMul forms are as
 * fast as plain ones (measured, 500×400·400×200), so the gradient is TF.js's own.
 *
 * @example
 * ```ts
 * import { cpu } from "./cpu.ts";
 * import { assertEquals } from "../../tests/assert.ts";
 * assertEquals(cpu.identity, "portable");
 * ```
 * @module
 */
import type { BackendDescriptor } from "./types.ts";

/** The `cpu` backend (part of `@tensorflow/tfjs`). */
export const cpu: BackendDescriptor<"cpu"> = {
  name: "cpu",
  summary: "pure-JS reference backend",
  syncRead: true,
  transposeFreeMatMul: false,
  splitKMatMulGradient: false,
  identity: "portable",
  prepare: () => Promise.resolve({ device: "" }),
};
