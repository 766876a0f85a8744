/**
 * The registry of theory checks (SPEC §7), by name.
 *
 * @example
 * ```ts
 * import { checkNames, getCheck } from "./registry.ts";
 * import { assertEquals } from "../../tests/assert.ts";
 * assertEquals(getCheck("eos")?.name, "eos");
 * assertEquals(checkNames().includes("collapse"), true);
 * ```
 * @module
 */
import type { Check } from "./types.ts";
import { eosCheck } from "./eos.ts";
import { adaptiveEosCheck } from "./adaptive_eos.ts";
import { progressiveSharpeningCheck } from "./progressive_sharpening.ts";
import { grokkingCheck } from "./grokking.ts";
import { edgePrecedesGrokkingCheck } from "./edge_precedes_grokking.ts";
import { grokkingTimeScalingCheck } from "./grokking_time_scaling.ts";
import { grokkingPhaseCheck } from "./grokking_phase.ts";
import { spectralLrControlCheck } from "./spectral_lr_control.ts";
import {
  collapseCheck,
  collapseVarianceScalingCheck,
  fitL0Check,
  supercollapseCheck,
} from "./collapse_checks.ts";
import { computeOptimalHorizonCheck } from "./compute_optimal_horizon.ts";
import { scheduleNoiseModelCheck } from "./schedule_noise_model.ts";
import { emergenceCheck } from "./emergence.ts";
import { edgeAtEmergenceCheck } from "./edge_at_emergence.ts";

/** Every check, keyed by its registry name. */
export const checks: Record<string, Check> = Object.fromEntries(
  [
    eosCheck,
    adaptiveEosCheck,
    progressiveSharpeningCheck,
    grokkingCheck,
    edgePrecedesGrokkingCheck,
    grokkingTimeScalingCheck,
    grokkingPhaseCheck,
    spectralLrControlCheck,
    collapseCheck,
    supercollapseCheck,
    fitL0Check,
    computeOptimalHorizonCheck,
    scheduleNoiseModelCheck,
    collapseVarianceScalingCheck,
    emergenceCheck,
    edgeAtEmergenceCheck,
  ].map((c) => [c.name, c]),
);

/**
 * The check registered under `name`, or undefined.
 *
 * @example
 * ```ts
 * import { getCheck } from "./registry.ts";
 * import { assertEquals } from "../../tests/assert.ts";
 * assertEquals(getCheck("no_such_check"), undefined);
 * ```
 */
export function getCheck(name: string): Check | undefined {
  return Object.hasOwn(checks, name) ? checks[name] : undefined;
}

/**
 * The registered names, in registry order.
 *
 * @example
 * ```ts
 * import { checkNames } from "./registry.ts";
 * import { assertEquals } from "../../tests/assert.ts";
 * assertEquals(checkNames()[0], "eos");
 * ```
 */
export function checkNames(): string[] {
  return Object.keys(checks);
}
