/**
 * No tensor leaks in the hot loops: TF.js's live tensor count and bytes stay
 * constant across 100 training steps of each model family (driven the way
 * core/train/loop.ts drives them: valueAndGrads in a tidy, optimizer.step,
 * disposals) and across repeated Hessian-vector products. Negative control:
 * the same measurement sees a step that forgets to dispose its gradients.
 */
import * as tf from "@tensorflow/tfjs";
import { setupBackend } from "../core/backend.ts";
import { type ModelInput, ModelSchema } from "../core/config/model_schema.ts";
import { OptimizerSchema } from "../core/config/optim_schema.ts";
import type { OptimizerInput } from "../core/config/optim_schema.ts";
import { buildModel, lrMultipliersFor, type ModelIo } from "../core/nn/mod.ts";
import { lossFn } from "../core/nn/losses.ts";
import { makeOptimizer } from "../core/optim/mod.ts";
import { makeHvp } from "../core/spectral/hvp.ts";
import { rngFor } from "../core/rng.ts";
import { assertEquals, assertOk } from "./assert.ts";

await setupBackend("wasm");

interface Case {
  name: string;
  model: ModelInput;
  io: ModelIo;
  optimizer: OptimizerInput;
  loss: "mse" | "xent";
  x: () => tf.Tensor;
  y: () => tf.Tensor;
}

const rng = rngFor(0, "perf-memory", "data");
const floats = (shape: number[]) =>
  tf.tensor(Float32Array.from(rng.normals(shape.reduce((a, b) => a * b, 1))), shape);
const oneHot = (n: number, k: number) =>
  tf.tidy(() =>
    tf.oneHot(tf.tensor1d(Int32Array.from({ length: n }, () => rng.int(k)), "int32"), k)
  )
    .toFloat();

const cases: Case[] = [
  {
    name: "mlp (tanh, GD)",
    model: { kind: "mlp", depth: 2, width: 16, activation: "tanh" },
    io: { inputDim: 5, outputDim: 3 },
    optimizer: { kind: "gd", lr: 0.05 },
    loss: "mse",
    x: () => floats([12, 5]),
    y: () => floats([12, 3]),
  },
  {
    name: "resmlp (Adam)",
    model: { kind: "resmlp", width: 8, blocks: 2 },
    io: { inputDim: 4, outputDim: 2 },
    optimizer: { kind: "adam", lr: 1e-3 },
    loss: "mse",
    x: () => floats([10, 4]),
    y: () => floats([10, 2]),
  },
  {
    name: "transformer (AdamW, xent)",
    model: { kind: "transformer", layers: 1, dModel: 8, heads: 2, dMlp: 12 },
    io: { inputDim: 3, outputDim: 5, vocab: 5, seqLen: 3 },
    optimizer: { kind: "adamw", lr: 1e-3, weightDecay: 0.1 },
    loss: "xent",
    x: () => tf.tensor2d(Int32Array.from({ length: 8 * 3 }, () => rng.int(5)), [8, 3], "int32"),
    y: () => oneHot(8, 5),
  },
];

/** Live tensors and bytes after each of `n` calls of `fn` (after the first, which may allocate state). */
async function footprints(
  n: number,
  fn: () => Promise<void> | void,
): Promise<{ tensors: number[]; bytes: number[] }> {
  await fn();
  const tensors: number[] = [], bytes: number[] = [];
  for (let i = 0; i < n; i++) {
    await fn();
    const m = tf.memory();
    tensors.push(m.numTensors);
    bytes.push(m.numBytes);
  }
  return { tensors, bytes };
}

function constant(xs: number[]): boolean {
  return xs.every((v) => v === xs[0]);
}

/** A model with variables, an optimizer and data, stepped like core/train/loop.ts does. */
function trainer(c: Case, leak = false) {
  const model = buildModel(ModelSchema.parse(c.model), c.io);
  const params = model.init(rngFor(0, "perf-memory", "init")).map((v, i) =>
    tf.variable(tf.tensor(v, model.paramShapes[i], "float32"), true)
  );
  const opt = OptimizerSchema.parse(c.optimizer);
  const optimizer = makeOptimizer(opt, lrMultipliersFor(model, opt.kind), model.paramShapes);
  const loss = lossFn(c.loss);
  const x = c.x(), y = c.y();
  const leaked: tf.Tensor[] = [];
  const step = async () => {
    const { value, grads } = tf.tidy(() =>
      tf.valueAndGrads((...ps: tf.Tensor[]) => loss(model.apply(ps, x), y))(params)
    );
    const batchLoss = (await value.data())[0];
    if (!Number.isFinite(batchLoss)) throw new Error(`${c.name}: loss ${batchLoss}`);
    // the loop's grad-norm read on measured steps
    const sq = tf.tidy(() => tf.addN(grads.map((g) => tf.sum(tf.square(g)))));
    await sq.data();
    sq.dispose();
    optimizer.step(params, grads, opt.lr);
    value.dispose();
    if (leak) leaked.push(...grads);
    else tf.dispose(grads);
  };
  const dispose = () => {
    tf.dispose([...params, x, y, ...leaked]);
    optimizer.dispose();
  };
  return { model, params, loss, x, y, leaked, step, dispose };
}

for (const c of cases) {
  Deno.test(`100 training steps of the ${c.name} keep TF.js's tensor count and bytes constant`, async () => {
    const t = trainer(c);
    try {
      const { tensors, bytes } = await footprints(100, t.step);
      assertOk(constant(tensors), `${c.name}: tensors ${tensors[0]} → ${tensors.at(-1)}`);
      assertOk(constant(bytes), `${c.name}: bytes ${bytes[0]} → ${bytes.at(-1)}`);
    } finally {
      t.dispose();
    }
  });
}

Deno.test("the footprint measurement sees a step that forgets to dispose its gradients (negative control)", async () => {
  const t = trainer(cases[0], true);
  try {
    const { tensors, bytes } = await footprints(10, t.step);
    assertOk(!constant(tensors) && !constant(bytes), "a leaking step went unnoticed");
    // one gradient tensor per parameter leaks per step
    assertEquals(tensors[1] - tensors[0], t.params.length);
    assertEquals(t.leaked.length, 11 * t.params.length);
  } finally {
    t.dispose();
  }
});

Deno.test("repeated exact and finite-difference HVPs keep TF.js's tensor count and bytes constant", async () => {
  for (const c of cases) {
    const t = trainer(c);
    try {
      for (const method of ["exact", "fd"] as const) {
        const op = makeHvp({
          model: t.model,
          params: t.params,
          loss: t.loss,
          x: t.x,
          y: t.y,
          method,
        });
        const v = rngFor(0, "perf-memory", "probe").normals(op.dim);
        const { tensors, bytes } = await footprints(20, async () => {
          await op.hvp(v);
        });
        assertOk(
          constant(tensors),
          `${c.name} ${method}: tensors ${tensors[0]} → ${tensors.at(-1)}`,
        );
        assertOk(constant(bytes), `${c.name} ${method}: bytes ${bytes[0]} → ${bytes.at(-1)}`);
        assertEquals(op.count, 21);
      }
    } finally {
      t.dispose();
    }
  }
});
