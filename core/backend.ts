/**
 * Picks and initialises the TF.js backend, and reports versions for manifests.
 * What each backend is and can do is its descriptor's (`core/backends/`); this
 * module only sets the chosen one up.
 *
 * @example
 * ```ts
 * import { setupBackend } from "./backend.ts";
 * import { assertEquals } from "../tests/assert.ts";
 * const info = await setupBackend("cpu");
 * assertEquals(info.name, "cpu");
 * ```
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import "@tensorflow/tfjs-backend-wasm";
import { installSecondOrderSafeGradients } from "./nn/safe_ops.ts";
import { installFastMatMulGradient } from "./nn/fast_matmul.ts";
import { BackendError, type BackendName, BACKENDS, descriptorOf } from "./backends/mod.ts";

export {
  BackendError,
  type BackendName,
  BACKENDS,
  TFJS_NODE_MISSING,
  webgpuAdapter,
} from "./backends/mod.ts";

/** What was selected, for manifests. */
export interface BackendInfo {
  /** Backend that runs: the name as given, or `wasm` where `blas` fell back. */
  name: BackendName;
  /** TF.js version. */
  tfjs: string;
  /** Deno version. */
  deno: string;
  /** V8 version. */
  v8: string;
  /** OS / arch. */
  platform: string;
  /** CPU model (from /proc/cpuinfo when readable). */
  cpu: string;
  /**
   * Adapter description (webgpu), native library (tensorflow), OpenBLAS
   * config, library path and thread count (blas), or why `blas` fell back to
   * `wasm`; else "".
   */
  device: string;
}

let current: BackendInfo | null = null;
/** The name `current` was set up for (differs from current.name after a fallback). */
let currentRequest: BackendName | null = null;

/** CPU model string, or "unknown". */
export function cpuModel(): string {
  try {
    const text = Deno.readTextFileSync("/proc/cpuinfo");
    const m = text.match(/^model name\s*:\s*(.+)$/m);
    if (m) return m[1].trim();
  } catch {
    // not Linux, or not readable
  }
  return "unknown";
}

/**
 * Selects and initialises a backend (idempotent for the same name), installs
 * the second-order-safe gradients and the transpose-free MatMul gradient, and
 * returns the info for manifests. Throws {@linkcode BackendError} with a
 * one-line message when unusable. `blas` without a loadable OpenBLAS falls
 * back to `wasm` with a one-line notice on stderr (the info then says `wasm`).
 */
export async function setupBackend(name: BackendName = "wasm"): Promise<BackendInfo> {
  if (current && currentRequest === name) return current;
  const descriptor = descriptorOf(name);
  if (!descriptor) {
    throw new BackendError(
      `unknown backend "${name}": expected one of ${BACKENDS.join(", ")}`,
    );
  }
  installSecondOrderSafeGradients();
  installFastMatMulGradient();
  const { device, runAs } = await descriptor.prepare();
  const backend = (runAs ?? name) as BackendName;
  const ok = await tf.setBackend(backend);
  if (!ok) throw new BackendError(`backend ${backend}: TF.js could not initialise it`);
  await tf.ready();
  descriptor.afterSetup?.(tf.backend());
  // the cpu backend greets Node-like runtimes with a banner urging tfjs-node on
  // its first tensor (once per worker); we chose the backend on purpose
  const cpu = tf.findBackend("cpu") as { firstUse?: boolean } | null;
  if (cpu) cpu.firstUse = false;
  currentRequest = name;
  current = {
    name: backend,
    tfjs: tf.version.tfjs,
    deno: Deno.version.deno,
    v8: Deno.version.v8,
    platform: `${Deno.build.os}-${Deno.build.arch}`,
    cpu: cpuModel(),
    device,
  };
  return current;
}

/**
 * The first error the device of the backend set up last reported (webgpu: an
 * invalid pipeline or out of memory, after which its commands were skipped),
 * or null. No value computed after one can be trusted.
 *
 * @example
 * ```ts
 * import { backendFault, setupBackend } from "./backend.ts";
 * import { assertEquals } from "../tests/assert.ts";
 * await setupBackend("cpu");
 * assertEquals(backendFault(), null); // cpu throws at a failing op instead
 * ```
 */
export function backendFault(): string | null {
  return currentRequest ? descriptorOf(currentRequest)?.fault?.() ?? null : null;
}

/** The info of the backend set up last, or null. */
export function backendInfo(): BackendInfo | null {
  return current;
}
