/**
 * The `optimizer` and `schedule` blocks of an experiment (SPEC §3). The
 * update rules are in core/optim/; the schedule formulas in
 * core/optim/schedules.ts.
 *
 * @example
 * ```ts
 * import { OptimizerSchema, ScheduleSchema } from "./optim_schema.ts";
 * import { assertEquals } from "../../tests/assert.ts";
 * const o = OptimizerSchema.parse({ kind: "adamw", lr: 1e-3, beta2: 0.98, weightDecay: 1 });
 * assertEquals(o.kind === "adamw" && o.beta1, 0.9);
 * assertEquals(ScheduleSchema.parse({ kind: "cosine", warmup: 0.1 }).decayFraction, 1);
 * ```
 * @module
 */
import { z } from "zod";

const lr = z.number().positive().describe(
  "peak learning rate (the schedule multiplies it)",
);
const beta1 = z.number().min(0).lt(1).default(0.9).describe(
  "first-moment decay β1",
);
const beta2 = z.number().min(0).lt(1).default(0.999).describe(
  "second-moment decay β2",
);
const eps = z.number().positive().default(1e-8).describe(
  "ε added to √v̂ (PyTorch convention)",
);
const miniBatch = z.int().min(1).optional().describe(
  "examples per step; absent = full batch",
);

/** Full-batch gradient descent. */
export const GdSchema = z.strictObject({
  kind: z.literal("gd"),
  lr,
});

/** Minibatch SGD with optional heavy-ball momentum (PyTorch convention v ← βv + g). */
export const SgdSchema = z.strictObject({
  kind: z.literal("sgd"),
  lr,
  batchSize: z.int().min(1).describe("examples per step"),
  momentum: z.number().min(0).lt(1).default(0).describe(
    "heavy-ball momentum β (v ← βv + g, θ ← θ − ηv)",
  ),
});

/** Adam (bias-corrected; L2 penalty, if any, belongs in the loss). */
export const AdamSchema = z.strictObject({
  kind: z.literal("adam"),
  lr,
  beta1,
  beta2,
  eps,
  batchSize: miniBatch,
});

/** AdamW: Adam with decoupled weight decay θ ← θ − η·λ·θ (PyTorch convention). */
export const AdamWSchema = z.strictObject({
  kind: z.literal("adamw"),
  lr,
  beta1,
  beta2,
  eps,
  weightDecay: z.number().min(0).default(0.01).describe(
    "decoupled weight decay λ: θ ← θ − η_t·λ·θ each step (η_t the scheduled base LR, as PyTorch AdamW)",
  ),
  batchSize: miniBatch,
});

/** The `optimizer` block. */
export const OptimizerSchema = z.discriminatedUnion("kind", [
  GdSchema,
  SgdSchema,
  AdamSchema,
  AdamWSchema,
])
  .describe("gd | sgd | adam | adamw");

/** The `schedule` block: LR multiplier over the run (formulas in core/optim/schedules.ts). */
export const ScheduleSchema = z.strictObject({
  kind: z.enum([
    "constant",
    "linear",
    "cosine",
    "multicosine",
    "quadratic",
    "power",
  ]).default("constant")
    .describe(
      "decay shape s(x), x ∈ [0,1] the decay progress: constant 1; linear 1−x; cosine ½(1+cos πx); " +
        "multicosine ½(1+cos 3πx); quadratic 1−x²; power (1−x)²",
    ),
  warmup: z.number().min(0).default(0).describe(
    "linear warm-up from 0: an integer number of steps, or a fraction in (0,1) of the total steps",
  ),
  decayFraction: z.number().min(0).max(1).default(1).describe(
    "fraction of the post-warm-up steps over which to decay (1: all of them; 0.2: constant, then decay the last 20%)",
  ),
  final: z.number().min(0).max(1).default(0).describe(
    "LR at the end as a fraction of the peak",
  ),
}).superRefine((v, ctx) => {
  if (v.warmup >= 1 && !Number.isInteger(v.warmup)) {
    ctx.addIssue({
      code: "custom",
      path: ["warmup"],
      message: "expected an integer number of steps or a fraction in (0,1)",
    });
  }
});

/** A validated optimizer config. */
export type OptimizerConfig = z.output<typeof OptimizerSchema>;
/** An optimizer config as written. */
export type OptimizerInput = z.input<typeof OptimizerSchema>;
/** A validated schedule config. */
export type ScheduleConfig = z.output<typeof ScheduleSchema>;
/** A schedule config as written (every field optional). */
export type ScheduleInput = z.input<typeof ScheduleSchema>;
