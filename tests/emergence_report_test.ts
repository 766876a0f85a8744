import { assertEquals, assertMatch, assertOk } from "./assert.ts";
import { emergencePlots } from "../core/report/emergence.ts";
import { renderSvg } from "../core/report/render.ts";
import { tableFromCsv } from "../core/results/table.ts";
import type { LoadedExperiment } from "../core/results/load.ts";

/** Two subtasks jumping at steps 300 and 600 (linear over 100 steps), an edge column. */
function experiment(checks: unknown[]): LoadedExperiment {
  const lines = ["step,test_loss,acc_task_1,loss_task_1,acc_task_2,loss_task_2,gram_s2_s3"];
  const ramp = (t: number, s: number) => Math.min(1, Math.max(0.5, 0.5 + 0.5 * (t - s) / 100));
  for (let t = 0; t <= 1000; t += 10) {
    const a = [ramp(t, 250), ramp(t, 550)];
    const l = a.map((v) => 0.7 * (1 - v) * 2 + 0.01);
    lines.push([t, (l[0] + l[1]) / 2, a[0], l[0], a[1], l[1], 1.5 + (t % 30) / 30].join(","));
  }
  return {
    name: "em",
    config: { checks },
    runsCsv: null,
    runs: [{
      id: "em/seed=1",
      status: "ok",
      info: {},
      dir: "seed=1~x",
      metrics: tableFromCsv(lines.join("\n") + "\n", "metrics.csv"),
    }],
  };
}

Deno.test("emergence figure: accuracy, mean loss and edge panels with the check's onsets as rules; renders", async () => {
  const plots = emergencePlots(experiment([{ name: "emergence", expect: "report" }]));
  assertEquals(plots.map((p) => p.name), ["em.emergence_1"]);
  const panels = (plots[0].spec as { vconcat: { layer: { data: { values: unknown[] } }[] }[] })
    .vconcat;
  assertEquals(panels.length, 3);
  const rules = panels[0].layer[1].data.values as { step: number; subtask: string }[];
  assertEquals(rules, [{ step: 300, subtask: "1" }, { step: 600, subtask: "2" }]);
  assertMatch(plots[0].caption, /2\/2 learned/);
  const svg = await renderSvg(plots[0].spec);
  assertOk(svg.startsWith("<svg") && svg.includes("held-out accuracy per subtask"));
  // no emergence check → no figure
  assertEquals(emergencePlots(experiment([{ name: "grokking", expect: "holds" }])), []);
});
