/**
 * The `task` field of an experiment (SPEC §3, §6): which data a run trains on.
 * One strict object per `kind`, so a misspelt field is an error, with defaults
 * filled in by parsing.
 *
 * Every data-generating task has its own `seed` (default 0), separate from the
 * run seed: runs in a sweep that differ in width, learning rate or run seed see
 * the same data unless `task.seed` itself is swept.
 *
 * @example
 * ```ts
 * import { TaskSchema } from "./task_schema.ts";
 * import { assertEquals } from "../../tests/assert.ts";
 * const task = TaskSchema.parse({ kind: "modular", p: 97, op: "add" });
 * assertEquals(task.kind === "modular" && task.trainFraction === 0.3, true);
 * ```
 * @module
 */
import { z } from "zod";

const taskSeed = z.int().min(0).default(0).describe(
  "seed of the task's data (split, features, clusters), independent of the run seed",
);

/** Modular arithmetic a∘b mod p on all pairs (SPEC §6.1). */
export const ModularTaskSchema = z.strictObject({
  kind: z.literal("modular"),
  p: z.int().min(2).default(97).describe("modulus p (prime for mul and div)"),
  op: z.enum(["add", "sub", "mul", "div"]).default("add").describe(
    "operation ∘ in a∘b mod p; div multiplies by the inverse of b (b ≠ 0)",
  ),
  trainFraction: z.number().gt(0).lt(1).default(0.3).describe(
    "fraction of all pairs in the training split",
  ),
  encoding: z.enum(["onehot", "tokens"]).default("onehot").describe(
    "onehot: one-hot(a) ⊕ one-hot(b) (2p features, MLPs); tokens: `a b =` (vocab p + 1, transformers)",
  ),
  seed: taskSeed,
}).describe("modular arithmetic a∘b mod p (grokking)");

/** The supercollapse cosine-feature regression task (SPEC §6.2, Qiu et al. 2025 App. A). */
export const PowerlawTaskSchema = z.strictObject({
  kind: z.literal("powerlaw"),
  features: z.int().min(1).default(10000).describe(
    "number M of cosine features in the target function",
  ),
  inputDim: z.int().min(1).default(8).describe(
    "input dimension d; x ~ U[−½, ½]^d",
  ),
  batchSize: z.int().min(1).default(256).describe(
    "size of the fresh online batch drawn at every step (and of the fixed train-eval set)",
  ),
  testSize: z.int().min(1).default(2048).describe("size of the fixed test set"),
  seed: taskSeed,
}).describe(
  "online regression on a power-law spectrum of cosine features (supercollapse MLP)",
);

/** Time-correlated multiplicative noise on an analytic loss curve. */
export const CurveNoiseSchema = z.strictObject({
  sigma: z.number().min(0).describe(
    "standard deviation of the log-loss fluctuation: loss = L·exp(σε − σ²/2), ε ~ N(0, 1)",
  ),
  correlation: z.number().min(0).default(0.5).describe(
    "correlation length of ε in natural-log time: corr(ε(t), ε(t′)) = exp(−|ln t − ln t′| / correlation); 0 = white noise",
  ),
}).describe(
  "seeded, time-correlated multiplicative noise (a stand-in for seed noise)",
);

/** Analytic power-law loss curves L(t, p) = L0 + A t^-μ + B p^-ν (SPEC §6.2). */
export const PowerlawCurveTaskSchema = z.strictObject({
  kind: z.literal("powerlaw-curve"),
  L0: z.number().min(0).default(0.1).describe("irreducible loss L0"),
  A: z.number().gt(0).default(1).describe("time coefficient A in A·t^-μ"),
  mu: z.number().gt(0).default(0.5).describe("time exponent μ"),
  B: z.number().gt(0).default(1).describe("size coefficient B in B·p^-ν"),
  nu: z.number().gt(0).default(0.52).describe(
    "size exponent ν (default gives ν/μ = 1.04, the MLP horizon exponent of Qiu et al.)",
  ),
  params: z.number().gt(0).describe(
    "model size p (number of parameters); compute c = 6·t·p",
  ),
  noise: CurveNoiseSchema.optional().describe(
    "optional multiplicative noise; absent = exact curve",
  ),
  points: z.int().min(2).default(200).describe(
    "number of measurement points in [1, steps]",
  ),
  spacing: z.enum(["mixed", "log", "linear"]).default("mixed").describe(
    "measurement points: log-spaced, evenly spaced, or mixed (the union of both, half the points each); whole steps, duplicates dropped",
  ),
}).describe("analytic power-law loss curves, no training");

/** The Chebyshev-polynomial regression task for edge of stability (SPEC §6.4). */
export const ChebyshevTaskSchema = z.strictObject({
  kind: z.literal("chebyshev"),
  degree: z.int().min(0).default(3).describe("degree d of the target T_d(x)"),
  n: z.int().min(2).default(20).describe(
    "number of training points, evenly spaced on [−1, 1] (numpy linspace(−1, 1, n))",
  ),
  testN: z.int().min(2).default(101).describe(
    "number of test points, evenly spaced on [−1, 1]",
  ),
}).describe("1-d regression onto a Chebyshev polynomial (edge of stability)");

/** Seeded Gaussian-cluster classification (SPEC §6.4). */
export const ClassificationTaskSchema = z.strictObject({
  kind: z.literal("synthetic-classification"),
  n: z.int().min(1).default(300).describe("number of training points"),
  testN: z.int().min(1).default(300).describe("number of test points"),
  dim: z.int().min(1).default(16).describe("input dimension"),
  classes: z.int().min(2).default(4).describe(
    "number of classes (one-hot targets)",
  ),
  separation: z.number().min(0).default(2).describe(
    "distance of every class mean from the origin (means along seeded random unit directions)",
  ),
  std: z.number().gt(0).default(1).describe(
    "standard deviation of each cluster, per coordinate",
  ),
  seed: taskSeed,
}).describe("seeded Gaussian clusters, balanced classes");

/** A seeded subset of CIFAR-5M (SPEC §6.3). */
export const Cifar5mTaskSchema = z.strictObject({
  kind: z.literal("cifar5m"),
  parts: z.array(z.int().min(0).max(5)).min(1).default([0]).describe(
    "indices of the files part0.npz … part5.npz to draw from",
  ),
  subset: z.strictObject({
    n: z.int().min(1).default(5000).describe("number of training images"),
    seed: z.int().min(0).default(0).describe("seed of the subset selection"),
  }).default({ n: 5000, seed: 0 }).describe("the seeded training subset"),
  testN: z.int().min(0).default(1000).describe(
    "number of test images, disjoint from the training subset",
  ),
  classes: z.int().min(2).max(10).default(10).describe(
    "keep images with label < classes (one-hot targets of this size)",
  ),
  view: z.enum(["flat", "grey-tokens"]).default("flat").describe(
    "flat: 3072 features /255, standardised; grey-tokens: ⌊mean of RGB⌋ as 1024 tokens, vocab 256",
  ),
  standardize: z.boolean().default(true).describe(
    "flat view: per-feature (pixel × channel) mean/std of the training subset, applied to train and test",
  ),
}).describe("seeded subset of CIFAR-5M (Nakkiran et al. 2021)");

/** Multitask sparse parity for emergence (SPEC §6.5; Michaud et al. 2023). */
export const SparseParityTaskSchema = z.strictObject({
  kind: z.literal("sparse-parity"),
  T: z.int().min(1).default(5).describe("number of subtasks T (one-hot control bits)"),
  n: z.int().min(1).default(20).describe("number of task bits n"),
  k: z.int().min(1).default(3).describe(
    "bits per subtask: subtask i is the parity of a fixed random k-subset S_i",
  ),
  alpha: z.number().default(1).describe(
    "Zipf exponent α: subtask i is drawn with probability ∝ i^(−α) (α < 0 makes later subtasks the more frequent: a control for the frequency order)",
  ),
  evalSize: z.int().min(1).default(512).describe("size of each subtask's fixed evaluation set"),
  batchSize: z.int().min(1).default(256).describe(
    "size of the fresh online batch drawn at every step (unless the optimizer sets one) and of the fixed train-eval sample",
  ),
  seed: taskSeed,
}).describe("multitask sparse parity with Zipf-distributed subtasks (emergence)");

/** The `task` field: one of the task kinds, picked by `kind`. */
export const TaskSchema = z.discriminatedUnion("kind", [
  ModularTaskSchema,
  PowerlawTaskSchema,
  PowerlawCurveTaskSchema,
  ChebyshevTaskSchema,
  ClassificationTaskSchema,
  Cifar5mTaskSchema,
  SparseParityTaskSchema,
]).describe("the data a run trains on");

/** A parsed task (defaults filled in). */
export type TaskConfig = z.infer<typeof TaskSchema>;
/** A task as written in an experiment file (defaults optional). */
export type TaskInput = z.input<typeof TaskSchema>;
/** Parsed `modular` task. */
export type ModularTask = z.infer<typeof ModularTaskSchema>;
/** Parsed `powerlaw` task. */
export type PowerlawTask = z.infer<typeof PowerlawTaskSchema>;
/** Parsed `powerlaw-curve` task. */
export type PowerlawCurveTask = z.infer<typeof PowerlawCurveTaskSchema>;
/** Parsed curve noise. */
export type CurveNoise = z.infer<typeof CurveNoiseSchema>;
/** Parsed `chebyshev` task. */
export type ChebyshevTask = z.infer<typeof ChebyshevTaskSchema>;
/** Parsed `synthetic-classification` task. */
export type ClassificationTask = z.infer<typeof ClassificationTaskSchema>;
/** Parsed `cifar5m` task. */
export type Cifar5mTask = z.infer<typeof Cifar5mTaskSchema>;
/** Parsed `sparse-parity` task. */
export type SparseParityTask = z.infer<typeof SparseParityTaskSchema>;
/** The task kinds. */
export type TaskKind = TaskConfig["kind"];
