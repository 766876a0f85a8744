/**
 * Reference script for tests/webgpu_loop_test.ts, run in its own process (the
 * webgpu backend is global to one): TF.js's AddN over more tensors than the
 * device binds at once is an invalid pipeline, which WebGPU skips, reporting
 * it only as an event. Prints one JSON object: the fault before and after,
 * what the skipped sum read back as, and the error a training run then stops with.
 */
import * as tf from "@tensorflow/tfjs";
import { backendFault, setupBackend } from "../../core/backend.ts";
import { ExperimentSchema } from "../../core/config/schema.ts";
import { expandSweep } from "../../core/config/sweep.ts";
import { trainRun } from "../../core/train/loop.ts";

await setupBackend("webgpu");
const before = backendFault();
const limit = (tf.backend() as unknown as { device: GPUDevice }).device.limits
  .maxStorageBuffersPerShaderStage;
const terms = Array.from({ length: limit + 3 }, (_, i) => tf.scalar(i + 1));
const sum = (await tf.addN(terms).data())[0];
await new Promise((r) => setTimeout(r, 50)); // the error event is delivered as a task
const exp = ExperimentSchema.parse({
  name: "after_fault",
  task: { kind: "chebyshev" },
  model: { kind: "mlp", depth: 1, width: 8, activation: "tanh" },
  optimizer: { kind: "gd", lr: 0.1 },
  budget: { steps: 3 },
});
const runDir = await Deno.makeTempDir();
let runError = "";
try {
  await trainRun(expandSweep(exp, "after_fault.json")[0], {
    runDir,
    backend: await setupBackend("webgpu"),
  });
} catch (e) {
  runError = (e as Error).message;
}
await Deno.remove(runDir, { recursive: true });
console.log(JSON.stringify({
  before,
  after: backendFault(),
  sum,
  expected: terms.length * (terms.length + 1) / 2,
  runError,
}));
