/**
 * Exact-value tests of core/checks/curves.ts (how a long-format CSV becomes
 * runs, and what `runCurvesChecks` reports), written against the mutants
 * StrykerJS found alive (`deno task mutation`): every column default, filter,
 * grouping, ordering and error path on tiny hand-written files.
 */
import {
  curvesFromCsv,
  optionsFor,
  runCurvesChecks,
  runsFromLongCsv,
} from "../core/checks/curves.ts";
import { CsvError } from "../core/results/csv.ts";
import { CurvesInputError } from "../core/checks/curves.ts";
import type { RunData } from "../core/checks/types.ts";
import { assertEquals, assertMatch, assertOk, assertThrowsMsg } from "./assert.ts";

const csv = (...lines: string[]) => lines.join("\n") + "\n";

/** The error `fn` throws, checked to be an instance of `cls` with a matching message. */
// deno-lint-ignore no-explicit-any
function throwsAs(fn: () => unknown, cls: new (...args: any[]) => Error, re: RegExp): void {
  const e = assertThrowsMsg(fn, re);
  assertOk(e instanceof cls, `expected ${cls.name}, got ${e.name}: ${e.message}`);
}

const ids = (runs: RunData[]) => runs.map((r) => r.id);
const col = (r: RunData, name: string) => r.metrics!.column(name);

// ---------------------------------------------------------------- curvesFromCsv

Deno.test("curvesFromCsv(): one run per (params, seed), columns in a fixed order, peak lr in info", () => {
  const text = csv(
    "params,seed,step,compute,loss,lr",
    "10,0,2,120,1.5,0.2",
    "10,0,1,60,2,0.1",
    "20,0,1,120,1.8,0.1",
  );
  const r = curvesFromCsv(text, "c.csv", {});
  assertEquals(r.columns, {
    params: "params",
    seed: "seed",
    step: "step",
    compute: "compute",
    loss: "loss",
    lr: "lr",
  });
  assertEquals(r.notes, []);
  assertEquals(ids(r.runs), ["params=10,seed=0", "params=20,seed=0"]);
  const [a] = r.runs;
  assertEquals(a.status, "ok");
  assertEquals(a.info, { n_params: "10", seed: "0", lr: "0.2" }); // the peak lr, not the first or last
  assertEquals(a.metrics!.columns, ["step", "compute", "loss", "lr"]);
  // rows are put in step order whatever the file order
  assertEquals(col(a, "step"), [1, 2]);
  assertEquals(col(a, "compute"), [60, 120]);
  assertEquals(col(a, "loss"), [2, 1.5]);
  assertEquals(col(a, "lr"), [0.1, 0.2]);
  assertEquals(a.metrics!.file, "c.csv (params=10,seed=0)");
});

Deno.test("curvesFromCsv(): absent optional columns are empty names, never another column", () => {
  // no seed, no compute, no lr: seed "0", x is the step, no lr column or info
  const r = curvesFromCsv(csv("params,step,loss", "10,1,2", "10,2,1"), "c.csv", {});
  assertEquals(r.columns, {
    params: "params",
    seed: "",
    step: "step",
    compute: "",
    loss: "loss",
    lr: "",
  });
  assertEquals(ids(r.runs), ["params=10,seed=0"]);
  assertEquals(r.runs[0].info, { n_params: "10", seed: "0" });
  assertEquals(r.runs[0].metrics!.columns, ["step", "loss"]);
  assertEquals(r.notes, [
    "warning: no compute column (--compute): L0 cannot be fitted, so L̂ = 0 unless --l0 is given",
  ]);
  // compute only: x is the compute, and there is no step column
  const c = curvesFromCsv(csv("params,compute,loss", "10,120,1", "10,60,2"), "c.csv", {});
  assertEquals(c.runs[0].metrics!.columns, ["compute", "loss"]);
  assertEquals(col(c.runs[0], "compute"), [60, 120]);
  assertEquals(c.notes, []);
});

Deno.test("curvesFromCsv(): the loss column defaults to loss, then test_loss, then train_loss", () => {
  const t = curvesFromCsv(csv("params,step,train_loss,test_loss", "10,1,5,7"), "c.csv", {});
  assertEquals(t.columns.loss, "test_loss");
  assertEquals(col(t.runs[0], "loss"), [7]);
  const tr = curvesFromCsv(csv("params,step,train_loss", "10,1,5"), "c.csv", {});
  assertEquals(tr.columns.loss, "train_loss");
  assertEquals(col(tr.runs[0], "loss"), [5]);
  throwsAs(
    () => curvesFromCsv(csv("params,step,acc", "10,1,5"), "c.csv", {}),
    CsvError,
    /missing column "loss" \(--loss\)/,
  );
  // named columns
  const n = curvesFromCsv(csv("n,s,it,l", "10,3,1,5"), "c.csv", {
    params: "n",
    seed: "s",
    step: "it",
    loss: "l",
  });
  assertEquals(n.runs[0].info, { n_params: "10", seed: "3" });
});

Deno.test("curvesFromCsv(): a file with neither a step nor a compute column is refused", () => {
  throwsAs(
    () => curvesFromCsv(csv("params,seed,loss", "10,0,1"), "c.csv", {}),
    CsvError,
    /needs a step or compute column/,
  );
});

Deno.test("curvesFromCsv(): the seed column is read wherever it is, and an empty seed is refused", () => {
  // seed as the first column (index 0)
  const r = curvesFromCsv(csv("seed,params,step,loss", "3,10,1,2", " 4,10,1,2"), "c.csv", {});
  assertEquals(ids(r.runs), ["params=10,seed=3", "params=10,seed=4"]); // " 4" is trimmed
  throwsAs(
    () => curvesFromCsv(csv("seed,params,step,loss", "3,10,1,2", ",10,1,2"), "c.csv", {}),
    CsvError,
    /c\.csv:3: column seed: empty seed/,
  );
  throwsAs(
    () => curvesFromCsv(csv("params,seed,step,loss", "10, ,1,2"), "c.csv", {}),
    CsvError,
    /:2: column seed: empty seed/,
  );
});

Deno.test("curvesFromCsv(): model sizes must be finite and > 0; loss and compute finite and ≥ 0", () => {
  const one = (row: string) => curvesFromCsv(csv("params,step,compute,loss", row), "c.csv", {});
  throwsAs(() => one(",1,6,2"), CsvError, /:2: column params: expected a model size, got ""/);
  throwsAs(() => one("inf,1,6,2"), CsvError, /:2: column params: expected a model size, got "inf"/);
  throwsAs(
    () => one("0,1,6,2"),
    CsvError,
    /:2: column params: expected a positive model size, got "0"/,
  );
  // zero loss and zero compute are valid; an empty loss or compute is "not measured"
  const z = one("10,1,0,0");
  assertEquals(col(z.runs[0], "loss"), [0]);
  assertEquals(col(z.runs[0], "compute"), [0]);
  const e = one("10,1,,");
  assertEquals(col(e.runs[0], "loss"), [null]);
  assertEquals(col(e.runs[0], "compute"), [null]);
});

Deno.test("curvesFromCsv(): --where needs COL=VALUE with a known column", () => {
  const text = csv("params,step,loss", "10,1,2");
  throwsAs(
    () => curvesFromCsv(text, "c.csv", { where: ["=10"] }),
    CurvesInputError,
    /--where =10: expected COL=VALUE/,
  );
  throwsAs(
    () => curvesFromCsv(text, "c.csv", { where: ["params"] }),
    CurvesInputError,
    /expected COL=VALUE/,
  );
  throwsAs(
    () => curvesFromCsv(text, "c.csv", { where: ["size=10"] }),
    CsvError,
    /missing column "size" \(--where\)/,
  );
  throwsAs(
    () => curvesFromCsv(text, "c.csv", { where: ["params=20"] }),
    CurvesInputError,
    /^c\.csv: no data rows match --where$/,
  );
});

Deno.test("curvesFromCsv(): --where compares text exactly and numbers numerically; empty matches only empty", () => {
  const text = csv(
    "params,seed,step,loss,tag,wd",
    "100,0,1,2,a,0",
    "200,0,1,2,b,",
    "400,0,1,2,a, ",
  );
  const sizes = (where: string[]) =>
    curvesFromCsv(text, "c.csv", { where }).runs.map((r) => r.info.n_params);
  assertEquals(sizes(["params=100"]), ["100"]);
  assertEquals(sizes(["params=1e2"]), ["100"]); // the same number written otherwise
  assertEquals(sizes(["tag=a"]), ["100", "400"]); // text: exact
  assertEquals(sizes(["wd=0"]), ["100"]); // an empty or blank cell is not 0
  assertEquals(sizes(["wd="]), ["200"]); // empty matches the empty cell only
  assertEquals(sizes(["wd= "]), ["400"]); // " " matches " " only, not 0
  assertEquals(sizes(["tag=a", "wd=0"]), ["100"]); // every filter must match
});

Deno.test("curvesFromCsv(): identical repeats are merged (singular note); x-less rows are all kept, first", () => {
  const r = curvesFromCsv(
    csv("params,seed,step,compute,loss", "10,0,2,12,1", "10,0,1,6,2", "10,0,2,12,1"),
    "c.csv",
    {},
  );
  assertEquals(r.notes, ["merged 1 identical repeated row (same step and loss)"]);
  assertEquals(col(r.runs[0], "step"), [1, 2]);
  // rows without a step are not repeats of each other: kept, before the measured x, in file order
  const n = curvesFromCsv(
    csv("params,step,loss", "10,3,1", "10,,5", "10,1,2", "10,,6", "10,,7"),
    "c.csv",
    {},
  );
  assertEquals(col(n.runs[0], "step"), [null, null, null, 1, 3]);
  assertEquals(col(n.runs[0], "loss"), [5, 6, 7, 2, 1]);
});

Deno.test("curvesFromCsv(): a repeated step with the same loss but another compute is a conflict", () => {
  throwsAs(
    () =>
      curvesFromCsv(
        csv("params,seed,step,compute,loss", "10,0,1,6,2", "10,0,1,7,2"),
        "c.csv",
        {},
      ),
    CurvesInputError,
    /c\.csv: lines 2 and 3 repeat step 1 with different loss for params = 10, seed 0/,
  );
});

Deno.test("curvesFromCsv(): an LR sweep is split by lr only when that removes every conflict", () => {
  const sweep = curvesFromCsv(
    csv(
      "params,seed,step,loss,lr",
      "10,0,1,2,0.1",
      "10,0,1,2.5,0.2",
      "10,0,2,1,0.1",
      "10,0,2,1.5,",
    ),
    "c.csv",
    {},
  );
  assertEquals(sweep.notes, [
    "runs split by (params, seed, lr)",
    "warning: no compute column (--compute): L0 cannot be fitted, so L̂ = 0 unless --l0 is given",
  ]);
  // the run without an lr has no lr in its id or info
  assertEquals(ids(sweep.runs), [
    "params=10,seed=0,lr=0.1",
    "params=10,seed=0,lr=0.2",
    "params=10,seed=0",
  ]);
  assertEquals(sweep.runs[0].info, { n_params: "10", seed: "0", lr: "0.1", schedule: "constant" });
  assertEquals(sweep.runs[2].info, { n_params: "10", seed: "0", schedule: "constant" });
  assertEquals(col(sweep.runs[2], "lr"), [null]);
  // a conflict within one lr too: the error names the first conflict of the file (lines 2 and 3)
  throwsAs(
    () =>
      curvesFromCsv(
        csv("params,seed,step,loss,lr", "10,0,1,2,0.1", "10,0,1,2.5,0.2", "10,0,1,2.1,0.1"),
        "c.csv",
        {},
      ),
    CurvesInputError,
    /lines 2 and 3 repeat step 1/,
  );
  // an lr column that is empty throughout gives no lr in info
  const none = curvesFromCsv(csv("params,step,loss,lr", "10,1,2,"), "c.csv", {});
  assertEquals(none.runs[0].info, { n_params: "10", seed: "0" });
});

// -------------------------------------------------------------- runsFromLongCsv

const LONG = csv(
  "run,step,sharpness,lr,opt,wd",
  "b,10,3,0.1,adam,0",
  "a,10,2,0.2,sgd,0",
  "a,0,1,0.1,sgd,0",
  "c,0,5,0.3,sgd,1",
);

Deno.test("runsFromLongCsv(): runs in id order, steps in order, metrics renamed, constant columns in info", () => {
  const { runs, notes } = runsFromLongCsv(LONG, "l.csv", { map: { lambda_max: "sharpness" } });
  assertEquals(notes, []);
  assertEquals(ids(runs), ["run=a", "run=b", "run=c"]);
  const a = runs[0];
  assertEquals(a.status, "ok");
  assertEquals(a.metrics!.columns, ["step", "lambda_max", "lr", "wd"]);
  assertEquals(col(a, "step"), [0, 10]);
  assertEquals(col(a, "lambda_max"), [1, 2]);
  assertEquals(col(a, "lr"), [0.1, 0.2]);
  assertOk(!a.metrics!.has("sharpness"));
  // the run column, the constant text column and constant numbers; lr is the peak
  assertEquals(a.info, { run: "a", opt: "sgd", wd: "0", lr: "0.2" });
  assertEquals(a.metrics!.file, "l.csv (run=a)");
  // a one-row run: its step is not run info, its lr is
  assertEquals(runs[2].info, { run: "c", opt: "sgd", lambda_max: "5", lr: "0.3", wd: "1" });
});

Deno.test("runsFromLongCsv(): without a run column the file is one run, 'base'; --run names several columns", () => {
  const one = runsFromLongCsv(csv("step,loss", "1,2", "0,3"), "l.csv", {});
  assertEquals(ids(one.runs), ["base"]);
  assertEquals(col(one.runs[0], "loss"), [3, 2]);
  assertEquals(one.runs[0].info, {});
  const two = runsFromLongCsv(LONG, "l.csv", { run: ["opt", "wd"] });
  assertEquals(ids(two.runs), ["opt=adam,wd=0", "opt=sgd,wd=0", "opt=sgd,wd=1"]);
  // the run columns are info, not metrics; "run" is then an ordinary text column
  assertEquals(two.runs[1].metrics!.columns, ["step", "sharpness", "lr"]);
  assertEquals(col(two.runs[1], "sharpness"), [1, 2]);
  assertEquals(two.runs[1].info, { opt: "sgd", wd: "0", run: "a", lr: "0.2" });
  // a numeric run column is not a metric either
  const seeds = runsFromLongCsv(csv("seed,step,loss", "1,0,2", "2,0,3"), "l.csv", {
    run: ["seed"],
  });
  assertEquals(seeds.runs[0].metrics!.columns, ["step", "loss"]);
});

Deno.test("runsFromLongCsv(): missing --run, --step and --map columns and a column mapped twice are refused", () => {
  throwsAs(
    () => runsFromLongCsv(LONG, "l.csv", { run: ["seed"] }),
    CsvError,
    /l\.csv:1: missing column "seed" \(--run\)/,
  );
  throwsAs(
    () => runsFromLongCsv(csv("iter,loss", "1,2"), "l.csv", {}),
    CsvError,
    /missing column "step" \(--step\)/,
  );
  throwsAs(
    () => runsFromLongCsv(LONG, "l.csv", { map: { lambda_max: "sharp" } }),
    CsvError,
    /missing column "sharp" \(--map lambda_max=sharp\)/,
  );
  throwsAs(
    () => runsFromLongCsv(LONG, "l.csv", { map: { lambda_max: "sharpness", lam: "sharpness" } }),
    CurvesInputError,
    /--map: column "sharpness" is mapped twice/,
  );
});

Deno.test("runsFromLongCsv(): --where filters rows like curves does", () => {
  const w = (where: string[]) => ids(runsFromLongCsv(LONG, "l.csv", { where }).runs);
  assertEquals(w(["run=a"]), ["run=a"]);
  assertEquals(w(["lr=1e-1"]), ["run=a", "run=b"]);
  assertEquals(w(["opt=sgd", "wd=0"]), ["run=a"]);
  throwsAs(() => w(["=a"]), CurvesInputError, /--where =a: expected COL=VALUE/);
  throwsAs(() => w(["run"]), CurvesInputError, /--where run: expected COL=VALUE/);
  throwsAs(() => w(["seed=1"]), CsvError, /missing column "seed" \(--where\)/);
  throwsAs(() => w(["run=z"]), CurvesInputError, /^l\.csv: no data rows match --where$/);
  const blanks = csv("run,step,wd", "a,0,0", "b,0,", "c,0, ");
  const b = (where: string[]) => ids(runsFromLongCsv(blanks, "l.csv", { where }).runs);
  assertEquals(b(["wd=0"]), ["run=a"]);
  assertEquals(b(["wd="]), ["run=b"]);
  assertEquals(b(["wd= "]), ["run=c"]);
  assertEquals(b(["wd=0.0"]), ["run=a"]);
});

Deno.test("runsFromLongCsv(): a step must be a finite number", () => {
  throwsAs(
    () => runsFromLongCsv(csv("step,loss", "0,1", ",2"), "l.csv", {}),
    CsvError,
    /l\.csv:3: column step: expected a step number, got ""/,
  );
  throwsAs(
    () => runsFromLongCsv(csv("step,loss", "inf,2"), "l.csv", {}),
    CsvError,
    /l\.csv:2: column step: expected a step number, got "inf"/,
  );
});

Deno.test("runsFromLongCsv(): identical repeated rows are merged with a note; a repeat with other values names both lines", () => {
  const m = runsFromLongCsv(
    csv("run,step,loss", "a,0,1", "a,1,2", "a,0,1", "b,0,1", "b,0,1"),
    "l.csv",
    {},
  );
  assertEquals(m.notes, ["merged 2 identical repeated row(s)"]);
  assertEquals(col(m.runs[0], "loss"), [1, 2]);
  throwsAs(
    () => runsFromLongCsv(csv("run,step,loss", "a,0,1", "b,0,1", "a,0,2"), "l.csv", {}),
    CurvesInputError,
    /^l\.csv: lines 2 and 4 repeat step 0 of run run=a with other values/,
  );
});

Deno.test("runsFromLongCsv(): a text column is info when constant within the run, else an error at its first bad cell", () => {
  const ok = runsFromLongCsv(csv("run,step,opt,loss", "a,0,adam,1", "a,1,adam,2"), "l.csv", {});
  assertEquals(ok.runs[0].info, { run: "a", opt: "adam" });
  assertEquals(ok.runs[0].metrics!.columns, ["step", "loss"]);
  throwsAs(
    () => runsFromLongCsv(csv("run,step,opt", "a,0,adam", "a,1,sgd"), "l.csv", {}),
    CsvError,
    /l\.csv:2: column opt: expected a number, got "adam"/,
  );
  throwsAs(
    () => runsFromLongCsv(csv("run,step,loss", "a,0,1", "a,1,x"), "l.csv", {}),
    CsvError,
    /l\.csv:3: column loss: expected a number, got "x"/,
  );
});

Deno.test("runsFromLongCsv(): blank or empty constant columns are not info; the lr peak skips empty and nan cells", () => {
  const r = runsFromLongCsv(
    csv("step,lr,gap,blank", "0,,1, ", "1,nan,1, ", "2,0.5,1, ", "3,0.25,1, "),
    "l.csv",
    {},
  );
  assertEquals(r.runs[0].info, { gap: "1", lr: "0.5" });
  assertEquals(col(r.runs[0], "blank"), [null, null, null, null]);
  const empty = runsFromLongCsv(csv("step,lr", "0,", "1,"), "l.csv", {});
  assertEquals(empty.runs[0].info, {});
});

Deno.test("runsFromLongCsv(): a run column mapped to a metric is that metric, constant over the run", () => {
  const text = csv("eta,step,loss,opt", "0.1,0,1,adam", "0.1,1,2,adam", "x,0,1,sgd", ",0,1,sgd");
  const { runs } = runsFromLongCsv(text, "l.csv", {
    run: ["eta"],
    map: { lr: "eta", optimizer: "opt" },
  });
  assertEquals(ids(runs), ["eta=", "eta=0.1", "eta=x"]);
  const [blank, num, text_] = runs;
  assertEquals(num.metrics!.columns, ["step", "loss", "lr"]);
  assertEquals(col(num, "lr"), [0.1, 0.1]);
  assertEquals(num.info, { eta: "0.1", optimizer: "adam", lr: "0.1" });
  // a non-numeric or empty value is info only
  assertEquals(text_.metrics!.columns, ["step", "loss"]);
  assertEquals(text_.info, { eta: "x", optimizer: "sgd", loss: "1", lr: "x" });
  assertEquals(blank.metrics!.columns, ["step", "loss"]);
  assertEquals(blank.info, { eta: "", optimizer: "sgd", loss: "1", lr: "" });
  // a blank value (Number(" ") is 0) is no number either
  const spaced = runsFromLongCsv(csv("eta,step,loss", " ,0,1", " ,1,2"), "l.csv", {
    run: ["eta"],
    map: { lr: "eta" },
  });
  assertEquals(spaced.runs[0].metrics!.columns, ["step", "loss"]);
  assertEquals(spaced.runs[0].info, { eta: " ", lr: " " });
  // a metric column of that name wins over the run column
  const both = runsFromLongCsv(csv("eta,step,lr", "0.1,0,0.05", "0.1,1,0.07"), "l.csv", {
    run: ["eta"],
    map: { lr: "eta" },
  });
  assertEquals(col(both.runs[0], "lr"), [0.05, 0.07]);
  assertEquals(both.runs[0].metrics!.columns, ["step", "lr"]);
});

Deno.test("runsFromLongCsv(): another step column also gives 'step' (first), under its own or mapped name", () => {
  const r = runsFromLongCsv(csv("iter,loss", "2,1", "1,2"), "l.csv", { step: "iter" });
  assertEquals(r.runs[0].metrics!.columns, ["step", "iter", "loss"]);
  assertEquals(col(r.runs[0], "step"), [1, 2]);
  assertEquals(col(r.runs[0], "iter"), [1, 2]);
  const m = runsFromLongCsv(csv("iter,loss", "2,1", "1,2"), "l.csv", {
    step: "iter",
    map: { epoch: "iter" },
  });
  assertEquals(m.runs[0].metrics!.columns, ["step", "epoch", "loss"]);
  assertEquals(col(m.runs[0], "step"), [1, 2]);
});

// -------------------------------------------------------- optionsFor, runCurvesChecks

Deno.test("optionsFor(): a check with a strict schema gets only its own options; others (or unknown names) get all", () => {
  const opts = { params: "n_params", l0: 0.5 };
  assertEquals(optionsFor("fit_l0", opts), { params: "n_params" });
  assertEquals(optionsFor("collapse", opts), opts);
  assertEquals(optionsFor("grokking", opts), {}); // declares neither
  assertEquals(optionsFor("no_such_check", opts), opts);
});

/** Two seeds (loss scale 0.99 and 1.01) per size of L = 0.5 + s·(t^-½ + p^-½), t = p·i/10. */
function ladder(seeds = [0.99, 1.01]): RunData[] {
  const lines = ["params,seed,step,compute,loss"];
  for (const p of [100, 200, 400]) {
    seeds.forEach((s, w) => {
      for (let i = 1; i <= 10; i++) {
        const t = (p * i) / 10;
        lines.push([p, w, t, 6 * t * p, 0.5 + s * (t ** -0.5 + p ** -0.5)].join(","));
      }
    });
  }
  return curvesFromCsv(lines.join("\n") + "\n", "l.csv", {}).runs;
}

Deno.test("runCurvesChecks(): the report mirrors the rows; expectations default per check and can be overridden", () => {
  const runs = ladder();
  const { rows, report } = runCurvesChecks(
    "l",
    runs,
    ["collapse", "collapse_variance_scaling"],
    { l0: 0.5, loss: "loss" },
    { collapse: "fails" },
  );
  assertEquals(rows.map((r) => [r.check, r.expect]), [
    ["collapse", "fails"],
    ["collapse_variance_scaling", "report"],
  ]);
  assertEquals(
    report.checks,
    rows.map((r) => ({
      experiment: "l",
      check: r.check,
      statistic: r.statistic,
      value: r.value,
      expected: r.expected,
      tolerance: r.tolerance,
      verdict: r.verdict,
      detail: r.detail,
    })),
  );
  assertOk(typeof report.checks[0].value === "number");
  assertEquals(report.l0, 0.5);
  // x from the largest first-measured x (0.1) to 1 in steps of 1/100
  assertEquals(report.grid, Array.from({ length: 91 }, (_, k) => (k + 10) / 100));
  assertEquals(report.delta.length, 91);
  assertEquals(report.sigma.length, 91);
  assertEquals(report.ratio.length, 91);
  assertOk(report.sigma.every((s) => typeof s === "number" && s > 0));
  // an unnamed check defaults to holds
  const [row] = runCurvesChecks("l", runs, ["collapse"], { l0: 0.5, loss: "loss" }).rows;
  assertEquals(row.expect, "holds");
});

Deno.test("runCurvesChecks(): with no runs the curves are empty, L̂ is the given one or null, skipped values are null", () => {
  const single: RunData[] = [];
  const given = runCurvesChecks("l", single, ["collapse"], { l0: 0.25, loss: "loss" });
  assertEquals(given.rows[0].verdict, "skip");
  assertEquals(given.rows[0].value, null);
  assertEquals(given.report.checks[0].value, null);
  assertEquals(given.report.l0, 0.25);
  assertEquals([given.report.grid, given.report.delta, given.report.sigma, given.report.ratio], [
    [],
    [],
    [],
    [],
  ]);
  const none = runCurvesChecks("l", single, ["collapse"], { loss: "loss" });
  assertEquals(none.report.l0, null);
  assertEquals(none.report.grid, []);
  assertMatch(none.rows[0].detail, /no runs/);
});
