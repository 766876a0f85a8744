/**
 * Schema of an experiment's `measure` block: what the training loop measures
 * and how often. Unknown fields are errors (every object is strict). A
 * sub-block's `every` defaults to the block's `every` when omitted.
 *
 * @example
 * ```ts
 * import { MeasureSchema } from "./measure_schema.ts";
 * import { assertEquals } from "../../tests/assert.ts";
 * const m = MeasureSchema.parse({ every: 10, sharpness: { every: 20 } });
 * assertEquals(m.sharpness?.method, "lanczos");
 * ```
 * @module
 */
import { z } from "zod";

const every = z.int().min(1).optional().describe(
  "measure at steps that are multiples of this; defaults to measure.every",
);
const subset = z.int().min(1).optional().describe(
  "number of training examples (a fixed, seeded subset; clamped to the training set) the loss is evaluated on; default: all",
);
const chunk = z.int().min(1).default(1000).describe(
  "examples per chunk of a Hessian-vector product (memory bound); results are summed",
);
const hvp = z.enum(["exact", "fd"]).default("exact").describe(
  "Hessian-vector products by double backprop (exact) or central differences of the gradient (fd)",
);
const tol = z.number().positive().max(1).default(1e-3).describe(
  "relative tolerance: stop when Ritz residual/|λ| (Lanczos) or the relative change of λ (power) is below it",
);

/**
 * `measure.sharpness`: λ_max (top-k) of the training-loss Hessian.
 *
 * @example
 * ```ts
 * import { assertEquals } from "../../tests/assert.ts";
 * assertEquals(SharpnessSchema.parse({}).method, "lanczos");
 * ```
 */
export const SharpnessSchema = z.strictObject({
  every,
  method: z.enum(["lanczos", "power"]).default("lanczos").describe(
    "Lanczos with full reorthogonalisation (warm-started) or PyHessian-style power iteration",
  ),
  iters: z.int().min(1).max(500).default(20).describe(
    "maximum Hessian-vector products per measurement",
  ),
  tol,
  topK: z.int().min(1).max(40).default(1).describe(
    "number of top eigenvalues (lambda_max, lambda_2, …)",
  ),
  subset,
  chunk,
  hvp,
}).describe("sharpness λ_max, the largest algebraic Hessian eigenvalue");

/**
 * `measure.preconditionedSharpness`: λ_max(P^-1/2 H P^-1/2) for Adam.
 *
 * @example
 * ```ts
 * import { assertEquals } from "../../tests/assert.ts";
 * assertEquals(PreconditionedSharpnessSchema.parse({ every: 50 }).iters, 20);
 * ```
 */
export const PreconditionedSharpnessSchema = z.strictObject({
  every,
  iters: z.int().min(1).max(500).default(20).describe(
    "maximum Hessian-vector products per measurement",
  ),
  tol,
  subset,
  chunk,
  hvp,
}).describe(
  "preconditioned sharpness λ_max(P⁻¹H) with P = √v̂ + ε as the optimizer applies it",
);

/**
 * `measure.trace`: Hutchinson estimate of Tr H.
 *
 * @example
 * ```ts
 * import { assertEquals } from "../../tests/assert.ts";
 * assertEquals(TraceSchema.parse({}).probes, 10);
 * ```
 */
export const TraceSchema = z.strictObject({
  every,
  probes: z.int().min(2).default(10).describe(
    "Rademacher probes (≥ 2, for a standard error)",
  ),
  subset,
  chunk,
  hvp,
}).describe("Hessian trace by Hutchinson's estimator, with its standard error");

/**
 * `measure.density`: SLQ spectral density.
 *
 * @example
 * ```ts
 * import { assertEquals } from "../../tests/assert.ts";
 * assertEquals(DensitySchema.parse({}).iters, 30);
 * ```
 */
export const DensitySchema = z.strictObject({
  every,
  iters: z.int().min(1).max(500).default(30).describe(
    "Lanczos steps per probe",
  ),
  probes: z.int().min(1).default(1).describe("number of probe vectors"),
  subset,
  chunk,
  hvp,
}).describe("Hessian spectral density by stochastic Lanczos quadrature");

/**
 * `measure.gradNoise`: per-example gradient covariance trace.
 *
 * @example
 * ```ts
 * import { assertEquals } from "../../tests/assert.ts";
 * assertEquals(GradNoiseSchema.parse({ batchSize: 50 }).batches, 10);
 * ```
 */
export const GradNoiseSchema = z.strictObject({
  every,
  batchSize: z.int().min(1).describe("examples per evaluation batch B"),
  batches: z.int().min(2).default(10).describe(
    "number of fixed, disjoint evaluation batches (≥ 2)",
  ),
  chunk,
}).describe(
  "Tr Σ of the per-example gradient covariance (= B × covariance of batch-mean gradients), and Tr Σ′",
);

/**
 * `measure.updateGram`: the update-Gram spectral edge.
 *
 * @example
 * ```ts
 * import { assertEquals } from "../../tests/assert.ts";
 * assertEquals(UpdateGramSchema.parse({}).window, 10);
 * ```
 */
export const UpdateGramSchema = z.strictObject({
  window: z.int().min(3).default(10).describe(
    "number W of most recent updates in the Gram window",
  ),
  every: z.int().min(1).default(1).describe(
    "record the Gram statistics every this many steps",
  ),
  lag: z.int().min(1).optional().describe(
    "lag s of the adiabatic parameter; default: window",
  ),
}).describe(
  "update-Gram spectral edge: k*, gap ratio R, g₂₃ and the adiabatic parameter",
);

/**
 * The `measure` block of an experiment.
 *
 * @example
 * ```ts
 * import { assertEquals } from "../../tests/assert.ts";
 * assertEquals(MeasureSchema.parse({}).every, 10);
 * ```
 */
export const MeasureSchema = z.strictObject({
  every: z.int().min(1).default(10).describe(
    "evaluate train/test loss and accuracy every this many steps",
  ),
  sharpness: SharpnessSchema.optional(),
  preconditionedSharpness: PreconditionedSharpnessSchema.optional(),
  trace: TraceSchema.optional(),
  density: DensitySchema.optional(),
  gradNoise: GradNoiseSchema.optional(),
  updateGram: UpdateGramSchema.optional(),
}).describe("what to measure during training and how often");

/** A validated `measure` block (defaults applied). */
export type MeasureConfig = z.infer<typeof MeasureSchema>;
/** A `measure` block as written in an experiment file. */
export type MeasureInput = z.input<typeof MeasureSchema>;
