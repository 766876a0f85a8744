/**
 * The glue between the training loop and the spectral toolkit: given the
 * validated `measure` block, decides what is due at a step, runs it on fixed
 * seeded measurement subsets, warm-starts Lanczos from the previous
 * measurement, and returns `metrics.csv` cells.
 *
 * Determinism: the measurement subset is a prefix of one seeded permutation
 * (stream purpose `"probe"`; nested across sizes), the gradient-noise batches
 * come from `"probe:gradNoise"`, and every per-step random vector comes from
 * `rngFor(seed, runId, "probe:<what>:<step>")`, so a measurement depends only
 * on (config, seed, run id, step, parameters, warm-start state). The
 * warm-start vectors and the update-Gram window are part of
 * {@linkcode Measurer.getState} so a resumed run reproduces the same bits.
 *
 * @example
 * ```ts
 * import { createMeasurer } from "./measure.ts";
 * import { MeasureSchema } from "../config/measure_schema.ts";
 * import { linearProblem } from "../../tests/reference/linear_problem.ts";
 * import { assertClose, assertEquals } from "../../tests/assert.ts";
 * const { model, params, loss, x, y, dispose } = linearProblem([[1, 0], [0, 2]]); // H = diag(0.5, 2)
 * const cfg = MeasureSchema.parse({ sharpness: { every: 10 }, updateGram: { window: 3 } });
 * const m = createMeasurer(cfg, { model, loss, seed: 1, runId: "doc/base", train: { x, y } });
 * // the run's metrics.csv header holds m.columns(); at a due step, with the
 * // flat preconditioner P (Adam) or null:
 * const cells = await m.measure(0, params, null);
 * assertClose(cells.lambda_max!, 2, 1e-6);
 * assertEquals([cells.gram_k_star, cells.adiabatic], [null, null]); // no updates yet
 * // after each optimizer step: δ = θ_t − θ_{t−1}, η, ‖∇L‖²
 * m.onUpdate(new Float64Array([0.1, 0]), 0.1, 1);
 * m.dispose();
 * dispose();
 * ```
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import type { MeasureConfig } from "../config/measure_schema.ts";
import type { LossFn, Model } from "../nn/types.ts";
import { rngFor } from "../rng.ts";
import { gradientNoise } from "./grad_noise.ts";
import { UpdateGram, type UpdateGramSnapshot } from "./gram_edge.ts";
import { hutchinsonTrace } from "./hutchinson.ts";
import { type HvpMethod, makeHvp } from "./hvp.ts";
import { lanczos } from "./lanczos.ts";
import { powerIteration } from "./power.ts";
import { preconditionedSharpness } from "./precond.ts";
import { slqDensity } from "./slq.ts";
import { normalized } from "./vector.ts";

/** What the measurer needs to know about the run. */
export interface MeasureContext {
  /** The functional model. */
  model: Model;
  /** The training loss (mean over examples, second-order safe). */
  loss: LossFn;
  /** Root seed of the run. */
  seed: number;
  /** Run id (e.g. "eos_gd/lr=0.2,seed=1"). */
  runId: string;
  /** The full training set (first axis = examples). Not disposed by the measurer. */
  train: { x: tf.Tensor; y: tf.Tensor };
}

/** A spectral density measured at one step (not a metrics.csv column). */
export interface DensityRecord {
  /** The step it was measured at. */
  step: number;
  /** SLQ nodes (Ritz values). */
  nodes: Float64Array;
  /** SLQ weights (sum to 1). */
  weights: Float64Array;
}

/** Warm-start and window state, for checkpoints ({@linkcode Measurer.getState}). */
export interface MeasurerSnapshot {
  /** Warm-start vector of the sharpness measurement (or null). */
  sharpnessStart: Float64Array | null;
  /** Warm-start vector of the preconditioned sharpness (or null). */
  preconditionedStart: Float64Array | null;
  /** The update-Gram window (or null when not measured). */
  gram: UpdateGramSnapshot | null;
}

/** The measurement object the training loop drives. */
export interface Measurer {
  /** The metrics.csv columns this configuration may fill, in a fixed order. */
  columns(): string[];
  /** Feeds the update δ_t = θ_t − θ_{t−1} of one optimizer step, its η and ‖∇L‖². */
  onUpdate(
    delta: Float32Array | Float64Array,
    lr: number,
    gradNormSq: number,
  ): void;
  /**
   * Runs the measurements due at `step` at `params` (model order) and returns
   * their cells (only the due columns are present; null = not computable).
   * `preconditioner` is the flat diagonal P = √v̂ + ε, or null (GD/SGD).
   * Reads the device back asynchronously only (works on webgpu).
   */
  measure(
    step: number,
    params: tf.Tensor[],
    preconditioner: Float64Array | null,
  ): Promise<Record<string, number | null>>;
  /** True when {@linkcode Measurer.onUpdate} is needed (an update-Gram is measured). */
  wantsUpdates(): boolean;
  /** The most recent spectral density, or null. */
  lastDensity(): DensityRecord | null;
  /**
   * The state to checkpoint with the parameters (plain object of typed
   * arrays, numbers and nulls).
   */
  getState(): MeasurerSnapshot;
  /**
   * Restores a state from {@linkcode Measurer.getState} (null/undefined: no-op).
   * Throws if the state does not have the expected shape.
   */
  setState(state: unknown): void;
  /** Frees the measurer's own tensors (subsets). */
  dispose(): void;
}

/**
 * Warm starts mix the previous top Ritz vector with a random unit vector of
 * this weight, and run at least WARM_MIN_ITER Lanczos iterations, so that an
 * eigenvalue overtaking the previous top one is found (see LanczosOptions.minIter).
 */
const WARM_NOISE = 0.3;
const WARM_MIN_ITER = 10;

function due(step: number, every: number): boolean {
  return step % every === 0;
}

function finiteOrNull(v: number | null | undefined): number | null {
  // Number.isFinite is false for null and undefined too
  return Number.isFinite(v) ? v as number : null;
}

function isNonFiniteError(e: unknown): boolean {
  return e instanceof Error && /non-finite/.test(e.message);
}

/**
 * Creates the measurer for one run.
 *
 * @example
 * ```ts
 * import * as tf from "@tensorflow/tfjs";
 * import { MeasureSchema } from "../config/measure_schema.ts";
 * import { linearProblem } from "../../tests/reference/linear_problem.ts";
 * import { assertEquals } from "../../tests/assert.ts";
 * const { model, loss, x, y, dispose } = linearProblem([[1, 0], [0, 2]]);
 * const ctx = { model, loss, seed: 1, runId: "doc/base", train: { x, y } };
 * const m = createMeasurer(MeasureSchema.parse({ sharpness: { every: 10 } }), ctx);
 * assertEquals(m.columns(), ["lambda_max", "ritz_residual", "hvp_count"]);
 * dispose();
 * ```
 */
export function createMeasurer(
  cfg: MeasureConfig,
  ctx: MeasureContext,
): Measurer {
  const { model, loss, seed, runId, train } = ctx;
  const n = train.x.shape[0];
  if (train.y.shape[0] !== n) {
    throw new Error(
      `measure: train x has ${n} examples but y has ${train.y.shape[0]}`,
    );
  }
  // Stryker disable next-line ArrayDeclaration: tf.dispose skips entries that are not tensors
  const owned: tf.Tensor[] = [];
  const probe = (what: string, step: number) => rngFor(seed, runId, `probe:${what}:${step}`);

  // Nested measurement subsets: prefixes of one seeded permutation, kept in index order.
  const permutation = rngFor(seed, runId, "probe").permutation(n);
  const subsets = new Map<number, { x: tf.Tensor; y: tf.Tensor }>();
  const subsetOf = (
    size: number | undefined,
  ): { x: tf.Tensor; y: tf.Tensor } => {
    const s = size === undefined ? n : Math.min(size, n);
    if (s === n) return train;
    let entry = subsets.get(s);
    if (!entry) {
      const idx = tf.tensor1d(
        Int32Array.from(permutation.subarray(0, s)).sort(),
        "int32",
      );
      entry = { x: tf.gather(train.x, idx), y: tf.gather(train.y, idx) };
      idx.dispose();
      owned.push(entry.x, entry.y);
      subsets.set(s, entry);
    }
    return entry;
  };

  // Fixed, disjoint gradient-noise batches.
  let noiseData: { x: tf.Tensor; y: tf.Tensor } | null = null;
  if (cfg.gradNoise) {
    const { batchSize, batches } = cfg.gradNoise;
    if (batchSize * batches > n) {
      throw new Error(
        `measure.gradNoise: batches × batchSize = ${batches} × ${batchSize} = ${
          batchSize * batches
        } exceeds the ${n} training examples`,
      );
    }
    const perm = rngFor(seed, runId, "probe:gradNoise").permutation(n).subarray(
      0,
      batchSize * batches,
    );
    const idx = tf.tensor1d(Int32Array.from(perm), "int32");
    noiseData = { x: tf.gather(train.x, idx), y: tf.gather(train.y, idx) };
    idx.dispose();
    owned.push(noiseData.x, noiseData.y);
  }

  const gram = cfg.updateGram
    ? new UpdateGram({
      window: cfg.updateGram.window,
      lag: cfg.updateGram.lag ?? cfg.updateGram.window,
    })
    : null;
  let sharpnessStart: Float64Array | null = null;
  let preconditionedStart: Float64Array | null = null;
  let density: DensityRecord | null = null;

  const operator = (
    params: tf.Tensor[],
    sub: { subset?: number; chunk: number; hvp: HvpMethod },
  ) => {
    const data = subsetOf(sub.subset);
    return makeHvp({
      model,
      params,
      loss,
      x: data.x,
      y: data.y,
      chunkSize: sub.chunk,
      method: sub.hvp,
    });
  };

  const columns = (): string[] => {
    const cols: string[] = [];
    if (cfg.sharpness) {
      cols.push("lambda_max");
      for (let j = 2; j <= cfg.sharpness.topK; j++) cols.push(`lambda_${j}`);
      cols.push("ritz_residual", "hvp_count");
    }
    if (cfg.preconditionedSharpness) cols.push("precond_lambda_max");
    if (cfg.trace) cols.push("hessian_trace", "hessian_trace_se");
    if (cfg.gradNoise) {
      cols.push("grad_noise_trace", "precond_grad_noise_trace");
    }
    if (cfg.updateGram) {
      cols.push(
        "gram_k_star",
        "gram_gap_ratio",
        "gram_g23",
        "adiabatic",
        "gram_s2_s3",
        "gram_g23_rel",
      );
    }
    return cols;
  };

  const measureSharpness = async (
    step: number,
    params: tf.Tensor[],
    out: Record<string, number | null>,
  ) => {
    const s = cfg.sharpness!;
    const names = ["lambda_max"];
    for (let j = 2; j <= s.topK; j++) names.push(`lambda_${j}`);
    try {
      const op = operator(params, s);
      const rng = probe("sharpness", step);
      if (s.method === "lanczos") {
        const r = await lanczos(op.hvp, op.dim, {
          k: s.topK,
          maxIter: s.iters,
          tol: s.tol,
          start: sharpnessStart ?? undefined,
          rng,
          warmNoise: WARM_NOISE,
          minIter: Math.min(s.iters, WARM_MIN_ITER),
        });
        names.forEach((name, j) => out[name] = finiteOrNull(r.values[j]));
        out.ritz_residual = finiteOrNull(r.residuals[0]);
        out.hvp_count = r.matvecs;
        const sum = new Float64Array(op.dim);
        for (const v of r.vectors) {
          // Stryker disable next-line EqualityOperator: i <= length only adds to sum[length], a typed-array write that is dropped
          for (let i = 0; i < sum.length; i++) sum[i] += v[i];
        }
        sharpnessStart = normalized(sum);
      } else {
        const r = await powerIteration(op.hvp, op.dim, {
          tol: s.tol,
          maxIter: s.iters,
          start: sharpnessStart ?? undefined,
          rng,
        });
        out.lambda_max = finiteOrNull(r.value);
        for (const name of names.slice(1)) out[name] = null;
        out.ritz_residual = finiteOrNull(r.residual);
        out.hvp_count = r.matvecs;
        sharpnessStart = Float64Array.from(r.vector);
      }
    } catch (e) {
      if (!isNonFiniteError(e)) throw e;
      for (const name of [...names, "ritz_residual", "hvp_count"]) {
        out[name] = null;
      }
    }
  };

  const measurePreconditioned = async (
    step: number,
    params: tf.Tensor[],
    preconditioner: Float64Array | null,
    out: Record<string, number | null>,
  ) => {
    const p = cfg.preconditionedSharpness!;
    out.precond_lambda_max = null;
    if (!preconditioner) return;
    try {
      const op = operator(params, p);
      const r = await preconditionedSharpness(op.hvp, preconditioner, {
        k: 1,
        maxIter: p.iters,
        tol: p.tol,
        start: preconditionedStart ?? undefined,
        rng: probe("preconditioned", step),
        warmNoise: WARM_NOISE,
        minIter: Math.min(p.iters, WARM_MIN_ITER),
      });
      out.precond_lambda_max = finiteOrNull(r.values[0]);
      preconditionedStart = Float64Array.from(r.vectors[0]);
    } catch (e) {
      if (!isNonFiniteError(e)) throw e;
    }
  };

  return {
    columns,
    onUpdate(delta, lr, gradNormSq) {
      gram?.push(delta, lr, gradNormSq);
    },
    async measure(step, params, preconditioner) {
      if (!Number.isInteger(step) || step < 0) {
        throw new Error(
          `measure: step must be a non-negative integer, got ${step}`,
        );
      }
      const out: Record<string, number | null> = {};
      if (cfg.sharpness && due(step, cfg.sharpness.every ?? cfg.every)) {
        await measureSharpness(step, params, out);
      }
      if (
        cfg.preconditionedSharpness &&
        due(step, cfg.preconditionedSharpness.every ?? cfg.every)
      ) {
        await measurePreconditioned(step, params, preconditioner, out);
      }
      if (cfg.trace && due(step, cfg.trace.every ?? cfg.every)) {
        out.hessian_trace = null;
        out.hessian_trace_se = null;
        try {
          const op = operator(params, cfg.trace);
          const r = await hutchinsonTrace(
            op.hvp,
            op.dim,
            cfg.trace.probes,
            probe("trace", step),
          );
          out.hessian_trace = finiteOrNull(r.trace);
          out.hessian_trace_se = finiteOrNull(r.standardError);
        } catch (e) {
          if (!isNonFiniteError(e)) throw e;
        }
      }
      if (cfg.density && due(step, cfg.density.every ?? cfg.every)) {
        try {
          const op = operator(params, cfg.density);
          const r = await slqDensity(op.hvp, op.dim, {
            iters: cfg.density.iters,
            probes: cfg.density.probes,
            rng: probe("density", step),
          });
          density = { step, nodes: r.nodes, weights: r.weights };
        } catch (e) {
          if (!isNonFiniteError(e)) throw e;
        }
      }
      if (
        // Stryker disable next-line LogicalOperator: noiseData is set exactly when cfg.gradNoise is
        cfg.gradNoise && noiseData &&
        due(step, cfg.gradNoise.every ?? cfg.every)
      ) {
        const r = await gradientNoise({
          model,
          params,
          loss,
          x: noiseData.x,
          y: noiseData.y,
          batchSize: cfg.gradNoise.batchSize,
          chunkSize: cfg.gradNoise.chunk,
          preconditioner,
        });
        out.grad_noise_trace = finiteOrNull(r.trace);
        out.precond_grad_noise_trace = finiteOrNull(r.preconditionedTrace);
      }
      // Stryker disable next-line LogicalOperator: gram is set exactly when cfg.updateGram is
      if (cfg.updateGram && gram && due(step, cfg.updateGram.every)) {
        const st = gram.stats();
        out.gram_k_star = st?.kStar ?? null;
        out.gram_gap_ratio = finiteOrNull(st?.gapRatio);
        out.gram_g23 = finiteOrNull(st?.g23);
        out.adiabatic = finiteOrNull(st?.adiabatic);
        out.gram_s2_s3 = finiteOrNull(st?.s23);
        out.gram_g23_rel = finiteOrNull(st?.g23Rel);
      }
      return out;
    },
    lastDensity: () => density,
    wantsUpdates: () => gram !== null,
    getState: () => ({
      sharpnessStart: sharpnessStart && Float64Array.from(sharpnessStart),
      preconditionedStart: preconditionedStart && Float64Array.from(preconditionedStart),
      gram: gram?.snapshot() ?? null,
    }),
    setState(state) {
      if (state === null || state === undefined) return;
      const st = state as Partial<MeasurerSnapshot>;
      const vec = (v: unknown, name: string): Float64Array | null => {
        if (v === null || v === undefined) return null;
        if (!(v instanceof Float64Array)) {
          throw new Error(`measurer state: ${name} must be a Float64Array`);
        }
        return Float64Array.from(v);
      };
      sharpnessStart = vec(st.sharpnessStart, "sharpnessStart");
      preconditionedStart = vec(st.preconditionedStart, "preconditionedStart");
      if (gram && st.gram) gram.restore(st.gram);
    },
    dispose() {
      tf.dispose(owned);
      owned.length = 0;
      subsets.clear();
    },
  };
}
