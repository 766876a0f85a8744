/**
 * Picks and initialises the TF.js backend, and reports versions for manifests.
 *
 * | name         | what                                                                 |
 * | ------------ | -------------------------------------------------------------------- |
 * | `wasm`       | default; XNNPACK + SIMD, single-threaded under Deno                  |
 * | `cpu`        | pure-JS reference backend                                            |
 * | `blas`       | `wasm` with MatMul on OpenBLAS (`Deno.dlopen`); else falls back to `wasm` |
 * | `webgpu`     | Deno's built-in WebGPU (a GPU, or Mesa's software Vulkan driver)     |
 * | `tensorflow` | `@tensorflow/tfjs-node`, loaded dynamically only when asked for      |
 *
 * @example
 * ```ts
 * import { setupBackend } from "./backend.ts";
 * const info = await setupBackend("cpu");
 * info.name; // "cpu"
 * ```
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import "@tensorflow/tfjs-backend-wasm";
import { installSecondOrderSafeGradients } from "./nn/safe_ops.ts";
import { installFastMatMulGradient } from "./nn/fast_matmul.ts";
import { loadOpenBlas } from "./blas/openblas.ts";
import { registerBlasBackend } from "./blas/backend.ts";

/** Backends phasebench knows. */
export const BACKENDS = ["wasm", "cpu", "blas", "webgpu", "tensorflow"] as const;
/** A backend name. */
export type BackendName = typeof BACKENDS[number];

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

/** Raised when a backend cannot be used; the message is one line for the user. */
export class BackendError extends Error {
  /** Creates the error. */
  constructor(message: string) {
    super(message);
    this.name = "BackendError";
  }
}

/** The message shown when tfjs-node is not installed. */
export const TFJS_NODE_MISSING =
  "backend tensorflow: @tensorflow/tfjs-node is not installed; install it with " +
  "`deno install --allow-scripts=npm:@tensorflow/tfjs-node npm:@tensorflow/tfjs-node@4.22.0` " +
  "(its install step downloads libtensorflow), or use --backend wasm";

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

/** Whether a WebGPU adapter is available (without initialising TF.js). */
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

/**
 * Selects and initialises a backend (idempotent for the same name), installs
 * the second-order-safe gradients and the transpose-free MatMul gradient, and
 * returns the info for manifests. Throws {@linkcode BackendError} with a
 * one-line message when unusable. `blas` without a loadable OpenBLAS falls
 * back to `wasm` with a one-line notice on stderr (the info then says `wasm`).
 */
export async function setupBackend(name: BackendName = "wasm"): Promise<BackendInfo> {
  if (current && currentRequest === name) return current;
  if (!BACKENDS.includes(name)) {
    throw new BackendError(
      `unknown backend "${name}": expected one of ${BACKENDS.join(", ")}`,
    );
  }
  installSecondOrderSafeGradients();
  installFastMatMulGradient();
  let device = "";
  let backend: BackendName = name;
  if (name === "blas") {
    const blas = loadOpenBlas();
    if ("error" in blas) {
      console.error(
        `backend blas: ${blas.error}; falling back to wasm (Debian: apt-get install libopenblas0-pthread)`,
      );
      backend = "wasm";
      device = `blas requested; fell back to wasm: ${blas.error}`;
    } else {
      await registerBlasBackend(blas);
      device = blas.describe();
    }
  } else if (name === "webgpu") {
    const adapter = await webgpuAdapter();
    if (!adapter) {
      throw new BackendError(
        "backend webgpu: no WebGPU adapter found (on a machine without a GPU install Debian's " +
          "mesa-vulkan-drivers and set XDG_RUNTIME_DIR), or use --backend wasm",
      );
    }
    device = adapter;
    await import("@tensorflow/tfjs-backend-webgpu");
  } else if (name === "tensorflow") {
    // Never let a dynamic import fetch the package: it is installed only on purpose.
    const installed = [
      "node_modules/@tensorflow/tfjs-node/package.json",
      "node_modules/.deno/@tensorflow+tfjs-node@4.22.0/node_modules/@tensorflow/tfjs-node/package.json",
    ].some((p) => {
      try {
        return Deno.statSync(p).isFile;
      } catch {
        return false;
      }
    });
    if (!installed) throw new BackendError(TFJS_NODE_MISSING);
    try {
      const spec = "npm:@tensorflow/tfjs-node@4.22.0";
      await import(spec);
      device = "libtensorflow";
    } catch (e) {
      throw new BackendError(
        `${TFJS_NODE_MISSING} (found the package but it did not load: ${
          String((e as Error).message).split("\n")[0]
        })`,
      );
    }
  }
  const ok = await tf.setBackend(backend);
  if (!ok) throw new BackendError(`backend ${backend}: TF.js could not initialise it`);
  await tf.ready();
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

/** The info of the backend set up last, or null. */
export function backendInfo(): BackendInfo | null {
  return current;
}
