/**
 * The `blas` TF.js backend: the `wasm` backend (the very same instance, so
 * tensors need no copying between the two) with its MatMul kernel
 * (`BatchMatMul`, which `tf.matMul` dispatches to) replaced by OpenBLAS's
 * `cblas_sgemm`, reading and writing the wasm heap in place, its
 * `Identity` sharing the input's buffer instead of copying it
 * ({@linkcode sharedIdentity}), and its `Tanh` on oneDNN's vectorised tanh
 * where oneDNN loads ({@linkcode dnnlTanh}; the wasm tanh is scalar C and
 * took a quarter of the EoS step). Every other kernel is the `wasm` one
 * (XNNPACK + SIMD), registered again under the name `blas`; the `wasm`
 * backend's own kernels are untouched, so `wasm` results stay what they were.
 *
 * Why not on top of the pure-JS `cpu` backend: measured here, the EoS
 * reference step on cpu + OpenBLAS took ~155 ms, of which ~100 ms were cpu's
 * JS element-wise kernels (Tanh, Add, Sub, Multiply, Sum); on wasm those cost
 * a few ms.
 *
 * @example
 * ```ts
 * import * as tf from "@tensorflow/tfjs";
 * import "@tensorflow/tfjs-backend-wasm";
 * import { loadOpenBlas } from "./openblas.ts";
 * import { registerBlasBackend } from "./backend.ts";
 * import { assertEquals } from "../../tests/assert.ts";
 * const blas = loadOpenBlas();
 * if ("sgemm" in blas) { // without OpenBLAS there is nothing to register
 *   await registerBlasBackend(blas);
 *   await tf.setBackend("blas");
 *   assertEquals(Array.from(tf.matMul([[1, 2]], [[3], [4]]).dataSync()), [11]);
 * }
 * ```
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import type { OpenBlas } from "./openblas.ts";
import { type Dnnl, loadDnnl } from "./dnnl.ts";

/** The TF.js backend name registered by {@linkcode registerBlasBackend}. */
export const BLAS_BACKEND = "blas";

interface TensorInfo {
  dataId: object;
  shape: number[];
  dtype: string;
}
/** The parts of tfjs-backend-wasm's BackendWasm used here. */
interface WasmBackendLike {
  makeOutput(shape: number[], dtype: string): TensorInfo;
  typedArrayFromHeap(t: TensorInfo): Float32Array;
}
interface MatMulArgs {
  inputs: { a: TensorInfo; b: TensorInfo };
  attrs: { transposeA: boolean; transposeB: boolean };
  backend: WasmBackendLike;
}

const size = (shape: number[]) => shape.reduce((p, d) => p * d, 1);

/**
 * A `BatchMatMul` kernel function for the wasm backend on OpenBLAS, with
 * TF.js's shape rules (leading axes are batch axes, broadcast as TF.js's
 * kernels do: batch index i reads A's batch i mod batchA and B's i mod batchB).
 *
 * @example
 * ```ts
 * import * as tf from "@tensorflow/tfjs";
 * import { loadOpenBlas } from "./openblas.ts";
 * import { assertEquals } from "../../tests/assert.ts";
 * const blas = loadOpenBlas();
 * if ("sgemm" in blas) {
 *   const heap = new Float32Array([1, 2, 3, 4, 0]); // a = [1, 2], b = [3, 4]ᵀ, c
 *   const info = (offset: number, shape: number[]) => ({ dataId: { offset }, shape, dtype: "float32" });
 *   const backend = {
 *     makeOutput: (shape: number[], dtype: string) => ({ dataId: { offset: 4 }, shape, dtype }),
 *     typedArrayFromHeap: (t: { dataId: { offset: number }; shape: number[] }) =>
 *       heap.subarray(t.dataId.offset, t.dataId.offset + t.shape.reduce((p, d) => p * d, 1)),
 *   };
 *   const args = { inputs: { a: info(0, [1, 2]), b: info(2, [2, 1]) }, backend,
 *     attrs: { transposeA: false, transposeB: false } };
 *   blasBatchMatMul(blas)(args as never);
 *   assertEquals(heap[4], 11);
 * }
 * ```
 */
export function blasBatchMatMul(blas: OpenBlas): tf.KernelFunc {
  return ((args: MatMulArgs) => {
    const { inputs, attrs, backend } = args;
    const { a, b } = inputs;
    if (a.dtype !== "float32" || b.dtype !== "float32") {
      throw new Error(`BatchMatMul (blas) needs float32 tensors, got ${a.dtype} and ${b.dtype}`);
    }
    const { transposeA, transposeB } = attrs;
    const ra = a.shape.length, rb = b.shape.length;
    const k = transposeA ? a.shape[ra - 2] : a.shape[ra - 1];
    const kb = transposeB ? b.shape[rb - 1] : b.shape[rb - 2];
    const m = transposeA ? a.shape[ra - 1] : a.shape[ra - 2];
    const n = transposeB ? b.shape[rb - 2] : b.shape[rb - 1];
    if (k !== kb) {
      throw new Error(
        `Error in matMul: inner shapes (${k}) and (${kb}) of Tensors with shapes ${a.shape} and ` +
          `${b.shape} and transposeA=${transposeA} and transposeB=${transposeB} must match.`,
      );
    }
    const outer = tf.broadcast_util.assertAndGetBroadcastShape(
      a.shape.slice(0, -2),
      b.shape.slice(0, -2),
    );
    const batchA = size(a.shape.slice(0, -2));
    const batchB = size(b.shape.slice(0, -2));
    const batch = Math.max(batchA, batchB);
    // allocate first: allocation may grow (and so detach) the wasm heap
    const out = backend.makeOutput([...outer, m, n], "float32");
    if (batch * m * n === 0) return out;
    const av = backend.typedArrayFromHeap(a);
    const bv = backend.typedArrayFromHeap(b);
    const cv = backend.typedArrayFromHeap(out);
    const sa = m * k, sb = k * n, sc = m * n;
    if (batch === 1) {
      blas.sgemm(transposeA, transposeB, m, n, k, av, bv, cv);
    } else {
      for (let i = 0; i < batch; i++) {
        const ia = (i % batchA) * sa, ib = (i % batchB) * sb;
        blas.sgemm(
          transposeA,
          transposeB,
          m,
          n,
          k,
          av.subarray(ia, ia + sa),
          bv.subarray(ib, ib + sb),
          cv.subarray(i * sc, (i + 1) * sc),
        );
      }
    }
    return out;
  }) as unknown as tf.KernelFunc;
}

/** The parts of BackendWasm that {@linkcode sharedIdentity} uses. */
interface RefCountedBackend {
  incRef(dataId: object): void;
}

/**
 * An `Identity` kernel that shares the input's buffer (reference-counted, as
 * the wasm backend's own `Reshape` does) instead of copying it. TF.js clones
 * every tensor a gradient saves through `Identity`, so on the EoS step this
 * saves 24 copies (among them the 1000×3072 data matrix) per step and ~100
 * per HVP. Safe because no kernel of this backend writes into an input.
 * Strings fall through to the copying kernel.
 *
 * @example
 * ```ts
 * import * as tf from "@tensorflow/tfjs";
 * import { assertEquals } from "../../tests/assert.ts";
 * const copy = (args: { inputs: { x: { dtype: string } } }) => args;
 * const kernel = sharedIdentity(copy as unknown as tf.KernelFunc);
 * let increments = 0;
 * const x = { dataId: {}, shape: [2], dtype: "float32" };
 * const out = kernel({ inputs: { x }, attrs: {}, backend: { incRef: () => increments++ } } as never);
 * assertEquals((out as { dataId: object }).dataId, x.dataId);
 * assertEquals(increments, 1);
 * ```
 */
export function sharedIdentity(copying: tf.KernelFunc): tf.KernelFunc {
  return ((args: { inputs: { x: TensorInfo }; backend: RefCountedBackend }) => {
    const { x } = args.inputs;
    if (x.dtype === "string") return copying(args as never);
    args.backend.incRef(x.dataId);
    return { dataId: x.dataId, shape: x.shape, dtype: x.dtype };
  }) as unknown as tf.KernelFunc;
}

/**
 * A `Tanh` kernel for the wasm heap on oneDNN's vectorised tanh (see
 * `dnnl.ts`); non-float32 inputs fall through to the wasm kernel.
 *
 * @example
 * ```ts
 * import { loadDnnl } from "./dnnl.ts";
 * import { assertClose } from "../../tests/assert.ts";
 * const dnnl = loadDnnl();
 * if ("tanh" in dnnl) {
 *   const heap = new Float32Array([0.5, 0]);
 *   const backend = {
 *     makeOutput: (shape: number[], dtype: string) => ({ dataId: { offset: 1 }, shape, dtype }),
 *     typedArrayFromHeap: (t: { dataId: { offset: number } }) => heap.subarray(t.dataId.offset, t.dataId.offset + 1),
 *   };
 *   const x = { dataId: { offset: 0 }, shape: [1], dtype: "float32" };
 *   dnnlTanh(dnnl, (() => null) as never)({ inputs: { x }, attrs: {}, backend } as never);
 *   assertClose(heap[1], Math.tanh(0.5), 1e-7);
 * }
 * ```
 */
export function dnnlTanh(dnnl: Dnnl, fallback: tf.KernelFunc): tf.KernelFunc {
  return ((args: { inputs: { x: TensorInfo }; backend: WasmBackendLike }) => {
    const { inputs: { x }, backend } = args;
    if (x.dtype !== "float32") return fallback(args as never);
    // allocate first: allocation may grow (and so detach) the wasm heap
    const out = backend.makeOutput(x.shape, "float32");
    dnnl.tanh(backend.typedArrayFromHeap(x), backend.typedArrayFromHeap(out));
    return out;
  }) as unknown as tf.KernelFunc;
}

/** The OpenBLAS the `blas` backend was registered with, or null. */
let registeredWith: OpenBlas | null = null;
/** What {@linkcode registerBlasBackend} returned the first time. */
let kernelsDescription = "";

/**
 * Registers the `blas` TF.js backend (idempotent): the initialised `wasm`
 * backend instance and its kernels under the name `blas`, with `BatchMatMul`
 * on OpenBLAS, `Identity` sharing buffers and `Tanh` on oneDNN where oneDNN
 * 2.x loads (else wasm's). Returns one line for manifests saying which tanh. Initialises `wasm` first if needed (which leaves `wasm` the
 * active backend; call `tf.setBackend("blas")` next).
 *
 * @example
 * ```ts
 * import * as tf from "@tensorflow/tfjs";
 * import "@tensorflow/tfjs-backend-wasm";
 * import { loadOpenBlas } from "./openblas.ts";
 * import { assertEquals } from "../../tests/assert.ts";
 * const blas = loadOpenBlas();
 * if ("sgemm" in blas) {
 *   await registerBlasBackend(blas);
 *   await tf.setBackend("blas");
 *   assertEquals(Array.from(tf.matMul([[1, 2]], [[3], [4]]).dataSync()), [11]);
 * }
 * ```
 */
export async function registerBlasBackend(blas: OpenBlas): Promise<string> {
  if (registeredWith) return kernelsDescription;
  if (!tf.findBackendFactory("wasm")) {
    throw new Error("blas backend: the TF.js wasm backend is not registered");
  }
  let wasm = tf.findBackend("wasm");
  if (!wasm) {
    if (!(await tf.setBackend("wasm"))) {
      throw new Error("blas backend: the TF.js wasm backend did not initialise");
    }
    wasm = tf.findBackend("wasm");
  }
  if (!wasm) throw new Error("blas backend: the TF.js wasm backend did not initialise");
  const dnnl = loadDnnl();
  for (const config of tf.getKernelsForBackend("wasm")) {
    if (config.kernelName === tf.BatchMatMul) continue;
    if (!tf.getKernel(config.kernelName, BLAS_BACKEND)) {
      const kernelFunc = config.kernelName === tf.Identity
        ? sharedIdentity(config.kernelFunc)
        : config.kernelName === tf.Tanh && "tanh" in dnnl
        ? dnnlTanh(dnnl, config.kernelFunc)
        : config.kernelFunc;
      tf.registerKernel({ ...config, kernelFunc, backendName: BLAS_BACKEND });
    }
  }
  if (!tf.getKernel(tf.BatchMatMul, BLAS_BACKEND)) {
    tf.registerKernel({
      kernelName: tf.BatchMatMul,
      backendName: BLAS_BACKEND,
      kernelFunc: blasBatchMatMul(blas),
    });
  }
  // the same instance: tensors move between wasm and blas without copies;
  // priority below wasm/cpu, so it is never picked unless asked for by name
  const instance = wasm;
  if (!tf.findBackendFactory(BLAS_BACKEND)) tf.registerBackend(BLAS_BACKEND, () => instance, -1);
  registeredWith = blas;
  kernelsDescription = "tanh" in dnnl
    ? `Tanh on ${dnnl.describe()}`
    : `Tanh on wasm: ${dnnl.error}`;
  return kernelsDescription;
}
