/**
 * Which runs count as "the same backend" when results are compared or
 * merged: the policy that reads each descriptor's byte-identity class
 * (`portable` or `machine`, see `types.ts`). One owner for compare's
 * "byte-identical expected" and merge's "one backend across shards".
 *
 * @module
 */
import { descriptorOf } from "./mod.ts";

function isRecord(x: unknown): x is Record<string, unknown> {
  return typeof x === "object" && x !== null && !Array.isArray(x);
}

/**
 * The backend a run ran on, from its manifest's `backend` (or a string
 * `backend`); "unknown" when absent. For a backend whose descriptor's
 * identity is `portable` (`wasm`, `cpu`) this is the name (byte identity
 * holds on any x86-64 machine); for backends that call native
 * code or a GPU it also names the CPU and device, since their bits are only
 * promised run to run on one machine (SPEC §4), so drift between two machines
 * is reported, not gating.
 *
 * @example
 * ```ts
 * import { assertEquals } from "../../tests/assert.ts";
 * assertEquals(backendOf({ manifest: { backend: { name: "wasm", cpu: "any" } } }), "wasm");
 * assertEquals(
 *   backendOf({ manifest: { backend: { name: "blas", cpu: "Xeon", device: "OpenBLAS 0.3.29" } } }),
 *   "blas (Xeon; OpenBLAS 0.3.29)",
 * );
 * ```
 */
export function backendOf(run: { manifest?: Record<string, unknown> }): string {
  const b = run.manifest?.backend;
  if (typeof b === "string") return b;
  if (isRecord(b) && typeof b.name === "string") {
    // portable backends (wasm, cpu) promise the same bits on any x86-64
    // machine; a native library (blas, tensorflow) or a GPU (webgpu) only run
    // to run on one machine, so for those (and for names we do not know) the
    // CPU and device are part of "the same backend"
    if (descriptorOf(b.name)?.identity === "portable") return b.name;
    const cpu = typeof b.cpu === "string" ? b.cpu : "unknown cpu";
    const device = typeof b.device === "string" && b.device !== "" ? `; ${b.device}` : "";
    return `${b.name} (${cpu}${device})`;
  }
  return "unknown";
}
