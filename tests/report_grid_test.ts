/** Verdict grids: a check's statistic over two swept axes, verdicts per cell. */
import { assertEquals } from "./assert.ts";
import { gridAxes, gridCells, verdictGrids } from "../core/report/verdict_grid.ts";
import type { LoadedExperiment, Suite } from "../core/results/load.ts";
import type { CheckRow } from "../core/checks/types.ts";

function experiment(): LoadedExperiment {
  const runs = [];
  for (const lr of ["0.1", "0.2"]) {
    for (const wd of ["0", "1"]) {
      for (const seed of ["1", "2", "3"]) {
        const id = `g/lr=${lr},wd=${wd},seed=${seed}`;
        runs.push({
          id,
          status: "ok" as const,
          info: { "optimizer.lr": lr, "optimizer.wd": wd, seed },
          metrics: null,
          dir: id,
        });
      }
    }
  }
  return {
    name: "g",
    config: { sweep: { "optimizer.lr": [0.1, 0.2], "optimizer.wd": [0, 1], seed: [1, 2, 3] } },
    runsCsv: null,
    runs,
  } as unknown as LoadedExperiment;
}

function row(run: string, value: number, verdict: "pass" | "fail"): CheckRow {
  return {
    experiment: "g",
    check: "grokking",
    run,
    expect: "report",
    statistic: "t_gen/t_fit",
    value,
    expected: "",
    tolerance: "",
    verdict,
    outcome: "report",
    detail: "",
  };
}

Deno.test("gridAxes() takes the swept axes with several values, seeds aside", () => {
  assertEquals(gridAxes(experiment()), ["optimizer.lr", "optimizer.wd"]);
});

Deno.test("gridCells() gives the median statistic and the verdict counts per cell", () => {
  const exp = experiment();
  const rows = exp.runs.map((r, i) => {
    const wd = r.info["optimizer.wd"];
    return row(
      r.id,
      wd === "1" ? 4 + (i % 3) : 1 + (i % 3) * 0.1,
      wd === "1" && i % 3 !== 2 ? "pass" : "fail",
    );
  });
  const cells = gridCells(exp, rows, ["optimizer.lr", "optimizer.wd"]);
  assertEquals(cells.length, 4);
  const c = cells.find((x) => x.a === "0.1" && x.b === "1")!;
  assertEquals(c.value, 5); // median of 4, 5, 6
  assertEquals(c.label, "pass 2/3");
  const d = cells.find((x) => x.a === "0.2" && x.b === "0")!;
  assertEquals(d.label, "fail 3/3");
  const suite = { dir: "x", experiments: [exp], checks: rows } as unknown as Suite;
  const grids = verdictGrids(suite);
  assertEquals(grids.map((g) => g.plot.name), ["g.grid"]);
});

Deno.test("ruleLabels() shares a label between runs at one step and lowers labels that would overlap", async () => {
  const { ruleLabels } = await import("../core/report/plots.ts");
  const labels = ruleLabels([
    { run: "seed=1", step: 90, series: "t_fit" },
    { run: "seed=3", step: 90, series: "t_fit" },
    { run: "seed=2", step: 100, series: "t_fit" },
    { run: "seed=2", step: 430, series: "t_gen" },
  ]);
  assertEquals(labels.map((l) => [l.label, l.step, l.labelY]), [
    ["t_fit ×2", 90, 0.98],
    ["t_fit", 100, 0.82], // 100/90 < 1.12: lowered
    ["t_gen", 430, 0.98],
  ]);
});
