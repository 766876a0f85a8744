/**
 * One pthread of the threaded `wasm` build (see `wasm_threads.ts`), run as a
 * `node:worker_threads` worker so that it can be unref'd. It evaluates
 * tfjs-backend-wasm's own emscripten worker script and glue with the globals
 * they expect of a classic web worker (`self`, `postMessage`,
 * `importScripts`) given as parameters, and `process`/`require` hidden so
 * that the glue does not take its Node.js path.
 *
 * @module
 */
import { parentPort, workerData } from "node:worker_threads";
import { threadedGlueFactory, threadedWorkerSource } from "./wasm_threads_glue.ts";

const { wasmOutDir } = workerData as { wasmOutDir: string };
const port = parentPort!;

/** The classic-worker `self` the emscripten scripts write their handlers on. */
const workerSelf: Record<string, unknown> & {
  onmessage?: (e: { data: unknown }) => void;
  startWorker?: (m: unknown) => void;
} = { location: { href: `file://${wasmOutDir}` } };
const post = (msg: unknown, transfer?: Transferable[]) =>
  // deno-lint-ignore no-explicit-any
  port.postMessage(msg, transfer as any);
const factory = threadedGlueFactory(wasmOutDir, {
  self: workerSelf,
  postMessage: post,
  importScripts: () => {},
  startWorker: (m: unknown) => workerSelf.startWorker!(m),
});
new Function(
  "process",
  "require",
  "self",
  "postMessage",
  "importScripts",
  "WasmBackendModuleThreadedSimd",
  threadedWorkerSource(wasmOutDir),
)(undefined, undefined, workerSelf, post, () => {}, factory);
port.on("message", (data: unknown) => workerSelf.onmessage!({ data }));
