/** Which runs count as "the same backend" for gating drift (SPEC §4). */
import { assertEquals, assertNotEquals } from "./assert.ts";
import { backendOf } from "../core/backends/identity.ts";

const run = (backend: Record<string, unknown>) => ({ manifest: { backend } });

Deno.test("backendOf() treats wasm and cpu runs on different CPUs as the same backend", () => {
  assertEquals(
    backendOf(run({ name: "wasm", cpu: "A" })),
    backendOf(run({ name: "wasm", cpu: "B" })),
  );
  assertEquals(backendOf(run({ name: "cpu", cpu: "A" })), "cpu");
});

Deno.test("backendOf() keeps blas runs on different CPUs or libraries apart (drift is reported, not gating)", () => {
  const a = backendOf(run({ name: "blas", cpu: "Xeon A", device: "OpenBLAS 0.3.21; threads=2" }));
  const b = backendOf(run({ name: "blas", cpu: "Xeon B", device: "OpenBLAS 0.3.21; threads=2" }));
  const c = backendOf(run({ name: "blas", cpu: "Xeon A", device: "OpenBLAS 0.3.21; threads=1" }));
  assertNotEquals(a, b);
  assertNotEquals(a, c);
  assertEquals(
    a,
    backendOf(run({ name: "blas", cpu: "Xeon A", device: "OpenBLAS 0.3.21; threads=2" })),
  );
});
