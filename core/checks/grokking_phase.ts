/**
 * The phase of a grokking run (Liu et al. 2022, "Towards understanding
 * grokking: an effective theory of representation learning", Fig. 6–7):
 *
 * - `comprehension`: fits and generalises without a delay (t_gen/t_fit <
 *   `ratio`, or test accuracy at t_fit above `maxTestAtFit`);
 * - `grokking`: fits, then generalises much later (the `grokking` check's
 *   criteria: t_gen/t_fit ≥ `ratio` (3), test accuracy at t_fit ≤ 0.5);
 * - `memorisation`: fits the training set and never generalises within the
 *   run (a budget-bound label: a slower grokker looks the same);
 * - `confusion`: never fits the training set.
 *
 * t_fit and t_gen are those of {@linkcode grokTimes}. The check
 * `grokking_phase` labels each run; it passes when the label equals the
 * option `phase` (default `grokking`), so a phase-diagram sweep is recorded as
 * `report` and a single held-out setting can be gated on its expected phase.
 * The value is t_gen/t_fit when both exist (null otherwise); the statistic
 * names the label's index (0–3) in the detail, which the report's heat map
 * reads from the CSVs directly through {@linkcode classifyGrokking}.
 *
 * @example
 * ```ts
 * import { classifyGrokking } from "./grokking_phase.ts";
 * import { assertEquals } from "../../tests/assert.ts";
 * const t = { tFit: 100, tGen: 600, testAtFit: 0.01, maxTest: { value: 1, step: 600 }, maxTrain: 1, lastStep: 1000 };
 * assertEquals(classifyGrokking(t, {}).phase, "grokking");
 * ```
 * @module
 */
import { z } from "zod";
import type { Check, CheckOptions, CheckOutcome, RunData } from "./types.ts";
import { type GrokTimes, grokTimes } from "./grokking.ts";
import { divergence, fmt, guarded, numberOption, OptionError, outcome } from "./common.ts";

/** The four phases, in the order used for colours and indices. */
export const GROKKING_PHASES = ["comprehension", "grokking", "memorisation", "confusion"] as const;

/** A phase label. */
export type GrokkingPhase = typeof GROKKING_PHASES[number];

/** Strict options of `grokking_phase`. */
export const grokkingPhaseOptions = z.strictObject({
  phase: z.enum(GROKKING_PHASES).optional(),
  trainAcc: z.number().min(0).max(1).optional(),
  testAcc: z.number().min(0).max(1).optional(),
  maxTestAtFit: z.number().min(0).max(1).optional(),
  ratio: z.number().positive().optional(),
});

/** A run's phase with the numbers behind it. */
export interface PhaseOf {
  /** The label. */
  phase: GrokkingPhase;
  /** t_gen/t_fit when both exist (∞ when t_fit = 0), else null. */
  ratio: number | null;
  /** One line with the numbers. */
  why: string;
}

/**
 * The phase of a run from its grokking times.
 *
 * @example
 * ```ts
 * import { classifyGrokking } from "./grokking_phase.ts";
 * const t = { tFit: 100, tGen: 150, testAtFit: 0.3, maxTest: { value: 1, step: 150 }, maxTrain: 1, lastStep: 500 };
 * import { assertEquals } from "../../tests/assert.ts";
 * assertEquals(classifyGrokking(t, {}).phase, "comprehension"); // t_gen/t_fit = 1.5 < 3
 * ```
 */
export function classifyGrokking(g: GrokTimes, options: CheckOptions): PhaseOf {
  const ratioMin = numberOption(options, "ratio", 3);
  const maxTestAtFit = numberOption(options, "maxTestAtFit", 0.5);
  if (g.tFit === null) {
    return {
      phase: "confusion",
      ratio: null,
      why: `train accuracy never reached ${fmt(numberOption(options, "trainAcc", 0.99))} (max ${
        fmt(g.maxTrain)
      }) within ${g.lastStep} steps`,
    };
  }
  if (g.tGen === null) {
    return {
      phase: "memorisation",
      ratio: null,
      why: `t_fit = ${g.tFit}; test accuracy never reached ${
        fmt(numberOption(options, "testAcc", 0.95))
      } (max ${fmt(g.maxTest?.value)}) within ${g.lastStep} steps`,
    };
  }
  const ratio = g.tFit === 0 ? Infinity : g.tGen / g.tFit;
  const delayed = ratio >= ratioMin && (g.testAtFit ?? 0) <= maxTestAtFit;
  return {
    phase: delayed ? "grokking" : "comprehension",
    ratio,
    why: `t_fit = ${g.tFit}, t_gen = ${g.tGen}, t_gen/t_fit = ${fmt(ratio)}, test acc at t_fit = ${
      fmt(g.testAtFit)
    }`,
  };
}

function expectedPhase(options: CheckOptions): GrokkingPhase {
  const p = options.phase ?? "grokking";
  if (typeof p !== "string" || !(GROKKING_PHASES as readonly string[]).includes(p)) {
    throw new OptionError(
      "phase",
      `expected one of ${GROKKING_PHASES.join(", ")}, got ${JSON.stringify(p)}`,
    );
  }
  return p as GrokkingPhase;
}

function frameOf(options: CheckOptions) {
  return {
    statistic: "phase (value: t_gen/t_fit)",
    expected: expectedPhase(options),
    tolerance: `grokking: t_gen/t_fit >= ${
      fmt(numberOption(options, "ratio", 3))
    }, test acc at t_fit <= ${fmt(numberOption(options, "maxTestAtFit", 0.5))}`,
  };
}

function evaluateRun(run: RunData, options: CheckOptions): CheckOutcome {
  const frame = frameOf(options);
  const want = expectedPhase(options);
  const diverged = divergence(run);
  if (diverged) return outcome(run.id, frame, null, "fail", diverged);
  const g = grokTimes(run, options);
  if ("reason" in g) return outcome(run.id, frame, null, "skip", g.reason);
  const p = classifyGrokking(g, options);
  return outcome(
    run.id,
    frame,
    p.ratio,
    p.phase === want ? "pass" : "fail",
    `${p.phase} (phase ${GROKKING_PHASES.indexOf(p.phase)}): ${p.why}`,
  );
}

/**
 * The `grokking_phase` check: one outcome per run, its phase.
 *
 * @example
 * ```ts
 * import { grokkingPhaseCheck } from "./grokking_phase.ts";
 * import { tableFromCsv } from "../results/table.ts";
 * const metrics = tableFromCsv("step,train_acc,test_acc\n0,0,0\n100,1,0.01\n600,1,1\n", "m.csv");
 * const run = { id: "g", status: "ok" as const, info: {}, metrics };
 * import { assertEquals } from "../../tests/assert.ts";
 * assertEquals(
 *   grokkingPhaseCheck.evaluate({ experiment: "g", runs: [run] }, {})[0].detail,
 *   "grokking (phase 1): t_fit = 100, t_gen = 600, t_gen/t_fit = 6, test acc at t_fit = 0.01",
 * );
 * ```
 */
export const grokkingPhaseCheck: Check = {
  name: "grokking_phase",
  description:
    "labels each run comprehension / grokking / memorisation / confusion (Liu et al. 2022)",
  optionsSchema: grokkingPhaseOptions,
  evaluate: guarded(
    frameOf,
    (input, options) => input.runs.map((r) => evaluateRun(r, options)),
  ),
};
