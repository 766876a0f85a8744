/**
 * Sparse parity end to end, in seconds: a tiny multitask run (T = 3 subtasks
 * of k = 1 bit, n = 6) through the CLI writes `acc_task_<i>`/`loss_task_<i>`
 * columns after `test_acc`, whose equal-weight mean is `test_loss`; the run is
 * byte-identical when repeated, and the emergence check reads it.
 */
import { assertClose, assertEquals, assertOk } from "./assert.ts";
import { runExperimentFile, tempDir, writeExperiment } from "./cli_helpers.ts";
import { parseCsv } from "../core/results/csv.ts";

const NAME = "parity_tiny";

async function run(dir: string): Promise<string> {
  const file = writeExperiment(dir, {
    name: NAME,
    task: { kind: "sparse-parity", T: 3, n: 6, k: 1, alpha: 1, evalSize: 64, batchSize: 32 },
    model: { kind: "mlp", depth: 1, width: 16, activation: "relu" },
    loss: "xent",
    optimizer: { kind: "sgd", lr: 0.5, momentum: 0.9, batchSize: 32 },
    budget: { steps: 60 },
    measure: { every: 10, updateGram: { window: 10, every: 1 } },
    checks: [
      { name: "emergence", expect: "report", options: { minLearned: 1 } },
      { name: "edge_at_emergence", expect: "report", options: { window: 10 } },
    ],
  });
  const out = `${dir}/out`;
  await runExperimentFile(file, out);
  return out;
}

function metricsOf(out: string): string {
  const runs = parseCsv(Deno.readTextFileSync(`${out}/${NAME}/runs.csv`), "runs.csv");
  const dirCol = runs.header.indexOf("dir");
  return Deno.readTextFileSync(`${out}/${NAME}/${runs.rows[0][dirCol]}/metrics.csv`);
}

Deno.test("sparse parity: per-subtask columns, their mean is test_loss, deterministic, checked", async () => {
  const a = await run(tempDir("phasebench-parity-"));
  const text = metricsOf(a);
  const { header, rows } = parseCsv(text, "metrics.csv");
  const at = header.indexOf("test_acc");
  assertEquals(header.slice(at + 1, at + 7), [
    "acc_task_1",
    "loss_task_1",
    "acc_task_2",
    "loss_task_2",
    "acc_task_3",
    "loss_task_3",
  ]);
  const evals = rows.filter((r) => r[header.indexOf("acc_task_1")] !== "");
  assertEquals(evals.length, 7); // steps 0, 10, …, 60
  for (const r of evals) {
    const mean = [1, 2, 3].reduce((s, i) => s + Number(r[header.indexOf(`loss_task_${i}`)]), 0) / 3;
    assertClose(mean, Number(r[header.indexOf("test_loss")]), 1e-5);
    const acc = [1, 2, 3].reduce((s, i) => s + Number(r[header.indexOf(`acc_task_${i}`)]), 0) / 3;
    assertClose(acc, Number(r[header.indexOf("test_acc")]), 1e-6);
  }
  assertEquals(metricsOf(await run(tempDir("phasebench-parity-"))), text);
  const checks = parseCsv(Deno.readTextFileSync(`${a}/checks.csv`), "checks.csv");
  const names = checks.rows.map((r) => r[checks.header.indexOf("check")]);
  assertOk(names.includes("emergence") && names.includes("edge_at_emergence"), `${names}`);
});
