/**
 * The experiment schema (SPEC §3), in zod. Unknown fields are errors
 * everywhere (`z.strictObject`). The task, model, optimizer/schedule and
 * measure blocks live in their own modules beside this one.
 *
 * @example
 * ```ts
 * import { ExperimentSchema } from "./schema.ts";
 * import { assertEquals } from "../../tests/assert.ts";
 * const e = ExperimentSchema.parse({
 *   name: "tiny",
 *   task: { kind: "chebyshev" },
 *   model: { kind: "mlp", depth: 1, width: 16, activation: "tanh" },
 *   optimizer: { kind: "gd", lr: 0.1 },
 *   budget: { steps: 10 },
 * });
 * assertEquals(e.loss, "mse");
 * ```
 * @module
 */
import { z } from "zod";
import { TaskSchema } from "./task_schema.ts";
import { ModelSchema } from "./model_schema.ts";
import { OptimizerSchema, ScheduleSchema } from "./optim_schema.ts";
import { MeasureSchema } from "./measure_schema.ts";
import { ControlSchema } from "./control_schema.ts";

/** A value a sweep or `where` filter can take. */
export const ScalarSchema = z.union([z.number(), z.string(), z.boolean()]);

/** The training budget. */
export const BudgetSchema = z.union([
  z.strictObject({
    steps: z.int().min(1).describe("number of optimizer steps"),
  }),
  z.strictObject({
    computeOptimal: z.union([
      z.strictObject({
        gamma: z.number().positive().describe("horizon exponent: t*(p) = kappa · p^gamma steps"),
        kappa: z.number().positive().describe("horizon prefactor"),
        minSteps: z.int().min(1).default(10).describe("lower bound on t*(p)"),
      }),
      z.strictObject({
        fitFrom: z.string().min(1).describe(
          "experiment whose compute_optimal_horizon check supplies gamma and kappa (same results directory)",
        ),
        kappaScale: z.number().positive().default(1).describe("multiplies the fitted kappa"),
        minSteps: z.int().min(1).default(10),
      }),
    ]),
  }),
]).describe("steps, or a compute-optimal horizon per model size");

/** One theory check in an experiment's `checks` list. */
export const CheckSpecSchema = z.strictObject({
  name: z.string().min(1).describe("check name from the registry (SPEC §7)"),
  expect: z.enum(["holds", "fails", "report"]).default("holds").describe(
    "holds: gating; fails: negative control, gating; report: recorded only",
  ),
  where: z.record(z.string(), ScalarSchema).optional().describe(
    'only runs whose sweep values match, e.g. { "optimizer.lr": 0.2 }',
  ),
  options: z.record(z.string(), z.unknown()).default({}).describe("tolerances and settings"),
  note: z.string().optional().describe(
    "why this expectation (e.g. a published claim that does not hold here)",
  ),
});

/** Profile overrides: dotted field path → value. */
export const ProfileSchema = z.record(z.string(), z.unknown()).describe(
  'overrides applied for this profile, as field path → value (e.g. { "budget.steps": 500 })',
);

/** The whole experiment. */
export const ExperimentSchema = z.strictObject({
  name: z.string().regex(/^[a-z0-9_]+$/, "lower-case letters, digits and _").describe(
    "experiment name (also its results folder)",
  ),
  description: z.string().default(""),
  tags: z.array(z.string()).default([]),
  profilesIn: z.array(z.enum(["quick", "full"])).min(1).default(["quick", "full"]).describe(
    'profiles that include this experiment (e.g. ["full"] for the slow ones)',
  ),
  seed: z.int().min(0).default(1).describe("root seed; sweep over `seed` for several"),
  task: TaskSchema,
  model: ModelSchema.optional(),
  loss: z.enum(["mse", "xent"]).default("mse").describe(
    "mse: ½‖f−y‖² summed over outputs, mean over examples; xent: softmax cross-entropy",
  ),
  optimizer: OptimizerSchema.optional(),
  schedule: ScheduleSchema.prefault({}),
  budget: BudgetSchema,
  sweep: z.record(z.string(), z.array(ScalarSchema).min(1)).default({}).describe(
    'grid over field paths, e.g. { "model.width": [32, 64], seed: [1, 2, 3] }',
  ),
  measure: MeasureSchema.prefault({}),
  control: ControlSchema.optional(),
  checkpointEvery: z.int().min(0).default(0).describe(
    "checkpoint period in steps (0 = about 10 checkpoints per run)",
  ),
  pairOver: z.array(z.string().min(1)).optional().describe(
    "sweep axes whose runs share their random streams (init, data order, batches, probes): runs that differ only on these axes are paired comparisons, e.g. a schedule against its constant-LR reference",
  ),
  checks: z.array(CheckSpecSchema).default([]),
  profiles: z.strictObject({
    quick: ProfileSchema.optional(),
    full: ProfileSchema.optional(),
  }).default({}),
});

/** An experiment as written (defaults optional). */
export type ExperimentInput = z.input<typeof ExperimentSchema>;
/** A validated experiment with defaults filled in. */
export type Experiment = z.output<typeof ExperimentSchema>;
/** A check entry. */
export type CheckSpecConfig = z.output<typeof CheckSpecSchema>;

/**
 * Types an experiment file's default export.
 *
 * @example
 * ```ts
 * import { ExperimentSchema } from "./schema.ts";
 * import { assertEquals } from "../../tests/assert.ts";
 * // experiments/eos_tiny.ts
 * const experiment = defineExperiment({
 *   name: "eos_tiny",
 *   task: { kind: "chebyshev" },
 *   model: { kind: "mlp", depth: 1, width: 100, activation: "tanh" },
 *   optimizer: { kind: "gd", lr: 0.2 },
 *   budget: { steps: 2000 },
 * });
 * export default experiment;
 * assertEquals(ExperimentSchema.parse(experiment).loss, "mse"); // valid; defaults fill the rest
 * ```
 */
export function defineExperiment(e: ExperimentInput): ExperimentInput {
  return e;
}
