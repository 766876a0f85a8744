/**
 * OpenBLAS through `Deno.dlopen`: finds the shared library, fixes its thread
 * count, and exposes single-precision GEMM on row-major `Float32Array`s.
 *
 * Where it looks, in order: `$PHASEBENCH_BLAS_LIB` (a path), Debian/Ubuntu's
 * `libopenblas0-pthread` and `libopenblas0` locations, Fedora's, Homebrew's,
 * then the bare name `libopenblas.so.0` through the dynamic loader's search
 * path. The thread count is fixed at load (`$PHASEBENCH_BLAS_THREADS`, default
 * {@linkcode DEFAULT_BLAS_THREADS}) so that results are byte-identical run to
 * run on one machine (SPEC §4); OpenBLAS picks its kernels by CPU, so another
 * CPU may give other last bits.
 *
 * @example
 * ```ts
 * import { loadOpenBlas } from "./openblas.ts";
 * import { assertEquals } from "../../tests/assert.ts";
 * const blas = loadOpenBlas();
 * if ("sgemm" in blas) { // OpenBLAS is optional
 *   const c = new Float32Array(1);
 *   blas.sgemm(false, false, 1, 1, 2, new Float32Array([1, 2]), new Float32Array([3, 4]), c);
 *   assertEquals(c[0], 11); // [1, 2]·[3, 4]ᵀ
 * }
 * ```
 * @module
 */

/** Threads OpenBLAS uses unless `$PHASEBENCH_BLAS_THREADS` says otherwise. */
export const DEFAULT_BLAS_THREADS = 2;

/** Absolute paths tried before the bare library name. */
export const OPENBLAS_CANDIDATES: readonly string[] = [
  "/usr/lib/x86_64-linux-gnu/openblas-pthread/libopenblas.so.0",
  "/usr/lib/aarch64-linux-gnu/openblas-pthread/libopenblas.so.0",
  "/usr/lib/x86_64-linux-gnu/libopenblas.so.0",
  "/usr/lib/aarch64-linux-gnu/libopenblas.so.0",
  "/usr/lib64/libopenblasp.so.0",
  "/usr/lib64/libopenblas.so.0",
  "/opt/homebrew/opt/openblas/lib/libopenblas.dylib",
  "/usr/local/opt/openblas/lib/libopenblas.dylib",
];

const SYMBOLS = {
  cblas_sgemm: {
    parameters: [
      "i32", // order
      "i32", // transA
      "i32", // transB
      "i32", // M
      "i32", // N
      "i32", // K
      "f32", // alpha
      "buffer", // A
      "i32", // lda
      "buffer", // B
      "i32", // ldb
      "f32", // beta
      "buffer", // C
      "i32", // ldc
    ],
    result: "void",
  },
  openblas_set_num_threads: { parameters: ["i32"], result: "void" },
  openblas_get_num_threads: { parameters: [], result: "i32" },
  openblas_get_config: { parameters: [], result: "pointer" },
} as const;

const ROW_MAJOR = 101;
const NO_TRANS = 111;
const TRANS = 112;

/** A loaded OpenBLAS. */
export interface OpenBlas {
  /** The file that was loaded (resolved through symlinks where possible). */
  path: string;
  /** Threads OpenBLAS was fixed to. */
  threads: number;
  /** `openblas_get_config()`: version, build options and the CPU kernel set. */
  config: string;
  /**
   * C ← op(A)·op(B) for row-major matrices: op(A) is m×k (A is k×m when
   * `transA`), op(B) is k×n (B is n×k when `transB`), C is m×n and is
   * overwritten. Views (`subarray`) are fine.
   */
  sgemm(
    transA: boolean,
    transB: boolean,
    m: number,
    n: number,
    k: number,
    a: Float32Array,
    b: Float32Array,
    c: Float32Array,
  ): void;
  /** One line for manifests: config, path and threads. */
  describe(): string;
}

/** Why OpenBLAS could not be loaded (one line per path tried). */
export interface OpenBlasMissing {
  /** One line: what was tried. */
  error: string;
}

let loaded: OpenBlas | null = null;

function threadsFromEnv(): number {
  const raw = Deno.env.get("PHASEBENCH_BLAS_THREADS");
  if (raw === undefined || raw === "") return DEFAULT_BLAS_THREADS;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1) {
    throw new Error(`PHASEBENCH_BLAS_THREADS: expected a positive integer, got "${raw}"`);
  }
  return n;
}

function candidates(): string[] {
  const fromEnv = Deno.env.get("PHASEBENCH_BLAS_LIB");
  if (fromEnv) return [fromEnv];
  const names = Deno.build.os === "darwin" ? "libopenblas.dylib" : "libopenblas.so.0";
  return [...OPENBLAS_CANDIDATES, names];
}

/** The file the loader actually mapped for a bare library name (Linux), else the name. */
function mappedPath(name: string): string {
  if (name.startsWith("/")) {
    try {
      return Deno.realPathSync(name);
    } catch {
      return name;
    }
  }
  try {
    const line = Deno.readTextFileSync("/proc/self/maps").split("\n").find((l) =>
      /\/[^ ]*openblas[^ ]*$/.test(l)
    );
    if (line) return line.slice(line.indexOf("/"));
  } catch {
    // not Linux
  }
  return name;
}

/**
 * Loads OpenBLAS once per process (or worker) and fixes its thread count.
 * Returns {@linkcode OpenBlasMissing} — never throws — when no library loads.
 *
 * @example
 * ```ts
 * import { assertOk } from "../../tests/assert.ts";
 * const blas = loadOpenBlas();
 * // the library and thread count it runs with, or why none loaded
 * assertOk(("sgemm" in blas ? blas.describe() : blas.error).length > 0);
 * ```
 */
export function loadOpenBlas(): OpenBlas | OpenBlasMissing {
  if (loaded) return loaded;
  let threads: number;
  try {
    threads = threadsFromEnv();
  } catch (e) {
    return { error: (e as Error).message };
  }
  const failures: string[] = [];
  for (const name of candidates()) {
    if (name.startsWith("/")) {
      try {
        Deno.statSync(name);
      } catch {
        failures.push(`${name}: not found`);
        continue;
      }
    }
    let lib: Deno.DynamicLibrary<typeof SYMBOLS>;
    try {
      lib = Deno.dlopen(name, SYMBOLS);
    } catch (e) {
      failures.push(`${name}: ${String((e as Error).message).split("\n")[0]}`);
      continue;
    }
    const s = lib.symbols;
    s.openblas_set_num_threads(threads);
    const actual = s.openblas_get_num_threads();
    const cfg = s.openblas_get_config();
    const config = cfg ? new Deno.UnsafePointerView(cfg).getCString() : "OpenBLAS";
    const path = mappedPath(name);
    loaded = {
      path,
      threads: actual,
      config,
      sgemm(transA, transB, m, n, k, a, b, c) {
        if (m === 0 || n === 0) return;
        if (k === 0) {
          c.fill(0, 0, m * n);
          return;
        }
        s.cblas_sgemm(
          ROW_MAJOR,
          transA ? TRANS : NO_TRANS,
          transB ? TRANS : NO_TRANS,
          m,
          n,
          k,
          1,
          a,
          transA ? m : k,
          b,
          transB ? k : n,
          0,
          c,
          n,
        );
      },
      describe: () => `${config}; ${path}; threads=${actual}`,
    };
    return loaded;
  }
  return { error: `OpenBLAS not loadable (${failures.join("; ")})` };
}
