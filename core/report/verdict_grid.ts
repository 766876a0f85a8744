/**
 * Verdict grids: for an experiment that sweeps two axes (seeds aside), one
 * heat map per check of its statistic over the two axes, each cell labelled
 * with its verdicts (e.g. "pass 3/3" over seeds) — where a claim holds and
 * where it does not, at a glance.
 *
 * @example
 * ```ts
 * import { verdictGrids } from "./verdict_grid.ts";
 * import { loadSuite } from "../results/load.ts";
 * import { verifyDir } from "../checks/verify.ts";
 * import { writeFakeSuite } from "../../tests/compare_fixture.ts";
 * import { assertEquals } from "../../tests/assert.ts";
 * // grokking over weight decay × train fraction: generalisation at 900 (grokking) or 150 (no delay)
 * const run = (wd: number, f: number, gen: number) => ({
 *   params: { "optimizer.weightDecay": wd, "task.trainFraction": f },
 *   header: ["step", "train_loss", "train_acc", "test_acc"],
 *   rows: [[0, 1, 0, 0], [100, 0.1, 1, 0.01], [gen, 0.1, 1, 1], [1000, 0.1, 1, 1]],
 * });
 * const dir = await Deno.makeTempDir();
 * await writeFakeSuite(dir, { checks: false }, [{
 *   name: "grok",
 *   config: {
 *     name: "grok",
 *     sweep: { "optimizer.weightDecay": [0.1, 1], "task.trainFraction": [0.3, 0.5] },
 *     checks: [{ name: "grokking", expect: "holds" }],
 *   },
 *   runs: [run(0.1, 0.3, 900), run(1, 0.3, 150), run(0.1, 0.5, 900), run(1, 0.5, 150)],
 * }]);
 * await verifyDir(dir); // writes checks.csv
 * const grids = verdictGrids(await loadSuite(dir));
 * assertEquals(grids.map((g) => [g.experiment, g.plot.name]), [["grok", "grok.grid"]]);
 * await Deno.remove(dir, { recursive: true });
 * ```
 * @module
 */
import type { LoadedExperiment, Suite } from "../results/load.ts";
import type { CheckRow } from "../checks/types.ts";
import type { Plot } from "./render.ts";
import { PLOT_CONFIG } from "./render.ts";

/** The swept axes of an experiment with more than one value, seeds aside. */
export function gridAxes(exp: LoadedExperiment): string[] {
  const sweep = (exp.config as { sweep?: Record<string, unknown[]> })?.sweep ?? {};
  return Object.entries(sweep)
    .filter(([k, v]) => k !== "seed" && Array.isArray(v) && v.length > 1)
    .map(([k]) => k);
}

/** One cell of a grid: the two axis values, the median statistic and the verdicts. */
export interface GridCell {
  /** Value on the first axis (as runs.csv writes it). */
  a: string;
  /** Value on the second axis. */
  b: string;
  /** Median of the statistic over the cell's runs (null when none is a number). */
  value: number | null;
  /** e.g. "pass 3/3", "fail 2/3", "skip". */
  label: string;
}

/** The cells of one check's grid over axes `[a, b]`. */
export function gridCells(exp: LoadedExperiment, rows: CheckRow[], axes: string[]): GridCell[] {
  const info = new Map(exp.runs.map((r) => [r.id, r.info]));
  const groups = new Map<string, { a: string; b: string; values: number[]; verdicts: string[] }>();
  for (const r of rows) {
    const i = info.get(r.run);
    if (!i || i[axes[0]] === undefined || i[axes[1]] === undefined) continue;
    const key = `${i[axes[0]]}\u0000${i[axes[1]]}`;
    if (!groups.has(key)) {
      groups.set(key, { a: i[axes[0]], b: i[axes[1]], values: [], verdicts: [] });
    }
    const g = groups.get(key)!;
    if (r.value !== null && Number.isFinite(r.value)) g.values.push(r.value);
    g.verdicts.push(r.verdict);
  }
  return [...groups.values()].map((g) => {
    const v = [...g.values].sort((x, y) => x - y);
    const value = v.length === 0
      ? null
      : v.length % 2
      ? v[v.length >> 1]
      : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    const pass = g.verdicts.filter((x) => x === "pass").length;
    const n = g.verdicts.length;
    const label = n === 1
      ? g.verdicts[0]
      : pass > 0
      ? `pass ${pass}/${n}`
      : `fail ${n - pass}/${n}`;
    return { a: g.a, b: g.b, value, label };
  });
}

const numericSort = (xs: string[]) =>
  [...new Set(xs)].sort((x, y) =>
    Number.isFinite(Number(x)) && Number.isFinite(Number(y))
      ? Number(x) - Number(y)
      : x < y
      ? -1
      : 1
  );

/** The grids of every two-axis experiment of a suite. */
export function verdictGrids(suite: Suite): { experiment: string; plot: Plot }[] {
  const out: { experiment: string; plot: Plot }[] = [];
  for (const exp of suite.experiments) {
    const axes = gridAxes(exp);
    if (axes.length !== 2) continue;
    const rows = suite.checks.filter((c) => c.experiment === exp.name && c.run !== "*");
    const checks = [...new Set(rows.map((r) => `${r.check}\u0000${r.statistic}`))];
    checks.forEach((key, k) => {
      const [check, statistic] = key.split("\u0000");
      const cells = gridCells(
        exp,
        rows.filter((r) => r.check === check && r.statistic === statistic),
        axes,
      );
      if (cells.length < 2) return;
      const values = cells.map((c) => ({
        a: c.a,
        b: c.b,
        value: c.value,
        text: `${c.value === null ? "–" : Number(c.value.toPrecision(3))} ${c.label}`,
      }));
      out.push({
        experiment: exp.name,
        plot: {
          name: `${exp.name}.grid${k === 0 ? "" : `_${k + 1}`}`,
          title: `${exp.name}: ${check} over ${axes[0]} × ${axes[1]}`,
          caption:
            `Verdict grid: the median of "${statistic}" per cell (colour; median over seeds when swept) and the verdicts of ${check} in that cell.`,
          spec: {
            $schema: "https://vega.github.io/schema/vega-lite/v6.json",
            title: { text: `${exp.name}: ${check}`, subtitle: statistic, anchor: "start" },
            config: PLOT_CONFIG,
            data: { values },
            encoding: {
              x: {
                field: "a",
                type: "ordinal",
                title: axes[0],
                sort: numericSort(cells.map((c) => c.a)),
              },
              y: {
                field: "b",
                type: "ordinal",
                title: axes[1],
                sort: numericSort(cells.map((c) => c.b)),
              },
            },
            layer: [
              {
                mark: "rect",
                encoding: {
                  color: {
                    field: "value",
                    type: "quantitative",
                    title: "statistic",
                    scale: { scheme: "viridis" },
                  },
                },
              },
              {
                mark: { type: "text", fontSize: 12 },
                encoding: {
                  text: { field: "text" },
                  color: { value: "white" },
                },
              },
            ],
            width: Math.max(160, 110 * new Set(cells.map((c) => c.a)).size),
            height: Math.max(80, 50 * new Set(cells.map((c) => c.b)).size),
          },
        },
      });
    });
  }
  return out;
}
