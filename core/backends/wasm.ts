/**
 * `wasm`: the default; XNNPACK with SIMD. Its flagged (transposed) MatMul
 * forms are 10–40× slower than plain products (SPEC §2), so the MatMul
 * gradient transposes explicitly here.
 *
 * Threads (opt-in): TF.js never picks tfjs-backend-wasm's threaded build
 * under Deno; `PHASEBENCH_WASM_THREADS=N` (2 to 8) loads it
 * (`wasm_threads.ts`) with N threads for runs in the main process (`--jobs
 * 1`, a single run, `perf`); a suite's job workers (`--jobs N`) stay on one
 * thread each. XNNPACK splits a product over tiles of its output, never over
 * its inner dimension, so the results are bit for bit those of the
 * single-threaded build (`tests/wasm_threads_test.ts`). The default is 1
 * thread, today's single-threaded build: on the shared 2-core machine the
 * threads made small models several times slower (each kernel waits for a
 * thread the OS has not scheduled; see README, Performance).
 *
 * @example
 * ```ts
 * import { wasm, wasmThreads } from "./wasm.ts";
 * import { assertEquals } from "../../tests/assert.ts";
 * assertEquals(wasm.transposeFreeMatMul, true);
 * assertEquals(wasmThreads({}, false), 1);
 * assertEquals(wasmThreads({ PHASEBENCH_WASM_THREADS: "2" }, false), 2);
 * assertEquals(wasmThreads({ PHASEBENCH_WASM_THREADS: "2" }, true), 1);
 * ```
 * @module
 */
import { type BackendDescriptor, BackendError } from "./types.ts";

/** The most threads tfjs-backend-wasm's thread pool takes. */
export const MAX_WASM_THREADS = 8;

/**
 * How many threads `wasm` runs: `PHASEBENCH_WASM_THREADS` (1 to
 * {@linkcode MAX_WASM_THREADS}; 1 is the single-threaded build), by default
 * 1, and always 1 in a worker (a suite's `--jobs N` job: N jobs already share
 * the cores). Throws {@linkcode BackendError} for a value that is not such a
 * count.
 */
export function wasmThreads(
  env: Record<string, string | undefined> = readEnv(),
  inWorker: boolean = isWorker(),
): number {
  const given = env.PHASEBENCH_WASM_THREADS;
  if (given === undefined || given === "") return 1;
  const n = Number(given);
  if (!Number.isInteger(n) || n < 1 || n > MAX_WASM_THREADS) {
    throw new BackendError(
      `PHASEBENCH_WASM_THREADS=${given}: expected a whole number from 1 to ${MAX_WASM_THREADS}`,
    );
  }
  return inWorker ? 1 : n;
}

function readEnv(): Record<string, string | undefined> {
  try {
    return { PHASEBENCH_WASM_THREADS: Deno.env.get("PHASEBENCH_WASM_THREADS") };
  } catch {
    return {}; // no --allow-env
  }
}

function isWorker(): boolean {
  const scope = (globalThis as { WorkerGlobalScope?: abstract new () => unknown })
    .WorkerGlobalScope;
  return scope !== undefined && globalThis instanceof scope;
}

/** The `wasm` backend (registered by importing `@tensorflow/tfjs-backend-wasm`). */
export const wasm: BackendDescriptor<"wasm"> = {
  name: "wasm",
  summary: "default; XNNPACK + SIMD (threads: `PHASEBENCH_WASM_THREADS`)",
  syncRead: true,
  transposeFreeMatMul: true,
  splitKMatMulGradient: false,
  identity: "portable",
  async prepare() {
    const threads = wasmThreads();
    if (threads === 1) return { device: "" };
    const { installThreadedWasm } = await import("./wasm_threads.ts");
    const running = await installThreadedWasm(threads);
    return { device: running > 1 ? `XNNPACK threaded SIMD build, ${running} threads` : "" };
  },
};
