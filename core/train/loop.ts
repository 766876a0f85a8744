/**
 * The training loop: one run of an experiment, top to bottom.
 *
 * data → model, loss, optimizer → measurements and controllers → metrics
 * columns → resume → for each step: (measure θ_step if due) → gradient →
 * update → (checkpoint if due) → finish. Rows are kept as numbers in a
 * {@linkcode MetricsLog} and formatted once, when `metrics.csv` is written.
 * Rows of `metrics.csv` are the state θ_t *before* update t; `lr` is the
 * learning rate used for update t and `tau` the sum of the learning rates that
 * led to θ_t.
 *
 * @example
 * ```ts
 * import { trainRun } from "./loop.ts";
 * import { setupBackend } from "../backend.ts";
 * import { ExperimentSchema } from "../config/schema.ts";
 * import { expandSweep } from "../config/sweep.ts";
 * import { assertEquals } from "../../tests/assert.ts";
 * const exp = ExperimentSchema.parse({
 *   name: "tiny",
 *   task: { kind: "chebyshev" },
 *   model: { kind: "mlp", depth: 1, width: 16, activation: "tanh" },
 *   optimizer: { kind: "gd", lr: 0.1 },
 *   budget: { steps: 10 },
 * });
 * const [plan] = expandSweep(exp, "tiny.json");
 * const runDir = await Deno.makeTempDir();
 * const summary = await trainRun(plan, { runDir, backend: await setupBackend("cpu") });
 * assertEquals([summary.runId, summary.status, summary.steps], ["tiny/base", "ok", 10]);
 * assertEquals(summary.nParams, 49); // 1·16 + 16 + 16·1 + 1
 * const rows = (await Deno.readTextFile(`${runDir}/metrics.csv`)).trim().split("\n");
 * assertEquals(rows[0].split(",").slice(0, 5), ["step", "lr", "tau", "compute", "train_loss"]);
 * await Deno.remove(runDir, { recursive: true });
 * ```
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import type { RunPlan } from "../config/sweep.ts";
import type { Experiment } from "../config/schema.ts";
import { rngFor } from "../rng.ts";
import { loadTask } from "../../data/mod.ts";
import type { Split, TaskData } from "../../data/types.ts";
import { buildModel, lrMultipliersFor } from "../nn/mod.ts";
import { lossFn } from "../nn/losses.ts";
import { sumOfSquares } from "../nn/sum_of_squares.ts";
import { makeOptimizer, scheduleLr } from "../optim/mod.ts";
import { createMeasurer } from "../spectral/measure.ts";
import { flattenAsync } from "../spectral/hvp.ts";
import { removeIfExists, writeTextAtomic } from "../results/atomic.ts";
import {
  type Checkpoint,
  discardCheckpoint,
  loadCheckpoint,
  numericRows,
  saveCheckpoint,
} from "./checkpoint.ts";
import { createControllers } from "../control/mod.ts";
import { writeRunOutputs } from "./outputs.ts";
import { MetricsLog } from "./metrics_log.ts";
import { curveRun } from "./curve_run.ts";
import { descriptorOf } from "../backends/mod.ts";
import { backendFault } from "../backend.ts";

export type { Progress, RunContext, RunStatus, RunSummary } from "./types.ts";
import type { RunContext, RunStatus, RunSummary } from "./types.ts";

/** The number of steps a run trains for, given its model size. */
export function horizonSteps(cfg: Experiment, nParams: number): number {
  const b = cfg.budget;
  if ("steps" in b) return b.steps;
  const co = b.computeOptimal;
  if ("gamma" in co) {
    return Math.max(co.minSteps, Math.round(co.kappa * Math.pow(nParams, co.gamma)));
  }
  throw new Error(
    `budget.computeOptimal.fitFrom ("${co.fitFrom}") must be resolved by the suite before the run`,
  );
}

/** Moves a split into tensors. */
function splitTensors(s: Split): { x: tf.Tensor; y: tf.Tensor } {
  const x = s.x instanceof Int32Array
    ? tf.tensor(s.x, [s.n, ...s.xShape], "int32")
    : tf.tensor(s.x, [s.n, ...s.xShape], "float32");
  const y = tf.tensor(s.y, [s.n, ...s.yShape], "float32");
  return { x, y };
}

/**
 * Loss (and accuracy) of the model on a dataset, in chunks. Reads back with
 * async `data()` only, so it works on webgpu (no synchronous GPU reads there).
 */
async function evaluate(
  apply: (x: tf.Tensor) => tf.Tensor,
  loss: (o: tf.Tensor, y: tf.Tensor) => tf.Scalar,
  x: tf.Tensor,
  y: tf.Tensor,
  classification: boolean,
  chunk = 4096,
): Promise<{ loss: number; acc: number | null }> {
  const n = x.shape[0];
  let lossSum = 0, hitSum = 0;
  for (let start = 0; start < n; start += chunk) {
    const size = Math.min(chunk, n - start);
    const [l, hits] = tf.tidy(() => {
      const xb = n <= chunk ? x : x.slice(start, size);
      const yb = n <= chunk ? y : y.slice(start, size);
      const out = apply(xb);
      const correct = classification
        ? tf.sum(tf.cast(tf.equal(tf.argMax(out, 1), tf.argMax(yb, 1)), "float32"))
        : tf.scalar(0);
      return [loss(out, yb), correct];
    });
    const [lv, hv] = await Promise.all([l.data(), hits.data()]);
    tf.dispose([l, hits]);
    lossSum += lv[0] * size;
    hitSum += hv[0];
  }
  return { loss: lossSum / n, acc: classification ? hitSum / n : null };
}

/**
 * The columns of a task's named eval groups (`acc_<name>`, `loss_<name>` per
 * group, in group order); none for tasks without groups.
 */
function groupColumns(task: TaskData): string[] {
  return (task.evalGroups ?? []).flatMap((g) =>
    task.classification ? [`acc_${g.name}`, `loss_${g.name}`] : [`loss_${g.name}`]
  );
}

/**
 * Minibatch indices by step: epochs of seeded permutations, keyed by epoch so
 * the batch of a step does not depend on history (resume-safe). The current
 * epoch's permutation is kept, so a step costs a slice, not a new permutation.
 *
 * @example
 * ```ts
 * import { assertEquals } from "../../tests/assert.ts";
 * const batchOf = minibatchSampler(1, "exp/base", 100, 10);
 * assertEquals(batchOf(0).length, 10);
 * ```
 */
export function minibatchSampler(
  seed: number,
  runId: string,
  n: number,
  batchSize: number,
): (step: number) => Int32Array {
  const perEpoch = Math.max(1, Math.floor(n / batchSize));
  let cached: { epoch: number; perm: Int32Array } | null = null;
  return (step) => {
    const epoch = Math.floor(step / perEpoch);
    if (cached?.epoch !== epoch) {
      cached = { epoch, perm: rngFor(seed, runId, `batch:epoch${epoch}`).permutation(n) };
    }
    const k = step % perEpoch;
    return cached.perm.slice(k * batchSize, (k + 1) * batchSize);
  };
}

/**
 * Trains one run and writes its outputs. Never throws for a diverging run;
 * on any other error every tensor it made is released before rethrowing, so
 * a worker can go on with its next run.
 */
export async function trainRun(plan: RunPlan, ctx: RunContext): Promise<RunSummary> {
  tf.engine().startScope();
  try {
    return await trainRunInScope(plan, ctx);
  } finally {
    tf.engine().endScope();
  }
}

/** The spectral sub-blocks of `measure` that are on (each may have its own period). */
function spectralBlocks(m: Experiment["measure"]): { every?: number }[] {
  return ([
    m.sharpness,
    m.preconditionedSharpness,
    m.trace,
    m.density,
    m.gradNoise,
    m.updateGram,
  ] as ({ every?: number } | undefined)[]).filter((b): b is { every?: number } => b !== undefined);
}

/** Writes the outputs of a run whose data is absent (`reason`) and reports it skipped. */
async function skippedRun(plan: RunPlan, ctx: RunContext, reason: string): Promise<RunSummary> {
  const summary: RunSummary = {
    runId: plan.runId,
    status: "skipped",
    reason,
    steps: 0,
    nParams: 0,
    final: {},
    wall: {},
    resumed: false,
  };
  await writeRunOutputs(plan, ctx, null, [], summary);
  return summary;
}

async function trainRunInScope(plan: RunPlan, ctx: RunContext): Promise<RunSummary> {
  const started = performance.now();
  const cfg = plan.config;
  const runId = plan.runId;
  // the key of this run's random streams (init, data order, batches, probes):
  // the run id, less the `pairOver` axes, so paired runs share their draws
  const streamId = plan.streamId ?? runId;

  // analytic curves: no model and no training, the curve is the run
  if (cfg.task.kind === "powerlaw-curve") {
    return await curveRun(plan, ctx, horizonSteps(cfg, cfg.task.params));
  }

  // ---- data: the task's splits as tensors (absent data: the run is skipped)
  const task: TaskData = await loadTask(cfg.task, {
    seed: cfg.seed,
    runId: streamId,
    dataDir: ctx.dataDir,
  });
  if (task.skipped) return await skippedRun(plan, ctx, task.skipped);
  const train = splitTensors(task.train);
  const test = splitTensors(task.test);
  const groups = (task.evalGroups ?? []).map((g) => ({ name: g.name, ...splitTensors(g.split) }));
  const dataTensors =
    () => [train.x, train.y, test.x, test.y, ...groups.flatMap((g) => [g.x, g.y])];

  // ---- model, loss, optimizer, horizon ----------------------------------
  const model = buildModel(cfg.model!, {
    inputDim: task.inputDim,
    outputDim: task.outputDim,
    vocab: task.vocab,
    seqLen: task.vocab !== undefined ? task.inputDim : undefined,
  });
  const loss = lossFn(cfg.loss);
  const optCfg = cfg.optimizer!;
  const peakLr = optCfg.lr;
  const steps = horizonSteps(cfg, model.nParams);
  const batchSize = "batchSize" in optCfg && optCfg.batchSize ? optCfg.batchSize : null;
  const examplesPerStep = batchSize ?? task.train.n;
  const params = model.init(rngFor(cfg.seed, streamId, "init")).map((v, i) =>
    tf.variable(tf.tensor(v, model.paramShapes[i], "float32"), true)
  );
  const optimizer = makeOptimizer(optCfg, lrMultipliersFor(model, optCfg.kind), model.paramShapes);
  const isAdam = optCfg.kind === "adam" || optCfg.kind === "adamw";
  const apply = (x: tf.Tensor) => model.apply(params, x);

  // ---- measurements and controllers --------------------------------------
  const spectral = spectralBlocks(cfg.measure);
  const measurer = createMeasurer(cfg.measure, {
    model,
    loss,
    seed: cfg.seed,
    runId: streamId,
    train,
  });
  const controllers = createControllers(cfg.control, { isAdam, batchSize: examplesPerStep });
  const release = () => {
    tf.dispose([...params, ...dataTensors()]);
    optimizer.dispose();
    measurer.dispose();
  };

  // ---- the metrics columns, and when a row is due ------------------------
  const measuresSharpness = cfg.measure.sharpness !== undefined ||
    cfg.measure.preconditionedSharpness !== undefined;
  const header = [
    "step",
    "lr",
    "tau",
    "compute",
    "train_loss",
    ...(task.classification ? ["train_acc"] : []),
    "test_loss",
    ...(task.classification ? ["test_acc"] : []),
    ...groupColumns(task),
    "grad_norm",
    ...(measuresSharpness ? [isAdam ? "critical_sharpness" : "two_over_lr"] : []),
    ...measurer.columns(),
    ...controllers.columns(),
  ];
  const every = cfg.measure.every;
  const spectralEvery = spectral.map((b) => b.every).filter((e): e is number => e !== undefined);
  const dueAt = (s: number) => s % every === 0 || spectralEvery.some((e) => s % e === 0);
  const checkpointEvery = cfg.checkpointEvery > 0
    ? cfg.checkpointEvery
    : Math.max(every, Math.ceil(steps / 10));
  const batchOf = batchSize !== null && !task.batch
    ? minibatchSampler(cfg.seed, streamId, task.train.n, batchSize)
    : null;

  // ---- resume from a checkpoint that fits this run -----------------------
  let metrics = new MetricsLog(header);
  let density = new MetricsLog(DENSITY_HEADER);
  let startStep = 0;
  let tau = 0;
  const ckpt = await loadCheckpoint(
    ctx.runDir,
    plan.hash,
    (c) => checkpointProblem(c, model.paramShapes, header.length, dueAt),
  );
  if (ckpt) {
    try {
      ckpt.params.forEach((v, i) => params[i].assign(tf.tensor(v, model.paramShapes[i])));
      optimizer.setState(ckpt.optimizer);
      measurer.setState(ckpt.extra.measurer);
      controllers.setState(ckpt.extra.controllers);
      const densityRows = (ckpt.extra.density ?? []) as unknown[][];
      density = new MetricsLog(DENSITY_HEADER, numericRows(densityRows, "extra.density"));
    } catch (e) {
      // state that does not fit this run: discard the checkpoint and start over
      await discardCheckpoint(ctx.runDir, `cannot restore it (${(e as Error).message})`);
      release();
      return await trainRunInScope(plan, ctx);
    }
    metrics = new MetricsLog(header, ckpt.rows);
    startStep = ckpt.step;
    tau = ckpt.extra.tau as number;
  }

  // ---- the training loop -------------------------------------------------
  const wall = { train: 0, eval: 0, measure: 0 };
  let status: RunStatus = "ok";
  let reason = "";
  let lastLoss = NaN;
  let stepsDone = startStep;
  // θ before the next update, flattened (the update-Gram edge reads θ after every step; nothing
  // changes θ in between, so θ after step t is θ before step t + 1)
  let thetaBefore: Float64Array | null = null;
  // Steps whose loss (and θ after, for the update-Gram) is still being read back. On webgpu every
  // read waits ≥ 10 ms (Deno's mapAsync), so step t is checked while up to READ_LAG later steps
  // run. Nothing observable runs ahead: every row, checkpoint and the end first settle all of
  // them, in order; a step after a diverged one is discarded unseen. Same values on every backend.
  const inFlight: InFlightStep[] = [];
  // (a tensor must outlive its read: TF.js fails on a read of a disposed tensor)
  const discardInFlight = async () => {
    for (const s of inFlight.splice(0)) {
      await s.settled;
      s.packed.dispose();
    }
  };
  /** Checks the oldest steps until `keep` remain; false once one has diverged (then the run ends). */
  const settle = async (keep: number): Promise<boolean> => {
    const t0 = performance.now();
    while (inFlight.length > keep) {
      const s = inFlight.shift()!;
      await s.settled;
      s.packed.dispose();
      const data = await s.read;
      throwOnDeviceFault();
      const batchLoss = data[0];
      const gradNormSq = s.hasSq ? data[1] : 0;
      const afterData = s.hasTheta ? data.subarray(s.hasSq ? 2 : 1) : null;
      if (s.row) {
        s.row.grad_norm = Math.sqrt(gradNormSq);
        metrics.push(s.row);
      }
      if (!Number.isFinite(batchLoss)) {
        // diverged on the batch: keep a row that says where (when none was measured)
        if (!s.row) metrics.push({ step: s.step, lr: s.lr, train_loss: batchLoss });
        status = "diverged";
        reason = `batch loss ${batchLoss} at step ${s.step}`;
        lastLoss = batchLoss;
        stepsDone = s.step;
        await discardInFlight();
        wall.train += performance.now() - t0;
        return false;
      }
      if (afterData) {
        const after = Float64Array.from(afterData);
        const delta = new Float64Array(model.nParams);
        for (let j = 0; j < delta.length; j++) delta[j] = after[j] - thetaBefore![j];
        measurer.onUpdate(delta, s.lr, gradNormSq);
        thetaBefore = after;
      }
      tau += s.lr;
      stepsDone = s.step + 1;
      ctx.onProgress?.({ runId, step: s.step + 1, steps, loss: batchLoss });
    }
    wall.train += performance.now() - t0;
    return true;
  };

  try {
    for (let step = startStep; step <= steps; step++) {
      const lr = scheduleLr(cfg.schedule, peakLr, step, steps) * controllers.lrFactor();
      const evalDue = step % every === 0 || step === steps;
      const due = evalDue || dueAt(step);
      let row: Record<string, number | null> | null = null;

      // ---- measure θ_step (losses, spectra, controllers), when due
      if (due) {
        if (!(await settle(0))) break;
        let t0 = performance.now();
        row = { step, lr, tau, compute: 6 * model.nParams * examplesPerStep * step };
        let trainLoss = 0; // rows without a loss evaluation are not checked for divergence here
        if (evalDue) {
          // the evaluations are issued together and read back together (one wait on webgpu)
          const [tr, te, ...byGroup] = await Promise.all(
            [train, test, ...groups].map((d) =>
              evaluate(apply, loss, d.x, d.y, task.classification)
            ),
          );
          Object.assign(row, {
            train_loss: tr.loss,
            train_acc: tr.acc,
            test_loss: te.loss,
            test_acc: te.acc,
          });
          groups.forEach((g, k) => {
            row![`loss_${g.name}`] = byGroup[k].loss;
            if (task.classification) row![`acc_${g.name}`] = byGroup[k].acc;
          });
          trainLoss = tr.loss;
        }
        wall.eval += performance.now() - t0;
        if (measuresSharpness) {
          row[isAdam ? "critical_sharpness" : "two_over_lr"] = optimizer.criticalSharpness(lr);
        }
        t0 = performance.now();
        if (Number.isFinite(trainLoss)) {
          const pre = optimizer.preconditioner();
          const preFlat = pre ? await flattenAsync(pre) : null;
          if (pre) tf.dispose(pre);
          Object.assign(row, await measurer.measure(step, params, preFlat));
          const d = measurer.lastDensity();
          if (d && d.step === step) {
            d.nodes.forEach((lambda, k) => density.push({ step, lambda, weight: d.weights[k] }));
          }
        }
        wall.measure += performance.now() - t0;
        Object.assign(row, controllers.observe(step, row, lr));
        if (evalDue) lastLoss = trainLoss;
        // a diverged loss, the last step or a controller's stop: the row is the last one
        if (!Number.isFinite(trainLoss)) {
          metrics.push(row);
          status = "diverged";
          reason = `train loss ${trainLoss} at step ${step}`;
          break;
        }
        if (step === steps || controllers.shouldStop()) {
          metrics.push(row);
          if (step !== steps) reason = controllers.stopReason();
          stepsDone = step;
          break;
        }
      }

      // ---- one optimizer step on this step's batch (its loss is checked by settle, below)
      const t0 = performance.now();
      let xb = train.x, yb = train.y;
      let disposeBatch = false;
      if (task.batch) {
        const b = splitTensors(task.batch(step, batchSize ?? task.train.n));
        xb = b.x;
        yb = b.y;
        disposeBatch = true;
      } else if (batchSize !== null && batchSize < task.train.n) {
        const idx = tf.tensor1d(batchOf!(step), "int32");
        xb = tf.gather(train.x, idx);
        yb = tf.gather(train.y, idx);
        idx.dispose();
        disposeBatch = true;
      }
      const updates = measurer.wantsUpdates();
      if (updates && thetaBefore === null) {
        if (!(await settle(0))) break;
        thetaBefore ??= await flattenAsync(params);
      }
      const { value, grads } = tf.tidy(() =>
        tf.valueAndGrads((...ps: tf.Tensor[]) => loss(model.apply(ps, xb), yb))(params)
      );
      // ‖∇L‖² (per-tensor sums added left to right; not tf.addN, which webgpu binds all at once)
      const sq = row || updates ? sumOfSquares(grads) : null;
      optimizer.step(params, grads, lr);
      tf.dispose(grads);
      if (disposeBatch) tf.dispose([xb, yb]);
      // one read a step (each read is a submit and a mapAsync on webgpu): the batch loss, then
      // ‖∇L‖² (rows and update-Gram), then θ after the update (update-Gram: copied out of the
      // variables, which the next step reassigns)
      const packed = tf.tidy(() =>
        tf.concat([
          tf.reshape(value, [1]),
          ...(sq ? [tf.reshape(sq, [1])] : []),
          ...(updates ? params.map((p) => tf.reshape(p, [-1])) : []),
        ])
      );
      tf.dispose([value, ...(sq ? [sq] : [])]);
      // the read is issued now and awaited by settle; its tensor lives until then
      inFlight.push({
        step,
        lr,
        row,
        hasSq: sq !== null,
        hasTheta: updates,
        packed,
        ...reading(packed),
      });
      wall.train += performance.now() - t0;
      if (!(await settle(READ_LAG))) break;

      // ---- checkpoint, when due (after every step before it is checked)
      if ((step + 1) % checkpointEvery === 0 && step + 1 < steps) {
        if (!(await settle(0))) break;
        await cacheVariablesOnCpu();
        await saveCheckpoint(ctx.runDir, {
          step: step + 1,
          configHash: plan.hash,
          rows: [...metrics.rows],
          params: await Promise.all(params.map(async (p) => (await p.data()) as Float32Array)),
          optimizer: optimizer.getState(),
          extra: {
            tau,
            density: [...density.rows],
            measurer: measurer.getState(),
            controllers: controllers.getState(),
          },
        });
      }
    }
  } finally {
    await discardInFlight(); // none left, unless the run diverged or failed
  }
  throwOnDeviceFault();

  // ---- finish: summary, files, tensors released --------------------------
  const summary: RunSummary = {
    runId,
    status,
    reason,
    steps: stepsDone,
    nParams: model.nParams,
    final: {
      train_loss: status === "diverged" ? lastLoss : metrics.last("train_loss"),
      test_loss: metrics.last("test_loss"),
      train_acc: metrics.last("train_acc"),
      test_acc: metrics.last("test_acc"),
    },
    wall: {
      total: (performance.now() - started) / 1000,
      train: wall.train / 1000,
      eval: wall.eval / 1000,
      measure: wall.measure / 1000,
    },
    resumed: ckpt !== null,
  };
  const events = controllers.events(metrics.columns());
  if (density.length > 0) await writeTextAtomic(`${ctx.runDir}/density.csv`, density.toCsv());
  await writeRunOutputs(plan, ctx, metrics, events, summary);
  await removeIfExists(`${ctx.runDir}/checkpoint.json`);
  release();
  return summary;
}

/**
 * On a backend without synchronous reads (webgpu), reads every variable once
 * with `data()`, which leaves its values cached beside the device copy, so
 * that the optimizer's synchronous `getState()` finds its slots readable.
 * Values and later kernels are unchanged (the device copy stays the one used).
 */
async function cacheVariablesOnCpu(): Promise<void> {
  if (descriptorOf(tf.getBackend())?.syncRead !== false) return;
  await Promise.all(Object.values(tf.engine().registeredVariables).map((v) => v.data()));
}

/**
 * Throws when the device reported an error (webgpu skips the commands of an
 * invalid pipeline and says so only in an event): the run fails rather than
 * write values that cannot be trusted.
 */
function throwOnDeviceFault(): void {
  const fault = backendFault();
  if (fault) {
    throw new Error(
      `the ${tf.getBackend()} device reported an error, so values computed after it cannot be trusted: ${fault}`,
    );
  }
}

/**
 * How many optimizer steps may run ahead of the check of a step's loss (see
 * `settle` in the loop). Enough to cover a webgpu read's ≥ 10 ms wait with
 * steps of ~1 ms; on backends with synchronous reads it changes nothing.
 *
 * @example
 * ```ts
 * import { READ_LAG } from "./loop.ts";
 * import { assertEquals } from "../../tests/assert.ts";
 * assertEquals(READ_LAG, 16);
 * ```
 */
export const READ_LAG = 16;

/** An optimizer step whose loss (and more) is still being read back. */
interface InFlightStep {
  step: number;
  /** The learning rate of the update. */
  lr: number;
  /** The step's metrics row (θ before the update), pushed once its gradient norm is read. */
  row: Record<string, number | null> | null;
  /** Whether `packed` holds ‖∇L‖² (rows and update-Gram) after the loss. */
  hasSq: boolean;
  /** Whether `packed` ends with θ after the update (update-Gram). */
  hasTheta: boolean;
  /** [loss, ‖∇L‖²?, θ after…?] in one tensor, released once read. */
  packed: tf.Tensor;
  /** Its values. */
  read: Promise<Float32Array>;
  /** Resolves once the read has ended, read or failed (then the tensor may go). */
  settled: Promise<unknown>;
}

/** The read of an in-flight step: its values, and when it has ended. */
function reading(packed: tf.Tensor): Pick<InFlightStep, "read" | "settled"> {
  const read = packed.data() as Promise<Float32Array>;
  read.catch(() => {}); // a failed read is rethrown where settle awaits it, not reported unhandled
  return { read, settled: read.then(() => {}, () => {}) };
}

/** The columns of density.csv (the spectral density's nodes and weights by step). */
const DENSITY_HEADER = ["step", "lambda", "weight"];

/**
 * Why a checkpoint does not fit this run, or null: it must match the model's
 * parameter shapes and hold every row measured before its step.
 */
function checkpointProblem(
  c: Checkpoint,
  paramShapes: number[][],
  width: number,
  dueAt: (step: number) => boolean,
): string | null {
  if (c.params.length !== paramShapes.length) {
    return `params: expected ${paramShapes.length} arrays, got ${c.params.length}`;
  }
  for (const [i, shape] of paramShapes.entries()) {
    const n = shape.reduce((a, b) => a * b, 1);
    if (c.params[i].length !== n) {
      return `params[${i}]: expected ${n} values (shape [${shape}]), got ${c.params[i].length}`;
    }
  }
  let expectedRows = 0;
  for (let s = 0; s < c.step; s++) if (dueAt(s)) expectedRows++;
  if (c.rows.length !== expectedRows || c.rows.some((r) => r.length !== width)) {
    return `rows: expected ${expectedRows} rows of ${width} cells before step ${c.step}, got ${c.rows.length} (truncated or damaged)`;
  }
  if (typeof c.extra.tau !== "number") return "extra.tau: expected a number";
  return null;
}
