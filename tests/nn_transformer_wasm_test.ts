/**
 * The transformer learns on the default `wasm` backend: its token embedding
 * gets a gradient and its output depends on the tokens (tfjs 4.22's wasm
 * `oneHot` ignores a float32 dtype; this caught it).
 */
import * as tf from "@tensorflow/tfjs";
import { assertOk } from "./assert.ts";
import { setupBackend } from "../core/backend.ts";
import { buildModel } from "../core/nn/mod.ts";
import { ModelSchema } from "../core/config/model_schema.ts";
import { rngFor } from "../core/rng.ts";

await setupBackend("wasm");

Deno.test("on wasm the transformer's output depends on the tokens and its embedding gets a gradient", () => {
  const model = buildModel(
    ModelSchema.parse({
      kind: "transformer",
      layers: 1,
      dModel: 8,
      heads: 2,
      dMlp: 16,
      norm: "none",
      activation: "relu",
    }),
    { inputDim: 3, outputDim: 5, vocab: 6, seqLen: 3 },
  );
  const params = model.init(rngFor(1, "wasm-transformer", "init")).map((v, i) =>
    tf.tensor(v, model.paramShapes[i])
  );
  const x = tf.tensor2d([[0, 1, 5], [2, 3, 5], [4, 0, 5]], [3, 3], "int32");
  const y = tf.oneHot(tf.tensor1d([1, 2, 3], "int32"), 5).toFloat();
  const out = model.apply(params, x).arraySync() as number[][];
  const spread = Math.max(
    ...out.map((r) => Math.max(...r.map((v, j) => Math.abs(v - out[0][j])))).slice(1),
  );
  assertOk(spread > 1e-4, `outputs differ across inputs (spread ${spread})`);
  const grads = tf.grads((...ps: tf.Tensor[]) => tf.mean(tf.square(tf.sub(model.apply(ps, x), y))))(
    params,
  );
  const embGradNorm = tf.norm(grads[0]).dataSync()[0];
  assertOk(embGradNorm > 1e-6, `token-embedding gradient norm ${embGradNorm}`);
  tf.dispose([...params, ...grads, x, y]);
});
