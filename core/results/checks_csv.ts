/**
 * `checks.csv`: one row per check verdict of a results directory. The format's
 * one owner: its columns, row type, writer and strict reader.
 *
 * @example
 * ```ts
 * import { checksCsv, parseChecksCsv } from "./checks_csv.ts";
 * import { assertEquals } from "../../tests/assert.ts";
 * assertEquals(parseChecksCsv(checksCsv([]), "checks.csv"), []);
 * ```
 * @module
 */
import { oneOf, parseCsv, parseNumberCell, requireColumns, toCsv } from "./csv.ts";

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

const EXPECTS: readonly Expectation[] = ["holds", "fails", "report"];
const VERDICTS: readonly Verdict[] = ["pass", "fail", "skip"];
const OUTCOMES: readonly CheckRow["outcome"][] = [
  "met",
  "not met",
  "report",
  "skipped",
  "no data",
];

/** The checks.csv text of `rows`. */
export function checksCsv(rows: CheckRow[]): string {
  return toCsv([...CHECK_COLUMNS], rows.map((r) => CHECK_COLUMNS.map((c) => r[c])));
}

/** Parses checks.csv text strictly into rows. */
export function parseChecksCsv(text: string, file: string): CheckRow[] {
  const { header, rows } = parseCsv(text, file);
  requireColumns(header, CHECK_COLUMNS, file);
  const idx = (c: string) => header.indexOf(c);
  return rows.map((r, i) => {
    const line = i + 2;
    const cell = (c: string) => r[idx(c)];
    return {
      experiment: cell("experiment"),
      check: cell("check"),
      run: cell("run"),
      expect: oneOf(cell("expect"), EXPECTS, file, line, "expect"),
      statistic: cell("statistic"),
      value: parseNumberCell(cell("value"), file, line, "value"),
      expected: cell("expected"),
      tolerance: cell("tolerance"),
      verdict: oneOf(cell("verdict"), VERDICTS, file, line, "verdict"),
      outcome: oneOf(cell("outcome"), OUTCOMES, file, line, "outcome"),
      detail: cell("detail"),
    };
  });
}
