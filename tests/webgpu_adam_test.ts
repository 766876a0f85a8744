/**
 * Adam's update is one definition (core/optim/adam_update.ts) with two ways
 * to run it: the op sequence on every backend, and a kernel of three
 * dispatches a tensor on webgpu that computes the same values.
 */
import * as tf from "@tensorflow/tfjs";
import { assertEquals, assertOk } from "./assert.ts";
import { adapter, adapterSuffix, runReferenceScript } from "./webgpu_helpers.ts";
import { setupBackend } from "../core/backend.ts";
import { rngFor } from "../core/rng.ts";
import {
  ADAM_UPDATE,
  adamUpdate,
  adamUpdateAttrs,
  adamUpdateOps,
} from "../core/optim/adam_update.ts";

await setupBackend("cpu");

Deno.test("adamUpdate() runs the op sequence, bit for bit, where no backend kernel is registered", async () => {
  assertEquals(tf.getKernel(ADAM_UPDATE, "cpu"), undefined);
  const rng = rngFor(1, "adam-update-test", "data");
  const t = (n: number) => tf.tensor1d(Float32Array.from(rng.normals(n)));
  const args = [t(9), t(9), t(9), tf.square(t(9))] as const;
  for (const wd of [0, 0.1]) {
    const attrs = adamUpdateAttrs({ beta1: 0.9, beta2: 0.999, eps: 1e-8 }, 7, 0.01, 2, wd);
    const a = adamUpdate(...args, attrs), b = adamUpdateOps(...args, attrs);
    for (let i = 0; i < 3; i++) {
      assertEquals(Array.from(await a[i].data()), Array.from(await b[i].data()));
    }
  }
});

Deno.test("adamUpdateAttrs(): decay is exactly 1 without weight decay, so θ is not multiplied", () => {
  const a = adamUpdateAttrs({ beta1: 0.9, beta2: 0.999, eps: 1e-8 }, 1, 0.5, 1, 0);
  assertEquals(a.decay, 1);
  assertEquals(a.stepSize, 0.5 / (1 - 0.9));
  assertEquals(adamUpdateAttrs({ beta1: 0.9, beta2: 0.999, eps: 1e-8 }, 1, 0.5, 1, 0.2).decay, 0.9);
});

Deno.test({
  name:
    `webgpu: the fused Adam update equals the op sequence in 3 dispatches a tensor, not 14${adapterSuffix}`,
  ignore: adapter === null,
  fn: async () => {
    const [line] = await runReferenceScript("webgpu_adam.ts");
    const r = JSON.parse(line);
    // one update of 5 shapes × 3 (step, lr, multiplier, decay) settings: m', v', θ'
    assertOk(r.updateMaxRelError < 1e-6, `update error ${r.updateMaxRelError}`);
    // the control (β1 and β2 swapped) is far off, so the comparison can fail
    assertOk(r.controlRelError > 1e-2, `control error ${r.controlRelError}`);
    // 30 AdamW steps of a small MLP: the loss fell, and the run is the op sequence's
    assertOk(r.lossDrop < 0.5, `loss ratio ${r.lossDrop}`);
    assertOk(r.thetaMaxRelError < 1e-5, `θ error ${r.thetaMaxRelError}`);
    assertOk(r.lossMaxRelError < 1e-5, `loss error ${r.lossMaxRelError}`);
    assertEquals(r.leaked, 0, "tensors left over by 29 steps");
    assertEquals(r.dispatchesPerStep, { fused: 4 * 3, ops: 4 * 14 });
  },
});
