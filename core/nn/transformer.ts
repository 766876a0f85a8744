/**
 * A small pre-norm transformer in the style of Nanda et al. (2023), reading
 * out the **last position**:
 *
 *     h = onehot(tokens) W_E + W_pos                       [n, S, d]
 *     per block: h += Attn(N(h));  h += W_out·act(W_in·N(h) + b_in) + b_out
 *     logits = N(h[:, S−1]) W_U                            [n, vocab_out]
 *
 * N is the configured norm (none | rms | layer, without learnable gain or
 * bias). Attention: H heads of d_head = d/H, fused `[d, d]` Q/K/V/O matrices,
 * no biases, logits scaled by 1/√d_head (SP) or √(d_head,base)/d_head (μP),
 * optional causal mask, and a softmax written from safe ops —
 * exp(z − c)/Σexp(z − c) with c = max z behind a stop-gradient — so that
 * Hessian-vector products through it are exact. Token embeddings are a
 * one-hot `matMul` (TF.js's gather gradient, UnsortedSegmentSum, has no
 * wasm kernel). Init as Nanda et al.: W_E, W_pos, W_Q, W_K, W_V, W_O, W_in
 * ~ N(0, 1/d), W_out ~ N(0, 1/d_mlp), W_U ~ N(0, 1/vocab_out), biases 0.
 *
 * `apply(params, tokens)` takes tokens [n, S] (int32 or float ids) and
 * returns [n, vocab_out]; `applyAll` returns every position [n, S, vocab_out]
 * (for tests of the causal mask). The last block of `apply` computes only the
 * last position's query and MLP (the other positions cannot reach the
 * output).
 *
 * @example
 * ```ts
 * import { buildTransformer } from "./transformer.ts";
 * import { assertEquals } from "../../tests/assert.ts";
 * const m = buildTransformer({ kind: "transformer", layers: 1, dModel: 128, heads: 4, dMlp: 512, norm: "none",
 *   posEmb: "learned", causal: true, activation: "relu", parametrization: "sp" },
 *   { vocab: 114, seqLen: 3, outputDim: 113 });
 * assertEquals(m.nParams, 114 * 128 + 3 * 128 + 4 * 128 ** 2 + 2 * 128 * 512 + 512 + 128 + 128 * 113);
 * ```
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import type { TransformerConfig } from "../config/model_schema.ts";
import { gelu } from "./safe_ops.ts";
import { layerNorm, rmsNorm } from "./resmlp.ts";
import {
  countParams,
  initFromSpecs,
  parametrize,
  type ParametrizedModel,
  type ParamSpec,
} from "./parametrization.ts";

/** Sizes the transformer needs besides its config. */
export interface TransformerIo {
  /** Input vocabulary size. */
  vocab: number;
  /** Sequence length. */
  seqLen: number;
  /** Output vocabulary (number of logits). */
  outputDim: number;
}

/** A transformer model; `applyAll` gives the logits of every position. */
export interface TransformerModel extends ParametrizedModel {
  /** Logits at every position, [n, S, vocab_out]. */
  applyAll(params: tf.Tensor[], x: tf.Tensor): tf.Tensor;
}

/** Large negative logit for masked attention entries. */
const MASKED = -1e9;

/**
 * max over the last axis (keepdims) behind a stop-gradient: its gradient is
 * a constant zero, so nested differentiation never reaches the Max kernel
 * (whose gradient mask goes through Equal, which has no gradient).
 */
const maxNoGrad = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
  const z = args[0] as tf.Tensor;
  return { value: tf.max(z, -1, true), gradFunc: () => tf.zeros(z.shape) };
}) as (z: tf.Tensor) => tf.Tensor;

/**
 * Softmax over the last axis from exp/sum/div only, shifted by a
 * stop-gradient max: second-order safe (with the Exp gradient of safe_ops.ts).
 *
 * @example
 * ```ts
 * import * as tf from "@tensorflow/tfjs";
 * import { setupBackend } from "../backend.ts";
 * import { assertClose } from "../../tests/assert.ts";
 * await setupBackend("cpu"); // TF.js runs on its plain JS backend here
 * const [a, b] = safeSoftmax(tf.tensor1d([0, Math.log(3)])).dataSync(); // e^z / Σ e^z = 1/4, 3/4
 * assertClose(a, 0.25, 1e-6);
 * assertClose(b, 0.75, 1e-6);
 * ```
 */
export function safeSoftmax(z: tf.Tensor): tf.Tensor {
  return tf.tidy(() => {
    const e = tf.exp(tf.sub(z, maxNoGrad(z)));
    return tf.div(e, tf.sum(e, -1, true));
  });
}

/** The transformer's parameter specs at width d (SP init, Nanda et al.). */
export function transformerSpecs(
  cfg: TransformerConfig,
  io: TransformerIo,
  dModel: number,
): ParamSpec[] {
  const d = dModel;
  const dMlp = Math.max(1, Math.round(cfg.dMlp * dModel / cfg.dModel));
  const normal = (std: number) => ({
    kind: "random" as const,
    std,
    distribution: "normal" as const,
  });
  const specs: ParamSpec[] = [
    {
      name: "embed.weight",
      shape: [io.vocab, d],
      role: "matrix",
      init: normal(1 / Math.sqrt(d)),
    },
    {
      name: "pos.weight",
      shape: [io.seqLen, d],
      role: "matrix",
      init: normal(1 / Math.sqrt(d)),
    },
  ];
  for (let l = 0; l < cfg.layers; l++) {
    for (const w of ["q", "k", "v", "o"]) {
      specs.push({
        name: `block${l}.attn.${w}`,
        shape: [d, d],
        role: "matrix",
        init: normal(1 / Math.sqrt(d)),
      });
    }
    specs.push({
      name: `block${l}.mlp.in.weight`,
      shape: [d, dMlp],
      role: "matrix",
      init: normal(1 / Math.sqrt(d)),
    });
    specs.push({
      name: `block${l}.mlp.in.bias`,
      shape: [dMlp],
      role: "vector",
      init: { kind: "zeros" },
    });
    specs.push({
      name: `block${l}.mlp.out.weight`,
      shape: [dMlp, d],
      role: "matrix",
      init: normal(1 / Math.sqrt(dMlp)),
    });
    specs.push({
      name: `block${l}.mlp.out.bias`,
      shape: [d],
      role: "vector",
      init: { kind: "zeros" },
    });
  }
  specs.push({
    name: "unembed.weight",
    shape: [d, io.outputDim],
    role: "readout",
    init: normal(1 / Math.sqrt(io.outputDim)),
  });
  return specs;
}

/**
 * Builds the transformer.
 *
 * @example
 * ```ts
 * import * as tf from "@tensorflow/tfjs";
 * import { setupBackend } from "../backend.ts";
 * import { rngFor } from "../rng.ts";
 * import { assertEquals } from "../../tests/assert.ts";
 * await setupBackend("cpu"); // TF.js runs on its plain JS backend here
 * const model = buildTransformer({ kind: "transformer", layers: 1, dModel: 16, heads: 2, dMlp: 32, norm: "none",
 *   posEmb: "learned", causal: true, activation: "relu", parametrization: "sp" },
 *   { vocab: 7, seqLen: 3, outputDim: 5 });
 * const params = model.init(rngFor(1, "e/base", "init")).map((v, i) => tf.tensor(v, model.paramShapes[i]));
 * // one sequence "3 5 6": the logits of the last position over 5 classes
 * const logits = model.apply(params, tf.tensor2d([[3, 5, 6]], [1, 3], "int32"));
 * assertEquals(logits.shape, [1, 5]);
 * ```
 */
export function buildTransformer(
  cfg: TransformerConfig,
  io: TransformerIo,
): TransformerModel {
  if (cfg.dModel % cfg.heads !== 0) {
    throw new Error(
      `transformer: dModel (${cfg.dModel}) must be divisible by heads (${cfg.heads})`,
    );
  }
  const p = parametrize(
    cfg.parametrization,
    (w) => transformerSpecs(cfg, io, w),
    cfg.dModel,
    cfg.baseWidth,
  );
  const H = cfg.heads;
  const d = cfg.dModel;
  const dh = d / H;
  const S = io.seqLen;
  const scale = cfg.parametrization === "mup"
    ? Math.sqrt((cfg.baseWidth ?? d) / H) / dh
    : 1 / Math.sqrt(dh);
  const norm = cfg.norm === "rms"
    ? rmsNorm
    : cfg.norm === "layer"
    ? layerNorm
    : (x: tf.Tensor) => x;
  const act = cfg.activation === "gelu" ? gelu : (x: tf.Tensor) => tf.relu(x);
  const perLayer = 8;
  // additive causal mask [S, S]: 0 on and below the diagonal, MASKED above
  const maskValues = new Float32Array(S * S);
  for (let i = 0; i < S; i++) {
    for (let j = i + 1; j < S; j++) maskValues[i * S + j] = MASKED;
  }

  /** Multi-head attention of a [n, S, d]; queries from all positions or only the last. */
  const attention = (
    a: tf.Tensor,
    l: number,
    params: tf.Tensor[],
    lastOnly: boolean,
  ): tf.Tensor => {
    const n = a.shape[0];
    const base = 2 + l * perLayer;
    const [wq, wk, wv, wo] = [0, 1, 2, 3].map((i) => params[base + i] as tf.Tensor2D);
    const flat = tf.reshape(a, [n * S, d]);
    const Sq = lastOnly ? 1 : S;
    const qSrc = lastOnly ? tf.reshape(tf.slice(a, [0, S - 1, 0], [n, 1, d]), [n, d]) : flat;
    const heads = (t: tf.Tensor, len: number, perm: number[]) =>
      tf.transpose(tf.reshape(t, [n, len, H, dh]), perm);
    const q = tf.reshape(heads(tf.matMul(qSrc, wq), Sq, [0, 2, 1, 3]), [
      n * H,
      Sq,
      dh,
    ]);
    const kT = tf.reshape(heads(tf.matMul(flat, wk), S, [0, 2, 3, 1]), [
      n * H,
      dh,
      S,
    ]);
    const v = tf.reshape(heads(tf.matMul(flat, wv), S, [0, 2, 1, 3]), [
      n * H,
      S,
      dh,
    ]);
    let scores = tf.mul(tf.matMul(q, kT), scale); // [n·H, Sq, S]
    if (cfg.causal && !lastOnly) {
      scores = tf.add(scores, tf.tensor2d(maskValues, [S, S]));
    }
    const z = tf.matMul(safeSoftmax(scores), v); // [n·H, Sq, dh]
    const merged = tf.reshape(
      tf.transpose(tf.reshape(z, [n, H, Sq, dh]), [0, 2, 1, 3]),
      [n * Sq, d],
    );
    return tf.reshape(tf.matMul(merged, wo), [n, Sq, d]);
  };

  const mlp = (a: tf.Tensor, l: number, params: tf.Tensor[]): tf.Tensor => {
    const n = a.shape[0];
    const len = a.shape[1] as number;
    const base = 2 + l * perLayer + 4;
    const flat = tf.reshape(a, [n * len, d]);
    const u = act(
      tf.add(tf.matMul(flat, params[base] as tf.Tensor2D), params[base + 1]),
    );
    const y = tf.add(
      tf.matMul(u, params[base + 2] as tf.Tensor2D),
      params[base + 3],
    );
    return tf.reshape(y, [n, len, d]);
  };

  const forward = (
    params: tf.Tensor[],
    x: tf.Tensor,
    lastOnly: boolean,
    record?: (name: string, t: tf.Tensor) => void,
  ): tf.Tensor => {
    if (params.length !== p.specs.length) {
      throw new Error(
        `transformer: expected ${p.specs.length} parameter tensors, got ${params.length}`,
      );
    }
    if (x.rank !== 2 || x.shape[1] !== S) {
      throw new Error(
        `transformer: expected tokens [n, ${S}], got [${x.shape.join(", ")}]`,
      );
    }
    const n = x.shape[0];
    const ids = tf.reshape(x.dtype === "int32" ? x : tf.cast(x, "int32"), [
      n * S,
    ]);
    const emb = tf.matMul(
      // int32 oneHot then cast: tfjs 4.22 wasm ignores a float32 dtype in oneHot and
      // writes integer bits (1 reads back as 1.4e-45), which zeroed the embedding gradient
      tf.cast(tf.oneHot(ids, io.vocab), "float32"),
      params[0] as tf.Tensor2D,
    );
    let h = tf.add(tf.reshape(emb, [n, S, d]), params[1]);
    record?.("embed", h);
    for (let l = 0; l < cfg.layers; l++) {
      const last = lastOnly && l === cfg.layers - 1;
      const att = attention(norm(h), l, params, last);
      h = tf.add(last ? tf.slice(h, [0, S - 1, 0], [n, 1, d]) : h, att);
      h = tf.add(h, mlp(norm(h), l, params));
      record?.(`block${l}`, h);
    }
    const len = h.shape[1] as number;
    const logits = tf.matMul(
      tf.reshape(norm(h), [n * len, d]),
      params[params.length - 1] as tf.Tensor2D,
    );
    const vOut = io.outputDim;
    if (lastOnly) return tf.reshape(logits, [n, vOut]);
    return tf.reshape(logits, [n, len, vOut]);
  };

  return {
    kind: "transformer",
    parametrization: cfg.parametrization,
    paramNames: p.specs.map((s) => s.name),
    paramShapes: p.specs.map((s) => s.shape),
    paramRoles: p.specs.map((s) => s.role),
    nParams: countParams(p.specs),
    lrMultipliers: p.lrMultipliers,
    sgdLrMultipliers: p.sgdLrMultipliers,
    init: (rng) => initFromSpecs(p.specs, rng),
    apply: (params, x) => tf.tidy(() => forward(params, x, true)),
    applyAll: (params, x) => tf.tidy(() => forward(params, x, false)),
    probe: (params, x) => {
      const out: { name: string; value: tf.Tensor }[] = [];
      const y = tf.tidy(() =>
        forward(
          params,
          x,
          true,
          (name, t) => out.push({ name, value: tf.keep(t.clone()) }),
        )
      );
      out.push({ name: "output", value: y });
      return out;
    },
  };
}
