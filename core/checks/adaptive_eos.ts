/**
 * Adaptive edge of stability (SPEC §7, Cohen et al. 2022): under Adam the
 * preconditioned sharpness λ_max(P⁻¹H) hovers at θ = (2 + 2β1)/((1 − β1)η)
 * (= 38/η at β1 = 0.9).
 *
 * Same definition as {@linkcode eosCheck} (rise from below, onset, settling
 * window, period-2 orbits, windowed progress), on the `precond_lambda_max`
 * column, band [0.85, 1.15]. θ comes from the
 * `critical_sharpness` column if present, else from η (`lr` column, option
 * `lr` or runs.csv `lr`) and β1 (option `beta1`, runs.csv `beta1`, else 0.9,
 * said in the detail).
 *
 * @example
 * ```ts
 * import { adaptiveEosCheck } from "./adaptive_eos.ts";
 * import { assertEquals } from "../../tests/assert.ts";
 * assertEquals(adaptiveEosCheck.name, "adaptive_eos");
 * ```
 * @module
 */
import type { Check } from "./types.ts";
import { EDGE_OPTION_SHAPE, type EdgeFlavour, edgeOutcome } from "./eos.ts";
import { z } from "zod";
import { fmt, fmtBand, guarded, infoNumber, optionalNumber } from "./common.ts";

/** Adam flavour: θ = (2 + 2β1)/((1 − β1)η) on the preconditioned sharpness. */
export const ADAM_EDGE: EdgeFlavour = {
  name: "adaptive_eos",
  sharpness: "precond_lambda_max",
  thresholdColumn: "critical_sharpness",
  band: [0.85, 1.15],
  statistic: "median precond_lambda_max/critical_sharpness",
  symbol: "λ_max(P⁻¹H)/θ",
  thresholdOf: (run, options) => {
    const given = optionalNumber(options, "beta1") ??
      infoNumber(run.info, "beta1");
    const beta1 = given ?? 0.9;
    const c = (2 + 2 * beta1) / (1 - beta1);
    return {
      of: (lr) => c / lr,
      note: `θ = (2+2β1)/((1−β1)η) = ${fmt(c)}/η with β1 = ${fmt(beta1)}${
        given === null ? " (assumed)" : ""
      }`,
    };
  },
};

/**
 * The `adaptive_eos` check: one outcome per run.
 *
 * @example
 * ```ts
 * import { adaptiveEosCheck } from "./adaptive_eos.ts";
 * import { tableFromCsv } from "../results/table.ts";
 * import { assertEquals } from "../../tests/assert.ts";
 * const rows = ["step,critical_sharpness,train_loss,precond_lambda_max"];
 * for (let s = 0; s <= 100; s++) rows.push(`${s},380,${1 / (1 + s)},${s < 20 ? 100 + 14 * s : 380}`);
 * const metrics = tableFromCsv(rows.join("\n"), "m.csv");
 * const run = { id: "a/b", status: "ok" as const, info: {}, metrics };
 * assertEquals(adaptiveEosCheck.evaluate({ experiment: "a", runs: [run] }, {})[0].verdict, "pass");
 * ```
 */
export const adaptiveEosCheck: Check = {
  name: "adaptive_eos",
  description:
    "Adam preconditioned sharpness rises to (2+2β1)/((1−β1)η) and hovers in [0.85, 1.15] of it",
  optionsSchema: z.strictObject({
    ...EDGE_OPTION_SHAPE,
    /** β1 when the metrics have no critical_sharpness column (default: runs.csv, else 0.9). */
    beta1: z.number().min(0).max(1).optional(),
  }),
  evaluate: guarded(
    () => ({
      statistic: ADAM_EDGE.statistic,
      expected: fmtBand(ADAM_EDGE.band),
      tolerance: "",
    }),
    (input, options) => input.runs.map((r) => edgeOutcome(r, ADAM_EDGE, options)),
  ),
};
