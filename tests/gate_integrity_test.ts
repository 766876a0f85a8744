/**
 * The gate never passes what it did not check (issue 13): skipped gating
 * checks, lost shards, cached skips, misspelt options, damaged metrics and
 * checkpoints, and divergence between measurements.
 */
import { assertEquals, assertMatch, assertOk } from "./assert.ts";
import { runCli, tempDir, tinyExperiment, writeExperiment } from "./cli_helpers.ts";
import { writePart } from "./fake_cifar5m.ts";
import { captureIO, writeFakeSuite } from "./compare_fixture.ts";
import { mergeCommand } from "../core/commands/merge.ts";
import { compareCommand } from "../core/commands/compare.ts";
import { evaluateExperimentChecks } from "../core/checks/evaluate.ts";
import { failsGate } from "../core/checks/types.ts";
import { tableFromCsv } from "../core/results/table.ts";
import { planSuite } from "../core/train/suite.ts";

const dir = tempDir("phasebench-gate-");

function exists(path: string): boolean {
  try {
    Deno.statSync(path);
    return true;
  } catch {
    return false;
  }
}

/** A tiny grokking-shaped run: fits at 10, generalises at 40. */
function grokRun(status: "ok" | "skipped" = "ok") {
  const metrics = tableFromCsv(
    "step,train_acc,test_acc\n0,0,0\n10,1,0.1\n40,1,1\n",
    "m.csv",
  );
  return { id: "g/lr=0.2", status, info: { "optimizer.lr": "0.2" }, metrics };
}

Deno.test("a gating check whose `where` matches no run is skipped and fails the gate; as report it does not", () => {
  const misspelt = { name: "grokking", where: { "optimizer.lrr": 0.2 } };
  const [held] = evaluateExperimentChecks("g", [{ ...misspelt, expect: "holds" }], [grokRun()]);
  assertEquals(held.verdict, "skip");
  assertEquals(held.outcome, "skipped");
  assertMatch(held.detail, /no run matches where \{"optimizer\.lrr":0\.2\}/);
  assertOk(failsGate(held));
  const [control] = evaluateExperimentChecks("g", [{ ...misspelt, expect: "fails" }], [grokRun()]);
  assertOk(failsGate(control), "a skipped negative control fails the gate too");
  const [report] = evaluateExperimentChecks("g", [{ ...misspelt, expect: "report" }], [grokRun()]);
  assertEquals(report.outcome, "report");
  assertOk(!failsGate(report));
  // the same check matching its run is met
  const [ok] = evaluateExperimentChecks("g", [{
    name: "grokking",
    expect: "holds",
    where: { "optimizer.lr": 0.2 },
  }], [grokRun()]);
  assertEquals(ok.outcome, "met");
  assertOk(!failsGate(ok));
});

Deno.test("a gating check on runs that were all skipped for absent data is 'no data' and does not gate", () => {
  const run = { ...grokRun("skipped"), metrics: null };
  const [row] = evaluateExperimentChecks("g", [{ name: "grokking", expect: "holds" }], [run]);
  assertEquals(row.verdict, "skip");
  assertEquals(row.outcome, "no data");
  assertOk(!failsGate(row));
  // one run with data and one without: the check is evaluated, nothing is excused
  const both = evaluateExperimentChecks("g", [{ name: "grokking", expect: "holds" }], [
    grokRun(),
    { ...run, id: "g/lr=0.4" },
  ]);
  assertOk(both.every((r) => r.outcome !== "no data"));
});

Deno.test("verify exits 1 on a skipped gating check and names the reason", async () => {
  const f = writeExperiment(dir, {
    ...tinyExperiment("gate_skip"),
    checks: [{ name: "eos", expect: "holds", where: { "optimizer.lrr": 0.2 } }],
  });
  const out = `${dir}/gate_skip`;
  const r = await runCli(["run", f, "--out", out, "--quiet", "--backend", "cpu"]);
  assertEquals(r.code, 1, r.out + r.err);
  assertMatch(r.out, /SKIP\s+gate_skip:eos .*no run matches where \{"optimizer\.lrr":0\.2\}/);
  assertMatch(r.out, /1 skipped \(gating: fails the gate\)/);
  const v = await runCli(["verify", out]);
  assertEquals(v.code, 1);
});

Deno.test("an unknown or ill-typed check option is refused at load (exit 2) naming it; nothing is written", async () => {
  const f = writeExperiment(dir, {
    ...tinyExperiment("gate_option"),
    checks: [{ name: "grokking", expect: "report", options: { ratioMn: 3 } }],
  });
  const out = `${dir}/gate_option`;
  const r = await runCli(["run", f, "--out", out, "--quiet", "--backend", "cpu"]);
  assertEquals(r.code, 2, r.out + r.err);
  assertMatch(
    r.err,
    /checks\[0\]\.options \(grokking\): unknown option "ratioMn" \(known: .*ratio/,
  );
  assertOk(!exists(out), "no results directory");
  const g = writeExperiment(dir, {
    ...tinyExperiment("gate_option2"),
    checks: [{ name: "grokking", expect: "report", options: { ratio: "three" } }],
  });
  const r2 = await runCli(["run", g, "--out", `${dir}/gate_option2`, "--quiet"]);
  assertEquals(r2.code, 2);
  assertMatch(r2.err, /option ratio: /);
});

Deno.test("merge refuses an empty directory, a non-results directory and a missing one, naming it", async () => {
  const root = await Deno.makeTempDir({ prefix: "phasebench_gate_merge_" });
  await writeFakeSuite(`${root}/s0`, { checks: false });
  Deno.mkdirSync(`${root}/empty`);
  Deno.mkdirSync(`${root}/junk`);
  Deno.writeTextFileSync(`${root}/junk/notes.txt`, "not results\n");
  for (const bad of ["empty", "junk", "missing"]) {
    const io = captureIO();
    const code = await mergeCommand(
      [`${root}/s0`, `${root}/${bad}`, "--out", `${root}/m_${bad}`],
      io,
    );
    assertEquals(code, 2, `${bad}: ${io.stderr.join("\n")}`);
    assertMatch(io.stderr.join("\n"), new RegExp(`${root}/${bad}`));
    if (bad !== "missing") assertMatch(io.stderr.join("\n"), /holds no results/);
    assertOk(!exists(`${root}/m_${bad}`), "nothing written");
  }
  await Deno.remove(root, { recursive: true });
});

Deno.test("compare exits 1 when B lacks an experiment that A has (a lost shard), naming it", async () => {
  const root = await Deno.makeTempDir({ prefix: "phasebench_gate_compare_" });
  await writeFakeSuite(`${root}/a`);
  await writeFakeSuite(`${root}/b`, { runFilter: (id) => !id.startsWith("grok_toy/") });
  const io = captureIO();
  assertEquals(await compareCommand([`${root}/a`, `${root}/b`], io), 1);
  const out = io.stdout.join("\n");
  assertMatch(out, /experiment missing in B: grok_toy/);
  // B with the same runs but no check verdicts: every check A had is missing
  await writeFakeSuite(`${root}/c`, { checks: false });
  const io2 = captureIO();
  assertEquals(await compareCommand([`${root}/a`, `${root}/c`], io2), 1);
  assertMatch(io2.stdout.join("\n"), /check missing in B: grok_toy grokking/);
  await Deno.remove(root, { recursive: true });
});

Deno.test("a run skipped for absent data is not reused once the data is there", async () => {
  const data = `${dir}/late_data`;
  const f = writeExperiment(dir, {
    ...tinyExperiment("late_cifar"),
    task: { kind: "cifar5m", parts: [0], subset: { n: 20, seed: 1 }, testN: 5, classes: 10 },
    budget: { steps: 2 },
    measure: { every: 1 },
  });
  const out = `${dir}/late`;
  Deno.mkdirSync(data, { recursive: true });
  const args = ["run", f, "--out", out, "--backend", "cpu", "--data-dir", data];
  const first = await runCli(args);
  assertEquals(first.code, 0, first.out + first.err);
  assertMatch(Deno.readTextFileSync(`${out}/late_cifar/runs.csv`), /,skipped,/);
  await writePart(data, 0, 0, 30, 0);
  const second = await runCli(args);
  assertEquals(second.code, 0, second.out + second.err);
  assertOk(!/reused/.test(second.out), second.out);
  assertMatch(Deno.readTextFileSync(`${out}/late_cifar/runs.csv`), /late_cifar\/base,[^\n]*,ok,/);
  // and now the finished run is reused, and says so
  const third = await runCli(args);
  assertMatch(third.out, /1 finished run\(s\) reused/);
});

Deno.test("--set on a swept path runs exactly that one value; sweep.PATH=[…] sets a list", async () => {
  const f = writeExperiment(dir, {
    ...tinyExperiment("swept"),
    sweep: { "optimizer.lr": [0.2, 0.4], seed: [1, 2, 3] },
  });
  const one = await planSuite([f], "quick", ["optimizer.lr=0.1", "seed=7"], false);
  assertEquals(one.plans.map((p) => p.runId), ["swept/lr=0.1,seed=7"]);
  assertEquals(one.plans[0].config.optimizer!.lr, 0.1);
  assertEquals(one.plans[0].config.seed, 7);
  const list = await planSuite([f], "quick", ["sweep.seed=[4,5]"], false);
  assertEquals(list.plans.map((p) => p.runId), [
    "swept/lr=0.2,seed=4",
    "swept/lr=0.2,seed=5",
    "swept/lr=0.4,seed=4",
    "swept/lr=0.4,seed=5",
  ]);
});

Deno.test("verify and compare refuse a header-only or step-reversed metrics.csv (exit 2, file:line)", async () => {
  const f = writeExperiment(dir, { ...tinyExperiment("damaged"), budget: { steps: 20 } });
  const out = `${dir}/damaged`;
  assertEquals((await runCli(["run", f, "--out", out, "--quiet", "--backend", "cpu"])).code, 0);
  const runDir = [...Deno.readDirSync(`${out}/damaged`)].find((e) => e.isDirectory)!.name;
  const path = `${out}/damaged/${runDir}/metrics.csv`;
  const good = Deno.readTextFileSync(path);
  const lines = good.trimEnd().split("\n");
  const cases: [string, string, RegExp][] = [
    ["header only", lines[0] + "\n", /metrics\.csv:2: no data rows/],
    [
      "duplicated step",
      [...lines.slice(0, 3), lines[2], ...lines.slice(3)].join("\n") + "\n",
      /metrics\.csv:4: step 5 does not follow step 5/,
    ],
    [
      "reversed steps",
      [lines[0], ...lines.slice(1).reverse()].join("\n") + "\n",
      /metrics\.csv:3: step 15 does not follow step 20/,
    ],
  ];
  for (const [what, text, msg] of cases) {
    Deno.writeTextFileSync(path, text);
    const v = await runCli(["verify", out]);
    assertEquals(v.code, 2, `${what}: ${v.out}${v.err}`);
    assertMatch(v.err, msg);
    const c = await runCli(["compare", out, out]);
    assertEquals(c.code, 2, `${what} (compare)`);
    assertMatch(c.err, msg);
  }
  Deno.writeTextFileSync(path, good);
  assertEquals((await runCli(["verify", out])).code, 0);
});

Deno.test("a checkpoint with wrong-length parameters or truncated rows is discarded with a warning and the run restarts", async () => {
  const f = writeExperiment(dir, {
    ...tinyExperiment("ckpt"),
    budget: { steps: 20 },
    checkpointEvery: 10,
  });
  const ref = `${dir}/ckpt_ref`;
  assertEquals((await runCli(["run", f, "--out", ref, "--quiet", "--backend", "cpu"])).code, 0);
  const runDir = [...Deno.readDirSync(`${ref}/ckpt`)].find((e) => e.isDirectory)!.name;
  const metrics = Deno.readTextFileSync(`${ref}/ckpt/${runDir}/metrics.csv`);
  const { saveCheckpoint } = await import("../core/train/checkpoint.ts");
  const base = {
    step: 10,
    configHash: runDir.split("~")[1],
    optimizer: { step: 10, slots: {} },
    extra: { tau: 2 },
  };
  const header = metrics.split("\n")[0].split(",");
  const row = (s: number) => header.map((h) => (h === "step" ? s : 0));
  const damaged = [
    {
      what: "wrong-length parameters",
      ckpt: { ...base, rows: [0, 5].map(row), params: [new Float32Array(3)] },
      msg: /params: expected \d+ arrays, got 1/,
    },
    {
      what: "truncated rows",
      ckpt: { ...base, rows: [row(0)], params: [] as Float32Array[] },
      msg: /(params|rows): expected/,
    },
  ];
  for (const { what, ckpt, msg } of damaged) {
    const out = `${dir}/ckpt_${what.replace(/ /g, "_")}`;
    Deno.mkdirSync(`${out}/ckpt/${runDir}`, { recursive: true });
    await saveCheckpoint(`${out}/ckpt/${runDir}`, ckpt);
    const r = await runCli(["run", f, "--out", out, "--quiet", "--backend", "cpu"]);
    assertEquals(r.code, 0, `${what}: ${r.out}${r.err}`);
    assertMatch(r.err, /checkpoint\.json: .*discarded, the run starts over/);
    assertMatch(r.err, msg);
    assertEquals(
      Deno.readTextFileSync(`${out}/ckpt/${runDir}/metrics.csv`),
      metrics,
      `${what}: the restarted run equals an uninterrupted one`,
    );
  }
});

Deno.test("cross-entropy divergence between two measurements ends the run as diverged at that step, keeping the rows", async () => {
  const f = writeExperiment(dir, {
    ...tinyExperiment("xent_div"),
    model: { kind: "mlp", depth: 3, width: 16, activation: "relu" },
    loss: "xent",
    optimizer: { kind: "gd", lr: 1000 },
    budget: { steps: 60 },
    measure: { every: 10 },
  });
  const out = `${dir}/xent_div`;
  const r = await runCli(["run", f, "--out", out, "--quiet", "--backend", "cpu"]);
  assertEquals(r.code, 0, r.out + r.err);
  const runs = Deno.readTextFileSync(`${out}/xent_div/runs.csv`);
  assertMatch(runs, /,diverged,.*batch loss NaN at step \d+/);
  const runDir = [...Deno.readDirSync(`${out}/xent_div`)].find((e) => e.isDirectory)!.name;
  const rows = Deno.readTextFileSync(`${out}/xent_div/${runDir}/metrics.csv`).trim().split("\n");
  assertOk(rows.length >= 3, "the step-0 row and the divergence row");
  assertMatch(rows[1], /^0,/);
  assertMatch(rows[rows.length - 1], /^\d+,1000,.*nan/);
});

Deno.test("errors inside union-typed fields name the whole path; --set budget.steps switches a compute-optimal budget to steps", async () => {
  const f = writeExperiment(dir, {
    name: "co_budget",
    task: { kind: "powerlaw-curve", params: 1000 },
    budget: { computeOptimal: { gama: 1 } },
  });
  const r = await runCli(["run", f, "--out", `${dir}/co_budget`, "--quiet"]);
  assertEquals(r.code, 2);
  assertMatch(r.err, /budget\.computeOptimal\.gama: unknown field/);
  const g = writeExperiment(dir, {
    name: "co_budget2",
    task: { kind: "powerlaw-curve", params: 1000 },
    budget: { computeOptimal: { gamma: 1, kappa: 1 } },
  });
  const plan = await planSuite([g], "quick", ["budget.steps=30"], false);
  assertEquals(plan.plans[0].config.budget, { steps: 30 });
});

Deno.test("I/O faults exit 2 naming the path and the OS reason, never 'internal error'", async () => {
  const f = writeExperiment(dir, tinyExperiment("io_fault"));
  const file = `${dir}/not_a_folder`;
  Deno.writeTextFileSync(file, "x");
  for (const out of [file, `${file}/below`]) {
    const r = await runCli(["run", f, "--out", out, "--quiet", "--backend", "cpu"]);
    assertEquals(r.code, 2, r.err);
    assertMatch(r.err, /^error: .*\(os error \d+\).*not_a_folder/m);
    assertOk(!/internal error/.test(r.err));
  }
  assertEquals(Deno.readTextFileSync(file), "x", "nothing already there is lost");
});

Deno.test("messages say what happened: where results went, stale run folders removed, --jobs -3 refused plainly", async () => {
  const f = writeExperiment(dir, tinyExperiment("msgs"));
  const out = `${dir}/msgs`;
  const first = await runCli(["run", f, "--out", out, "--backend", "cpu"]);
  assertMatch(first.out, new RegExp(`results: ${out}`));
  assertOk(!/reused/.test(first.out), "fresh runs are not 'reused'");
  const second = await runCli([
    "run",
    f,
    "--out",
    out,
    "--backend",
    "cpu",
    "--set",
    "optimizer.lr=0.1",
  ]);
  assertMatch(second.out, /removed 1 run folder\(s\) of an earlier config .*msgs\/base~/);
  const dirs = [...Deno.readDirSync(`${out}/msgs`)].filter((e) => e.isDirectory);
  assertEquals(dirs.length, 1);
  const jobs = await runCli(["run", f, "--out", out, "--jobs", "-3"]);
  assertEquals(jobs.code, 2);
  assertMatch(jobs.err, /--jobs -3: expected a positive integer/);
});

Deno.test("the manifest's git state is dirty when the experiment file is untracked", async () => {
  const { gitState } = await import("../core/train/suite.ts");
  const clean = await gitState([]);
  if (clean === undefined) return; // not a git checkout
  const f = writeExperiment(dir, tinyExperiment("untracked"));
  assertEquals((await gitState([f]))!.dirty, true);
  if (!clean.dirty) assertEquals((await gitState(["experiments/eos_chebyshev.ts"]))!.dirty, false);
});

Deno.test("prune (baseline) removes experiment folders that are no longer in the suite, and says so", async () => {
  const { runSuite } = await import("../core/train/suite.ts");
  const out = `${dir}/pruned`;
  const a = writeExperiment(dir, tinyExperiment("kept"));
  const b = writeExperiment(dir, tinyExperiment("dropped"));
  const opts = {
    profile: "quick" as const,
    sets: [],
    backend: "cpu" as const,
    out,
    jobs: 1,
    force: false,
    quiet: true,
    suite: "t",
  };
  await runSuite({ ...opts, files: [a, b] }, false);
  await runSuite({ ...opts, files: [a] }, false);
  assertOk(exists(`${out}/dropped`), "without prune other experiments are kept");
  await runSuite({ ...opts, files: [a], prune: true }, false);
  assertOk(!exists(`${out}/dropped`));
  assertOk(exists(`${out}/kept/runs.csv`));
  assertOk(!/dropped/.test(Deno.readTextFileSync(`${out}/checks.csv`)));
});
