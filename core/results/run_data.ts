/**
 * A run as read back from a results directory (`runs.csv` + `metrics.csv`):
 * the form in which checks, compare and report see it. Owned here, by the
 * results layer that reads it.
 *
 * @example
 * ```ts
 * import type { RunData } from "./run_data.ts";
 * import { assertEquals } from "../../tests/assert.ts";
 * const run: RunData = { id: "e/base", status: "ok", info: {}, metrics: null };
 * assertEquals(run.metrics, null); // no metrics.csv (e.g. a skipped run)
 * ```
 * @module
 */
import type { Table } from "./table.ts";

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
