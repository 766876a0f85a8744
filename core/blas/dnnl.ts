/**
 * oneDNN's element-wise tanh through `Deno.dlopen`, for the `blas` backend's
 * `Tanh` kernel: the `wasm` backend's tanh is scalar C (`std::tanh`, ~25 ns
 * an element here), oneDNN's is JIT-compiled AVX2/AVX-512 code, ~10× faster
 * on the EoS model's 1000×200 activations and no less accurate: worst error
 * against float64 `Math.tanh` on ±12 1.21 float32 ulp, against 1.91 for the
 * wasm tanh (tests/perf_dnnl_test.ts; 88% of the outputs are the same bits). oneDNN is what PyTorch's CPU build links (Debian `libdnnl2`, a
 * dependency of `python3-torch`).
 *
 * Only the oneDNN 2.x C API is supported (Debian 12's `libdnnl2`; oneDNN 3
 * renamed the descriptor functions). Where it is missing, {@linkcode loadDnnl}
 * says why and the `blas` backend keeps the `wasm` tanh. oneDNN runs here on
 * one OpenMP thread (set before every call, so workers get it too): the
 * arrays are small, and idle OpenMP threads spin.
 *
 * @example
 * ```ts
 * import { loadDnnl } from "./dnnl.ts";
 * import { assertClose } from "../../tests/assert.ts";
 * const dnnl = loadDnnl();
 * if ("tanh" in dnnl) {
 *   const y = new Float32Array(1);
 *   dnnl.tanh(new Float32Array([0.5]), y);
 *   assertClose(y[0], Math.tanh(0.5), 1e-7);
 * }
 * ```
 * @module
 */

/** Where oneDNN 2.x is looked for: `$PHASEBENCH_DNNL_LIB`, then these. */
export const DNNL_CANDIDATES: readonly string[] = [
  "/usr/lib/x86_64-linux-gnu/libdnnl.so.2",
  "/usr/lib/aarch64-linux-gnu/libdnnl.so.2",
  "/usr/lib64/libdnnl.so.2",
  "libdnnl.so.2",
];

const GOMP_CANDIDATES = [
  "/usr/lib/x86_64-linux-gnu/libgomp.so.1",
  "/usr/lib/aarch64-linux-gnu/libgomp.so.1",
  "libgomp.so.1",
];

const SYMBOLS = {
  dnnl_version: { parameters: [], result: "pointer" },
  dnnl_engine_create: { parameters: ["buffer", "i32", "usize"], result: "i32" },
  dnnl_stream_create: { parameters: ["buffer", "pointer", "u32"], result: "i32" },
  dnnl_memory_desc_init_by_tag: {
    parameters: ["buffer", "i32", "buffer", "i32", "i32"],
    result: "i32",
  },
  dnnl_eltwise_forward_desc_init: {
    parameters: ["buffer", "i32", "i32", "buffer", "f32", "f32"],
    result: "i32",
  },
  dnnl_primitive_desc_create: {
    parameters: ["buffer", "buffer", "pointer", "pointer", "pointer"],
    result: "i32",
  },
  dnnl_primitive_desc_destroy: { parameters: ["pointer"], result: "i32" },
  dnnl_primitive_create: { parameters: ["buffer", "pointer"], result: "i32" },
  dnnl_primitive_destroy: { parameters: ["pointer"], result: "i32" },
  dnnl_memory_create: { parameters: ["buffer", "buffer", "pointer", "pointer"], result: "i32" },
  dnnl_memory_destroy: { parameters: ["pointer"], result: "i32" },
  dnnl_memory_set_data_handle: { parameters: ["pointer", "buffer"], result: "i32" },
  dnnl_primitive_execute: { parameters: ["pointer", "pointer", "i32", "buffer"], result: "i32" },
  dnnl_stream_wait: { parameters: ["pointer"], result: "i32" },
} as const;

// oneDNN 2.x enum values (dnnl_types.h)
const ENGINE_CPU = 1;
const STREAM_IN_ORDER = 1;
const F32 = 3;
const TAG_A = 2; // plain 1-D
const FORWARD_INFERENCE = 96;
const ELTWISE_TANH = 0x2f;
const ARG_SRC = 1;
const ARG_DST = 17;
/** Bytes reserved for a dnnl_memory_desc_t / dnnl_eltwise_desc_t (~1.3 kB / ~2.7 kB in 2.x). */
const DESC_BYTES = 16384;
/** Tanh primitives kept, one per array length (least recently used dropped). */
const MAX_PRIMITIVES = 32;

/** A loaded oneDNN. */
export interface Dnnl {
  /** The file that was loaded. */
  path: string;
  /** `major.minor.patch` of the loaded library. */
  version: string;
  /** y ← tanh(x) element-wise (same length; views are fine). */
  tanh(x: Float32Array, y: Float32Array): void;
  /** One line for manifests. */
  describe(): string;
}

/** Why oneDNN could not be loaded. */
export interface DnnlMissing {
  /** One line: what was tried. */
  error: string;
}

type Lib = Deno.DynamicLibrary<typeof SYMBOLS>["symbols"];
type Ptr = Deno.PointerValue;

interface TanhPrimitive {
  pd: Ptr;
  prim: Ptr;
  src: Ptr;
  dst: Ptr;
  args: Uint8Array;
}

let loaded: Dnnl | null = null;

function check(status: number, what: string): void {
  if (status !== 0) throw new Error(`oneDNN ${what} failed (dnnl_status_t ${status})`);
}

/** Calls `create(out)` with an out-parameter slot and returns the pointer written there. */
function created(create: (out: BigUint64Array) => number, what: string): Ptr {
  const out = new BigUint64Array(1);
  check(create(out), what);
  return Deno.UnsafePointer.create(out[0]);
}

function makeTanh(s: Lib, engine: Ptr, n: number): TanhPrimitive {
  const md = new Uint8Array(DESC_BYTES);
  check(
    s.dnnl_memory_desc_init_by_tag(md, 1, new BigInt64Array([BigInt(n)]), F32, TAG_A),
    "memory_desc_init_by_tag",
  );
  const desc = new Uint8Array(DESC_BYTES);
  check(
    s.dnnl_eltwise_forward_desc_init(desc, FORWARD_INFERENCE, ELTWISE_TANH, md, 0, 0),
    "eltwise_forward_desc_init",
  );
  const pd = created((o) => s.dnnl_primitive_desc_create(o, desc, null, engine, null), "pd");
  const prim = created((o) => s.dnnl_primitive_create(o, pd), "primitive_create");
  const src = created((o) => s.dnnl_memory_create(o, md, engine, null), "memory_create");
  const dst = created((o) => s.dnnl_memory_create(o, md, engine, null), "memory_create");
  // dnnl_exec_arg_t[2]: { int arg; (4 bytes padding) dnnl_memory_t memory; }
  const args = new BigUint64Array([
    BigInt(ARG_SRC),
    Deno.UnsafePointer.value(src) as bigint,
    BigInt(ARG_DST),
    Deno.UnsafePointer.value(dst) as bigint,
  ]);
  return { pd, prim, src, dst, args: new Uint8Array(args.buffer) };
}

function destroyTanh(s: Lib, p: TanhPrimitive): void {
  s.dnnl_memory_destroy(p.src);
  s.dnnl_memory_destroy(p.dst);
  s.dnnl_primitive_destroy(p.prim);
  s.dnnl_primitive_desc_destroy(p.pd);
}

function openFirst<S extends Deno.ForeignLibraryInterface>(
  names: readonly string[],
  symbols: S,
  failures: string[],
): { lib: Deno.DynamicLibrary<S>; name: string } | null {
  for (const name of names) {
    try {
      return { lib: Deno.dlopen(name, symbols), name };
    } catch (e) {
      failures.push(`${name}: ${String((e as Error).message).split("\n")[0]}`);
    }
  }
  return null;
}

/**
 * Loads oneDNN once per process (or worker). Returns {@linkcode DnnlMissing}
 * — never throws — when no 2.x library loads or it cannot run tanh.
 *
 * @example
 * ```ts
 * import { assertOk } from "../../tests/assert.ts";
 * const dnnl = loadDnnl();
 * assertOk("tanh" in dnnl ? /^oneDNN 2\./.test(dnnl.describe()) : dnnl.error.length > 0);
 * ```
 */
export function loadDnnl(): Dnnl | DnnlMissing {
  if (loaded) return loaded;
  const failures: string[] = [];
  const fromEnv = Deno.env.get("PHASEBENCH_DNNL_LIB");
  const opened = openFirst(fromEnv ? [fromEnv] : DNNL_CANDIDATES, SYMBOLS, failures);
  if (!opened) return { error: `oneDNN 2.x not loadable (${failures.join("; ")})` };
  const s = opened.lib.symbols;
  const gomp = openFirst(
    GOMP_CANDIDATES,
    {
      omp_set_num_threads: { parameters: ["i32"], result: "void" },
    } as const,
    [],
  );
  const oneThread = gomp ? () => gomp.lib.symbols.omp_set_num_threads(1) : () => {};
  // dnnl_version_t: { int major, minor, patch; const char* hash; ... }
  const v = s.dnnl_version();
  const view = v ? new Deno.UnsafePointerView(v) : null;
  const version = view ? `${view.getInt32(0)}.${view.getInt32(4)}.${view.getInt32(8)}` : "unknown";
  if (!version.startsWith("2.")) {
    opened.lib.close();
    return { error: `oneDNN ${version} at ${opened.name}: only the 2.x C API is supported` };
  }
  let engine: Ptr, stream: Ptr;
  try {
    engine = created((o) => s.dnnl_engine_create(o, ENGINE_CPU, 0n), "engine_create");
    stream = created((o) => s.dnnl_stream_create(o, engine, STREAM_IN_ORDER), "stream_create");
  } catch (e) {
    opened.lib.close();
    return { error: (e as Error).message };
  }
  const primitives = new Map<number, TanhPrimitive>();
  const primitiveFor = (n: number): TanhPrimitive => {
    let p = primitives.get(n);
    if (p) {
      primitives.delete(n); // re-insert: most recently used last
    } else {
      p = makeTanh(s, engine, n);
      if (primitives.size >= MAX_PRIMITIVES) {
        const [oldest, q] = primitives.entries().next().value!;
        primitives.delete(oldest);
        destroyTanh(s, q);
      }
    }
    primitives.set(n, p);
    return p;
  };
  loaded = {
    path: opened.name,
    version,
    tanh(x, y) {
      const n = x.length;
      if (y.length !== n) throw new Error(`tanh: x has ${n} elements, y ${y.length}`);
      if (n === 0) return;
      const p = primitiveFor(n);
      oneThread();
      check(s.dnnl_memory_set_data_handle(p.src, x), "memory_set_data_handle");
      check(s.dnnl_memory_set_data_handle(p.dst, y), "memory_set_data_handle");
      check(s.dnnl_primitive_execute(p.prim, stream, 2, p.args), "primitive_execute");
      check(s.dnnl_stream_wait(stream), "stream_wait");
    },
    describe: () => `oneDNN ${version} (${opened.name}), tanh on 1 thread`,
  };
  return loaded;
}
