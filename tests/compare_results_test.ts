import { assertEquals, assertMatch, assertOk } from "./assert.ts";
import { captureIO, editFile, runDir, setMetric, writeFakeSuite } from "./compare_fixture.ts";
import { compareCommand } from "../core/commands/compare.ts";
import { compareTables } from "../core/compare/diff.ts";
import { tableFromCsv } from "../core/results/table.ts";
import { loadSuite } from "../core/results/load.ts";

async function twoSuites(
  optsB: Parameters<typeof writeFakeSuite>[1] = {},
): Promise<{ root: string; a: string; b: string }> {
  const root = await Deno.makeTempDir({ prefix: "phasebench_compare_" });
  await writeFakeSuite(`${root}/a`, { wallSeconds: 1.5 });
  await writeFakeSuite(`${root}/b`, { wallSeconds: 7.25, ...optsB });
  return { root, a: `${root}/a`, b: `${root}/b` };
}

const EOS = { lr: 0.2, seed: 1 };

Deno.test("compare: identical result sets (apart from timing.csv and wall-clock manifest fields) exit 0 and say byte-identical", async () => {
  const { root, a, b } = await twoSuites();
  const io = captureIO();
  const code = await compareCommand([a, b], io);
  assertEquals(code, 0, io.stderr.join("\n"));
  const md = io.stdout.join("\n");
  assertMatch(md.split("\n")[0], /^\*\*byte-identical\*\*/);
  assertOk(!/not byte-identical/.test(md));
  assertMatch(md, /Result: OK/);
  await Deno.remove(root, { recursive: true });
});

Deno.test("compare: one changed metric value exits 1 naming experiment, run, column and first differing step", async () => {
  const { root, a, b } = await twoSuites();
  await setMetric(b, "eos_toy", EOS, 40, "lambda_max", (x) => x * (1 + 1e-6));
  const io = captureIO();
  const code = await compareCommand([a, b], io);
  assertEquals(code, 1);
  const md = io.stdout.join("\n");
  assertMatch(md.split("\n")[0], /not byte-identical.*1 file\(s\) differ/);
  assertMatch(md, /#### eos_toy/);
  assertMatch(
    md,
    /run `eos_toy\/lr=0\.2,seed=1`: backend wasm — \*\*gates\*\*/,
  );
  assertMatch(
    md,
    /\| lambda_max \| 1 \| [^|]+ \| 1\.000\d*e-6 \| 40 \| yes \|/,
  );
  assertMatch(
    md,
    /same backend \(wasm\).*eos_toy\/lr=0\.2,seed=1.*lambda_max.*step 40/,
  );
  await Deno.remove(root, { recursive: true });
});

Deno.test("compare: a gating check that flips met → not met exits 1", async () => {
  const { root, a, b } = await twoSuites();
  await editFile(
    `${b}/checks.csv`,
    "1.01,[0.90, 1.15],band,pass,met",
    "1.4,[0.90, 1.15],band,fail,not met",
  )
    .catch(async () => {
      // csv-stringify quotes cells with commas: edit the quoted form.
      await editFile(
        `${b}/checks.csv`,
        `1.01,"[0.90, 1.15]",band,pass,met`,
        `1.4,"[0.90, 1.15]",band,fail,not met`,
      );
    });
  const io = captureIO();
  const code = await compareCommand([a, b, "--json"], io);
  assertEquals(code, 1);
  const json = JSON.parse(io.stdout.join("\n"));
  assertEquals(json.exitCode, 1);
  const row = json.checks.find((c: { check: string }) => c.check === "eos");
  assertEquals([row.a.verdict, row.verdict, row.a.outcome, row.outcome], [
    "pass",
    "fail",
    "met",
    "not met",
  ]);
  assertEquals(row.change, "verdict");
  assertEquals(row.value, 1.4);
  assertMatch(
    json.gates[0],
    /check flipped: eos_toy eos eos_toy\/lr=0\.2,seed=1: met → not met/,
  );
  await Deno.remove(root, { recursive: true });
});

Deno.test("compare: a gating check not met in B exits 1 even when it was not met in A either", async () => {
  const { root, a, b } = await twoSuites();
  for (const d of [a, b]) {
    await editFile(
      `${d}/checks.csv`,
      "t_gen/t_fit,9.5,>= 3,,pass,met",
      "t_gen/t_fit,2,>= 3,,fail,not met",
    );
  }
  const io = captureIO();
  assertEquals(await compareCommand([a, b], io), 1);
  assertMatch(io.stdout.join("\n"), /check not met in B: grok_toy grokking \*/);
  await Deno.remove(root, { recursive: true });
});

Deno.test("compare: tiny drift between different backends is reported and does not gate", async () => {
  const { root, a, b } = await twoSuites({ backend: "cpu" });
  await setMetric(b, "eos_toy", EOS, 60, "train_loss", (x) => x * (1 + 3e-7));
  const io = captureIO();
  const code = await compareCommand([a, b], io);
  assertEquals(code, 0, io.stdout.join("\n"));
  const md = io.stdout.join("\n");
  assertMatch(md, /not byte-identical/);
  assertMatch(md, /backends wasm → cpu \(different: reported, not gating\)/);
  assertMatch(md, /\| train_loss \| 1 \| [^|]+ \| 3\.000e-7 \| 60 \| yes \|/);
  await Deno.remove(root, { recursive: true });
});

Deno.test("compare: --rtol lets same-backend drift below it pass", async () => {
  const { root, a, b } = await twoSuites();
  await setMetric(b, "eos_toy", EOS, 60, "train_loss", (x) => x * (1 + 3e-7));
  assertEquals(await compareCommand([a, b], captureIO()), 1);
  assertEquals(await compareCommand([a, b, "--rtol", "1e-6"], captureIO()), 0);
  assertEquals(await compareCommand([a, b, "--rtol", "1e-7"], captureIO()), 1);
  const io = captureIO();
  assertEquals(await compareCommand([a, b, "--rtol", "abc"], io), 2);
  assertMatch(io.stderr.join("\n"), /--rtol: expected a non-negative number/);
  await Deno.remove(root, { recursive: true });
});

Deno.test("compare: a run that A has and B lacks gates (lost shard); a run new in B does not", async () => {
  const root = await Deno.makeTempDir({ prefix: "phasebench_compare_" });
  await writeFakeSuite(`${root}/a`);
  await writeFakeSuite(`${root}/b`, {
    runFilter: (id) => id !== "eos_toy/lr=0.4,seed=1",
  });
  const io = captureIO();
  assertEquals(await compareCommand([`${root}/a`, `${root}/b`], io), 1);
  const out = io.stdout.join("\n");
  assertMatch(out, /runs only in A: `eos_toy\/lr=0\.4,seed=1`/);
  assertMatch(out, /run\(s\) missing in B: eos_toy\/lr=0\.4,seed=1/);
  // the other way round (B has a run A lacks) is reported, not gating
  const io2 = captureIO();
  assertEquals(await compareCommand([`${root}/b`, `${root}/a`], io2), 0);
  assertMatch(io2.stdout.join("\n"), /runs only in B: `eos_toy\/lr=0\.4,seed=1`/);
  await Deno.remove(root, { recursive: true });
});

Deno.test("compare: a truncated metrics.csv exits 2 naming the file and line", async () => {
  const { root, a, b } = await twoSuites();
  const path = `${b}/eos_toy/${runDir("eos_toy", EOS)}/metrics.csv`;
  const text = await Deno.readTextFile(path);
  const lines = text.split("\n");
  // keep the header and 4 data rows, cut the 5th row in half (line 6)
  await Deno.writeTextFile(
    path,
    lines.slice(0, 5).join("\n") + "\n" + lines[5].slice(0, 6),
  );
  const io = captureIO();
  assertEquals(await compareCommand([a, b], io), 2);
  const err = io.stderr.join("\n");
  assertMatch(
    err,
    new RegExp(
      `${path.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}:6: expected 6 cells`,
    ),
  );
  assertOk(!/\n\s+at /.test(err), "no stack trace");
  await Deno.remove(root, { recursive: true });
});

Deno.test("compare: a garbled number, a bad status and malformed JSON exit 2 naming file and line", async () => {
  const { root, a, b } = await twoSuites();
  await setMetric(b, "eos_toy", EOS, 30, "train_loss", () => NaN);
  await editFile(
    `${b}/eos_toy/${runDir("eos_toy", EOS)}/metrics.csv`,
    /,nan,|,NaN,/,
    ",0.1x,",
  );
  let io = captureIO();
  assertEquals(await compareCommand([a, b], io), 2);
  assertMatch(
    io.stderr.join("\n"),
    /metrics\.csv:5: column train_loss: expected a number, got "0\.1x"/,
  );

  await writeFakeSuite(b);
  await editFile(`${b}/grok_toy/runs.csv`, ",ok,", ",okay,");
  io = captureIO();
  assertEquals(await compareCommand([a, b], io), 2);
  assertMatch(
    io.stderr.join("\n"),
    /grok_toy\/runs\.csv:2: column status: expected one of ok\|diverged\|skipped\|failed, got "okay"/,
  );

  await writeFakeSuite(b);
  await editFile(`${b}/collapse_toy/experiment.json`, `"tags": [`, `"tags" [`);
  io = captureIO();
  assertEquals(await compareCommand([a, b], io), 2);
  assertMatch(
    io.stderr.join("\n"),
    /collapse_toy\/experiment\.json:3: malformed JSON/,
  );

  io = captureIO();
  assertEquals(await compareCommand([a, `${root}/nope`], io), 2);
  assertMatch(io.stderr.join("\n"), /nope: cannot open results directory/);
  await Deno.remove(root, { recursive: true });
});

Deno.test("compare: usage errors exit 2", async () => {
  const io = captureIO();
  assertEquals(await compareCommand(["only-one"], io), 2);
  assertMatch(io.stderr.join("\n"), /usage: deno task compare A B/);
});

async function git(cwd: string, ...args: string[]): Promise<void> {
  const out = await new Deno.Command("git", {
    args: [
      "-c",
      "user.name=t",
      "-c",
      "user.email=t@example.invalid",
      "-c",
      "commit.gpgsign=false",
      ...args,
    ],
    cwd,
    stdout: "null",
    stderr: "piped",
  }).output();
  if (!out.success) throw new Error(new TextDecoder().decode(out.stderr));
}

Deno.test("compare: git:<rev> reads committed results/baseline without touching the work tree", async () => {
  const repo = await Deno.makeTempDir({ prefix: "phasebench_git_" });
  await git(repo, "init", "-q");
  const base = `${repo}/results/baseline`;
  await writeFakeSuite(base);
  await git(repo, "add", "-A");
  await git(repo, "commit", "-q", "-m", "baseline");
  await setMetric(base, "grok_toy", {}, 95, "test_acc", (x) => x + 0.01);
  await git(repo, "commit", "-q", "-am", "change");
  const before = await Deno.readTextFile(
    `${base}/grok_toy/${runDir("grok_toy", {})}/metrics.csv`,
  );

  let io = captureIO();
  assertEquals(await compareCommand(["git:HEAD~1", base], io, repo), 1);
  let md = io.stdout.join("\n");
  assertMatch(
    md.split("\n")[0],
    /not byte-identical\*\*: `git:HEAD~1:results\/baseline`/,
  );
  assertMatch(md, /run `grok_toy\/base`.*\*\*gates\*\*/);
  assertMatch(md, /\| test_acc \| 1 \| 0\.01 \| [^|]+ \| 95 \| yes \|/);

  io = captureIO();
  assertEquals(await compareCommand(["git:HEAD", base], io, repo), 0);
  md = io.stdout.join("\n");
  assertMatch(md.split("\n")[0], /^\*\*byte-identical\*\*/);
  const after = await Deno.readTextFile(
    `${base}/grok_toy/${runDir("grok_toy", {})}/metrics.csv`,
  );
  assertEquals(after, before);

  io = captureIO();
  assertEquals(await compareCommand(["git:no-such-rev", base], io, repo), 2);
  assertMatch(
    io.stderr.join("\n"),
    /git:no-such-rev:results\/baseline: git ls-tree failed/,
  );
  await Deno.remove(repo, { recursive: true });
});

Deno.test("compareTables() reports max abs/rel difference and first differing step, matching rows by step", () => {
  const a = tableFromCsv("step,x,y\n0,1,5\n10,2,\n20,4,7\n30,8,8\n", "a.csv");
  const b = tableFromCsv(
    "step,x,y,z\n0,1,5,1\n10,2.5,,1\n20,3,7,1\n40,8,8,1\n",
    "b.csv",
  );
  const t = compareTables(a, b, 1e-9);
  assertEquals(t.stepsOnlyInA, 1);
  assertEquals(t.stepsOnlyInB, 1);
  const x = t.columns.find((c) => c.column === "x")!;
  assertEquals([x.rowsDiffering, x.maxAbs, x.maxRel, x.firstStep], [
    2,
    1,
    0.25,
    10,
  ]);
  assertEquals(t.columns.find((c) => c.column === "z")!.onlyIn, "B");
  assertEquals(t.columns.some((c) => c.column === "y"), false);
});

Deno.test("compareTables() gates a cell that changes between a number and NaN or empty, even with a loose rtol", () => {
  const a = tableFromCsv("step,x\n0,1\n10,2\n20,3\n", "a.csv");
  for (const [what, cell] of [["NaN", "nan"], ["empty", ""], ["Inf", "inf"]]) {
    const b = tableFromCsv(`step,x\n0,1\n10,${cell}\n20,3\n`, "b.csv");
    for (const [x, y] of [[a, b], [b, a]]) {
      const t = compareTables(x, y, 1e6);
      const col = t.columns.find((c) => c.column === "x")!;
      assertEquals([col.rowsDiffering, col.mismatchedCells, col.firstStep], [1, 1, 10], what);
      assertEquals(col.beyondTolerance, true, `${what} gates`);
    }
  }
  // NaN on both sides is the same value: nothing differs
  const n = tableFromCsv("step,x\n0,nan\n", "n.csv");
  assertEquals(compareTables(n, n, 0).columns, []);
});

Deno.test("loadSuite() reads the layout into runs the checks can use", async () => {
  const root = await Deno.makeTempDir({ prefix: "phasebench_load_" });
  await writeFakeSuite(root);
  const s = await loadSuite(root);
  assertEquals(s.experiments.map((e) => e.name), [
    "collapse_toy",
    "eos_toy",
    "grok_toy",
  ]);
  const eos = s.experiments[1];
  assertEquals(eos.runs.map((r) => r.id), [
    "eos_toy/lr=0.2,seed=1",
    "eos_toy/lr=0.4,seed=1",
  ]);
  assertEquals(eos.runs[0].info.lr, "0.2");
  assertEquals(eos.runs[0].metrics!.column("two_over_lr")[0], 10);
  assertEquals(eos.runs[0].manifest!.backend, {
    name: "wasm",
    version: "4.22.0",
  });
  assertEquals(s.checks.length, 3);
  assertEquals(s.checks[0].value, 1.01);
  assertOk(!Object.keys(s.digests).some((f) => f.endsWith("timing.csv")));
  await Deno.remove(root, { recursive: true });
});
