/**
 * Models: shapes, parameter counts, forward passes against hand
 * computations, init distributions, μP bookkeeping, the transformer's causal
 * mask and its second-order safety.
 */
import * as tf from "@tensorflow/tfjs";
import { setupBackend } from "../core/backend.ts";
import { type MlpConfig, type ModelInput, ModelSchema } from "../core/config/model_schema.ts";
import {
  buildModel,
  lrMultipliersFor,
  mlpSpecs,
  type ModelIo,
  parametrize,
  type ParametrizedModel,
  safeSoftmax,
  type TransformerModel,
} from "../core/nn/mod.ts";
import { rngFor } from "../core/rng.ts";
import { assertClose, assertEquals, assertNotEquals, assertOk, assertThrowsMsg } from "./assert.ts";

await setupBackend("cpu");

function build(input: ModelInput, io: ModelIo): ParametrizedModel {
  return buildModel(ModelSchema.parse(input), io);
}

function initTensors(
  model: ParametrizedModel,
  seed = 0,
  runId = "test",
): tf.Tensor[] {
  return model.init(rngFor(seed, runId, "init")).map((v, i) => tf.tensor(v, model.paramShapes[i]));
}

function randomInput(rows: number, cols: number, seed = 1): tf.Tensor2D {
  const rng = rngFor(seed, "test", "data");
  return tf.tensor2d(Float32Array.from(rng.normals(rows * cols)), [rows, cols]);
}

function std(a: ArrayLike<number>): number {
  let s = 0;
  let s2 = 0;
  for (let i = 0; i < a.length; i++) {
    s += a[i];
    s2 += a[i] * a[i];
  }
  const m = s / a.length;
  return Math.sqrt(s2 / a.length - m * m);
}

Deno.test("mlp: output shape, parameter names and count = Σ (fan_in + 1)·fan_out", () => {
  const m = build({ kind: "mlp", depth: 2, width: 7, activation: "relu" }, {
    inputDim: 3,
    outputDim: 4,
  });
  assertEquals(m.paramNames, [
    "layer0.weight",
    "layer0.bias",
    "layer1.weight",
    "layer1.bias",
    "layer2.weight",
    "layer2.bias",
  ]);
  assertEquals(m.paramShapes, [[3, 7], [7], [7, 7], [7], [7, 4], [4]]);
  assertEquals(m.nParams, (3 + 1) * 7 + (7 + 1) * 7 + (7 + 1) * 4);
  const params = initTensors(m);
  const y = m.apply(params, randomInput(5, 3));
  assertEquals(y.shape, [5, 4]);
  tf.dispose([y, ...params]);
});

Deno.test("mlp with quadratic activation and no bias computes f = W2 (W1 x)²", () => {
  const m = build({
    kind: "mlp",
    depth: 1,
    width: 5,
    activation: "quadratic",
    bias: false,
  }, {
    inputDim: 3,
    outputDim: 2,
  });
  assertEquals(m.nParams, 3 * 5 + 5 * 2);
  const values = m.init(rngFor(0, "quad", "init"));
  const [w1, w2] = values;
  const x = randomInput(4, 3);
  const xs = x.dataSync();
  const y = m.apply(values.map((v, i) => tf.tensor(v, m.paramShapes[i])), x)
    .dataSync();
  for (let n = 0; n < 4; n++) {
    for (let o = 0; o < 2; o++) {
      let f = 0;
      for (let j = 0; j < 5; j++) {
        let h = 0;
        for (let i = 0; i < 3; i++) h += xs[n * 3 + i] * w1[i * 5 + j];
        f += h * h * w2[j * 2 + o];
      }
      assertClose(y[n * 2 + o], f, 1e-5, `f[${n}][${o}]`);
    }
  }
});

Deno.test("mlp with tanh and biases (PyTorch init) computes W2 tanh(W1 x + b1) + b2", () => {
  const m = build({
    kind: "mlp",
    depth: 1,
    width: 6,
    activation: "tanh",
    init: { scheme: "torch" },
  }, {
    inputDim: 2,
    outputDim: 1,
  });
  const [w1, b1, w2, b2] = m.init(rngFor(0, "tanh", "init"));
  assertOk(b1.some((b) => b !== 0), "torch init: biases are not zero");
  for (const b of b1) {
    assertOk(Math.abs(b) <= 1 / Math.sqrt(2), `bias ${b} within ±1/√fan_in`);
  }
  const x = randomInput(3, 2);
  const xs = x.dataSync();
  const y = m.apply(
    [w1, b1, w2, b2].map((v, i) => tf.tensor(v, m.paramShapes[i])),
    x,
  ).dataSync();
  for (let n = 0; n < 3; n++) {
    let f = b2[0];
    for (let j = 0; j < 6; j++) {
      f += Math.tanh(xs[n * 2] * w1[j] + xs[n * 2 + 1] * w1[6 + j] + b1[j]) *
        w2[j];
    }
    assertClose(y[n], f, 1e-5, `f[${n}]`);
  }
});

Deno.test("init: Xavier-uniform std √(2/(fan_in+fan_out)) with bound √3·std; firstLayerGain scales layer 0 only", () => {
  const m = build({
    kind: "mlp",
    depth: 2,
    width: 600,
    activation: "tanh",
    init: { scheme: "xavier", firstLayerGain: 1.9 },
  }, { inputDim: 400, outputDim: 1 });
  const [w0, b0, w1] = m.init(rngFor(3, "xavier", "init"));
  const s0 = 1.9 * Math.sqrt(2 / 1000);
  const s1 = Math.sqrt(2 / 1200);
  assertClose(std(w0), s0, 0.02, "layer0 std");
  assertClose(std(w1), s1, 0.02, "layer1 std");
  assertOk(w0.every((w) => Math.abs(w) <= Math.sqrt(3) * s0), "uniform bound");
  assertOk(b0.every((b) => b === 0), "biases start at zero");
  // uniform: P(|w| < std) = 1/√3 ≈ 0.577 (normal would give 0.683)
  const inside = w1.filter((w) => Math.abs(w) < s1).length / w1.length;
  assertClose(inside, 1 / Math.sqrt(3), 0.02, "uniform shape");
});

Deno.test("init: He-normal std √(2/fan_in), normal shape; draws are reproducible per stream", () => {
  const cfg: ModelInput = {
    kind: "mlp",
    depth: 1,
    width: 500,
    activation: "relu",
    init: { scheme: "he", distribution: "normal" },
  };
  const m = build(cfg, { inputDim: 300, outputDim: 2 });
  const [w0] = m.init(rngFor(1, "he", "init"));
  const s = Math.sqrt(2 / 300);
  assertClose(std(w0), s, 0.02, "He std");
  const inside = w0.filter((w) => Math.abs(w) < s).length / w0.length;
  assertClose(inside, 0.6827, 0.02, "normal shape");
  assertEquals(
    m.init(rngFor(1, "he", "init"))[0],
    w0,
    "same stream, same values",
  );
  assertNotEquals(
    m.init(rngFor(2, "he", "init"))[0],
    w0,
    "another seed, other values",
  );
});

Deno.test("resmlp: zero-initialised readout gives zero output; count = inputDim·D + blocks·2·D·H + D·outputDim", () => {
  const m = build({ kind: "resmlp", width: 16, blocks: 3 }, {
    inputDim: 8,
    outputDim: 2,
  });
  assertEquals(m.nParams, 8 * 16 + 3 * 2 * 16 * 16 + 16 * 2);
  assertEquals(m.paramNames[0], "embed.weight");
  assertEquals(m.paramNames.at(-1), "readout.weight");
  const params = initTensors(m);
  const y = m.apply(params, randomInput(5, 8));
  assertEquals(y.shape, [5, 2]);
  assertOk(y.dataSync().every((v) => v === 0), "f ≡ 0 at init");
  // negative control: a non-zero readout gives a non-zero output
  const withReadout = [...params.slice(0, -1), tf.onesLike(params.at(-1)!)];
  assertOk(
    m.apply(withReadout, randomInput(5, 8)).dataSync().some((v) => v !== 0),
  );
  const wide = build({ kind: "resmlp", width: 16, blocks: 1, hiddenMult: 4 }, {
    inputDim: 8,
    outputDim: 1,
  });
  assertEquals(wide.paramShapes[1], [16, 64]);
});

const tinyTransformer: ModelInput = {
  kind: "transformer",
  layers: 2,
  dModel: 8,
  heads: 2,
  dMlp: 12,
  norm: "layer",
  activation: "gelu",
};
const tinyIo: ModelIo = { inputDim: 0, outputDim: 4, vocab: 5, seqLen: 3 };

function tokens(rows: number[][]): tf.Tensor2D {
  return tf.tensor2d(rows, [rows.length, rows[0].length], "int32");
}

Deno.test("transformer: parameter count = V·d + S·d + L(4d² + 2·d·d_mlp + d_mlp + d) + d·V_out", () => {
  const m = build(tinyTransformer, tinyIo);
  const [V, S, d, L, dMlp, Vout] = [5, 3, 8, 2, 12, 4];
  assertEquals(
    m.nParams,
    V * d + S * d + L * (4 * d * d + 2 * d * dMlp + dMlp + d) + d * Vout,
  );
  const nanda = build({
    kind: "transformer",
    layers: 1,
    dModel: 128,
    heads: 4,
    dMlp: 512,
  }, {
    inputDim: 0,
    outputDim: 113,
    vocab: 114,
    seqLen: 3,
  });
  assertEquals(
    nanda.nParams,
    114 * 128 + 3 * 128 + 4 * 128 * 128 + 2 * 128 * 512 + 512 + 128 + 128 * 113,
  );
});

Deno.test("transformer: logits of the last position [n, V_out], equal to applyAll's last position", () => {
  const m = build(tinyTransformer, tinyIo) as TransformerModel;
  const params = initTensors(m);
  const x = tokens([[0, 1, 2], [4, 3, 2], [1, 1, 0]]);
  const y = m.apply(params, x);
  const all = m.applyAll(params, x);
  assertEquals(y.shape, [3, 4]);
  assertEquals(all.shape, [3, 3, 4]);
  const last = tf.slice(all, [0, 2, 0], [3, 1, 4]).dataSync();
  y.dataSync().forEach((v, i) => assertClose(v, last[i], 1e-5, `logit ${i}`));
  // float token ids are accepted too
  const yf = m.apply(params, tf.cast(x, "float32")).dataSync();
  assertEquals(Array.from(yf), Array.from(y.dataSync()));
  assertThrowsMsg(
    () => m.apply(params, tokens([[0, 1]])),
    /expected tokens \[n, 3\]/,
  );
});

Deno.test("transformer: forward/backward gives finite, non-zero gradients for every tensor", () => {
  const m = build(tinyTransformer, tinyIo);
  const params = initTensors(m);
  const x = tokens([[0, 1, 2], [4, 3, 2]]);
  const grads = tf.grads((...ps: tf.Tensor[]) => tf.mean(tf.square(m.apply(ps, x))) as tf.Scalar)(
    params,
  );
  grads.forEach((g, i) => {
    const v = g.dataSync();
    assertOk(v.every(Number.isFinite), `${m.paramNames[i]}: finite`);
    assertOk(v.some((a) => a !== 0), `${m.paramNames[i]}: non-zero`);
  });
});

Deno.test("transformer causal mask: changing a later token leaves earlier positions' logits unchanged", () => {
  for (const causal of [true, false]) {
    const m = build(
      { ...tinyTransformer, causal } as ModelInput,
      tinyIo,
    ) as TransformerModel;
    const params = initTensors(m);
    const a = m.applyAll(params, tokens([[0, 1, 2]]))
      .arraySync() as number[][][];
    const b = m.applyAll(params, tokens([[0, 1, 4]]))
      .arraySync() as number[][][];
    const changed = (pos: number) => a[0][pos].some((v, k) => v !== b[0][pos][k]);
    assertOk(changed(2), "the perturbed position itself changes");
    if (causal) {
      assertOk(
        !changed(0) && !changed(1),
        "causal: positions 0 and 1 are unchanged (bit-exact)",
      );
    } else {
      assertOk(
        changed(0) && changed(1),
        "negative control, causal: false: earlier positions see the future",
      );
    }
  }
});

/** ‖Hv − FD‖/‖Hv‖ for a random v, Hv by double backprop, FD = (g(θ+εv) − g(θ−εv))/2ε. */
function hvpVersusFiniteDifferences(
  m: ParametrizedModel,
  params: tf.Tensor[],
  x: tf.Tensor,
  eps: number,
): number {
  const loss = (...ps: tf.Tensor[]) =>
    tf.mul(0.5, tf.mean(tf.sum(tf.square(m.apply(ps, x)), 1))) as tf.Scalar;
  const rng = rngFor(0, "hvp", "probe");
  const v = params.map((p) => tf.tensor(Float32Array.from(rng.normals(p.size)), p.shape));
  const hvp = tf.grads((...ps: tf.Tensor[]) => {
    const g = tf.grads(loss)(ps);
    return tf.addN(g.map((gi, i) => tf.sum(tf.mul(gi, v[i])))) as tf.Scalar;
  })(params);
  const shifted = (sign: number) =>
    tf.grads(loss)(params.map((p, i) => tf.add(p, tf.mul(v[i], sign * eps))));
  const gp = shifted(1);
  const gm = shifted(-1);
  let num = 0;
  let den = 0;
  hvp.forEach((h, i) => {
    const a = h.dataSync();
    const p = gp[i].dataSync();
    const q = gm[i].dataSync();
    for (let k = 0; k < a.length; k++) {
      const fd = (p[k] - q[k]) / (2 * eps);
      num += (a[k] - fd) ** 2;
      den += a[k] ** 2;
    }
  });
  assertOk(den > 0, "Hv is not zero");
  return Math.sqrt(num / den);
}

Deno.test("Hessian-vector products (double backprop) match central differences: transformer (softmax, GELU, LayerNorm) and resmlp (RMSNorm)", () => {
  // the FD error is O(ε²) here (measured: 9e-2, 9e-3, 1e-3 at ε = 1e-2, 3e-3, 1e-3)
  const t = build(tinyTransformer, tinyIo);
  const tx = tokens([[0, 1, 2], [4, 3, 2], [2, 2, 1], [3, 0, 4]]);
  const relT = hvpVersusFiniteDifferences(t, initTensors(t, 5), tx, 1e-3);
  assertOk(relT < 5e-3, `transformer: ‖Hv − FD‖/‖Hv‖ = ${relT}`);
  const r = build({ kind: "resmlp", width: 8, blocks: 2 }, {
    inputDim: 3,
    outputDim: 2,
  });
  // move off the zero init so every block has curvature
  const rp = initTensors(r, 5).map((p) => tf.add(p, 0.1));
  const relR = hvpVersusFiniteDifferences(r, rp, randomInput(6, 3), 1e-3);
  assertOk(relR < 5e-3, `resmlp: ‖Hv − FD‖/‖Hv‖ = ${relR}`);
});

Deno.test("safeSoftmax: equals softmax, and its second derivative exists where exp(z − max z) with a differentiable max throws", () => {
  const z = tf.tensor2d([[0.3, -1.2, 2.0], [5, 5, -100]]);
  const s = safeSoftmax(z).dataSync();
  const ref = tf.softmax(z).dataSync();
  s.forEach((v, i) => assertClose(v, ref[i], 1e-6, `softmax ${i}`));
  const w = tf.tensor1d([1, 2, -1]);
  const second = (sm: (u: tf.Tensor) => tf.Tensor) =>
    tf.grad((u: tf.Tensor) =>
      tf.sum(
        tf.mul(
          tf.grad((q: tf.Tensor) => tf.sum(tf.mul(tf.square(sm(q)), w)))(u),
          w,
        ),
      )
    )(
      z,
    );
  assertOk(second(safeSoftmax).dataSync().every(Number.isFinite));
  const naive = (u: tf.Tensor) => {
    const e = tf.exp(tf.sub(u, tf.max(u, -1, true)));
    return tf.div(e, tf.sum(e, -1, true));
  };
  assertThrowsMsg(() => second(naive), /Cannot compute gradient/);
});

Deno.test("μP equals SP at width = baseWidth (same init values, all multipliers 1)", () => {
  const io = { inputDim: 6, outputDim: 3 };
  const mlp: ModelInput = {
    kind: "mlp",
    depth: 2,
    width: 32,
    activation: "tanh",
  };
  const sp = build(mlp, io);
  const mup = build(
    { ...mlp, parametrization: "mup", baseWidth: 32 } as ModelInput,
    io,
  );
  assertEquals(
    mup.init(rngFor(0, "r", "init")),
    sp.init(rngFor(0, "r", "init")),
  );
  assertEquals(mup.lrMultipliers, sp.lrMultipliers.map(() => 1));
  const tIo = { inputDim: 0, outputDim: 4, vocab: 5, seqLen: 3 };
  const tsp = build(tinyTransformer, tIo);
  const tmup = build(
    { ...tinyTransformer, parametrization: "mup", baseWidth: 8 } as ModelInput,
    tIo,
  );
  const p = initTensors(tsp);
  const x = tokens([[0, 1, 2]]);
  assertEquals(
    Array.from(tmup.apply(p, x).dataSync()),
    Array.from(tsp.apply(p, x).dataSync()),
  );
});

Deno.test("μP at 4× the base width: init std and LR multipliers follow the table in parametrization.ts", () => {
  const cfg = ModelSchema.parse({
    kind: "mlp",
    depth: 2,
    width: 256,
    activation: "tanh",
    parametrization: "mup",
    baseWidth: 64,
  }) as MlpConfig;
  const p = parametrize("mup", (w) => mlpSpecs(cfg, 10, 3, w), 256, 64);
  const stdOf = (i: number) => (p.specs[i].init as { std: number }).std;
  // order: layer0.weight, layer0.bias, layer1.weight, layer1.bias, layer2.weight (readout), layer2.bias
  assertClose(
    stdOf(0),
    Math.sqrt(2 / (10 + 64)),
    1e-12,
    "input layer keeps its base std",
  );
  assertClose(
    stdOf(2),
    Math.sqrt(2 / 128) / 2,
    1e-12,
    "hidden: σ_base/√4 (= SP at width 256)",
  );
  assertClose(stdOf(4), Math.sqrt(2 / 67) / 4, 1e-12, "readout: σ_base/4");
  assertEquals(p.lrMultipliers, [1, 1, 0.25, 1, 0.25, 1]);
  assertEquals(p.sgdLrMultipliers, [4, 4, 1, 4, 0.25, 1]);
  const model = buildModel(cfg, { inputDim: 10, outputDim: 3 });
  assertEquals(lrMultipliersFor(model, "adamw"), [1, 1, 0.25, 1, 0.25, 1]);
  assertEquals(lrMultipliersFor(model, "sgd"), [4, 4, 1, 4, 0.25, 1]);
  assertEquals(model.paramRoles, [
    "matrix",
    "vector",
    "matrix",
    "vector",
    "readout",
    "vector",
  ]);
});

Deno.test("model schema: defaults, unknown fields, μP without baseWidth and heads not dividing dModel are errors", () => {
  const m = ModelSchema.parse({
    kind: "transformer",
    layers: 1,
    dModel: 128,
    heads: 4,
    dMlp: 512,
  });
  assertOk(
    m.kind === "transformer" && m.norm === "none" && m.causal &&
      m.activation === "relu",
  );
  const r = ModelSchema.parse({ kind: "resmlp", width: 64, blocks: 2 });
  assertOk(
    r.kind === "resmlp" && r.hiddenMult === 1 && r.parametrization === "sp",
  );
  const issues = (input: unknown) => ModelSchema.safeParse(input).error?.issues ?? [];
  assertEquals(
    issues({ kind: "mlp", depth: 1, width: 8, activation: "tanh", widht: 3 })[0]
      .code,
    "unrecognized_keys",
  );
  const mup = issues({
    kind: "mlp",
    depth: 1,
    width: 8,
    activation: "tanh",
    parametrization: "mup",
  });
  assertEquals(mup[0].path, ["baseWidth"]);
  const heads = issues({
    kind: "transformer",
    layers: 1,
    dModel: 10,
    heads: 4,
    dMlp: 8,
  });
  assertEquals(heads[0].path, ["heads"]);
  assertEquals(
    issues({ kind: "mlp", depth: 1, width: 8, activation: "sigmoid" })[0].path,
    ["activation"],
  );
  assertThrowsMsg(
    () =>
      build({ kind: "transformer", layers: 1, dModel: 8, heads: 2, dMlp: 8 }, {
        inputDim: 3,
        outputDim: 2,
      }),
    /vocab and seqLen/,
  );
});
