/**
 * Types shared by every theory check. A check reads result CSVs only (through
 * {@linkcode RunData}), so it works on committed results and on curves exported
 * from another framework.
 * @module
 */
import type { z } from "zod";

export type { RunData, RunStatus } from "../results/run_data.ts";
export type { CheckOutcome, CheckRow, Expectation, Verdict } from "../results/checks_csv.ts";
export { CHECK_COLUMNS } from "../results/checks_csv.ts";
import type { CheckOutcome, CheckRow, Expectation, Verdict } from "../results/checks_csv.ts";
import type { RunData } from "../results/run_data.ts";

/** What a check is given. */
export interface CheckInput {
  /** Experiment name. */
  experiment: string;
  /** The experiment's runs (already filtered by the check's `where`). */
  runs: RunData[];
}

/** Options given to a check from the experiment file (tolerances, columns...). */
export type CheckOptions = Record<string, unknown>;

/** A theory check: pure function of the CSV data. */
export interface Check {
  /** Registry name (e.g. "eos"). */
  name: string;
  /** One-line description. */
  description: string;
  /**
   * Strict schema of the options this check reads (every key, with its type and
   * default). A misspelt or ill-typed option is an input error, refused when the
   * experiment file is loaded (SPEC §7). Build it with `z.strictObject({...})`.
   */
  optionsSchema: z.ZodType;
  /** Evaluates the check. Never throws on bad data: returns skip/fail with a reason. */
  evaluate(input: CheckInput, options: CheckOptions): CheckOutcome[];
}

/**
 * Whether an outcome meets an expectation. `noData` marks a skip whose runs
 * were all skipped for missing input data.
 *
 * @example
 * ```ts
 * import { outcomeOf } from "./types.ts";
 * import { assertEquals } from "../../tests/assert.ts";
 * assertEquals(outcomeOf("fails", "fail"), "met");
 * assertEquals(outcomeOf("holds", "skip"), "skipped"); // this gates
 * ```
 */
export function outcomeOf(
  expect: Expectation,
  verdict: Verdict,
  noData = false,
): CheckRow["outcome"] {
  if (expect === "report") return "report";
  if (verdict === "skip") return noData ? "no data" : "skipped";
  if (expect === "holds") return verdict === "pass" ? "met" : "not met";
  return verdict === "fail" ? "met" : "not met";
}

/**
 * Whether a row fails the gate: a gating check (expect holds|fails) whose
 * expectation was not met, or that was skipped for any reason other than
 * absent input data (SPEC §7: "a gating check that is skipped fails the gate").
 *
 * @example
 * ```ts
 * import { failsGate } from "./types.ts";
 * import { assertEquals } from "../../tests/assert.ts";
 * assertEquals(failsGate({ outcome: "skipped" }), true);
 * assertEquals(failsGate({ outcome: "report" }), false);
 * ```
 */
export function failsGate(row: Pick<CheckRow, "outcome">): boolean {
  return row.outcome === "not met" || row.outcome === "skipped";
}

/** A check as declared in an experiment file's `checks` list. */
export interface CheckSpec {
  /** Registry name, e.g. "eos". */
  name: string;
  /** What the experiment expects: holds (gating), fails (negative control, gating), report. */
  expect: Expectation;
  /** Only runs whose runs.csv values match (e.g. `{ "optimizer.lr": 0.2 }`). */
  where?: Record<string, string | number | boolean>;
  /** Tolerances and settings for the check (e.g. `{ band: [0.9, 1.15] }`). */
  options?: CheckOptions;
}
