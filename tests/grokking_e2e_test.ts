/**
 * Grokking end to end, in seconds: a tiny quadratic MLP on a + b mod 23
 * (width 48, trainFraction 0.5, full-batch AdamW lr 5e-3, weight decay 1)
 * memorises first and generalises several times later, and
 * `SpectralEdgeStopping` with the settings of experiments/grokking_stopping.ts
 * does not stop it during the memorisation plateau.
 */
import { assertEquals, assertMatch, assertOk } from "./assert.ts";
import { runExperimentFile, tempDir, writeExperiment } from "./cli_helpers.ts";
import { parseCsv } from "../core/results/csv.ts";
import { tableFromCsv } from "../core/results/table.ts";
import { SpectralEdgeStopping } from "../core/control/stopping.ts";
import type { StoppingOptions } from "../core/control/stopping.ts";

const NAME = "grok_tiny";
/** As in experiments/grokking_stopping.ts. */
const STOPPING: StoppingOptions = { threshold: 8, patience: 50, minStep: 0 };

function tinyGrokking(steps: number, control?: Record<string, unknown>): Record<string, unknown> {
  return {
    name: NAME,
    task: { kind: "modular", p: 23, op: "add", trainFraction: 0.5 },
    model: { kind: "mlp", depth: 1, width: 48, activation: "quadratic", bias: false },
    loss: "mse",
    optimizer: { kind: "adamw", lr: 5e-3, beta1: 0.9, beta2: 0.98, weightDecay: 1 },
    budget: { steps },
    measure: { every: 10, updateGram: { window: 10, every: 10 } },
    ...(control ? { control } : {}),
    checks: [{ name: "grokking", expect: "holds" }],
  };
}

/** Runs the experiment in its own directory; returns the results directory. */
async function run(exp: Record<string, unknown>): Promise<string> {
  const dir = tempDir("phasebench-grokking-");
  const file = writeExperiment(dir, exp);
  const out = `${dir}/out`;
  await runExperimentFile(file, out);
  return out;
}

function csvRecords(path: string): Record<string, string>[] {
  const { header, rows } = parseCsv(Deno.readTextFileSync(path), path);
  return rows.map((r) => Object.fromEntries(header.map((h, j) => [h, r[j]])));
}

function runDir(out: string): string {
  const [run] = csvRecords(`${out}/${NAME}/runs.csv`);
  return `${out}/${NAME}/${run.dir}`;
}

/** t_fit, t_gen and the test accuracy at t_fit, read straight off metrics.csv. */
function grokTimesOf(metricsText: string) {
  const t = tableFromCsv(metricsText, "metrics.csv");
  const step = t.column("step"), train = t.column("train_acc"), test = t.column("test_acc");
  let tFit: number | null = null, tGen: number | null = null, testAtFit: number | null = null;
  for (let i = 0; i < t.length; i++) {
    if (train[i] === null) continue;
    if (tFit === null && train[i]! >= 0.99) [tFit, testAtFit] = [step[i]!, test[i]];
    if (tGen === null && test[i]! >= 0.95) tGen = step[i]!;
  }
  return { tFit, tGen, testAtFit };
}

let reference: Promise<string> | null = null;
/** The reference run (600 steps, no controller), run once for both tests. */
function referenceRun(): Promise<string> {
  reference ??= run(tinyGrokking(600));
  return reference;
}

Deno.test("a tiny modular-addition MLP groks: the grokking check passes with t_gen/t_fit ≥ 3 and test acc ≤ 0.5 at t_fit", async () => {
  const out = await referenceRun();
  const [row] = csvRecords(`${out}/checks.csv`).filter((r) => r.check === "grokking");
  assertEquals([row.verdict, row.outcome], ["pass", "met"], row.detail);

  const g = grokTimesOf(Deno.readTextFileSync(`${runDir(out)}/metrics.csv`));
  assertOk(g.tFit !== null && g.tGen !== null, `no grokking in the reference run: ${row.detail}`);
  assertOk(g.tFit > 0, `t_fit = ${g.tFit}`);
  assertOk(g.tGen / g.tFit >= 3, `t_gen/t_fit = ${g.tGen}/${g.tFit}`);
  assertOk(g.testAtFit !== null && g.testAtFit <= 0.5, `test acc at t_fit = ${g.testAtFit}`);
  // the check's statistic is the ratio read off the same curve
  assertEquals(Number(row.value), g.tGen / g.tFit);
  assertMatch(row.detail, new RegExp(`t_fit = ${g.tFit}, t_gen = ${g.tGen}`));
});

Deno.test("SpectralEdgeStopping (threshold 8, patience 50) does not stop the reference run in its memorisation plateau", async () => {
  const refOut = await referenceRun();
  const refMetrics = Deno.readTextFileSync(`${runDir(refOut)}/metrics.csv`);
  const ref = grokTimesOf(refMetrics);
  assertOk(ref.tFit !== null && ref.tGen !== null);

  // Not vacuous: by t_gen, g23 has already fallen ≥ 8× from its running peak,
  // so only the patience keeps the rule from firing during the plateau.
  const table = tableFromCsv(refMetrics, "metrics.csv");
  const g23 = table.pairs("step", "gram_g23");
  const replay = new SpectralEdgeStopping(STOPPING);
  for (let i = 0; i < g23.x.length && g23.x[i] <= ref.tGen; i++) replay.observe(g23.x[i], g23.y[i]);
  assertOk(
    replay.minSincePeak <= replay.peak / STOPPING.threshold,
    `g23 fell only from ${replay.peak} to ${replay.minSincePeak} by t_gen = ${ref.tGen}`,
  );

  // The same run (same name, so the same init) with the controller in the loop
  // and a longer budget: it stops after t_gen, or not at all.
  const steps = 1500;
  const out = await run(
    tinyGrokking(steps, { stopping: { metric: "gram_g23", ...STOPPING } }),
  );
  const [summary] = csvRecords(`${out}/${NAME}/runs.csv`);
  const metrics = Deno.readTextFileSync(`${runDir(out)}/metrics.csv`);
  // the controller does not change the trajectory: the reference's rows come first
  assertOk(metrics.startsWith(refMetrics.slice(0, refMetrics.lastIndexOf("\n600,"))));
  const stoppedAt = Number(summary.steps);
  if (summary.reason === "") {
    assertEquals(stoppedAt, steps);
  } else {
    assertMatch(summary.reason, /^SpectralEdgeStopping: gram_g23 fell/);
    assertOk(stoppedAt < steps);
    assertOk(
      stoppedAt >= ref.tGen,
      `stopped at step ${stoppedAt}, before t_gen = ${ref.tGen} (t_fit = ${ref.tFit})`,
    );
  }
  const [check] = csvRecords(`${out}/checks.csv`).filter((r) => r.check === "grokking");
  assertEquals(check.verdict, "pass", check.detail);
});
