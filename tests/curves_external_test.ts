/**
 * Every theory check on curves from another implementation (issue 17): an
 * independent float64 GD run at the edge, hand-made grokking curves, and a
 * phasebench run re-read as a long-format CSV give the verdicts they should;
 * `--out` makes a results directory the rest of the tool accepts.
 */
import { assertEquals, assertMatch, assertOk } from "./assert.ts";
import { runCli, tempDir, tinyEosExperiment, writeExperiment } from "./cli_helpers.ts";
import { gdEdgeCsv } from "./reference/gd_edge64.ts";
import { parseCsv } from "../core/results/csv.ts";

const dir = tempDir("phasebench-curves-ext-");

type JsonCheck = {
  check: string;
  run: string;
  verdict: string;
  value: number | null;
  detail: string;
};

async function curvesJson(
  args: string[],
): Promise<{ code: number; checks: JsonCheck[]; err: string }> {
  const r = await runCli(["curves", ...args, "--json"]);
  if (r.code === 2) return { code: 2, checks: [], err: r.err };
  return { code: r.code, checks: JSON.parse(r.out).checks, err: r.err };
}

// a float64 implementation that shares no code with the harness: GD on the
// Chebyshev task, exact Hessian λ_max every 20 steps, its own column names
const edgeFile = `${dir}/torch_like_eos.csv`;
Deno.writeTextFileSync(
  edgeFile,
  gdEdgeCsv({ lrs: [0.4, 0.05], steps: 800, every: 20, width: 24, seed: 1 }),
);
const EDGE_ARGS = [
  edgeFile,
  "--check",
  "eos",
  "--run",
  "run_lr",
  "--step",
  "iteration",
  "--map",
  "train_loss=loss",
  "--map",
  "lambda_max=sharpness",
  "--map",
  "lr=run_lr",
];

Deno.test("curves: an independent float64 GD run at η = 0.4 holds eos; the same net at η = 0.05 fails it", async () => {
  const r = await curvesJson(EDGE_ARGS);
  assertEquals(r.code, 1, "the η = 0.05 run is not at the edge (expect holds)");
  const byRun = Object.fromEntries(r.checks.map((c) => [c.run, c]));
  const edge = byRun["torch_like_eos/run_lr=0.4"];
  assertEquals(edge.verdict, "pass", edge.detail);
  assertOk(edge.value! > 0.9 && edge.value! < 1.15, `median λη/2 ${edge.value}`);
  const far = byRun["torch_like_eos/run_lr=0.05"];
  assertEquals(far.verdict, "fail");
  assertMatch(far.detail, /never reached 0\.95θ/);
  // declared as the negative control it is, the gate passes
  const g = await runCli([
    "curves",
    ...EDGE_ARGS,
    "--where",
    "run_lr=0.05",
    "--expect",
    "eos=fails",
  ]);
  assertEquals(g.code, 0, g.out);
});

Deno.test("curves --out writes a results directory that verify, compare and report accept, recording the source", async () => {
  const out = `${dir}/edge_results`;
  const r = await runCli(["curves", ...EDGE_ARGS, "--out", out]);
  assertEquals(r.code, 1);
  const manifest = JSON.parse(Deno.readTextFileSync(`${out}/manifest.json`));
  assertEquals(manifest.source.file, edgeFile);
  assertMatch(manifest.source.sha256, /^[0-9a-f]{64}$/);
  const v = await runCli(["verify", out, "--json"]);
  assertEquals(v.code, 1);
  const again = JSON.parse(v.out).checks.map((c: JsonCheck) => [c.run, c.verdict, c.value]);
  const first = (await curvesJson(EDGE_ARGS)).checks.map((c) => [c.run, c.verdict, c.value]);
  assertEquals(again, first, "verify re-evaluates to the same verdicts and values");
  const c = await runCli(["compare", out, out]);
  assertMatch(c.out, /byte-identical/);
  const rep = await runCli(["report", out, "--no-png"]);
  assertEquals(rep.code, 0, rep.err);
  // an existing folder of other results is never replaced
  Deno.mkdirSync(`${dir}/precious`);
  Deno.writeTextFileSync(`${dir}/precious/notes.txt`, "keep me");
  const refused = await runCli(["curves", ...EDGE_ARGS, "--out", `${dir}/precious`]);
  assertEquals(refused.code, 2);
  assertMatch(refused.err, /precious: exists and is not a results directory of curves/);
  assertEquals(Deno.readTextFileSync(`${dir}/precious/notes.txt`), "keep me");
});

Deno.test("curves: hand-made grokking curves pass grokking; a run that generalises at once fails it", async () => {
  const lines = ["run,step,train_acc,test_acc"];
  for (let s = 0; s <= 1000; s += 10) {
    const fit = Math.min(1, s / 100);
    lines.push(`late,${s},${fit},${s < 600 ? 0.02 : Math.min(1, 0.02 + (s - 600) / 100)}`);
    lines.push(`at_once,${s},${fit},${fit}`);
  }
  const file = `${dir}/grok.csv`;
  Deno.writeTextFileSync(file, lines.join("\n") + "\n");
  const r = await curvesJson([file, "--check", "grokking"]);
  const v = Object.fromEntries(r.checks.map((c) => [c.run.split("/")[1], c]));
  assertEquals(v["run=late"].verdict, "pass", v["run=late"].detail);
  assertEquals(v["run=at_once"].verdict, "fail", v["run=at_once"].detail);
});

Deno.test("curves on a phasebench run re-read as one long CSV gives the verdicts verify gave", async () => {
  const f = writeExperiment(dir, {
    ...tinyEosExperiment("roundtrip_eos", 500),
    checks: [{ name: "eos", expect: "holds" }],
  });
  const out = `${dir}/roundtrip`;
  await runCli(["run", f, "--out", out, "--quiet", "--backend", "cpu", "--jobs", "1"]);
  const verified = JSON.parse((await runCli(["verify", out, "--json"])).out).checks as JsonCheck[];
  // one long CSV: a run column, then every metrics.csv column
  const runs = parseCsv(Deno.readTextFileSync(`${out}/roundtrip_eos/runs.csv`), "runs.csv");
  const long: string[] = [];
  for (const row of runs.rows) {
    const id = row[runs.header.indexOf("run")];
    const m = Deno.readTextFileSync(
      `${out}/roundtrip_eos/${row[runs.header.indexOf("dir")]}/metrics.csv`,
    )
      .trim().split("\n");
    if (long.length === 0) long.push(`run,${m[0]}`);
    for (const line of m.slice(1)) long.push(`${id.split("/")[1]},${line}`);
  }
  const file = `${dir}/roundtrip_eos.csv`;
  Deno.writeTextFileSync(file, long.join("\n") + "\n");
  const external = (await curvesJson([file, "--check", "eos"])).checks;
  assertEquals(
    external.map((c) => [c.verdict, c.value, c.detail]),
    verified.map((c) => [c.verdict, c.value, c.detail]),
  );
  assertEquals(verified.map((c) => c.verdict), ["fail", "pass"]); // lr=0.05, lr=0.4
});

Deno.test("curves: missing, renamed, non-numeric and repeated columns are named; a check without its columns is a failing skip", async () => {
  const file = `${dir}/bad.csv`;
  Deno.writeTextFileSync(file, "run,step,loss\na,0,1\na,10,0.5\n");
  const missing = await runCli(["curves", file, "--check", "eos", "--map", "lambda_max=sharpness"]);
  assertEquals(missing.code, 2);
  assertMatch(missing.err, /bad\.csv:1: missing column "sharpness" \(--map lambda_max=sharpness\)/);
  const noStep = await runCli(["curves", file, "--check", "eos", "--step", "iter"]);
  assertMatch(noStep.err, /missing column "iter" \(--step\)/);
  // a check whose columns were not logged: skipped, naming what to log, and the gate fails
  const skip = await curvesJson([file, "--check", "eos"]);
  assertEquals(skip.code, 1);
  assertEquals(skip.checks[0].verdict, "skip");
  assertMatch(skip.checks[0].detail, /lambda_max/);
  Deno.writeTextFileSync(file, "run,step,loss\na,0,1\na,10,fast\n");
  const text = await runCli(["curves", file, "--check", "eos"]);
  assertEquals(text.code, 2);
  assertMatch(text.err, /bad\.csv:3: column loss: expected a number, got "fast"/);
  Deno.writeTextFileSync(file, "run,step,loss\na,0,1\na,0,1\na,10,0.5\n");
  const merged = await runCli(["curves", file, "--check", "grokking"]);
  assertMatch(merged.out, /merged 1 identical repeated row/);
  Deno.writeTextFileSync(file, "run,step,loss\na,0,1\na,0,2\n");
  const conflict = await runCli(["curves", file, "--check", "grokking"]);
  assertEquals(conflict.code, 2);
  assertMatch(
    conflict.err,
    /lines 2 and 3 repeat step 0 of run run=a with other values: .*--run COL/,
  );
});

Deno.test("curves --option is validated by the check's own schema", async () => {
  const bad = await runCli(["curves", ...EDGE_ARGS, "--option", "eos.bnad=[0.9,1.1]"]);
  assertEquals(bad.code, 2);
  assertMatch(bad.err, /unknown option "bnad"/);
  const narrow = await curvesJson([
    ...EDGE_ARGS,
    "--where",
    "run_lr=0.4",
    "--option",
    "eos.band=[1.2,1.3]",
  ]);
  assertEquals(narrow.checks[0].verdict, "fail", "a band that excludes the median fails");
});
