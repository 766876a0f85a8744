/**
 * One descriptor per backend: the names, the sync-read capability, the
 * transpose-free MatMul set and the byte-identity class all come from it.
 */
import { assertEquals, assertOk } from "./assert.ts";
import { BACKEND_DESCRIPTORS, BACKENDS, descriptorOf } from "../core/backends/mod.ts";
import { BACKENDS as BACKENDS_OF_SETUP } from "../core/backend.ts";
import { TRANSPOSE_FREE_MATMUL_BACKENDS } from "../core/nn/fast_matmul.ts";
import { backendOf } from "../core/backends/identity.ts";

Deno.test("backend descriptors: unique names, listed in the help order, one source for setup", () => {
  assertEquals(BACKENDS, ["wasm", "cpu", "blas", "webgpu", "tensorflow"]);
  assertEquals(BACKENDS_OF_SETUP, BACKENDS);
  assertEquals(new Set(BACKENDS).size, BACKENDS.length);
  for (const d of BACKEND_DESCRIPTORS) {
    assertOk(d.summary.length > 0, `${d.name}: a summary`);
    assertEquals(descriptorOf(d.name), d);
  }
  assertEquals(descriptorOf("nope"), undefined);
});

Deno.test("capabilities come from the descriptors: sync reads, transpose-free MatMul, identity", () => {
  assertEquals(BACKEND_DESCRIPTORS.filter((d) => !d.syncRead).map((d) => d.name), ["webgpu"]);
  assertEquals([...TRANSPOSE_FREE_MATMUL_BACKENDS], ["wasm"]);
  const run = (name: string) => ({ manifest: { backend: { name, cpu: "Xeon", device: "dev" } } });
  for (const d of BACKEND_DESCRIPTORS) {
    assertEquals(
      backendOf(run(d.name)),
      d.identity === "portable" ? d.name : `${d.name} (Xeon; dev)`,
      d.name,
    );
  }
  assertEquals(
    BACKEND_DESCRIPTORS.filter((d) => d.identity === "portable").map((d) => d.name),
    ["wasm", "cpu"],
  );
  assertEquals(backendOf(run("future")), "future (Xeon; dev)", "an unknown name is machine-bound");
});
