/**
 * tfjs-backend-wasm's threaded emscripten glue (`wasm-out/` of the npm
 * package), evaluated with the globals it looks for given as parameters, so
 * that under Deno it takes neither its Node.js path (`process` and `require`
 * are hidden) nor touches Deno's globals (its `Worker` is the caller's).
 * Shared by the main thread (`wasm_threads.ts`) and each pthread
 * (`wasm_thread_worker.ts`); imports nothing of TF.js.
 *
 * @example
 * ```ts
 * import { tfjsWasmOutDir } from "./wasm_threads_glue.ts";
 * import { assertEquals } from "../../tests/assert.ts";
 * assertEquals(tfjsWasmOutDir().endsWith("/tfjs-backend-wasm/wasm-out/"), true);
 * ```
 * @module
 */
import { createRequire } from "node:module";

/** The emscripten module factory: resolves to the module once it is running. */
export type EmscriptenFactory = (config: Record<string, unknown>) => Promise<EmscriptenModule>;

/** The parts of an emscripten module used here. */
export interface EmscriptenModule {
  /** Wraps an exported C function. */
  cwrap(name: string, returnType: string | null, argTypes: string[]): (...args: number[]) => number;
  /** Any other property. */
  [key: string]: unknown;
}

/** The threaded SIMD build's file names (glue, worker script, binary). */
export const THREADED_FILES = {
  glue: "tfjs-backend-wasm-threaded-simd.js",
  worker: "tfjs-backend-wasm-threaded-simd.worker.js",
  binary: "tfjs-backend-wasm-threaded-simd.wasm",
} as const;

/** The `wasm-out/` folder of the installed `@tensorflow/tfjs-backend-wasm`, with a trailing slash. */
export function tfjsWasmOutDir(): string {
  const main = createRequire(import.meta.url).resolve("@tensorflow/tfjs-backend-wasm");
  return main.replace(/\/dist\/[^/]+$/, "/wasm-out/");
}

/**
 * Evaluates the threaded glue and returns its module factory. `globals`
 * gives the free names the glue reads (`Worker` on the main thread; `self`,
 * `postMessage`, `importScripts`, `startWorker` in a pthread); `process`,
 * `require`, `window` and `document` are always undefined for it.
 * `poolSize` (main thread) is how many pthread workers to start up front.
 */
export function threadedGlueFactory(
  wasmOutDir: string,
  globals: Record<string, unknown>,
  poolSize?: number,
): EmscriptenFactory {
  let source = Deno.readTextFileSync(wasmOutDir + THREADED_FILES.glue);
  if (poolSize !== undefined) {
    // the build starts 8 workers up front; pthreadpool needs threads − 1
    source = source.replace("var pthreadPoolSize=8;", `var pthreadPoolSize=${poolSize};`);
  }
  // the glue ends with a CommonJS/AMD export block, not needed here
  const end = source.indexOf("if (typeof exports === 'object'");
  const body = end >= 0 ? source.slice(0, end) : source;
  const hidden = ["process", "require", "window", "document", "__filename", "__dirname"];
  const names = [...hidden, ...Object.keys(globals)];
  const values = [...hidden.map(() => undefined), ...Object.values(globals)];
  return new Function(...names, `${body}\nreturn WasmBackendModuleThreadedSimd;`)(...values);
}

/** The emscripten pthread worker script's source (a classic-worker script). */
export function threadedWorkerSource(wasmOutDir: string): string {
  const source = Deno.readTextFileSync(wasmOutDir + THREADED_FILES.worker);
  const module = { exports: {} as { wasmWorkerContents?: string } };
  new Function("module", source)(module);
  if (typeof module.exports.wasmWorkerContents !== "string") {
    throw new Error(`${THREADED_FILES.worker}: no wasmWorkerContents`);
  }
  // the string's "\n" escapes became newlines inside string literals
  // (tfjs-backend-wasm escapes them again the same way)
  return module.exports.wasmWorkerContents.replace(/\n/g, "\\n");
}
