/**
 * Exact tests of core/spectral/hvp.ts written against the mutants StrykerJS
 * found alive (`deno task mutation`): flattenAsync(), unflatten() from plain
 * arrays, input validation, the guard for second-order-safe gradients, the
 * finite-difference step ε = c·(1 + ‖θ‖)/‖v‖, and tensor ownership.
 */
import * as tf from "@tensorflow/tfjs";
import {
  assertClose,
  assertEquals,
  assertOk,
  assertRejectsMsg,
  assertThrowsMsg,
} from "./assert.ts";
import { rngFor } from "../core/rng.ts";
import { lossFn } from "../core/nn/losses.ts";
import {
  installSecondOrderSafeGradients,
  secondOrderSafeGradientsInstalled,
} from "../core/nn/safe_ops.ts";
import { flatGradient, flatten, flattenAsync, makeHvp, unflatten } from "../core/spectral/hvp.ts";
import { linearProblem } from "./reference/linear_problem.ts";
import { tinyProblem, toTensors } from "./reference/tf_mlp.ts";
import { useCpuBackend } from "./reference/tf_setup.ts";

await useCpuBackend();

Deno.test("hvp: flattenAsync() lays the tensors end to end in order, like flatten()", async () => {
  const tensors = [tf.tensor2d([[1, 2], [3, 4]]), tf.scalar(5), tf.tensor1d([6, 7, 8])];
  const flat = await flattenAsync(tensors);
  assertEquals(flat, new Float64Array([1, 2, 3, 4, 5, 6, 7, 8]));
  assertEquals(flatten(tensors), flat);
  assertEquals(await flattenAsync([]), new Float64Array(0));
  tf.dispose(tensors);
});

Deno.test("hvp: unflatten() of a plain array (not a typed array) rounds each piece to float32 at its offset", async () => {
  const third = Math.fround(1 / 3);
  const [a, b] = unflatten([1 / 3, 2, 3, -4, 5.5], [[2], [3]]);
  assertEquals(Array.from(await a.data()), [third, 2]);
  assertEquals(Array.from(await b.data()), [3, -4, 5.5]);
  const [c] = unflatten(new Float64Array([1 / 3]), [[]]);
  assertEquals(Array.from(await c.data()), [third]);
  tf.dispose([a, b, c]);
});

Deno.test("hvp: makeHvp() and flatGradient() reject x and y of different lengths, no examples, and an unknown method", async () => {
  const p = linearProblem([[1, 0], [0, 2], [1, 1]]);
  const y2 = tf.ones([2, 1]);
  const x0 = tf.zeros([0, 2]);
  const y0 = tf.zeros([0, 1]);
  assertThrowsMsg(() => makeHvp({ ...p, y: y2 }), /x has 3 examples but y has 2/);
  await assertRejectsMsg(() => flatGradient({ ...p, y: y2 }), /x has 3 examples but y has 2/);
  assertThrowsMsg(() => makeHvp({ ...p, x: x0, y: y0 }), /no examples to evaluate the loss on/);
  await assertRejectsMsg(() => flatGradient({ ...p, x: x0, y: y0 }), /no examples/);
  assertThrowsMsg(
    () => makeHvp({ ...p, method: "newton" as unknown as "fd" }),
    /unknown HVP method "newton"/,
  );
  // one example is enough
  assertEquals(makeHvp({ ...p, x: tf.slice(p.x, 0, 1), y: tf.slice(p.y, 0, 1) }).n, 1);
  tf.dispose([y2, x0, y0]);
  p.dispose();
});

Deno.test("hvp: exact HVPs refuse to run without the second-order-safe gradients; finite differences do not need them", async () => {
  const p = linearProblem([[1, 0], [0, 2]]); // installs them
  const exp = tf.getGradient(tf.Exp)!;
  // TF.js's own kind of registration: the same gradient, not marked safe
  tf.registerGradient({
    kernelName: exp.kernelName,
    inputsToSave: exp.inputsToSave,
    outputsToSave: exp.outputsToSave,
    gradFunc: exp.gradFunc,
  });
  try {
    assertEquals(secondOrderSafeGradientsInstalled(), false);
    assertThrowsMsg(() => makeHvp({ ...p }), /exact HVPs need installSecondOrderSafeGradients\(\)/);
    assertThrowsMsg(() => makeHvp({ ...p, method: "exact" }), /exact HVPs need/);
    const fd = await makeHvp({ ...p, method: "fd" }).hvp(new Float64Array([0, 1]));
    assertClose(fd[1], 2, 1e-3); // H = diag(0.5, 2)
  } finally {
    installSecondOrderSafeGradients();
  }
  assertEquals(secondOrderSafeGradientsInstalled(), true);
  p.dispose();
});

Deno.test("hvp: finite-difference HVP: the central difference of the gradient with ε = c·(1 + ‖θ‖)/‖v‖, at every call; zero for v = 0", async () => {
  // a tanh network: third derivatives make the result depend on ε
  const p = tinyProblem([3, 4, 2], "tanh", "mse", 10, 0);
  const { params, x, y } = toTensors(p);
  const setup = { model: p.model, params, loss: lossFn("mse"), x, y };
  const fdScale = 0.2;
  const op = makeHvp({ ...setup, method: "fd", fdScale });
  const thetaNorm = Math.hypot(...flatten(params));
  assertOk(Math.abs(thetaNorm - 1) > 0.5, `‖θ‖ = ${thetaNorm}`);

  const centralDifference = async (v: Float64Array) => {
    const eps = fdScale * (1 + thetaNorm) / Math.hypot(...v);
    const at = async (sign: number) => {
      const moved = unflatten(
        flatten(params).map((t, i) => t + sign * eps * v[i]),
        p.model.paramShapes,
      );
      const g = (await flatGradient({ ...setup, params: moved })).gradient;
      tf.dispose(moved);
      return g;
    };
    const [plus, minus] = [await at(1), await at(-1)];
    return plus.map((g, i) => (g - minus[i]) / (2 * eps));
  };
  const exact = makeHvp(setup);
  for (const seed of [1, 2]) {
    const v = Float64Array.from(rngFor(seed, "mutation_hvp", "v").normals(p.ref.dim, 3));
    const fd = await op.hvp(v);
    const expected = await centralDifference(v);
    for (let i = 0; i < fd.length; i++) {
      assertClose(fd[i], expected[i], 1e-3, `seed ${seed}, component ${i}`);
    }
    // and that is not the exact product: ε is large on purpose
    const hv = await exact.hvp(v);
    const diff = Math.hypot(...fd.map((f, i) => f - hv[i])) / Math.hypot(...hv);
    assertOk(diff > 1e-2, `fd vs exact ${diff}`);
  }
  assertEquals(Array.from(await op.hvp(new Float64Array(p.ref.dim))), new Array(p.ref.dim).fill(0));
  assertEquals(op.count, 3);
  tf.dispose([...params, x, y]);
});

Deno.test("hvp: makeHvp() leaves no tensors behind, chunked or not, exact or by differences", async () => {
  const p = tinyProblem([3, 4, 2], "tanh", "xent", 10, 0);
  const { params, x, y } = toTensors(p);
  const v = Float64Array.from(rngFor(3, "mutation_hvp", "v").normals(p.ref.dim));
  for (const method of ["exact", "fd"] as const) {
    for (const chunkSize of [1000, 4]) {
      const op = makeHvp({ model: p.model, params, loss: lossFn("xent"), x, y, chunkSize, method });
      await op.hvp(v); // first call: kernels and gradients set up
      const before = tf.memory().numTensors;
      await op.hvp(v);
      assertEquals(tf.memory().numTensors, before, `${method}, chunk ${chunkSize}`);
    }
  }
  tf.dispose([...params, x, y]);
});
