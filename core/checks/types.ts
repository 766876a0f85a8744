/**
 * Types shared by every theory check. A check reads result CSVs only (through
 * {@linkcode RunData}), so it works on committed results and on curves exported
 * from another framework.
 * @module
 */
import type { Table } from "../results/table.ts";
import type { z } from "zod";

/** Status of one run, as written in `runs.csv`. */
export type RunStatus = "ok" | "diverged" | "skipped" | "failed";

/** One run as the checks see it. */
export interface RunData {
  /** Run id, e.g. `eos_chebyshev/lr=0.2,seed=1`. */
  id: string;
  /** Status from runs.csv. */
  status: RunStatus;
  /**
   * The runs.csv row as strings: sweep values (`model.width`, `seed`, ...),
   * plus `lr` (peak), `optimizer`, `beta1`, `n_params`, `schedule`, `reason`.
   */
  info: Record<string, string>;
  /** metrics.csv of the run; null when it has none (skipped). */
  metrics: Table | null;
}

/** What a check is given. */
export interface CheckInput {
  /** Experiment name. */
  experiment: string;
  /** The experiment's runs (already filtered by the check's `where`). */
  runs: RunData[];
}

/** Verdict of a check on its data. */
export type Verdict = "pass" | "fail" | "skip";

/** What a check returns (one per run for per-run checks, else one). */
export interface CheckOutcome {
  /** Run id, or "*" for a check over the whole experiment. */
  run: string;
  /** Name of the statistic, e.g. "median lambda_max*lr/2". */
  statistic: string;
  /** Its value (null when not computable). */
  value: number | null;
  /** Expected band or threshold, human-readable, e.g. "[0.90, 1.15]". */
  expected: string;
  /** Tolerance used, human-readable. */
  tolerance: string;
  /** pass | fail | skip. */
  verdict: Verdict;
  /** One-line reason with the numbers. */
  detail: string;
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
  optionsSchema?: z.ZodType;
  /** Evaluates the check. Never throws on bad data: returns skip/fail with a reason. */
  evaluate(input: CheckInput, options: CheckOptions): CheckOutcome[];
}

/** What the experiment expects of a check. */
export type Expectation = "holds" | "fails" | "report";

/** A row of checks.csv. */
export interface CheckRow extends CheckOutcome {
  /** Experiment name. */
  experiment: string;
  /** Check name. */
  check: string;
  /** holds | fails | report. */
  expect: Expectation;
  /**
   * Whether the expectation was met: "met" | "not met" | "report" | "skipped" |
   * "no data". "no data" is a gating check whose runs were all skipped because
   * their input data is absent (e.g. CIFAR-5M files not installed): it does not
   * gate (SPEC §6.3). Any other skip of a gating check is "skipped" and gates.
   */
  outcome: "met" | "not met" | "report" | "skipped" | "no data";
}

/** The columns of checks.csv, in order. */
export const CHECK_COLUMNS = [
  "experiment",
  "check",
  "run",
  "expect",
  "statistic",
  "value",
  "expected",
  "tolerance",
  "verdict",
  "outcome",
  "detail",
] as const;

/**
 * Whether an outcome meets an expectation. `noData` marks a skip whose runs
 * were all skipped for missing input data.
 *
 * @example
 * ```ts
 * import { outcomeOf } from "./types.ts";
 * outcomeOf("fails", "fail"); // "met"
 * outcomeOf("holds", "skip"); // "skipped" (this gates)
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
 * failsGate({ outcome: "skipped" }); // true
 * failsGate({ outcome: "report" }); // false
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
