/**
 * A run killed with SIGKILL mid-way resumes from its checkpoint and ends
 * byte-identical to an uninterrupted run.
 */
import { assertEquals, assertOk } from "./assert.ts";
import { runCli, tempDir, tinyExperiment, writeExperiment } from "./cli_helpers.ts";

Deno.test("a run killed with SIGKILL resumes from its checkpoint and ends byte-identical", async () => {
  const dir = tempDir();
  const file = writeExperiment(dir, {
    ...tinyExperiment("resumable"),
    optimizer: { kind: "adam", lr: 0.01 },
    budget: { steps: 1500 },
    checkpointEvery: 50,
    measure: { every: 25, sharpness: { every: 100, iters: 10 } },
  });
  const runDir = (out: string) => {
    for (const e of Deno.readDirSync(`${out}/resumable`)) {
      if (e.isDirectory) return `${out}/resumable/${e.name}`;
    }
    throw new Error("no run dir");
  };
  // uninterrupted reference
  const ref = await runCli(["run", file, "--out", `${dir}/ref`, "--quiet", "--backend", "cpu"]);
  assertEquals(ref.code, 0, ref.err);

  // interrupted: kill -9 once a checkpoint exists
  const out = `${dir}/killed`;
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", "cli.ts", "run", file, "--out", out, "--quiet", "--backend", "cpu"],
    stdout: "null",
    stderr: "null",
  }).spawn();
  let killedMidway = false;
  for (let i = 0; i < 600; i++) {
    await new Promise((r) => setTimeout(r, 100));
    let ck = false;
    try {
      ck = Deno.statSync(`${runDir(out)}/checkpoint.json`).isFile;
    } catch { /* not yet */ }
    if (ck) {
      child.kill("SIGKILL");
      killedMidway = true;
      break;
    }
  }
  const status = await child.status;
  assertOk(killedMidway && !status.success, "the child was killed mid-run");
  let metricsExisted = true;
  try {
    Deno.statSync(`${runDir(out)}/metrics.csv`);
  } catch {
    metricsExisted = false;
  }
  assertOk(!metricsExisted, "no metrics.csv that reads as complete after a crash");

  const resumed = await runCli(["run", file, "--out", out, "--quiet", "--backend", "cpu"]);
  assertEquals(resumed.code, 0, resumed.err);
  const manifest = JSON.parse(Deno.readTextFileSync(`${runDir(out)}/manifest.json`));
  assertEquals(manifest.resumed, true);
  assertEquals(
    Deno.readTextFileSync(`${runDir(out)}/metrics.csv`),
    Deno.readTextFileSync(`${runDir(`${dir}/ref`)}/metrics.csv`),
  );
});
