/**
 * The one-screen summary of check verdicts printed at the end of a suite.
 *
 * @example
 * ```ts
 * import { renderCheckSummary } from "./summary.ts";
 * console.log(renderCheckSummary([]));
 * ```
 * @module
 */
import type { CheckRow } from "./types.ts";

function fmt(v: number | null): string {
  if (v === null) return "-";
  if (!Number.isFinite(v)) return String(v);
  return Math.abs(v) >= 1e4 || (Math.abs(v) < 1e-3 && v !== 0)
    ? v.toExponential(3)
    : v.toPrecision(4);
}

/** Renders check rows as an aligned text table plus a tally line. */
export function renderCheckSummary(rows: CheckRow[]): string {
  if (rows.length === 0) return "no checks";
  const mark = (r: CheckRow) =>
    r.outcome === "met"
      ? "ok  "
      : r.outcome === "not met"
      ? "FAIL"
      : r.outcome === "report"
      ? "info"
      : "skip";
  const table = rows.map((r) => [
    mark(r),
    `${r.experiment}:${r.check}`,
    r.run === "*" ? "" : r.run.replace(/^[^/]*\//, ""),
    `expect ${r.expect}`,
    `${r.verdict}`,
    `${r.statistic}=${fmt(r.value)}`,
    r.detail,
  ]);
  const widths = [0, 1, 2, 3, 4, 5].map((j) => Math.max(...table.map((t) => t[j].length)));
  const lines = table.map((t) => t.map((c, j) => (j < 6 ? c.padEnd(widths[j]) : c)).join("  "));
  const n = (o: CheckRow["outcome"]) => rows.filter((r) => r.outcome === o).length;
  const tally = `checks: ${n("met")} met, ${n("not met")} not met, ${n("report")} report, ${
    n("skipped")
  } skipped`;
  return [...lines, tally].join("\n");
}
