/**
 * Exact tests of core/checks/verify.ts (which folders are experiments, which
 * rows, gating failures and failed runs `verifyDir` returns, and when it
 * writes checks.csv), written against the mutants StrykerJS found alive
 * (`deno task mutation`), on a small hand-made results directory.
 */
import { experimentDirs, verifyDir } from "../core/checks/verify.ts";
import { parseChecksCsv } from "../core/results/checks_csv.ts";
import { CsvError } from "../core/results/csv.ts";
import { assertEquals, assertOk, assertRejectsMsg } from "./assert.ts";

/** A grokking-shaped run (fits at step 10, generalises at 40): `grokking` holds on it. */
const GROK_METRICS = "step,train_acc,test_acc\n0,0,0\n10,1,0.1\n40,1,1\n";

/**
 * A results directory with experiments (created out of alphabetical order):
 * - `b`: grokking expected to hold (met) and to fail (not met: a gating failure),
 *   one ok run `b/r1` and one failed run `b/r2` (reason "out of memory");
 * - `a`: grokking holds, one ok run and one failed run without a reason;
 * - `d`: an experiment.json without `checks`, with a run;
 * - `c`: an experiment.json but no runs.csv yet (not run);
 * - `notes/` (no experiment.json) and `readme.txt`: not experiments.
 */
async function resultsDir(): Promise<string> {
  const dir = await Deno.makeTempDir({ prefix: "phasebench_verify_" });
  const exp = async (name: string, config: unknown, runs?: string[][]) => {
    await Deno.mkdir(`${dir}/${name}`);
    await Deno.writeTextFile(`${dir}/${name}/experiment.json`, JSON.stringify(config));
    if (!runs) return;
    const lines = ["run,dir,status,reason", ...runs.map((r) => r.join(","))];
    await Deno.writeTextFile(`${dir}/${name}/runs.csv`, lines.join("\n") + "\n");
    for (const [, runDir, status] of runs) {
      if (status === "failed") continue;
      await Deno.mkdir(`${dir}/${name}/${runDir}`);
      await Deno.writeTextFile(`${dir}/${name}/${runDir}/metrics.csv`, GROK_METRICS);
    }
  };
  await exp("b", {
    checks: [{ name: "grokking", expect: "holds" }, { name: "grokking", expect: "fails" }],
  }, [["b/r1", "r1", "ok", ""], ["b/r2", "r2", "failed", "out of memory"]]);
  await exp("a", { checks: [{ name: "grokking", expect: "holds" }] }, [
    ["a/r1", "r1", "ok", ""],
    ["a/r2", "r2", "failed", ""],
  ]);
  await exp("d", {}, [["d/r1", "r1", "ok", ""]]);
  await exp("c", { checks: [{ name: "grokking", expect: "holds" }] });
  await Deno.mkdir(`${dir}/notes`);
  await Deno.writeTextFile(`${dir}/readme.txt`, "not an experiment\n");
  return dir;
}

async function withResults(fn: (dir: string) => Promise<void>) {
  const dir = await resultsDir();
  try {
    await fn(dir);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

const fileExists = async (path: string) => {
  try {
    await Deno.stat(path);
    return true;
  } catch {
    return false;
  }
};

Deno.test("experimentDirs(): the folders with experiment.json, sorted; an unreadable directory is a CsvError", async () => {
  await withResults(async (dir) => {
    assertEquals(await experimentDirs(dir), ["a", "b", "c", "d"]);
    const e = await assertRejectsMsg(
      () => experimentDirs(`${dir}/missing`),
      /missing: cannot read results directory/,
    );
    assertOk(e instanceof CsvError);
  });
});

Deno.test("verifyDir(): every experiment's rows in name order, gating failures, failed runs; writes checks.csv", async () => {
  await withResults(async (dir) => {
    const r = await verifyDir(dir);
    // a failed run's per-run check is skipped, and a skipped gating check gates
    assertEquals(r.rows.map((x) => [x.run, x.check, x.expect, x.outcome]), [
      ["a/r1", "grokking", "holds", "met"],
      ["a/r2", "grokking", "holds", "skipped"],
      ["b/r1", "grokking", "holds", "met"],
      ["b/r2", "grokking", "holds", "skipped"],
      ["b/r1", "grokking", "fails", "not met"],
      ["b/r2", "grokking", "fails", "skipped"],
    ]);
    assertEquals(r.gatingFailures, [r.rows[1], r.rows[3], r.rows[4], r.rows[5]]);
    assertEquals(r.failedRuns, [
      { id: "a/r2", reason: "" },
      { id: "b/r2", reason: "out of memory" },
    ]);
    const written = parseChecksCsv(await Deno.readTextFile(`${dir}/checks.csv`), "checks.csv");
    assertEquals(written, r.rows);
  });
});

Deno.test("verifyDir(): named experiments in sorted order; write=false leaves checks.csv alone", async () => {
  await withResults(async (dir) => {
    const r = await verifyDir(dir, ["b", "a"], false);
    assertEquals(r.rows.map((x) => x.experiment), ["a", "a", "b", "b", "b", "b"]);
    assertOk(!(await fileExists(`${dir}/checks.csv`)));
    const only = await verifyDir(dir, ["d", "c"], false);
    assertEquals(only, { rows: [], gatingFailures: [], failedRuns: [] });
  });
});

Deno.test("verifyDir(): `report` limits the returned rows and failed runs; checks.csv keeps every experiment", async () => {
  await withResults(async (dir) => {
    const r = await verifyDir(dir, undefined, true, ["a"]);
    assertEquals(r.rows.map((x) => [x.run, x.outcome]), [["a/r1", "met"], ["a/r2", "skipped"]]);
    assertEquals(r.gatingFailures, [r.rows[1]]);
    assertEquals(r.failedRuns, [{ id: "a/r2", reason: "" }]);
    const written = parseChecksCsv(await Deno.readTextFile(`${dir}/checks.csv`), "checks.csv");
    assertEquals(written.map((x) => x.experiment), ["a", "a", "b", "b", "b", "b"]);
  });
});

Deno.test("verifyDir(): an unreadable experiment.json is a CsvError naming it", async () => {
  await withResults(async (dir) => {
    await Deno.writeTextFile(`${dir}/a/experiment.json`, "{ not json");
    const e = await assertRejectsMsg(
      () => verifyDir(dir, ["a"], false),
      /a\/experiment\.json: unreadable experiment\.json/,
    );
    assertOk(e instanceof CsvError);
  });
});
