/**
 * What phasebench knows about a TF.js backend, in one place: one
 * {@linkcode BackendDescriptor} per file of this folder, listed in `mod.ts`.
 *
 * @example
 * ```ts
 * import type { BackendDescriptor } from "./types.ts";
 * import { assertEquals } from "../../tests/assert.ts";
 * const d: BackendDescriptor<"toy"> = {
 *   name: "toy",
 *   summary: "an example",
 *   syncRead: true,
 *   transposeFreeMatMul: false,
 *   splitKMatMulGradient: false,
 *   identity: "portable",
 *   prepare: () => Promise.resolve({ device: "" }),
 * };
 * assertEquals((await d.prepare()).device, "");
 * ```
 * @module
 */
import type * as tf from "@tensorflow/tfjs";

/** Raised when a backend cannot be used; the message is one line for the user. */
export class BackendError extends Error {
  /** Creates the error. */
  constructor(message: string) {
    super(message);
    this.name = "BackendError";
  }
}

/**
 * Which runs count as "the same backend" when two result sets are compared
 * (SPEC §4): `portable` backends promise the same bits on any x86-64 machine
 * (pure JS, or WebAssembly); `machine` ones (native libraries, GPUs) only run
 * to run on one machine, so their CPU and device are part of their identity.
 */
export type IdentityClass = "portable" | "machine";

/** One backend: its name, what it can do, and how to get it ready. */
export interface BackendDescriptor<N extends string = string> {
  /** The name given to `--backend` and to `tf.setBackend`. */
  readonly name: N;
  /** One line for help texts and docs. */
  readonly summary: string;
  /**
   * Whether tensors can be read synchronously (`dataSync`; webgpu under Deno
   * cannot). Training and every measurement read back with `await data()`
   * on all backends; where this is false, the cross-entropy keeps its shift
   * on the device and the loop reads the optimizer's slots asynchronously
   * before a checkpoint.
   */
  readonly syncRead: boolean;
  /**
   * Whether the MatMul gradient should transpose explicitly and multiply
   * without transpose flags (see `nn/fast_matmul.ts`): true where flagged
   * products are much slower than plain ones.
   */
  readonly transposeFreeMatMul: boolean;
  /**
   * Whether the MatMul gradient splits a long inner dimension of a weight
   * gradient (Aᵀ·dy over ≥ 2048 rows into a small output) into a batch of
   * 512-row products and sums them (see `nn/fast_matmul.ts`): true where the
   * backend's one deterministic kernel runs such products on few tiles (webgpu).
   */
  readonly splitKMatMulGradient: boolean;
  /** Byte-identity class, for comparing result sets. */
  readonly identity: IdentityClass;
  /**
   * Gets the backend ready for `tf.setBackend` (loads libraries, registers
   * kernels) and describes the device for manifests; `runAs` names the
   * backend to use instead where this one fell back. Throws
   * {@linkcode BackendError} when the backend cannot be used.
   */
  prepare(): Promise<{ device: string; runAs?: string }>;
  /**
   * Adjusts the TF.js backend instance once `tf.setBackend` made it (webgpu:
   * uploads through `queue.writeBuffer`); most backends need nothing.
   */
  afterSetup?(backend: tf.KernelBackend): void;
  /**
   * The first error the device reported since setup, or null: webgpu reports
   * an invalid pipeline or an out-of-memory error asynchronously and skips the
   * commands involved, so every value computed after it may be wrong. Backends
   * that throw at the failing op do not implement it.
   */
  fault?(): string | null;
}
