/**
 * The runner's promises: byte-identical reruns, seeds that matter, workers and
 * shards that do not change bytes, divergence that does not stop the suite,
 * and a lock against two writers.
 */
import { assertEquals, assertMatch, assertNotEquals, assertOk } from "./assert.ts";
import {
  readOrNull,
  runCli,
  runCliProcess,
  tempDir,
  tinyExperiment,
  writeExperiment,
} from "./cli_helpers.ts";
import { acquireLock } from "../core/results/lock.ts";
import { writePart } from "./fake_cifar5m.ts";

const dir = tempDir();
const file = writeExperiment(dir, {
  ...tinyExperiment("tiny_sweep"),
  sweep: { seed: [1, 2], "optimizer.lr": [0.1, 0.3] },
});

function metricsFiles(out: string): Map<string, string> {
  const m = new Map<string, string>();
  for (const e of Deno.readDirSync(`${out}/tiny_sweep`)) {
    if (e.isDirectory) {
      m.set(e.name, Deno.readTextFileSync(`${out}/tiny_sweep/${e.name}/metrics.csv`));
    }
  }
  return m;
}

Deno.test("the same experiment run twice gives byte-identical metrics.csv; another seed differs", async () => {
  const a = await runCli([
    "run",
    file,
    "--out",
    `${dir}/a`,
    "--quiet",
    "--backend",
    "cpu",
    "--jobs",
    "1",
  ]);
  const b = await runCli([
    "run",
    file,
    "--out",
    `${dir}/b`,
    "--quiet",
    "--backend",
    "cpu",
    "--jobs",
    "1",
  ]);
  assertEquals(a.code, 0, a.err);
  assertEquals(b.code, 0, b.err);
  const ma = metricsFiles(`${dir}/a`), mb = metricsFiles(`${dir}/b`);
  assertEquals(ma.size, 4);
  assertEquals([...ma.entries()], [...mb.entries()]);
  const seed1 = [...ma.entries()].find(([k]) => k.startsWith("seed=1,lr=0.1~"))![1];
  const seed2 = [...ma.entries()].find(([k]) => k.startsWith("seed=2,lr=0.1~"))![1];
  assertNotEquals(seed1, seed2);
  // and the format is fixed: header, then numeric rows
  assertMatch(
    seed1,
    /^step,lr,tau,compute,train_loss,train_acc,test_loss,test_acc,grad_norm\n0,0\.1,0,0,/,
  );
});

Deno.test("--jobs 2 gives the same bytes as --jobs 1", async () => {
  const r = await runCli([
    "run",
    file,
    "--out",
    `${dir}/j2`,
    "--quiet",
    "--backend",
    "cpu",
    "--jobs",
    "2",
  ]);
  assertEquals(r.code, 0, r.err);
  if (!readOrNull(`${dir}/a/tiny_sweep/runs.csv`)) {
    await runCli(["run", file, "--out", `${dir}/a`, "--quiet", "--backend", "cpu", "--jobs", "1"]);
  }
  assertEquals([...metricsFiles(`${dir}/j2`).entries()], [...metricsFiles(`${dir}/a`).entries()]);
  assertEquals(
    readOrNull(`${dir}/j2/tiny_sweep/runs.csv`),
    readOrNull(`${dir}/a/tiny_sweep/runs.csv`),
  );
});

Deno.test("two shards together hold exactly the unsharded runs, byte for byte", async () => {
  for (const s of ["1/2", "2/2"]) {
    const r = await runCli([
      "run",
      file,
      "--out",
      `${dir}/shard${s[0]}`,
      "--quiet",
      "--backend",
      "cpu",
      "--shard",
      s,
    ]);
    assertEquals(r.code, 0, r.err);
  }
  const s1 = metricsFiles(`${dir}/shard1`), s2 = metricsFiles(`${dir}/shard2`);
  assertEquals(s1.size + s2.size, 4);
  for (const k of s1.keys()) assertOk(!s2.has(k), "shards do not overlap");
  const whole = metricsFiles(`${dir}/j2`);
  for (const [k, v] of [...s1, ...s2]) assertEquals(v, whole.get(k), k);
});

Deno.test("a learning rate that blows up gives status diverged and the suite goes on", async () => {
  const f = writeExperiment(dir, {
    ...tinyExperiment("blowup"),
    optimizer: { kind: "gd", lr: 0.3 },
    sweep: { "optimizer.lr": [0.3, 1e6] },
    budget: { steps: 30 },
    checks: [{ name: "grokking", expect: "report" }],
  });
  const r = await runCli(["run", f, "--out", `${dir}/blowup`, "--quiet", "--backend", "cpu"]);
  assertEquals(r.code, 0, `exit code reflects checks (report only), not the crash: ${r.err}`);
  const runs = Deno.readTextFileSync(`${dir}/blowup/blowup/runs.csv`);
  assertMatch(runs, /blowup\/lr=1000000,[^\n]*,diverged,/);
  assertMatch(runs, /blowup\/lr=0\.3,[^\n]*,ok,/);
});

Deno.test("a second process on a locked results directory is refused with a clear message", async () => {
  const out = `${dir}/locked`;
  const lock = await acquireLock(out);
  try {
    const r = await runCliProcess(["run", file, "--out", out, "--quiet", "--backend", "cpu"]);
    assertEquals(r.code, 2, r.err);
    assertMatch(r.err, /locked by process \d+/);
  } finally {
    await lock.release();
  }
});

Deno.test("finished runs are reused, --force re-runs them", async () => {
  const r = await runCli(["run", file, "--out", `${dir}/a`, "--backend", "cpu"]);
  assertEquals(r.code, 0, r.err);
  assertMatch(r.out, /4 finished run\(s\) reused/);
});

Deno.test("a run that fails with an error is reported, the suite goes on, and the exit code is 1", async () => {
  // CIFAR-5M subsets: 40 + 10 images fit in a 60-image part; 100 + 10 do not,
  // which only the data can tell, so that run fails when it starts
  const data = `${dir}/cifar_data`;
  Deno.mkdirSync(data, { recursive: true });
  await writePart(data, 0, 0, 60, 0);
  const f = writeExperiment(dir, {
    ...tinyExperiment("broken_task"),
    task: { kind: "cifar5m", parts: [0], subset: { n: 40, seed: 1 }, testN: 10, classes: 10 },
    sweep: { "task.subset.n": [40, 100] },
    budget: { steps: 3 },
  });
  const r = await runCli([
    "run",
    f,
    "--out",
    `${dir}/broken`,
    "--quiet",
    "--backend",
    "cpu",
    "--data-dir",
    data,
  ]);
  assertEquals(r.code, 1, r.out + r.err);
  assertMatch(r.out, /FAILED RUN broken_task\/n=100: .*exceeds the 60 images/);
  const runs = Deno.readTextFileSync(`${dir}/broken/broken_task/runs.csv`);
  assertMatch(runs, /broken_task\/n=40,[^\n]*,ok,/);
});

Deno.test("a combination that cannot work is refused before anything is written (exit 2)", async () => {
  const cases: [string, Record<string, unknown>, RegExp][] = [
    [
      "div_composite",
      { task: { kind: "modular", p: 7, op: "div" }, sweep: { "task.p": [7, 8] } },
      /task\.p: expected a prime modulus for op "div".*got 8 \(run div_composite\/p=8\)/,
    ],
    [
      "xent_regression",
      { task: { kind: "chebyshev" }, loss: "xent" },
      /loss: expected "mse" for the regression task chebyshev/,
    ],
    [
      "mlp_on_tokens",
      { task: { kind: "modular", p: 7, encoding: "tokens" } },
      /model\.kind: expected "transformer" for token inputs \(task\.encoding "tokens"\), got "mlp"/,
    ],
    [
      "transformer_on_features",
      {
        task: { kind: "chebyshev" },
        model: { kind: "transformer", layers: 1, dModel: 8, heads: 2, dMlp: 16 },
      },
      /model\.kind: expected "mlp" or "resmlp" for chebyshev features/,
    ],
  ];
  for (const [name, over, msg] of cases) {
    const f = writeExperiment(dir, { ...tinyExperiment(name), ...over });
    const out = `${dir}/refused_${name}`;
    const r = await runCli(["run", f, "--out", out, "--quiet", "--backend", "cpu"]);
    assertEquals(r.code, 2, `${name}: ${r.out}${r.err}`);
    assertMatch(r.err, msg);
    assertOk(r.err.includes(f), `${name}: the message names the file`);
    assertEquals(readOrNull(`${out}/${name}/runs.csv`), null, `${name}: nothing written`);
    let exists = true;
    try {
      Deno.statSync(out);
    } catch {
      exists = false;
    }
    assertOk(!exists, `${name}: no results directory`);
  }
});

Deno.test("merging two shards gives the unsharded run's files byte for byte", async () => {
  for (const s of ["1/2", "2/2"]) {
    if (readOrNull(`${dir}/shard${s[0]}/tiny_sweep/runs.csv`) === null) {
      await runCli([
        "run",
        file,
        "--out",
        `${dir}/shard${s[0]}`,
        "--quiet",
        "--backend",
        "cpu",
        "--shard",
        s,
      ]);
    }
  }
  if (readOrNull(`${dir}/j2/tiny_sweep/runs.csv`) === null) {
    await runCli(["run", file, "--out", `${dir}/j2`, "--quiet", "--backend", "cpu", "--jobs", "2"]);
  }
  const r = await runCli(["merge", `${dir}/shard1`, `${dir}/shard2`, "--out", `${dir}/merged`]);
  assertEquals(r.code, 0, r.out + r.err);
  assertEquals(
    readOrNull(`${dir}/merged/tiny_sweep/runs.csv`),
    readOrNull(`${dir}/j2/tiny_sweep/runs.csv`),
  );
  assertEquals([...metricsFiles(`${dir}/merged`).entries()], [
    ...metricsFiles(`${dir}/j2`).entries(),
  ]);
  const cmp = await runCli(["compare", `${dir}/j2`, `${dir}/merged`]);
  assertEquals(cmp.code, 0, cmp.out + cmp.err);
  assertMatch(cmp.out, /byte-identical/);
});
