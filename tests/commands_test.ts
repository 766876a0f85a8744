/**
 * The command layer: every command answers --help from the same definition
 * that parses its flags; --print-config, --list and the perf gate.
 */
import { assertEquals, assertMatch, assertOk } from "./assert.ts";
import { runCli, tempDir, tinyExperiment, writeExperiment } from "./cli_helpers.ts";
import { COMMANDS, helpText, topLevelHelp, usageLine } from "../core/commands/mod.ts";
import { perfCsv, perfRegressions, readPerfCsv } from "../core/perf/perf_csv.ts";

const dir = tempDir("phasebench-commands-");

Deno.test("every command answers --help and -h with exit 0, listing each of its flags", async () => {
  for (const cmd of COMMANDS) {
    for (const flag of ["--help", "-h"]) {
      const r = await runCli([cmd.name, flag]);
      assertEquals(r.code, 0, `${cmd.name} ${flag}: ${r.err}`);
      assertMatch(r.out, new RegExp(`^usage: deno task ${cmd.name}`));
      for (const opt of Object.keys(cmd.options)) {
        assertOk(r.out.includes(`--${opt}`), `${cmd.name} --help lists --${opt}`);
      }
    }
    assertEquals((await runCli([cmd.name, "--help"])).out, helpText(cmd));
  }
});

Deno.test("the top-level help is built from the commands: every usage line and flag is in it", async () => {
  const r = await runCli(["--help"]);
  assertEquals(r.code, 0);
  assertEquals(r.out, topLevelHelp());
  for (const cmd of COMMANDS) {
    assertOk(r.out.includes(usageLine(cmd)), cmd.name);
    for (const opt of Object.keys(cmd.options)) assertOk(r.out.includes(`--${opt}`), opt);
  }
  for (const flag of ["--rtol", "--no-report", "--no-compare", "--no-png", "--suite", "--out"]) {
    assertOk(r.out.includes(flag), flag);
  }
  assertEquals((await runCli([])).code, 2, "no command is a usage error");
});

Deno.test("an unknown flag exits 2 with the command's usage line", async () => {
  const r = await runCli(["compare", "--rtl", "1"]);
  assertEquals(r.code, 2);
  assertMatch(r.err, /^compare: Unknown option '--rtl'/);
  assertMatch(r.err, /usage: deno task compare A B \[--json\] \[--rtol X\]/);
  const b = await runCli(["bench", "--jobz", "2"]);
  assertEquals(b.code, 2);
  assertMatch(b.err, /usage: deno task bench/);
});

Deno.test("run --print-config prints the expanded runs and their configs, runs nothing and writes nothing", async () => {
  const f = writeExperiment(dir, {
    ...tinyExperiment("printed"),
    sweep: { "optimizer.lr": [0.2, 0.4], seed: [1, 2] },
  });
  const out = `${dir}/printed_out`;
  const r = await runCli(["run", f, "--print-config", "--set", "seed=7", "--out", out]);
  assertEquals(r.code, 0, r.err);
  const parsed = JSON.parse(r.out);
  assertEquals(parsed.runs.map((x: { run: string }) => x.run), [
    "printed/lr=0.2,seed=7",
    "printed/lr=0.4,seed=7",
  ]);
  assertEquals(parsed.runs[1].config.optimizer.lr, 0.4);
  assertEquals(parsed.runs[1].config.seed, 7);
  assertEquals(parsed.runs[0].config.model.width, 16);
  let exists = true;
  try {
    Deno.statSync(out);
  } catch {
    exists = false;
  }
  assertOk(!exists);
});

Deno.test("bench --list --shard I/N prints the runs a shard takes; the shards partition the suite", async () => {
  const all = await runCli(["bench", "--list", "--only", "eos_*"]);
  assertEquals(all.code, 0, all.err);
  const runLines = (out: string) =>
    out.split("\n").filter((l) => l.includes("/") && !/run\(s\)/.test(l));
  const ids = runLines(all.out);
  assertOk(ids.length >= 2, all.out);
  const parts: string[] = [];
  for (const s of ["1/2", "2/2"]) {
    const r = await runCli(["bench", "--list", "--only", "eos_*", "--shard", s]);
    assertEquals(r.code, 0);
    assertMatch(r.out, new RegExp(`run\\(s\\) in shard ${s}`));
    parts.push(...runLines(r.out));
  }
  assertEquals([...parts].sort(), [...ids].sort());
});

Deno.test("perfRegressions() fails a median slower than R× only when the min–max ranges do not overlap", () => {
  const row = (benchmark: string, medianMs: number, minMs: number, maxMs: number) => ({
    benchmark,
    medianMs,
    minMs,
    maxMs,
    reps: 5,
    extra: "",
  });
  const old = [row("a", 10, 9, 11), row("b", 10, 9, 11), row("c", 10, 9, 11), row("d", 10, 9, 11)];
  const now = [
    row("a", 12.5, 11.5, 13), // 1.25× and the ranges are apart: fails at 1.2
    row("b", 12.5, 10.5, 14), // 1.25× but overlapping: noise, passes
    row("c", 11.9, 11.5, 12.5), // 1.19×: within 1.2
    row("e", 100, 99, 101), // new benchmark: nothing to compare
  ];
  const slow = perfRegressions(old, now, 1.2);
  assertEquals(slow.map((s) => s.benchmark), ["a"]);
  assertEquals(slow[0].ratio, 1.25);
  // just at the ratio does not fail; just above does
  assertEquals(perfRegressions([row("x", 10, 9, 10)], [row("x", 12, 11, 13)], 1.2).length, 0);
  assertEquals(perfRegressions([row("x", 10, 9, 10)], [row("x", 12.01, 11, 13)], 1.2).length, 1);
});

Deno.test("the perf CSV reads back what it wrote; a bad cell names file:line", () => {
  const rows = [{
    benchmark: "eos_ref_gd_step",
    medianMs: 36.8,
    minMs: 35,
    maxMs: 40.123,
    reps: 5,
    extra: "",
  }];
  const text = perfCsv(rows, { name: "wasm", tfjs: "4.22.0", deno: "2.9.6", cpu: "x" });
  const back = readPerfCsv(text, "p.csv");
  assertEquals(back[0].benchmark, "eos_ref_gd_step");
  assertEquals(back[0].maxMs, 40.12);
  // the device line goes in the last column (threads, BLAS library or GPU adapter)
  const threaded = perfCsv(rows, {
    name: "wasm",
    tfjs: "4",
    deno: "2",
    cpu: "x",
    device: "2 threads",
  });
  assertEquals(threaded.split("\n")[0].split(",").at(-1), "device");
  assertEquals(threaded.split("\n")[1].split(",").at(-1), "2 threads");
  // a CSV written before that column reads the same
  const old = text.split("\n").map((l) => l.split(",").slice(0, -1).join(",")).join("\n");
  assertEquals(readPerfCsv(old, "old.csv"), back);
  let msg = "";
  try {
    readPerfCsv(text.replace("36.8", "fast"), "p.csv");
  } catch (e) {
    msg = (e as Error).message;
  }
  assertMatch(msg, /p\.csv:2: median_ms: expected a non-negative number, got "fast"/);
});

Deno.test("perf --compare with a missing file or without --fail-above exits 2 before any benchmark runs", async () => {
  const r = await runCli(["perf", "--compare", `${dir}/nope.csv`, "--fail-above", "1.2"]);
  assertEquals(r.code, 2);
  assertMatch(r.err, /nope\.csv: cannot read/);
  const r2 = await runCli(["perf", "--compare", `${dir}/nope.csv`]);
  assertEquals(r2.code, 2);
  assertMatch(r2.err, /--compare and --fail-above go together/);
  const r3 = await runCli(["perf", "--fail-above", "0.5", "--compare", "x.csv"]);
  assertEquals(r3.code, 2);
  assertMatch(r3.err, /--fail-above 0\.5: expected a ratio ≥ 1/);
});

Deno.test("renderCheckSummary() cuts lines to 160 characters and says where the full detail is", async () => {
  const { renderCheckSummary } = await import("../core/checks/summary.ts");
  const row = {
    experiment: "e",
    check: "eos",
    run: "e/lr=0.2",
    expect: "holds" as const,
    statistic: "median",
    value: 1,
    expected: "[0.9, 1.15]",
    tolerance: "",
    verdict: "pass" as const,
    outcome: "met" as const,
    detail: "x".repeat(300),
  };
  const text = renderCheckSummary([row, { ...row, detail: "short" }]);
  const lines = text.split("\n");
  assertOk(lines.every((l) => l.length <= 160), text);
  assertMatch(lines[0], /x…$/);
  assertMatch(lines[1], /short$/);
  assertMatch(
    text,
    /1 line\(s\) cut to 160 characters: the full detail is in checks\.csv and --json/,
  );
});

Deno.test("etaOf() says nothing until 5% is done, then extrapolates the elapsed rate", async () => {
  const { etaOf } = await import("../core/train/progress.ts");
  assertEquals(etaOf(5000, 2, 1000), "-"); // start-up dominates the first steps
  assertEquals(etaOf(5000, 49, 1000), "-");
  assertEquals(etaOf(5000, 50, 1000), "1m35s");
  assertEquals(etaOf(30_000, 66, 132), "30s");
});
