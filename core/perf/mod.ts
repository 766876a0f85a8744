/**
 * `deno task perf` (SPEC §11): fixed micro- and macro-benchmarks written to
 * `results/perf/<machine>-<backend>.csv` — median, min and max over repetitions after a
 * warm-up, with backend and versions in every row.
 *
 * | benchmark               | what                                                          |
 * | ----------------------- | ------------------------------------------------------------- |
 * | `eos_ref_gd_step`       | full-batch GD step, 1000×3072 → 200 → 200 → 10 tanh MLP, MSE   |
 * | `eos_ref_gd_step_loop`  | the same, 20 steps back to back as the training loop runs them |
 * |                         | (each loss read `READ_LAG` steps late): time per step          |
 * | `eos_ref_hvp`           | one exact Hessian-vector product on the same model and batch  |
 * | `eos_ref_lambda_cold`   | λ_max to 1e-3 by Lanczos from a random start (HVPs in `extra`)|
 * | `eos_ref_lambda_warm`   | the same after one GD step, warm-started                      |
 * | `grokking_mlp_step`     | AdamW step of the p = 97 quadratic MLP (width 500), full batch|
 * | `resmlp_step`           | Adam step of the quick resmlp (D 64, 3 blocks, batch 256)     |
 * | `cifar5m_eos_step`      | the EoS reference GD step on 5,000 images (`eos_cifar5m`)     |
 * | `transformer_step`      | AdamW step of the Nanda transformer, 3,830 sequences (p = 113)|
 * | `transformer_step_loop` | the same, 20 steps back to back with lagged reads: per step    |
 * | `quick_suite_jobs{1,2}` | `bench --profile quick` wall time (only with `--suite`)       |
 * | `pytorch_*`             | the same EoS step/HVP in PyTorch when `import torch` works    |
 *
 * On webgpu the step rows' `extra` also gives `dispatches_per_step`: a small
 * model's step there is bound by the host encoding its dispatches.
 *
 * With PyTorch, the EoS step and the HVP are timed in alternation with
 * PyTorch's, repetition by repetition (`torch_reference.ts`), and the note
 * gives the median of the paired ratios: on a shared machine the load drifts,
 * and timings taken a minute apart do not compare.
 *
 * `--backend blas` times the OpenBLAS-backed backend (its library, config and
 * thread count are printed). The PyTorch reference runs under the first of
 * `$PHASEBENCH_PYTHON`, `/usr/bin/python3` (Debian's `python3-torch`) and
 * `python3` that imports torch.
 *
 * @example
 * ```ts
 * import { runPerf } from "./mod.ts";
 * import { assertEquals } from "../../tests/assert.ts";
 * // a smoke run: every benchmark on 0.2% of its examples (rows NAME@0.002), one repetition
 * const { rows } = await runPerf({ backend: "cpu", reps: 1, suite: false, scale: 0.002 });
 * assertEquals(rows.map((r) => r.benchmark.split("@")), [
 *   "eos_ref_gd_step", "eos_ref_gd_step_loop", "eos_ref_hvp", "eos_ref_lambda_cold",
 *   "eos_ref_lambda_warm", "cifar5m_eos_step", "grokking_mlp_step", "transformer_step",
 *   "transformer_step_loop", "resmlp_step",
 * ].map((b) => [b, "0.002"]));
 * ```
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import { type BackendName, setupBackend } from "../backend.ts";
import { rngFor } from "../rng.ts";
import { buildModel } from "../nn/mod.ts";
import { lossFn } from "../nn/losses.ts";
import { makeOptimizer } from "../optim/mod.ts";
import { makeHvp } from "../spectral/hvp.ts";
import { lanczos } from "../spectral/lanczos.ts";
import { type ModelConfig, TransformerSchema } from "../config/model_schema.ts";
import type { OptimizerInput } from "../config/optim_schema.ts";
import { ModularTaskSchema } from "../config/task_schema.ts";
import type { PerfRow } from "./perf_csv.ts";
import { READ_LAG } from "../train/loop.ts";
// the transformer benchmark times that experiment's own model and optimizer
import grokkingTransformer from "../../experiments/grokking_transformer.ts";
import {
  medianCpuRatio,
  medianRatio,
  type PairedTimes,
  pairedTimes,
  startTorchReference,
  type TorchServer,
} from "./torch_reference.ts";

export { PYTHON_CANDIDATES } from "./torch_reference.ts";

function stats(times: number[]): { medianMs: number; minMs: number; maxMs: number } {
  const s = [...times].sort((a, b) => a - b);
  const m = s.length >> 1;
  return {
    medianMs: s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2,
    minMs: s[0],
    maxMs: s[s.length - 1],
  };
}

async function time(reps: number, fn: () => Promise<void> | void): Promise<number[]> {
  await fn(); // warm-up
  const out: number[] = [];
  for (let i = 0; i < reps; i++) {
    const t0 = performance.now();
    await fn();
    out.push(performance.now() - t0);
  }
  return out;
}

/**
 * The GPU dispatches `fn` makes (TF.js webgpu's `recordAndSubmit` calls), or
 * null on a backend that has none. On webgpu a small model's step is bound by
 * the host encoding its dispatches, so the count explains the time.
 */
async function countDispatches(fn: () => Promise<void>): Promise<number | null> {
  const backend = tf.backend() as unknown as { recordAndSubmit?: (...a: unknown[]) => unknown };
  const record = backend.recordAndSubmit;
  if (typeof record !== "function") return null;
  let n = 0;
  backend.recordAndSubmit = (...a: unknown[]) => (n++, record.apply(backend, a));
  try {
    await fn();
  } finally {
    backend.recordAndSubmit = record;
  }
  return n;
}

function randomTensor(shape: number[], purpose: string): tf.Tensor {
  const n = shape.reduce((a, b) => a * b, 1);
  return tf.tensor(Float32Array.from(rngFor(1, "perf", purpose).normals(n)), shape);
}

/** What a model is built for: input and output widths, and tokens for a transformer. */
interface ModelIo {
  inputDim: number;
  outputDim: number;
  vocab?: number;
  seqLen?: number;
}

/** A model with parameters as variables, for stepping. */
function setup(cfg: ModelConfig, io: ModelIo) {
  const model = buildModel(cfg, io);
  const params = model.init(rngFor(1, "perf", "init")).map((v, i) =>
    tf.variable(tf.tensor(v, model.paramShapes[i]))
  );
  return { model, params };
}

/** A training step of `cfg` with `opt` on (x, y), ready to time (MSE unless `loss` says). */
function stepper(
  cfg: ModelConfig,
  opt: OptimizerInput,
  x: tf.Tensor,
  y: tf.Tensor,
  task: { io?: ModelIo; loss?: "mse" | "xent" } = {},
) {
  const { model, params } = setup(
    cfg,
    task.io ?? { inputDim: x.shape[1]!, outputDim: y.shape[1]! },
  );
  const loss = lossFn(task.loss ?? "mse");
  const optimizer = makeOptimizer(opt, model.lrMultipliers, model.paramShapes);
  return {
    nParams: model.nParams,
    /**
     * `n` steps back to back as the training loop runs them, each loss read up
     * to READ_LAG steps late; `n` = 1: one step and its read.
     */
    async steps(n: number) {
      const inFlight: { value: tf.Tensor; read: Promise<unknown> }[] = [];
      for (let i = 0; i < n; i++) {
        const { value, grads } = tf.tidy(() =>
          tf.valueAndGrads((...ps: tf.Tensor[]) => loss(model.apply(ps, x), y))(params)
        );
        optimizer.step(params, grads, opt.lr);
        tf.dispose(grads);
        inFlight.push({ value, read: value.data() });
        while (inFlight.length > (i === n - 1 ? 0 : READ_LAG)) {
          const s = inFlight.shift()!;
          await s.read;
          s.value.dispose();
        }
      }
    },
    dispose() {
      optimizer.dispose();
      tf.dispose(params);
    },
  };
}

/**
 * Times a step of `cfg` (`name`); with `loop`, blocks of 20 steps run as the
 * training loop runs them, per step (`<name>_loop`).
 */
async function stepBench(
  name: string,
  cfg: ModelConfig,
  opt: OptimizerInput,
  x: tf.Tensor,
  y: tf.Tensor,
  reps: number,
  task: { io?: ModelIo; loss?: "mse" | "xent"; loop?: boolean } = {},
): Promise<PerfRow> {
  const s = stepper(cfg, opt, x, y, task);
  const block = task.loop ? 20 : 1;
  const times = (await time(reps, () => s.steps(block))).map((t) => t / block);
  const dispatches = await countDispatches(() => s.steps(block));
  s.dispose();
  const perStep = dispatches === null ? "" : ` dispatches_per_step=${dispatches / block}`;
  if (!task.loop) {
    return { benchmark: name, ...stats(times), reps, extra: `params=${s.nParams}${perStep}` };
  }
  const [base, at] = name.split("@");
  return {
    benchmark: `${base}_loop${at ? `@${at}` : ""}`,
    ...stats(times),
    reps,
    extra: `params=${s.nParams} steps=${block} read_lag=${READ_LAG}${perStep}`,
  };
}

/**
 * Rows for a benchmark timed in alternation with PyTorch's (ours, then
 * `pytorch_<name>`), and the note with the median of the paired ratios.
 */
function pairedRows(
  name: string,
  label: string,
  p: PairedTimes,
  extra: string,
  torchExtra: string,
): { rows: PerfRow[]; note: string } {
  const ratio = medianRatio(p), cpuRatio = medianCpuRatio(p);
  const reps = p.ours.length;
  const cpu = (t: number[]) => stats(t).medianMs.toFixed(1);
  const ours = {
    benchmark: name,
    ...stats(p.ours),
    reps,
    extra: `${extra}${extra ? " " : ""}cpu_ms=${cpu(p.oursCpu)}`,
  };
  const theirs = {
    benchmark: `pytorch_${name}`,
    ...stats(p.theirs),
    reps,
    extra: `${torchExtra} cpu_ms=${cpu(p.theirsCpu)} paired_ratio=${ratio.toFixed(3)} ` +
      `paired_cpu_ratio=${cpuRatio.toFixed(3)}`,
  };
  return {
    rows: [ours, theirs],
    note: `${label}: phasebench/PyTorch = ${ratio.toFixed(2)}× wall, ${cpuRatio.toFixed(2)}× CPU ` +
      `(medians of ${reps} paired ratios; wall medians ${ours.medianMs.toFixed(1)} / ` +
      `${theirs.medianMs.toFixed(1)} ms, CPU ${cpu(p.oursCpu)} / ${cpu(p.theirsCpu)} ms)`,
  };
}

async function suiteRow(jobs: number): Promise<PerfRow> {
  const out = await Deno.makeTempDir({ prefix: "phasebench-perf-" });
  const t0 = performance.now();
  const r = await new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "-A",
      "cli.ts",
      "bench",
      "--profile",
      "quick",
      "--jobs",
      String(jobs),
      "--out",
      out,
      "--quiet",
      "--no-report",
      "--no-compare",
    ],
    stdout: "null",
    stderr: "null",
  }).output();
  const ms = performance.now() - t0;
  await Deno.remove(out, { recursive: true }).catch(() => {});
  return {
    benchmark: `quick_suite_jobs${jobs}`,
    medianMs: ms,
    minMs: ms,
    maxMs: ms,
    reps: 1,
    extra: `exit=${r.code}`,
  };
}

/** Runs the benchmarks; returns the rows. */
export async function runPerf(
  opts: { backend: BackendName; reps: number; suite: boolean; scale?: number },
): Promise<{ rows: PerfRow[]; notes: string[] }> {
  await setupBackend(opts.backend);
  const rows: PerfRow[] = [];
  const notes: string[] = [];
  // --scale: every benchmark on that fraction of its examples, named `<name>@<scale>` so that
  // it never compares with a full-size row (a smoke run on a software device)
  const scale = opts.scale ?? 1;
  const size = (k: number) => Math.max(2, Math.round(k * scale));
  const named = (b: string) => scale === 1 ? b : `${b}@${scale}`;
  const started = scale === 1
    ? await startTorchReference()
    : `PyTorch reference skipped at --scale ${scale} (it times the full-size step)`;
  const torch: TorchServer | null = typeof started === "string" ? null : started;
  if (typeof started === "string") notes.push(started);
  // EoS reference MLP (Cohen et al. fc-tanh) on 1000 × 3072 inputs
  const x = randomTensor([size(1000), 3072], "x");
  const y = randomTensor([size(1000), 10], "y");
  const eosModel: ModelConfig = {
    kind: "mlp",
    depth: 2,
    width: 200,
    activation: "tanh",
    bias: true,
    init: { scheme: "torch", distribution: "uniform", gain: 1 },
    parametrization: "sp",
  };
  if (torch) {
    const s = stepper(eosModel, { kind: "gd", lr: 0.01 }, x, y);
    const p = await pairedTimes(opts.reps, () => s.steps(1), torch, "step");
    s.dispose();
    const r = pairedRows("eos_ref_gd_step", "EoS GD step", p, `params=${s.nParams}`, torch.extra);
    rows.push(...r.rows);
    notes.push(r.note);
  } else {
    rows.push(
      await stepBench(
        named("eos_ref_gd_step"),
        eosModel,
        { kind: "gd", lr: 0.01 },
        x,
        y,
        opts.reps,
      ),
    );
  }
  rows.push(
    await stepBench(named("eos_ref_gd_step"), eosModel, { kind: "gd", lr: 0.01 }, x, y, opts.reps, {
      loop: true,
    }),
  );
  {
    const { model, params } = setup(eosModel, { inputDim: 3072, outputDim: 10 });
    const loss = lossFn("mse");
    const op = makeHvp({ model, params, loss, x, y, chunkSize: 1000 });
    const v = rngFor(1, "perf", "v").normals(model.nParams);
    if (torch) {
      const p = await pairedTimes(
        opts.reps,
        async () => {
          await op.hvp(v);
        },
        torch,
        "hvp",
      );
      const r = pairedRows("eos_ref_hvp", "EoS HVP", p, "", torch.extra);
      rows.push(...r.rows);
      notes.push(r.note);
    } else {
      const times = await time(opts.reps, async () => {
        await op.hvp(v);
      });
      rows.push({ benchmark: named("eos_ref_hvp"), ...stats(times), reps: opts.reps, extra: "" });
    }
    const t0 = performance.now();
    const cold = await lanczos((u) => op.hvp(u), model.nParams, {
      tol: 1e-3,
      rng: rngFor(1, "perf", "lanczos"),
    });
    const coldMs = performance.now() - t0;
    rows.push({
      benchmark: named("eos_ref_lambda_cold"),
      medianMs: coldMs,
      minMs: coldMs,
      maxMs: coldMs,
      reps: 1,
      extra: `hvps=${cold.matvecs} lambda_max=${cold.values[0]}`,
    });
    // one GD step, then a warm start from the previous top Ritz vector
    tf.tidy(() => {
      const grads = tf.grads((...ps: tf.Tensor[]) => loss(model.apply(ps, x), y))(params);
      params.forEach((p, i) => (p as tf.Variable).assign(tf.sub(p, tf.mul(0.01, grads[i]))));
    });
    const op2 = makeHvp({ model, params, loss, x, y, chunkSize: 1000 });
    const t1 = performance.now();
    const warm = await lanczos((u) => op2.hvp(u), model.nParams, {
      tol: 1e-3,
      start: cold.vectors[0],
      rng: rngFor(1, "perf", "lanczos2"),
    });
    const warmMs = performance.now() - t1;
    rows.push({
      benchmark: named("eos_ref_lambda_warm"),
      medianMs: warmMs,
      minMs: warmMs,
      maxMs: warmMs,
      reps: 1,
      extra: `hvps=${warm.matvecs} lambda_max=${warm.values[0]}`,
    });
    tf.dispose(params);
  }
  tf.dispose([x, y]);
  // the same fc-tanh MLP on 5,000 CIFAR-5M-sized images (eos_cifar5m, full batch)
  const cx = randomTensor([size(5000), 3072], "cx"), cy = randomTensor([size(5000), 10], "cy");
  rows.push(
    await stepBench(
      named("cifar5m_eos_step"),
      eosModel,
      { kind: "gd", lr: 0.02 },
      cx,
      cy,
      opts.reps,
    ),
  );
  tf.dispose([cx, cy]);
  // grokking MLP: p = 97, one-hot pairs, 30% of 97² examples
  const n = size(Math.round(0.3 * 97 * 97));
  const gx = randomTensor([n, 194], "gx"), gy = randomTensor([n, 97], "gy");
  rows.push(
    await stepBench(
      named("grokking_mlp_step"),
      {
        kind: "mlp",
        depth: 1,
        width: 500,
        activation: "quadratic",
        bias: false,
        init: { scheme: "xavier", distribution: "uniform", gain: 1 },
        parametrization: "sp",
      },
      { kind: "adamw", lr: 1e-3, beta1: 0.9, beta2: 0.98, eps: 1e-8, weightDecay: 1 },
      gx,
      gy,
      opts.reps,
    ),
  );
  tf.dispose([gx, gy]);
  // the Nanda et al. transformer (grokking_transformer): a+b mod 113 as 3 tokens, full-batch
  // AdamW on 30% of the 113² pairs (3,830 sequences), cross-entropy
  {
    const task = ModularTaskSchema.parse(grokkingTransformer.task);
    const p = task.p, nt = size(Math.round(task.trainFraction * p * p));
    const rng = rngFor(1, "perf", "tokens");
    const tokens = Int32Array.from({ length: nt * 3 }, (_, i) => i % 3 === 2 ? p : rng.int(p));
    const tx = tf.tensor2d(tokens, [nt, 3], "int32");
    const ty = tf.oneHot(tf.tensor1d(Int32Array.from({ length: nt }, () => rng.int(p)), "int32"), p)
      .toFloat();
    const transformer = TransformerSchema.parse(grokkingTransformer.model);
    const io = { inputDim: 3, outputDim: p, vocab: p + 1, seqLen: 3 };
    for (const loop of [false, true]) {
      rows.push(
        await stepBench(
          named("transformer_step"),
          transformer,
          grokkingTransformer.optimizer!,
          tx,
          ty,
          opts.reps,
          { io, loss: "xent", loop },
        ),
      );
    }
    tf.dispose([tx, ty]);
  }
  const rx = randomTensor([size(256), 8], "rx"), ry = randomTensor([size(256), 1], "ry");
  rows.push(
    await stepBench(
      named("resmlp_step"),
      {
        kind: "resmlp",
        width: 64,
        blocks: 3,
        hiddenMult: 1,
        parametrization: "mup",
        baseWidth: 64,
      } as ModelConfig,
      { kind: "adam", lr: 1e-3, beta1: 0.9, beta2: 0.95, eps: 1e-12 },
      rx,
      ry,
      opts.reps,
    ),
  );
  tf.dispose([rx, ry]);
  await torch?.close();
  if (opts.suite) {
    rows.push(await suiteRow(1));
    rows.push(await suiteRow(2));
  } else {
    notes.push("quick-suite timings skipped (pass --suite to time bench --jobs 1 and --jobs 2)");
  }
  return { rows, notes };
}

export * from "./perf_csv.ts";
