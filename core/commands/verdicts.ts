/**
 * The end of every command that evaluates checks (bench, run, verify, merge):
 * the verdict table, the failed runs, and the exit code. One place, so the
 * gate means the same everywhere.
 *
 * @example
 * ```ts
 * import { printVerdicts } from "./verdicts.ts";
 * import { captureIO } from "../../tests/compare_fixture.ts";
 * import { assertEquals } from "../../tests/assert.ts";
 * const io = captureIO();
 * assertEquals(printVerdicts({ rows: [], gatingFailures: [], failedRuns: [] }, io), 0);
 * assertEquals(io.stdout, ["no checks"]);
 * ```
 * @module
 */
import type { VerifyResult } from "../checks/verify.ts";
import { renderCheckSummary } from "../checks/summary.ts";
import type { CommandIO } from "./command.ts";

/**
 * Prints the verdict summary and `FAILED RUN` lines; returns the exit code:
 * 1 when a gating check was not met or skipped, or a run failed; else 0.
 */
export function printVerdicts(v: VerifyResult, io: CommandIO): 0 | 1 {
  io.out(renderCheckSummary(v.rows));
  for (const f of v.failedRuns) io.out(`FAILED RUN ${f.id}: ${f.reason}`);
  return v.gatingFailures.length > 0 || v.failedRuns.length > 0 ? 1 : 0;
}
