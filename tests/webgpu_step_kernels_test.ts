/**
 * The training step's two kernels with a webgpu form: Adam's update
 * (core/optim/adam_update.ts) and ‖∇L‖² (core/nn/sum_of_squares.ts). Each is
 * one definition, run as its op sequence on every backend and as a kernel of
 * few dispatches on webgpu that computes the same values.
 */
import * as tf from "@tensorflow/tfjs";
import { assertEquals, assertOk, assertThrowsMsg } from "./assert.ts";
import { adapter, adapterSuffix, runReferenceScript } from "./webgpu_helpers.ts";
import { setupBackend } from "../core/backend.ts";
import { rngFor } from "../core/rng.ts";
import { SUM_OF_SQUARES, sumOfSquares } from "../core/nn/sum_of_squares.ts";
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
    // one update of 5 shapes × 3 (step, lr, multiplier, decay) settings, and of a tensor
    // past 65,535 workgroups: m', v', θ'
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

Deno.test("sumOfSquares() adds the per-tensor Σx² left to right where no backend kernel is registered", async () => {
  assertEquals(tf.getKernel(SUM_OF_SQUARES, "cpu"), undefined);
  const xs = [tf.tensor1d([0.1, 0.2, 0.3]), tf.tensor2d([[1e-3, 7]]), tf.scalar(-2.5)];
  const fold = xs.map((x) => tf.sum(tf.square(x))).reduce((a, b) => tf.add(a, b));
  assertEquals((await sumOfSquares(xs).data())[0], (await fold.data())[0]);
  assertEquals(sumOfSquares(xs).rank, 0);
  assertThrowsMsg(() => sumOfSquares([]), /no tensors/);
});

Deno.test({
  name:
    `webgpu: Σ‖x_i‖² in one dispatch per six tensors, to float32 rounding of float64${adapterSuffix}`,
  ignore: adapter === null,
  fn: async () => {
    const [line] = await runReferenceScript("webgpu_sum_of_squares.ts");
    const r = JSON.parse(line);
    // 1 to 13 tensors of 1 to 65,539 entries against the float64 sum
    assertOk(r.maxRelError < 1e-6, `error ${r.maxRelError}`);
    // a change of 1e-3 of the total is 10⁴ times that error (the comparison can fail)
    assertOk(r.controlRelDiff > 1e3 * Math.max(r.maxRelError, 1e-9), `control ${r.controlRelDiff}`);
    assertEquals(r.sameBits, true, "the same inputs twice");
    assertOk(r.opsRelDiff < 1e-6, `against the op sequence: ${r.opsRelDiff}`);
    assertEquals(r.buffersLeft, 0);
    const expected = Object.fromEntries(
      Array.from({ length: 13 }, (_, i) => [i + 1, Math.ceil((i + 1) / 6)]),
    );
    assertEquals(r.dispatchesFor, expected);
  },
});
