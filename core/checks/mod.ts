/**
 * Theory checks (SPEC §7): pure functions of result CSVs, a registry, the
 * experiment-level evaluator and the `curves` command.
 *
 * @example
 * ```ts
 * import { checkNames, evaluateExperimentChecks } from "./mod.ts";
 * import { assertEquals, assertOk } from "../../tests/assert.ts";
 * assertOk(["eos", "grokking", "collapse"].every((n) => checkNames().includes(n)));
 * assertEquals(evaluateExperimentChecks("e", [], []), []);
 * ```
 * @module
 */
export * from "./types.ts";
export * from "./stats.ts";
export * from "./common.ts";
export * from "./eos.ts";
export * from "./adaptive_eos.ts";
export * from "./progressive_sharpening.ts";
export * from "./grokking.ts";
export * from "./edge_precedes_grokking.ts";
export * from "./grokking_time_scaling.ts";
export * from "./grokking_phase.ts";
export * from "./spectral_lr_control.ts";
export * from "./collapse.ts";
export * from "./collapse_checks.ts";
export * from "./compute_optimal_horizon.ts";
export * from "./schedule_noise_model.ts";
export * from "./registry.ts";
export * from "./evaluate.ts";
export * from "./curves.ts";
