/**
 * The one-screen summary of check verdicts printed at the end of a suite.
 *
 * @example
 * ```ts
 * import { renderCheckSummary } from "./summary.ts";
 * import { assertEquals } from "../../tests/assert.ts";
 * assertEquals(renderCheckSummary([]), "no checks");
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

/**
 * Renders check rows as an aligned text table plus a tally line. Marks: `ok`
 * met, `FAIL` not met, `SKIP` a gating check that was skipped (it fails the
 * gate), `info` report, `n/a` a gating check whose runs had no input data.
 * Lines longer than `width` are cut with "…" (the full detail stays in
 * checks.csv and the JSON output).
 */
export function renderCheckSummary(rows: CheckRow[], width = 160): string {
  if (rows.length === 0) return "no checks";
  const mark = (r: CheckRow) =>
    r.outcome === "met"
      ? "ok  "
      : r.outcome === "not met"
      ? "FAIL"
      : r.outcome === "skipped"
      ? "SKIP" // a gating check that could not be evaluated: fails the gate
      : r.outcome === "report"
      ? "info"
      : "n/a ";
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
  let cut = 0;
  const lines = table.map((t) => {
    const line = t.map((c, j) => (j < 6 ? c.padEnd(widths[j]) : c)).join("  ");
    if (line.length <= width) return line;
    cut++;
    return line.slice(0, width - 1) + "…";
  });
  const n = (o: CheckRow["outcome"]) => rows.filter((r) => r.outcome === o).length;
  const tally = `checks: ${n("met")} met, ${n("not met")} not met, ${
    n("skipped")
  } skipped (gating: fails the gate), ${n("no data")} without data, ${n("report")} report`;
  const note = cut > 0
    ? [`(${cut} line(s) cut to ${width} characters: the full detail is in checks.csv and --json)`]
    : [];
  return [...lines, tally, ...note].join("\n");
}
