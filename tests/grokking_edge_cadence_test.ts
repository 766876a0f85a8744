/**
 * The edge statistic of `edge_precedes_grokking` on real training curves does
 * not depend on how often the update-Gram edge is measured: a tiny grokking
 * run (a + b mod 23, the model of tests/grokking_e2e_test.ts) measured every
 * step and every 10 steps follows the same trajectory (the measurement does
 * not perturb training), writes the same σ₂/σ₃ at the common steps, and gets
 * the same verdict with nearly the same excess collapse.
 */
import { assertEquals, assertOk } from "./assert.ts";
import { runExperimentFile, tempDir, writeExperiment } from "./cli_helpers.ts";
import { parseCsv } from "../core/results/csv.ts";
import { tableFromCsv } from "../core/results/table.ts";
import { edgePrecedesGrokkingCheck } from "../core/checks/edge_precedes_grokking.ts";

const NAME = "grok_cadence";

function tiny(every: number): Record<string, unknown> {
  return {
    name: NAME,
    task: { kind: "modular", p: 23, op: "add", trainFraction: 0.5 },
    model: { kind: "mlp", depth: 1, width: 48, activation: "quadratic", bias: false },
    loss: "mse",
    optimizer: { kind: "adamw", lr: 5e-3, beta1: 0.9, beta2: 0.98, weightDecay: 1 },
    budget: { steps: 600 },
    measure: { every: 10, updateGram: { window: 10, every } },
    checks: [{ name: "grokking", expect: "report" }],
  };
}

async function metricsOf(every: number): Promise<string> {
  const dir = tempDir("phasebench-cadence-");
  const file = writeExperiment(dir, tiny(every));
  const out = `${dir}/out`;
  await runExperimentFile(file, out);
  const runs = `${out}/${NAME}/runs.csv`;
  const { header, rows } = parseCsv(Deno.readTextFileSync(runs), runs);
  return Deno.readTextFileSync(`${out}/${NAME}/${rows[0][header.indexOf("dir")]}/metrics.csv`);
}

Deno.test("edge_precedes_grokking: the same verdict with the Gram edge measured every step and every 10 steps", async () => {
  const [t1, t10] = [await metricsOf(1), await metricsOf(10)].map((m) => tableFromCsv(m, "m.csv"));
  // the same trajectory: σ₂/σ₃ identical at the common steps, accuracies identical
  const s1 = t1.pairs("step", "gram_s2_s3"), s10 = t10.pairs("step", "gram_s2_s3");
  assertOk(s10.x.length >= 55 && s1.x.length >= 550, `${s10.x.length}, ${s1.x.length}`);
  for (let i = 0; i < s10.x.length; i++) {
    assertEquals(s1.y[s1.x.indexOf(s10.x[i])], s10.y[i], `step ${s10.x[i]}`);
  }
  assertEquals(t1.pairs("step", "test_acc"), t10.pairs("step", "test_acc"));
  // windows short enough for this 600-step run (its plateau is ~200 steps)
  for (const options of [{}, { window: 60, smooth: 40 }]) {
    const ev = (t: typeof t1) =>
      edgePrecedesGrokkingCheck.evaluate({
        experiment: NAME,
        runs: [{ id: "r", status: "ok", info: {}, metrics: t }],
      }, options)[0];
    const a = ev(t1), b = ev(t10);
    assertEquals(a.verdict, b.verdict, `${a.detail} | ${b.detail}`);
    assertEquals(a.value === null, b.value === null, `${a.detail} | ${b.detail}`);
    if (a.value !== null) {
      assertOk(Math.abs(Math.log(a.value / b.value!)) < 0.2, `${a.detail} | ${b.detail}`);
    }
    // the same kind of reason (no memorisation plateau / the excess against 2)
    assertEquals(
      a.detail.startsWith("no "),
      b.detail.startsWith("no "),
      `${a.detail} | ${b.detail}`,
    );
    console.log(
      `  ${
        JSON.stringify(options)
      }: every 1: ${a.verdict} ${a.detail}\n  every 10: ${b.verdict} ${b.detail}`,
    );
  }
});
