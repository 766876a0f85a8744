/**
 * Schema of the `control` block: the spectral-edge tools of SPEC §8.
 * @module
 */
import { z } from "zod";

/** `control` block. */
export const ControlSchema = z.strictObject({
  spectralLr: z.strictObject({
    target: z.number().positive().describe("target λ_max (e.g. a value below 2/η₀)"),
    ema: z.number().min(0).max(1).default(0.5).describe("EMA factor on λ_max measurements"),
    maxChange: z.number().positive().max(1).default(0.1).describe(
      "largest relative LR change per measurement",
    ),
    gain: z.number().positive().default(1).describe(
      "per measurement the LR factor is multiplied by (EMA/target)^gain, clipped to 1 ± maxChange",
    ),
    minFactor: z.number().positive().default(1).describe("smallest LR factor"),
    maxFactor: z.number().positive().default(10).describe("largest LR factor"),
    law: z.enum(["edge", "seed"]).optional().describe(
      "edge (default): raise η when λ_max is above target (the edge 2/η comes down onto it); " +
        "seed: the seed code's rule, lr ×0.9 when the EMA exceeds 1.1× target",
    ),
  }).optional().describe("SpectralEdgeAwareLR: scale the LR to keep an EMA of λ_max near target"),
  stopping: z.strictObject({
    metric: z.enum(["gram_g23", "lambda_max"]).default("gram_g23"),
    threshold: z.number().positive().default(8).describe(
      "stop once the metric has fallen by this factor from its peak ...",
    ),
    patience: z.int().min(1).default(5).describe(
      "... and has not shrunk further for this many measurements",
    ),
    minStep: z.int().min(0).default(0).describe("never stop before this step"),
  }).optional().describe("SpectralEdgeStopping"),
  diagnostic: z.strictObject({
    window: z.int().min(2).default(5).describe("measurements per window"),
  }).optional().describe("PhaseDiagnostic: label windows and write events.csv"),
});

/** The validated control block. */
export type ControlConfig = z.output<typeof ControlSchema>;
