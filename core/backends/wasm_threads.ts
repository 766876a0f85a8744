/**
 * The `wasm` backend on tfjs-backend-wasm's threaded SIMD build. TF.js never
 * picks that build under Deno (it takes Deno for Node.js, where it disables
 * threads), and its emscripten glue expects classic web workers; here the
 * glue is evaluated with a `Worker` that starts `wasm_thread_worker.ts` as a
 * `node:worker_threads` worker, unref'd once loaded (so an idle pool never
 * keeps the process alive), and the `wasm` backend factory is replaced by one that
 * builds TF.js's own `BackendWasm` on that module. The binary, glue and
 * worker script are the npm package's own (`wasm-out/`), unchanged but for
 * the size of the worker pool started up front.
 *
 * Bits: XNNPACK splits a product over tiles of its output, never over the
 * inner dimension, so every element sums in the same order on any thread
 * count; `tests/wasm_threads_test.ts` checks the EoS step and an HVP bit for
 * bit against the single-threaded build.
 *
 * @example
 * ```ts
 * import { startThreadedWasmModule } from "./wasm_threads.ts";
 * import { assertEquals } from "../../tests/assert.ts";
 * const module = await startThreadedWasmModule(2);
 * module.tfjs.initWithThreadsCount(2);
 * assertEquals(module.tfjs.getThreadsCount(), 2);
 * ```
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import { BackendWasm, setThreadsCount } from "@tensorflow/tfjs-backend-wasm";
import { Worker as NodeWorker } from "node:worker_threads";
import {
  type EmscriptenModule,
  tfjsWasmOutDir,
  THREADED_FILES,
  threadedGlueFactory,
} from "./wasm_threads_glue.ts";

/** A classic-worker-shaped wrapper around a `node:worker_threads` worker. */
class PthreadWorker {
  onmessage: ((e: { data: unknown }) => void) | null = null;
  onerror: ((e: unknown) => void) | null = null;
  readonly #worker: NodeWorker;
  constructor(_scriptUrl: string, wasmOutDir: string) {
    this.#worker = new NodeWorker(new URL("./wasm_thread_worker.ts", import.meta.url), {
      workerData: { wasmOutDir },
    });
    // held until it has loaded the module (the module's start waits on
    // that), then let go: an idle pool must not keep the process alive
    this.#worker.on("message", (data: unknown) => {
      if ((data as { cmd?: unknown } | null)?.cmd === "loaded") this.#worker.unref();
      this.onmessage?.({ data });
    });
    this.#worker.on("error", (e: unknown) => this.onerror?.(e));
  }
  postMessage(msg: unknown, transfer?: Transferable[]): void {
    // deno-lint-ignore no-explicit-any
    this.#worker.postMessage(msg, transfer as any);
  }
  terminate(): void {
    this.#worker.terminate();
  }
}

/** The emscripten module with what tfjs-backend-wasm's `init()` adds to it. */
export interface ThreadedWasmModule extends EmscriptenModule {
  /** tfjs-backend-wasm's own C entry points (its namespace on the module). */
  tfjs: {
    init(): void;
    initWithThreadsCount(threads: number): void;
    getThreadsCount(): number;
    registerTensor(id: number, size: number, offset: number): void;
    disposeData(id: number): void;
    dispose(): void;
  };
}

/**
 * Starts the threaded emscripten module (its pthread workers loaded) for
 * `threads` threads (1 to 8; the threads start with `initWithThreadsCount`,
 * which `BackendWasm` calls).
 */
export async function startThreadedWasmModule(threads: number): Promise<ThreadedWasmModule> {
  const dir = tfjsWasmOutDir();
  const factory = threadedGlueFactory(dir, {
    // tfjs caps its pool at half the logical cores the glue reports
    // (emscripten_num_logical_cores, i.e. navigator.hardwareConcurrency)
    navigator: { hardwareConcurrency: 2 * threads },
    Worker: class extends PthreadWorker {
      constructor(url: string) {
        super(url, dir);
      }
    },
  }, threads - 1);
  const binary = Deno.readFileSync(dir + THREADED_FILES.binary);
  const module = await factory({
    locateFile: (path: string) => dir + path,
    instantiateWasm: (
      imports: WebAssembly.Imports,
      receive: (i: WebAssembly.Instance, m: WebAssembly.Module) => void,
    ) => {
      const compiled = new WebAssembly.Module(binary);
      const instance = new WebAssembly.Instance(compiled, imports);
      receive(instance, compiled);
      return instance.exports;
    },
    mainScriptUrlOrBlob: dir + THREADED_FILES.glue,
  });
  // what tfjs-backend-wasm's init() adds (its own namespace on the module)
  const tfjs: ThreadedWasmModule["tfjs"] = {
    init: module.cwrap("init", null, []),
    initWithThreadsCount: module.cwrap("init_with_threads_count", null, ["number"]),
    getThreadsCount: module.cwrap("get_threads_count", "number", []),
    registerTensor: module.cwrap("register_tensor", null, ["number", "number", "number"]),
    disposeData: module.cwrap("dispose_data", null, ["number"]),
    dispose: module.cwrap("dispose", null, []),
  };
  return Object.assign(module, { tfjs });
}

/** The thread count the `wasm` factory was replaced for, or 0. */
let installed = 0;

/**
 * Starts the threaded build with `threads` threads and makes TF.js's `wasm`
 * backend run on it; returns the threads `wasm` will run. Where the backend
 * was already initialised it stays as it is (1, or the count it was first
 * installed with). Where the threaded build fails to start, says why on
 * stderr (one line) and leaves the single-threaded build in place (1).
 */
export async function installThreadedWasm(threads: number): Promise<number> {
  if (installed > 0) return installed;
  // (tf.findBackend would start initialising the backend it looks for)
  const engine = tf.engine() as unknown as { registry: Record<string, unknown> };
  if ("wasm" in engine.registry || tf.getBackend() === "wasm") return 1;
  let module: ThreadedWasmModule;
  try {
    module = await startThreadedWasmModule(threads);
  } catch (e) {
    const why = String((e as Error)?.message ?? e).split("\n")[0];
    console.error(
      `backend wasm: the threaded build did not start (${why}); running single-threaded`,
    );
    installed = 1;
    return 1;
  }
  const priority = 2; // what tfjs-backend-wasm registers with
  tf.removeBackend("wasm");
  tf.registerBackend("wasm", () => {
    setThreadsCount(threads);
    // deno-lint-ignore no-explicit-any
    return new BackendWasm(module as any);
  }, priority);
  installed = threads;
  return threads;
}
