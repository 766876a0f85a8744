/**
 * `blas`: the `wasm` backend with MatMul on OpenBLAS (`Deno.dlopen`). Without
 * a loadable OpenBLAS it falls back to `wasm` with a one-line notice. OpenBLAS
 * reads transposed operands natively (measured, 1000×3072·3072×200), so the
 * gradient is TF.js's own; its bits depend on the library and the CPU.
 *
 * @example
 * ```ts
 * import { blas } from "./blas.ts";
 * import { assertEquals } from "../../tests/assert.ts";
 * assertEquals(blas.identity, "machine");
 * ```
 * @module
 */
import type { BackendDescriptor } from "./types.ts";

/** The `blas` backend (registered on first use; see `core/blas/`). */
export const blas: BackendDescriptor<"blas"> = {
  name: "blas",
  summary: "`wasm` with MatMul on OpenBLAS (`Deno.dlopen`); else falls back to `wasm`",
  syncRead: true,
  transposeFreeMatMul: false,
  splitKMatMulGradient: false,
  identity: "machine",
  async prepare() {
    const { loadOpenBlas } = await import("../blas/openblas.ts");
    const lib = loadOpenBlas();
    if ("error" in lib) {
      console.error(
        `backend blas: ${lib.error}; falling back to wasm (Debian: apt-get install libopenblas0-pthread)`,
      );
      return { device: `blas requested; fell back to wasm: ${lib.error}`, runAs: "wasm" };
    }
    const { registerBlasBackend } = await import("../blas/backend.ts");
    const kernels = await registerBlasBackend(lib);
    return { device: `${lib.describe()}; ${kernels}` };
  },
};
